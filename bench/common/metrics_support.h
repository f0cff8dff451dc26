#pragma once
// Reading a service's Prometheus /metrics endpoint (bench/intake, bench/storm).

#include <httplib.h>

#include <optional>
#include <string>

#include "bench_support.h"

namespace gridcare::bench {

// The text of http://<address>/metrics, or nothing.
inline std::optional<std::string> Scrape(const std::string& address) {
  if (address.empty()) return std::nullopt;
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  const auto port = ParseInt(address.substr(colon + 1));
  if (!port) return std::nullopt;
  httplib::Client client(address.substr(0, colon), static_cast<int>(*port));
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  auto response = client.Get("/metrics");
  if (!response || response->status != 200) return std::nullopt;
  return response->body;
}

// Whether a line of /metrics text is a sample of `name`: not a comment, and not a sample of a
// longer name that starts with `name`.
inline bool IsSampleOf(const std::string& line, const std::string& name) {
  return !line.empty() && line[0] != '#' && line.compare(0, name.size(), name) == 0 &&
         line.size() > name.size() && (line[name.size()] == '{' || line[name.size()] == ' ');
}

}  // namespace gridcare::bench
