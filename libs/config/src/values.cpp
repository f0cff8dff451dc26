#include "gridcare/config/values.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "gridcare/config/options.h"
#include "gridcare/core/text.h"

namespace gridcare::config {
namespace {

// Passwords and tokens are short; anything bigger is a wrong path (a log, a binary).
constexpr size_t kMaxSecretBytes = size_t{64} * 1024;

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

std::string_view Trim(std::string_view text) { return core::TrimAsciiSpace(text); }

template <typename Int>
std::optional<std::string> ParseInteger(std::string_view raw, Int* out) {
  Int value = 0;
  const char* end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, value);
  if (raw.empty() || ptr != end || ec == std::errc::invalid_argument) {
    return std::string("expected a whole number");
  }
  if (ec == std::errc::result_out_of_range) {
    return "must be between " + std::to_string(std::numeric_limits<Int>::min()) + " and " +
           std::to_string(std::numeric_limits<Int>::max());
  }
  *out = value;
  return std::nullopt;
}

}  // namespace

std::string Endpoint::ToString() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<Endpoint> ParseEndpoint(std::string_view text, bool allow_port_zero) {
  const std::string port_range = allow_port_zero ? "0..65535" : "1..65535";
  const std::string expected = "expected HOST:PORT with a port in " + port_range;
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return core::InvalidArgument(expected + "; the port is missing");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') {
      return core::InvalidArgument(expected +
                                   "; an IPv6 host needs both brackets, e.g. [::1]:50051");
    }
    host = host.substr(1, host.size() - 2);
    for (const char c : host) {
      if (!IsIpv6Char(c)) return core::InvalidArgument(expected + "; the IPv6 host is malformed");
    }
  } else {
    if (host.empty()) return core::InvalidArgument(expected + "; the host is missing");
    if (host.find(':') != std::string_view::npos) {
      return core::InvalidArgument(expected + "; write an IPv6 host in brackets, e.g. [::1]:50051");
    }
    for (const char c : host) {
      if (!IsHostChar(c)) {
        return core::InvalidArgument(expected +
                                     "; the host may only hold letters, digits, '.', "
                                     "'-' and '_'");
      }
    }
  }
  int port = -1;
  if (port_text.empty() || port_text.size() > 5) {
    return core::InvalidArgument(expected);
  }
  const auto [ptr, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535 ||
      (port == 0 && !allow_port_zero)) {
    return core::InvalidArgument(expected);
  }
  return Endpoint{std::string(host), port};
}

core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const std::string expected = "expected a duration such as 250ms, 5s, 2m, 1h or 1m30s";
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return core::InvalidArgument(expected);
  // Saturating well below int64 max keeps every unit multiplication below overflow.
  constexpr int64_t kLimitMillis = int64_t{1} << 53;
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t digits_begin = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_begin) return core::InvalidArgument(expected);
    int64_t amount = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + digits_begin, text.data() + pos, amount);
    if (ec != std::errc() || amount > kLimitMillis) {
      return core::InvalidArgument("the duration is too long");
    }
    (void)ptr;
    const size_t unit_begin = pos;
    while (pos < text.size() && text[pos] >= 'a' && text[pos] <= 'z') ++pos;
    const std::string_view unit = text.substr(unit_begin, pos - unit_begin);
    int64_t scale = 0;
    if (unit == "ms") {
      scale = 1;
    } else if (unit == "s") {
      scale = 1000;
    } else if (unit == "m") {
      scale = int64_t{60} * 1000;
    } else if (unit == "h") {
      scale = int64_t{60} * 60 * 1000;
    } else if (unit.empty()) {
      return core::InvalidArgument(expected + "; the unit (ms, s, m or h) is missing");
    } else {
      return core::InvalidArgument(expected + "; unknown unit \"" + std::string(unit) + "\"");
    }
    if (amount > (kLimitMillis - total) / scale) {
      return core::InvalidArgument("the duration is too long");
    }
    total += amount * scale;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  int64_t millis = duration.count();
  if (millis == 0) return "0s";
  std::string out;
  if (millis < 0) {
    out = "-";
    millis = -millis;
  }
  constexpr struct {
    int64_t scale;
    const char* unit;
  } kUnits[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [scale, unit] : kUnits) {
    if (millis >= scale) {
      out += std::to_string(millis / scale) + unit;
      millis %= scale;
    }
  }
  return out;
}

