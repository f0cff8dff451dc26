#include "gridcare/core/text.h"

#include <catch2/catch.hpp>

using namespace gridcare::core;

TEST_CASE("UTF-8 validation accepts well-formed text in every plane") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("power cut at 3 pm"));
  CHECK(IsValidUtf8("停电了，台区变压器冒烟"));
  CHECK(IsValidUtf8("\xF0\x9F\x94\x8C"));  // U+1F50C electric plug
  CHECK(IsValidUtf8("\xEF\xBF\xBD"));      // U+FFFD
}

TEST_CASE("UTF-8 validation rejects malformed sequences") {
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xE5\x81"));          // truncated 停
  CHECK_FALSE(IsValidUtf8("abc\x80"));           // stray continuation
  CHECK_FALSE(IsValidUtf8("\xE5\x41\x9C"));      // bad continuation byte
}

TEST_CASE("code points are counted, not bytes") {
  CHECK(CountCodePoints("") == 0);
  CHECK(CountCodePoints("abc") == 3);
  CHECK(CountCodePoints("停电了") == 3);
  CHECK(CountCodePoints("a停\xF0\x9F\x94\x8C") == 3);
}

TEST_CASE("ASCII lower-casing leaves CJK alone") {
  CHECK(AsciiLower("No POWER 停电") == "no power 停电");
}

TEST_CASE("printable ASCII ids have no space or control or non-ASCII byte") {
  CHECK(IsPrintableAscii(""));
  CHECK(IsPrintableAscii("reply-sms-gateway-sms-gateway-r1"));
  CHECK(IsPrintableAscii("!~"));
  CHECK_FALSE(IsPrintableAscii("INC 1"));
  CHECK_FALSE(IsPrintableAscii("REQ\t1"));
  CHECK_FALSE(IsPrintableAscii(std::string("RE\0Q", 4)));
  CHECK_FALSE(IsPrintableAscii("REQ\x7f"));
  CHECK_FALSE(IsPrintableAscii("请求-1"));
}
