#pragma once

#include <string>
#include <string_view>

// IsValidUtf8 and CountCodePoints, and the decoder and encoder, are in utf8.h.
#include "gridcare/core/utf8.h"

namespace gridcare::core {

/// Lower-cases ASCII letters only; CJK text is left as it is.
std::string AsciiLower(std::string_view text);

/// ' ', '\t', '\n', '\r', '\f' or '\v'.
bool IsAsciiSpace(char c);

/// `text` without leading and trailing ASCII whitespace (IsAsciiSpace).
std::string_view TrimAsciiSpace(std::string_view text);

/// Every byte is a printable ASCII character other than space ('!' to '~'): what ids that cross
/// systems (request ids, reply ids, referenced incidents) are made of. True for "".
bool IsPrintableAscii(std::string_view text);

}  // namespace gridcare::core
