#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gridcare::logging::internal {

struct CodePoint {
  char32_t value = 0;  // U+FFFD when !valid
  size_t length = 1;   // bytes consumed; 1 for an invalid byte
  bool valid = false;
};

/// Decodes the code point that starts at text[pos] (pos < text.size()). Overlongs, surrogates,
/// values above U+10FFFF and truncated sequences are invalid; each invalid byte is one step so the
/// caller resynchronises at the next byte.
CodePoint DecodeAt(std::string_view text, size_t pos);

void AppendUtf8(std::string& out, char32_t value);

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace gridcare::logging::internal