namespace detail {

std::optional<std::string> ParseValue(std::string_view raw, std::string* out) {
  *out = std::string(raw);
  return std::nullopt;
}

std::optional<std::string> ParseValue(std::string_view raw, int* out) {
  return ParseInteger(raw, out);
}

std::optional<std::string> ParseValue(std::string_view raw, int64_t* out) {
  return ParseInteger(raw, out);
}

std::optional<std::string> ParseValue(std::string_view raw, double* out) {
  double value = 0;
  const char* end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, value);
  if (raw.empty() || ptr != end || ec != std::errc() || !std::isfinite(value)) {
    return std::string("expected a number such as 0.5 or 12");
  }
  *out = value;
  return std::nullopt;
}

std::optional<std::string> ParseValue(std::string_view raw, bool* out) {
  const std::string lower = core::AsciiLower(raw);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
    *out = true;
  } else if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
    *out = false;
  } else {
    return std::string("expected true or false");
  }
  return std::nullopt;
}

std::optional<std::string> ParseValue(std::string_view raw, std::chrono::milliseconds* out) {
  auto parsed = ParseDuration(raw);
  if (!parsed) return parsed.error().message;
  *out = *parsed;
  return std::nullopt;
}

std::optional<std::string> ParseValue(std::string_view raw, std::chrono::seconds* out) {
  auto parsed = ParseDuration(raw);
  if (!parsed) return parsed.error().message;
  if (parsed->count() % 1000 != 0) return std::string("must be a whole number of seconds");
  *out = std::chrono::duration_cast<std::chrono::seconds>(*parsed);
  return std::nullopt;
}

std::optional<std::string> LoadSecret(std::string_view raw, Source source, Secret* out) {
  if (source == Source::kSecretEnv) {
    *out = Secret(std::string(raw));
    return std::nullopt;
  }
  const std::string path(raw);
  if (path.empty()) return std::string("the file name is empty");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "cannot be read: " + std::string(std::strerror(errno));
  std::string value;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return "cannot be read: " + std::string(std::strerror(error));
    }
    if (n == 0) break;
    value.append(buffer, static_cast<size_t>(n));
    if (value.size() > kMaxSecretBytes) {
      ::close(fd);
      return "is larger than " + std::to_string(kMaxSecretBytes) + " bytes; is it the right file?";
    }
  }
  ::close(fd);
  // Secret files made with `echo` or an editor end in a newline that is not part of the password.
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  *out = Secret(std::move(value));
  return std::nullopt;
}

std::string FormatValue(const std::string& value) { return value; }
std::string FormatValue(int value) { return std::to_string(value); }
std::string FormatValue(int64_t value) { return std::to_string(value); }
std::string FormatValue(double value) {
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, ptr) : std::string("?");
}
std::string FormatValue(bool value) { return value ? "true" : "false"; }
std::string FormatValue(std::chrono::milliseconds value) { return FormatDuration(value); }
std::string FormatValue(std::chrono::seconds value) {
  return FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(value));
}
std::string FormatValue(const Secret& value) { return value.Redacted(); }

std::optional<std::string> CheckHostPort(const std::string& value, bool allow_port_zero) {
  auto parsed = ParseEndpoint(value, allow_port_zero);
  if (!parsed) return parsed.error().message;
  return std::nullopt;
}

std::optional<std::string> CheckHostPortList(const std::string& value) {
  const std::string expected = "expected a comma-separated list of HOST:PORT";
  if (Trim(value).empty()) return expected;
  std::string_view rest = value;
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view item = Trim(rest.substr(0, comma));
    if (item.empty()) return expected + "; an entry is empty";
    auto parsed = ParseEndpoint(item, /*allow_port_zero=*/false);
    if (!parsed) return "\"" + std::string(item) + "\": " + parsed.error().message;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

std::optional<std::string> CheckOneOf(const std::string& value,
                                      const std::vector<std::string>& allowed) {
  for (const auto& candidate : allowed) {
    if (value == candidate) return std::nullopt;
  }
  return "must be one of: " + JoinAllowed(allowed);
}

std::string JoinAllowed(const std::vector<std::string>& allowed) {
  std::string out;
  for (const auto& item : allowed) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace detail
}  // namespace gridcare::config
