#include "gridcare/logging/privacy.h"

#include <vector>

#include "gridcare/core/utf8.h"

namespace gridcare::logging {
namespace {

// A decoded code point and where its bytes start in the text.
struct Unit : core::DecodedCodePoint {
  size_t begin = 0;
};

constexpr size_t kMinPhoneDigits = 7;
constexpr size_t kFullPhoneDigits = 11;  // mainland mobile, or landline with area code
constexpr size_t kMinJoinedGroup = 3;

std::vector<Unit> Decode(std::string_view text) {
  std::vector<Unit> units;
  units.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const core::DecodedCodePoint cp = core::DecodeUtf8At(text, pos);
    units.push_back({cp, pos});
    pos += cp.length;
  }
  return units;
}

void AppendUnit(std::string& out, std::string_view text, const Unit& unit) {
  if (unit.valid) {
    out.append(text.substr(unit.begin, unit.length));
  } else {
    out += core::kReplacementUtf8;
  }
}

bool IsDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

char32_t AsciiDigit(char32_t c) { return c >= 0xFF10 ? c - 0xFF10 + '0' : c; }

// A Latin letter, ASCII or full-width (Ａ-Ｚ, ａ-ｚ).
bool IsLatinLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}

bool IsAlnum(char32_t c) { return IsDigit(c) || IsLatinLetter(c); }

bool IsPlus(char32_t c) { return c == '+' || c == 0xFF0B; }

// Separators people type inside phone numbers: space, ideographic space, dash, full-width dash.
// U+FFFD (which invalid bytes decode to) joins too, so a corrupt byte cannot split a number into
// two short, unmasked halves.
bool IsSeparator(char32_t c) {
  return c == ' ' || c == 0x3000 || c == '-' || c == 0xFF0D || c == 0xFFFD;
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000; }

size_t DigitRun(const std::vector<Unit>& units, size_t from) {
  size_t end = from;
  while (end < units.size() && IsDigit(units[end].value)) ++end;
  return end - from;
}

// Length of a "+86" country prefix starting at `at` (the '+' and the two digits), or 0.
size_t CountryPrefix(const std::vector<Unit>& units, size_t at) {
  if (at + 2 >= units.size() || !IsPlus(units[at].value)) return 0;
  if (AsciiDigit(units[at + 1].value) != '8' || AsciiDigit(units[at + 2].value) != '6') return 0;
  return 3;
}

// Masks the digits of units [begin, end) after an optional "+86" prefix.
void AppendMasked(std::string& out, std::string_view text, const std::vector<Unit>& units,
                  size_t begin, size_t end) {
  const size_t prefix = CountryPrefix(units, begin);
  for (size_t i = begin; i < begin + prefix; ++i) AppendUnit(out, text, units[i]);
  size_t digits = 0;
  for (size_t i = begin + prefix; i < end; ++i) digits += IsDigit(units[i].value) ? 1 : 0;
  size_t head = 0;
  size_t tail = 0;
  if (digits >= kFullPhoneDigits) {
    head = 3;
    tail = 4;
  } else if (digits >= kMinPhoneDigits) {
    tail = 4;
  }
  size_t index = 0;
  for (size_t i = begin + prefix; i < end; ++i) {
    if (!IsDigit(units[i].value)) {
      AppendUnit(out, text, units[i]);
      continue;
    }
    if (index < head || index >= digits - tail) {
      AppendUnit(out, text, units[i]);
    } else {
      out += '*';
    }
    ++index;
  }
}

