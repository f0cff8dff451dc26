#pragma once

// Intake's own series, beside the kit's per-topic stage metrics and gRPC metrics:
//  gridcare_intake_requests_total{outcome, channel}   each request's outcome once: ticket_opened,
//                                                     contact_added, consultation_answered,
//                                                     rejected (replays of a request left out)
//  gridcare_intake_tickets_opened_total{type, channel}
//  gridcare_intake_review_total{type}                  tickets opened whose classification needs
//                                                     an agent's review (review rate = this /
//                                                     tickets opened)
//  gridcare_intake_urgings_total{type}                 contacts that chased an open ticket
//  gridcare_intake_rejections_total{reason}
// Labels are enum names without their prefix, lower case ("fault_repair", "hotline_ivr").

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <string>
#include <string_view>

#include "gridcare/labels/labels.h"
#include "intake_core.h"

namespace gridcare::intake {

using labels::EnumLabel;

/// Thread-safe (prometheus-cpp's counters are).
class IntakeMetrics {
 public:
  explicit IntakeMetrics(prometheus::Registry& registry);
  /// Counts one request's outcome once its effects are durable. A replayed response (a channel's
  /// retry, a redelivery) is not counted again; a replayed rejection is (rejections keep no
  /// record that would say so).
  void Count(const v1::ServiceRequest& request, const SubmitResult& result);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Counter>& opened_;
  prometheus::Family<prometheus::Counter>& review_;
  prometheus::Family<prometheus::Counter>& urgings_;
  prometheus::Family<prometheus::Counter>& rejections_;
};

}  // namespace gridcare::intake
