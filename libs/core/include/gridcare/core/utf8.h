#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace gridcare::core {

/// U+FFFD, what an invalid byte decodes to, and its UTF-8 bytes.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

/// One code point decoded from UTF-8.
struct DecodedCodePoint {
  char32_t value = kReplacementCharacter;  // U+FFFD when !valid
  size_t length = 1;                       // bytes consumed; 1 for an invalid byte
  bool valid = false;
};

/// Decodes the code point that starts at text[pos] (requires pos < text.size()). Overlongs,
/// surrogates, values above U+10FFFF, stray continuation bytes and truncated sequences are invalid;
/// an invalid byte is consumed alone, so the caller resynchronises at the next byte.
DecodedCodePoint DecodeUtf8At(std::string_view text, size_t pos);

/// What DecodeUtf8 does with an invalid byte.
enum class InvalidUtf8 {
  kReplace,  // decode it as U+FFFD
  kSkip,     // drop it
};

/// The code points of `text`, at most `max_code_points` of them (the rest is not read).
std::u32string DecodeUtf8(std::string_view text, InvalidUtf8 invalid = InvalidUtf8::kReplace,
                          size_t max_code_points = std::numeric_limits<size_t>::max());

/// Appends the UTF-8 encoding of `code_point` (which must be a Unicode scalar value) to `out`.
void AppendUtf8(std::string& out, char32_t code_point);

/// The UTF-8 encoding of `text`.
std::string EncodeUtf8(std::u32string_view text);

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// Number of Unicode code points in well-formed UTF-8 text.
size_t CountCodePoints(std::string_view text);

/// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a code point
/// (for echoing user text in a bounded message).
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

}  // namespace gridcare::core
