#pragma once

// How services read customers' text: one folding of code points, so that "停電", "停电" and
// "停 电" meet the same rules, articles and keywords. Each user keeps its own view on top (intake's
// classifier drops noise, its knowledge base splits into features; complaint routing matches
// keywords in the folded text).

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "gridcare/core/utf8.h"

namespace gridcare::core {

/// One code point as matching sees it: full-width ASCII forms (U+FF01..U+FF5E) → ASCII, the
/// ideographic space U+3000 → ' ', A-Z → a-z, and the traditional characters common in utility
/// calls → simplified (電→电, 費→费, 麼→么, 報→报 …). Idempotent.
char32_t FoldForMatching(char32_t c);

/// `text` decoded (invalid bytes skipped or replaced by U+FFFD) and folded with FoldForMatching;
/// at most `max_code_points` code points are read.
std::u32string FoldText(std::string_view text, InvalidUtf8 invalid,
                        size_t max_code_points = std::numeric_limits<size_t>::max());

/// A Han ideograph: CJK unified ideographs and extension A, compatibility ideographs, and the
/// supplementary-plane extensions (U+20000..U+2FA1F).
bool IsHan(char32_t c);

/// [a-z0-9] after folding: the characters English words are made of.
bool IsAsciiWordChar(char32_t c);

}  // namespace gridcare::core
