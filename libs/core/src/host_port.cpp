#include "gridcare/core/host_port.h"

#include <charconv>

namespace gridcare::core {

Result<HostPort> ParseHostPort(std::string_view text, bool allow_port_zero) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return InvalidArgument("has no port");
  std::string host(text.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return InvalidArgument("has an IPv6 host without brackets");
  }
  if (host.empty()) return InvalidArgument("has no host");
  const std::string_view port_text = text.substr(colon + 1);
  int port = -1;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port < (allow_port_zero ? 0 : 1) || port > 65535) {
    return InvalidArgument("has an invalid port");
  }
  return HostPort{std::move(host), port};
}

}  // namespace gridcare::core
