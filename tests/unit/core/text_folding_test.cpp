// The folding intake's classifier and knowledge base and complaint routing share.
#include "gridcare/core/text_folding.h"

#include <catch2/catch.hpp>

namespace gridcare::core {
namespace {

TEST_CASE("FoldForMatching folds width, case and traditional characters") {
  CHECK(FoldForMatching(U'Ａ') == U'a');
  CHECK(FoldForMatching(U'１') == U'1');
  CHECK(FoldForMatching(U'？') == U'?');
  CHECK(FoldForMatching(0x3000) == U' ');
  CHECK(FoldForMatching(U'Q') == U'q');
  CHECK(FoldForMatching(U'電') == U'电');
  CHECK(FoldForMatching(U'費') == U'费');
  CHECK(FoldForMatching(U'麼') == U'么');
  CHECK(FoldForMatching(U'裡') == U'里');
  CHECK(FoldForMatching(U'电') == U'电');
  CHECK(FoldForMatching(U'é') == U'é');
}

TEST_CASE("FoldForMatching is idempotent") {
  for (char32_t c = 0; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const char32_t once = FoldForMatching(c);
    if (FoldForMatching(once) != once) FAIL("U+" << std::hex << static_cast<uint32_t>(c));
  }
}

TEST_CASE("FoldText decodes, folds and handles invalid bytes as asked") {
  CHECK(FoldText("停電了ＡＢ", InvalidUtf8::kSkip) == U"停电了ab");
  CHECK(FoldText("停\xFF電", InvalidUtf8::kSkip) == U"停电");
  CHECK(FoldText("停\xFF電", InvalidUtf8::kReplace) == U"停\uFFFD电");
  CHECK(FoldText("停電了", InvalidUtf8::kSkip, 2) == U"停电");
}

TEST_CASE("Han and word characters") {
  CHECK(IsHan(U'电'));
  CHECK(IsHan(0x3400));
  CHECK(IsHan(0x20000));
  CHECK_FALSE(IsHan(U'a'));
  CHECK_FALSE(IsHan(0x3000));
  CHECK(IsAsciiWordChar(U'a'));
  CHECK(IsAsciiWordChar(U'7'));
  CHECK_FALSE(IsAsciiWordChar(U'A'));  // fold first
  CHECK_FALSE(IsAsciiWordChar(U'-'));
}

}  // namespace
}  // namespace gridcare::core
