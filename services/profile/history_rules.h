#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::profile {

/// One fact about a customer's history, extracted from an event. Every counted fact carries the id
/// of the thing it counts (ticket, request), so applying it twice changes nothing: stores keep
/// facts in sets keyed by that id. kMeterInstalled is not counted but written into the customer's
/// record; it is made idempotent by its time instead (see RedisProfileStore::InstallMeter).
struct HistoryFact {
  enum class Kind {
    kTicketOpened,          // counts toward open tickets until closed
    kTicketClosed,          // by ticket id; the customer may be unknown (dispatch restorations)
    kFaultReported,         // counts toward faults in the last 12 months
    kComplaintReceived,     // counts toward complaints in the last 30 days
    kUrgingReceived,        // counts toward urgings in the last 30 days
    kContact,               // any contact: sets last_contact_at
    kSatisfactionRecorded,  // return-visit score
    kMeterInstalled,        // a service application's field work installed meter_number
  };
  Kind kind;
  std::string customer_id;  // empty for kTicketClosed from dispatch
  std::string item_id;      // ticket id, request id or case id
  int64_t at_unix_ms = 0;
  int32_t score = 0;         // kSatisfactionRecorded only
  std::string meter_number;  // kMeterInstalled only (item_id is the application's ticket id)
};

/// How history is counted and when a customer becomes sensitive (敏感客户). Configurable.
struct HistoryRules {
  std::chrono::hours fault_window{24 * 365};
  std::chrono::hours complaint_window{24 * 30};
  std::chrono::hours urging_window{24 * 30};
  /// A customer with this many complaints inside complaint_window is tagged sensitive.
  int sensitive_complaint_threshold = 2;
};

std::vector<HistoryFact> FactsFrom(const v1::IntakeEvent& event);
std::vector<HistoryFact> FactsFrom(const v1::DispatchEvent& event);
std::vector<HistoryFact> FactsFrom(const v1::ComplaintEvent& event);

/// Whether `complaints_in_window` complaints make the customer sensitive under `rules`.
bool BecomesSensitive(int complaints_in_window, const HistoryRules& rules);

}  // namespace gridcare::profile
