#pragma once

#include <string>
#include <string_view>

namespace gridcare::logging {

// Logs must never hold a customer's phone number or name. These helpers work on code points, keep
// their output valid UTF-8 (invalid input bytes become U+FFFD) and treat full-width digits
// (０-９, as Chinese input methods type them) like ASCII digits.

/// Masks the digits of a phone number, keeping separators and a "+86" prefix: 11 or more digits
/// keep the first 3 and last 4 ("13812345678" -> "138****5678", "020-12345678" -> "020-****5678",
/// "+86 138 1234 5678" -> "+86 138 **** 5678"); 7 to 10 digits keep only the last 4; fewer digits
/// are all masked.
std::string MaskPhone(std::string_view phone);

/// Keeps the first code point and masks every other one, spaces included: "张三丰" -> "张**",
/// "Li Wei" -> "L*****". A one-code-point name is masked entirely ("*"). Surrounding whitespace
/// is dropped.
std::string MaskName(std::string_view name);

/// Masks phone-like numbers inside free text (customers type them into complaints): a run of 7 or
/// more digits, possibly in groups of 3+ joined by single spaces or dashes and possibly after
/// "+86", is masked as MaskPhone does. Short numbers (amounts, "10kV", dates such as 2026-11-24)
/// and decimals (12345678.90) are left alone.
std::string RedactFreeText(std::string_view text);

/// Masks the numbers of a postal address (for messages that show customers their own address, and
/// for logs), so the street stays readable but the house cannot be found: every run of Latin
/// letters and digits (ASCII or full-width) that holds a digit becomes one '*' per code point,
/// everything else is kept. Chinese addresses keep their administrative part and the shape of the
/// rest ("广州市天河区体育西路 191 号 3 栋 502" -> "广州市天河区体育西路 *** 号 * 栋 ***",
/// "中石化大厦B座2501室" -> "中石化大厦B座****室"); English ones keep the street, district and
/// city words ("Room 502, 191 Tiyu West Road, Tianhe District" -> "Room ***, *** Tiyu West Road,
/// Tianhe District"); unit letters joined to a number go with it ("5B", "B2", "3rd" -> "**",
/// "**", "***"). Chinese numerals (三栋) are words, not digits, and are kept; an address without a
/// digit comes back whole. Surrounding whitespace is dropped.
std::string MaskAddress(std::string_view full_text);

}  // namespace gridcare::logging
