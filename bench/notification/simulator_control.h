#pragma once
// The provider simulator's control API as the notification benchmark uses it
// (tools/provider-sim/README.md): counters summed over every provider, and clearing messages and
// counters between runs. One kept-alive connection; not thread-safe.

#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::bench {

struct SimulatorStats {
  int64_t received = 0;
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t refused = 0;  // unauthorized + bad_request + rejected_rate_limited + failed_injected
  int64_t reports_sent = 0;
  int64_t reports_lost = 0;
  int64_t reports_pending = 0;
};

class SimulatorControl {
 public:
  /// `host` and `port` of the simulator's listen address.
  SimulatorControl(const std::string& host, int port) : client_(host, port) {
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);
    client_.set_connection_timeout(2);
    client_.set_read_timeout(10);
  }

  core::Result<SimulatorStats> Stats() {
    auto response = client_.Get("/control/stats");
    if (!response || response->status != 200) {
      return core::Unavailable("GET /control/stats of the provider simulator failed");
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (!json.is_object() || !json.contains("providers")) {
      return core::Internal("the simulator's /control/stats is not what its README says");
    }
    SimulatorStats stats;
    auto count = [](const nlohmann::json& object, const char* key) -> int64_t {
      const auto found = object.find(key);
      return found != object.end() && found->is_number_integer() ? found->get<int64_t>() : 0;
    };
    for (const auto& [name, provider] : json["providers"].items()) {
      stats.received += count(provider, "received");
      stats.accepted += count(provider, "accepted");
      stats.duplicates += count(provider, "duplicates");
      stats.refused += count(provider, "unauthorized") + count(provider, "bad_request") +
                       count(provider, "rejected_rate_limited") +
                       count(provider, "failed_injected");
      stats.reports_sent += count(provider, "reports_sent");
      stats.reports_lost += count(provider, "reports_lost");
    }
    stats.reports_pending = count(json, "reports_pending");
    return stats;
  }

  /// Replaces `provider`'s fault settings with `faults_json` (PUT
  /// /control/providers/<name>/faults).
  core::Status SetFaults(const std::string& provider, const std::string& faults_json) {
    auto response =
        client_.Put("/control/providers/" + provider + "/faults", faults_json, "application/json");
    if (!response || response->status != 200) {
      return core::Unavailable("PUT /control/providers/" + provider +
                               "/faults of the provider simulator failed");
    }
    return {};
  }

  /// Forgets the recorded messages (and their de-duplication memory), then zeroes the counters.
  core::Status Clear() {
    for (const char* path : {"/control/messages", "/control/stats"}) {
      auto response = client_.Delete(path);
      if (!response || response->status != 200) {
        return core::Unavailable(std::string("DELETE ") + path +
                                 " of the provider simulator failed");
      }
    }
    return {};
  }

 private:
  httplib::Client client_;
};

}  // namespace gridcare::bench
