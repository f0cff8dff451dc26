#pragma once

// Delivery reports waiting for their time: each accepted message with a callback_url gets one,
// due its provider's report_delay after acceptance; a failed POST comes back with a later due
// time. Inbound replies to a message travel the same way (due at once). Pure, not thread-safe
// (the Simulator holds its lock).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "provider_api.h"

namespace gridcare::provider_sim {

struct PendingReport {
  uint64_t seq = 0;  ///< the message's seq in the MessageLog
  std::string provider;
  std::string provider_message_id;
  std::string client_message_id;
  std::string callback_url;
  DeliveryStatus status = DeliveryStatus::kDelivered;
  /// Set for an inbound reply (posted to the same callback_url), empty for a delivery report.
  std::string reply_id;
  std::string reply_from;  ///< the replying recipient (personal data, never logged)
  std::string reply_text;
  int attempts = 0;  ///< POSTs already made
  core::TimePoint due;
};

class ReportQueue {
 public:
  void Push(PendingReport report);
  /// Removes and returns up to `max` reports due at or before `now`, earliest first (ties in seq
  /// order).
  std::vector<PendingReport> TakeDue(core::TimePoint now, std::size_t max);
  /// The earliest due time, if any report waits.
  std::optional<core::TimePoint> NextDue() const;
  std::size_t size() const { return queue_.size(); }
  void Clear();

 private:
  struct Later {
    bool operator()(const PendingReport& a, const PendingReport& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  std::priority_queue<PendingReport, std::vector<PendingReport>, Later> queue_;
};

}  // namespace gridcare::provider_sim
