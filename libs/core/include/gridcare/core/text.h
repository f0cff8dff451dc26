#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gridcare::core {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// Number of Unicode code points in well-formed UTF-8 text.
size_t CountCodePoints(std::string_view text);

/// Lower-cases ASCII letters only; CJK text is left as it is.
std::string AsciiLower(std::string_view text);

}  // namespace gridcare::core
