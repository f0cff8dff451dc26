#include "gridcare/core/utf8.h"

#include <catch2/catch.hpp>

namespace gridcare::core {
namespace {

TEST_CASE("DecodeUtf8At reads one code point and its length") {
  const std::string_view text = "a停\xF0\x9F\x94\x8C";
  const DecodedCodePoint a = DecodeUtf8At(text, 0);
  CHECK(a.valid);
  CHECK(a.value == U'a');
  CHECK(a.length == 1);
  const DecodedCodePoint ting = DecodeUtf8At(text, 1);
  CHECK(ting.valid);
  CHECK(ting.value == U'停');
  CHECK(ting.length == 3);
  const DecodedCodePoint plug = DecodeUtf8At(text, 4);
  CHECK(plug.valid);
  CHECK(plug.value == 0x1F50C);
  CHECK(plug.length == 4);
}

TEST_CASE("DecodeUtf8At consumes one byte of anything malformed and returns U+FFFD") {
  for (const std::string_view bad : {
           std::string_view("\xFF"),
           std::string_view("\xC0\xAF"),          // overlong '/'
           std::string_view("\xE0\x80\xAF"),      // overlong
           std::string_view("\xED\xA0\x80"),      // surrogate U+D800
           std::string_view("\xF4\x90\x80\x80"),  // above U+10FFFF
           std::string_view("\xE5\x81"),          // truncated 停
           std::string_view("\x80"),              // stray continuation
           std::string_view("\xE5\x41\x9C"),      // bad continuation byte
       }) {
    const DecodedCodePoint cp = DecodeUtf8At(bad, 0);
    CHECK_FALSE(cp.valid);
    CHECK(cp.value == kReplacementCharacter);
    CHECK(cp.length == 1);
  }
}

TEST_CASE("DecodeUtf8 replaces or skips invalid bytes and stops at the limit") {
  const std::string_view text = "停\xFF电\xE5\x41";
  CHECK(DecodeUtf8(text) == U"停\uFFFD电\uFFFDA");
  CHECK(DecodeUtf8(text, InvalidUtf8::kSkip) == U"停电A");
  CHECK(DecodeUtf8(text, InvalidUtf8::kSkip, 2) == U"停电");
  CHECK(DecodeUtf8(text, InvalidUtf8::kReplace, 2) == U"停\uFFFD");
  CHECK(DecodeUtf8("").empty());
}

TEST_CASE("AppendUtf8 and EncodeUtf8 write 1- to 4-byte sequences") {
  std::string out;
  AppendUtf8(out, U'a');
  AppendUtf8(out, 0xE9);  // é
  AppendUtf8(out, U'电');
  AppendUtf8(out, 0x1F50C);
  CHECK(out == "a\xC3\xA9电\xF0\x9F\x94\x8C");
  CHECK(EncodeUtf8(U"停电 of 10 kV") == "停电 of 10 kV");
  CHECK(std::string(kReplacementUtf8) == EncodeUtf8(std::u32string(1, kReplacementCharacter)));
}

TEST_CASE("decoding and encoding round-trip valid text") {
  for (const std::string_view text : {std::string_view(""), std::string_view("power cut at 3 pm"),
                                      std::string_view("停电了，台区变压器冒烟"),
                                      std::string_view("\xF0\x9F\x94\x8C\xEF\xBF\xBD")}) {
    CHECK(EncodeUtf8(DecodeUtf8(text)) == text);
    CHECK(DecodeUtf8(text).size() == CountCodePoints(text));
  }
}

TEST_CASE("TruncateUtf8 never cuts a code point") {
  const std::string_view text = "ab停电";  // 2 + 3 + 3 bytes
  CHECK(TruncateUtf8(text, 100) == text);
  CHECK(TruncateUtf8(text, 8) == text);
  CHECK(TruncateUtf8(text, 7) == "ab停");
  CHECK(TruncateUtf8(text, 5) == "ab停");
  CHECK(TruncateUtf8(text, 4) == "ab");
  CHECK(TruncateUtf8(text, 2) == "ab");
  CHECK(TruncateUtf8(text, 0).empty());
}

}  // namespace
}  // namespace gridcare::core
