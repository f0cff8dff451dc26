#pragma once

// How a simulated provider misbehaves: injected failures, latency, a rate limit, recipients it
// cannot reach, and how long it takes to report delivery. Read from the control API's PUT body
// and from the --config file; pure, no I/O, thread-compatible.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/error.h"

namespace gridcare::provider_sim {

/// One provider's behaviour. Defaults: a healthy provider without a rate limit that reports
/// every message delivered after 200 ms.
struct FaultSettings {
  double fail_ratio = 0;  ///< share of requests answered with fail_status, 0..1 (FailurePicker)
  int fail_status = 503;  ///< 500..599
  std::chrono::milliseconds latency{0};  ///< added before every answer, 0..60 s
  double rate_limit_per_second = 0;      ///< 0 = no limit
  int64_t burst = 0;                     ///< bucket size; 0 = one second's worth (at least 1)
  std::vector<std::string> undeliverable_prefixes;  ///< recipients reported "undeliverable"
  std::vector<std::string> undeliverable_suffixes;
  std::chrono::milliseconds report_delay{200};  ///< from acceptance to the report, 0..1 h

  /// The bucket size the rate limiter uses (burst, or its default).
  double EffectiveBurst() const;
  /// Whether `to` starts with an undeliverable prefix or ends with an undeliverable suffix,
  /// both compared with spaces and '-' removed ("+86 170" matches "+8617012345678").
  bool IsUndeliverable(std::string_view to) const;
};

/// Reads a faults object (every key optional, unknown keys refused) with `reader`; keys not given
/// keep their value in `base`. `path` prefixes the field names in messages ("providers.sms").
core::Result<FaultSettings> ReadFaults(const config::JsonReader& reader, const nlohmann::json& json,
                                       std::string_view path, const FaultSettings& base);

/// A PUT /control/providers/<name>/faults body over `base` (the simulator's defaults); an empty
/// body is {}. INVALID_ARGUMENT "faults: ..." naming the field.
core::Result<FaultSettings> ParseFaults(std::string_view body, const FaultSettings& base);

/// The settings as the control API shows them (every key of the PUT body).
nlohmann::json FaultsJson(const FaultSettings& faults);

/// The --config file: {"defaults": {faults}, "providers": {"sms": {faults}, ...}}, both optional.
/// `defaults` applies to every provider first seen later and to a PUT's omitted keys; a listed
/// provider's keys override the defaults one by one.
struct SimConfig {
  FaultSettings defaults;
  std::map<std::string, FaultSettings, std::less<>> providers;
};

/// INVALID_ARGUMENT "provider simulator config: ..." naming the field.
core::Result<SimConfig> ParseSimConfig(std::string_view text);

/// Picks which requests fail, evenly spaced and without randomness: counting requests from 1
/// since the picker was made, request n fails when floor(n·r) > floor((n−1)·r), r being the
/// ratio rounded to millionths. So 0.5 fails the 2nd, 4th, 6th …; 0.25 the 4th, 8th …; 1 every
/// request; 0 none; and after N requests exactly floor(N·r) have failed. Not thread-safe.
class FailurePicker {
 public:
  explicit FailurePicker(double ratio = 0);
  /// Counts one request; true when it is to fail.
  bool Next();

 private:
  int64_t parts_per_million_;
  int64_t count_ = 0;
};

}  // namespace gridcare::provider_sim
