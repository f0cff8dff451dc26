#pragma once
// The feeder outage of the notification benchmark and what the service will send for it: the
// feeder with the most customers, the incident_opened event dispatch would publish for it, and
// the notices notification's fan-out will queue — computed with the service's own trigger rules,
// recipient planner and configuration, over the same synthetic customers the profile serves, by
// the rule of FanOut::NotifySupply (services/notification/fan_out.cpp): per intent, every customer
// of the feeder passing the intent's tag filters, one notice per primary phone number (an account
// without one is its own key).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::bench {

/// The feeder of `utility` with the most customers (the first such in network order).
const synth::Feeder& LargestFeeder(const synth::Utility& utility);

/// A feeder-level incident_opened for `feeder`, as dispatch publishes it: level FEEDER, the
/// feeder (and its substation) as the predicted device, an estimated restoration time `etr` (a
/// start is announced once an estimate is known; dispatch_triggers.cpp), no calls attached.
v1::DispatchEvent FeederIncidentOpened(const synth::Feeder& feeder, int64_t customers,
                                       const std::string& incident_id, core::TimePoint opened_at,
                                       core::TimePoint etr);

/// One notice the fan-out will send: its first channel's provider, address and body fields.
struct PlannedNotice {
  std::string provider;
  std::string to;
  std::string text;
  std::string template_id;
  std::string language;  // "zh-CN" or "en", as the gateway sends it
};

struct Audience {
  int64_t feeder_customers = 0;
  int64_t intents = 0;
  std::map<std::string, int64_t> customers_by_template;  // customers the intent's tags admit
  int64_t same_number = 0;                               // skipped: number already reached
  std::map<std::string, int64_t> suppressed;             // by reason ("no_channel", …)
  int64_t unwritable = 0;
  int64_t held = 0;  // queued with a due time after `now`: would not go out in the run
  std::vector<PlannedNotice> notices;
  std::map<std::string, int64_t> by_provider;
  std::map<std::string, int64_t> by_template;
};

/// Plans `event` (published with ce_id `source_event_id`) against `feeder`'s customers at `now`
/// with the service's configuration. INTERNAL when the rules yield an intent that is not a
/// supply fan-out to this feeder (the benchmark's premise).
core::Result<Audience> PlanAudience(const synth::Utility& utility, const synth::Feeder& feeder,
                                    const notification::Configuration& configuration,
                                    const v1::DispatchEvent& event,
                                    const std::string& source_event_id, core::TimePoint now);

}  // namespace gridcare::bench