// If a phone-like number starts at `start`, returns the end of its span; otherwise 0.
size_t MatchPhone(const std::vector<Unit>& units, size_t start) {
  const size_t n = units.size();
  if (start > 0 && IsDigit(units[start - 1].value)) return 0;
  size_t pos = start;
  const size_t prefix = CountryPrefix(units, pos);
  if (prefix > 0) {
    pos += prefix;
    if (pos + 1 < n && IsSeparator(units[pos].value) && IsDigit(units[pos + 1].value)) ++pos;
  }
  const size_t first = DigitRun(units, pos);
  if (first == 0) return 0;
  // The fraction of a decimal number.
  if (start >= 2 && units[start - 1].value == '.' && IsDigit(units[start - 2].value)) return 0;
  size_t digits = first;
  pos += first;
  // "+86 10 ..." has a two-digit area code; without the prefix a short leading group is more
  // likely the tail of something else (the day of a date) than part of a number.
  const bool can_join = first >= (prefix > 0 ? 2 : kMinJoinedGroup);
  while (can_join && digits < kFullPhoneDigits && pos + 1 < n && IsSeparator(units[pos].value)) {
    const size_t next = DigitRun(units, pos + 1);
    // A group of 7+ digits is a number of its own ("020-12345678" masks the same either way).
    if (next < kMinJoinedGroup || next >= kMinPhoneDigits) break;
    digits += next;
    pos += 1 + next;
  }
  if (digits < kMinPhoneDigits) return 0;
  if (pos + 1 < n && units[pos].value == '.' && IsDigit(units[pos + 1].value)) return 0;
  return pos;
}

}  // namespace

std::string MaskPhone(std::string_view phone) {
  const std::vector<Unit> units = Decode(phone);
  size_t begin = 0;
  size_t end = units.size();
  while (begin < end && IsSpace(units[begin].value)) ++begin;
  while (end > begin && IsSpace(units[end - 1].value)) --end;
  std::string out;
  out.reserve(phone.size());
  AppendMasked(out, phone, units, begin, end);
  return out;
}

std::string MaskName(std::string_view name) {
  const std::vector<Unit> units = Decode(name);
  size_t begin = 0;
  size_t end = units.size();
  while (begin < end && IsSpace(units[begin].value)) ++begin;
  while (end > begin && IsSpace(units[end - 1].value)) --end;
  if (end - begin <= 1) return end == begin ? std::string() : std::string("*");
  std::string out;
  AppendUnit(out, name, units[begin]);
  out.append(end - begin - 1, '*');
  return out;
}

std::string RedactFreeText(std::string_view text) {
  const std::vector<Unit> units = Decode(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < units.size()) {
    if (IsDigit(units[i].value) || IsPlus(units[i].value)) {
      if (const size_t end = MatchPhone(units, i); end > 0) {
        AppendMasked(out, text, units, i, end);
        i = end;
        continue;
      }
      // Not a phone number: copy the whole digit run so its tail is not retried as a new start.
      if (IsDigit(units[i].value)) {
        const size_t run = DigitRun(units, i);
        for (size_t k = i; k < i + run; ++k) AppendUnit(out, text, units[k]);
        i += run;
        continue;
      }
    }
    AppendUnit(out, text, units[i]);
    ++i;
  }
  return out;
}

std::string MaskAddress(std::string_view full_text) {
  const std::vector<Unit> units = Decode(full_text);
  size_t begin = 0;
  size_t end = units.size();
  while (begin < end && IsSpace(units[begin].value)) ++begin;
  while (end > begin && IsSpace(units[end - 1].value)) --end;
  std::string out;
  out.reserve(full_text.size());
  size_t i = begin;
  while (i < end) {
    if (!IsAlnum(units[i].value)) {
      AppendUnit(out, full_text, units[i]);
      ++i;
      continue;
    }
    size_t run_end = i;
    bool has_digit = false;
    while (run_end < end && IsAlnum(units[run_end].value)) {
      has_digit = has_digit || IsDigit(units[run_end].value);
      ++run_end;
    }
    for (size_t k = i; k < run_end; ++k) {
      if (has_digit) {
        out += '*';
      } else {
        AppendUnit(out, full_text, units[k]);
      }
    }
    i = run_end;
  }
  return out;
}

}  // namespace gridcare::logging
