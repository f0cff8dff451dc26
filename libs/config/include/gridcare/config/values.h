#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::config {

/// A password or token. Its value only ever comes from a file or an environment variable (never a
/// flag, which `ps` would show) and is never printed: there is deliberately no operator<<.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  bool empty() const { return value_.empty(); }
  /// The plain value, for handing to the client library that needs it. Do not log it.
  const std::string& Reveal() const { return value_; }
  /// "***" when set, "" when not: what start-up logs and Describe() show.
  std::string Redacted() const { return value_.empty() ? std::string() : std::string("***"); }

 private:
  std::string value_;
};

/// A parsed "host:port". IPv6 hosts are written in brackets ("[::1]:50051") and stored without
/// them.
struct Endpoint {
  std::string host;
  int port = 0;

  /// Back to "host:port", re-adding brackets around IPv6 hosts.
  std::string ToString() const;
};

/// Parses "host:port" (host name, IPv4, or bracketed IPv6; port 1..65535, or 0 when
/// `allow_port_zero`, which asks the OS for a free port). The error says what is expected.
core::Result<Endpoint> ParseEndpoint(std::string_view text, bool allow_port_zero = false);

/// Parses "250ms", "5s", "2m", "1h" and sums such as "1m30s". A bare "0" is accepted; other bare
/// numbers are not, because a missing unit is the commonest way to get a timeout 1000x wrong.
core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// The shortest exact spelling ParseDuration accepts: 90000ms -> "1m30s", 250ms -> "250ms".
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace gridcare::config
