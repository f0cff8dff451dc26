#include "gridcare/redis/settings.h"

#include <charconv>

namespace gridcare::redis {
namespace {

constexpr std::string_view kExpectedForm =
    " (expected host:port, e.g. 127.0.0.1:6379 or [::1]:6379)";

core::Error BadAddress(std::string_view address, std::string_view why) {
  return core::InvalidArgument("redis address '" + std::string(address) + "' " + std::string(why) +
                               std::string(kExpectedForm));
}

}  // namespace

std::string RedisSettings::Describe() const {
  return host + ":" + std::to_string(port) + " db=" + std::to_string(db) +
         " auth=" + (password.empty() ? "no" : "yes") + " pool=" + std::to_string(pool_size);
}

core::Result<RedisAddress> ParseAddress(std::string_view address) {
  std::string_view host;
  std::string_view port_text;
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    if (close == std::string_view::npos) return BadAddress(address, "has no closing ']'");
    host = address.substr(1, close - 1);
    const auto rest = address.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return BadAddress(address, "has no port");
    port_text = rest.substr(1);
  } else {
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos) return BadAddress(address, "has no port");
    host = address.substr(0, colon);
    // More than one colon without brackets is an unbracketed IPv6 address: ambiguous.
    if (host.find(':') != std::string_view::npos) {
      return BadAddress(address, "needs brackets around an IPv6 host");
    }
    port_text = address.substr(colon + 1);
  }
  if (host.empty()) return BadAddress(address, "has no host");
  if (port_text.empty()) return BadAddress(address, "has no port");
  int port = 0;
  const auto* end = port_text.data() + port_text.size();
  const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
  if (ec != std::errc() || ptr != end || port < 1 || port > 65535) {
    return BadAddress(address, "has a port that is not a number in 1..65535");
  }
  return RedisAddress{std::string(host), port};
}

core::Status ValidateSettings(const RedisSettings& settings) {
  if (settings.host.empty()) return core::InvalidArgument("redis settings: host is empty");
  if (settings.port < 1 || settings.port > 65535) {
    return core::InvalidArgument("redis settings: port " + std::to_string(settings.port) +
                                 " is not in 1..65535");
  }
  if (settings.db < 0) return core::InvalidArgument("redis settings: db must be >= 0");
  if (settings.pool_size == 0)
    return core::InvalidArgument("redis settings: pool_size must be >= 1");
  if (settings.connect_timeout.count() <= 0) {
    return core::InvalidArgument("redis settings: connect_timeout must be > 0");
  }
  if (settings.command_timeout.count() <= 0) {
    return core::InvalidArgument("redis settings: command_timeout must be > 0");
  }
  if (settings.pool_wait_timeout.count() < 0) {
    return core::InvalidArgument("redis settings: pool_wait_timeout must be >= 0");
  }
  return core::Status::Ok();
}

}  // namespace gridcare::redis
