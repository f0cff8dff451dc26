#pragma once

// One input's work in progress. Every part of the dispatcher (incident_book.h,
// work_order_book.h, alarm_book.h, crew_assigner.h) writes the state it changes and the events
// it produces into the pass it is given; the Dispatcher then commits the pass's batch to the
// DispatchStore in one piece and publishes its records (a transactional outbox).

#include <string>
#include <string_view>
#include <vector>

#include "dispatch_store.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/dispatch.pb.h"

namespace gridcare::dispatch {

/// The work of one input (a consumed event, a console action, a tick). Not thread-safe; lives
/// for one input under the dispatcher's lock. `clock` must outlive it.
struct DispatchPass {
  DispatchPass(std::string source_id, std::string traceparent, const core::Clock& clock);

  /// Adds `event` to the outbox as a record on the dispatch topic with CloudEvents headers. Its
  /// ce_id derives from `source_id` and the event's position in this pass (so a retried input
  /// gets the same ids), unless `event_id` is given.
  void Emit(const std::string& key, std::string_view ce_type, const std::string& subject,
            const v1::DispatchEvent& event, std::string event_id = {});

  core::TimePoint Now() const { return clock.Now(); }

  std::string source_id;  ///< the outbox id: a consumed event's ce_id, or a console/tick id
  std::string traceparent;
  DispatchBatch batch;
  int next_event = 0;
  std::vector<std::string> to_assign;  ///< work orders created by this input
  const core::Clock& clock;
};

}  // namespace gridcare::dispatch
