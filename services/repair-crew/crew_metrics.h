#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <string>
#include <string_view>

#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "job_rules.h"

namespace gridcare::repair_crew {

/// What the fleet looks like at one moment (the background refresh computes it).
struct FleetSnapshot {
  std::map<v1::CrewAvailability, int64_t> crews_by_availability;
  std::map<v1::WorkOrderState, int64_t> open_jobs_by_state;
  /// Crews not OFF_SHIFT whose last position is older than the stale limit: dispatch will not
  /// give them new jobs, and will take their jobs away after longer.
  int64_t stale_crews = 0;
  int64_t pending_events = 0;  ///< saved, not yet acknowledged by Kafka
  double oldest_pending_event_seconds = 0;
};

/// repair-crew's own metrics beside the kit's stage and gRPC metrics. Every label value comes from
/// a fixed list and every series exists at 0 from the start. No ids as labels. Thread-safe.
///
///   gridcare_crew_job_transitions_total{action}         job commands that changed a job
///   gridcare_crew_command_repeats_total{command}         commands answered as repeats
///   gridcare_crew_dispatch_changes_total{change,outcome} dispatch events applied / unchanged /
///                                                        refused (assignments to a crew at
///                                                        capacity)
///   gridcare_crew_location_reports_total
///   gridcare_crew_availability_changes_total{availability}
///   gridcare_crew_store_conflicts_total                  commits retried after a concurrent write
///   gridcare_crew_event_delivery_failures_total          saved events Kafka did not acknowledge
///   gridcare_crew_events_relayed_total                   saved events published by a retry or
///                                                        the background relay
///   gridcare_crew_event_ack_seconds                      save -> acknowledgement, histogram
///   gridcare_crew_crews{availability}, gridcare_crew_open_jobs{state},
///   gridcare_crew_stale_crews, gridcare_crew_events_pending,
///   gridcare_crew_oldest_pending_event_seconds         gauges from FleetSnapshot
class CrewMetrics {
 public:
  /// `registry` must outlive this object.
  explicit CrewMetrics(prometheus::Registry& registry);

  void Transition(JobAction action);
  void Repeat(std::string_view command);  ///< a JobActionName or "set_availability"
  void DispatchChange(std::string_view change, bool applied);
  /// An assignment or reassignment refused because the crew is at capacity (outcome "refused").
  void DispatchRefused(std::string_view change);
  void LocationReported();
  void AvailabilitySet(v1::CrewAvailability availability);
  void CommitConflict();
  void DeliveryFailed();
  void Relayed(int64_t count);
  void ObserveAck(double seconds);
  void SetFleet(const FleetSnapshot& snapshot);

 private:
  prometheus::Counter* Find(std::map<std::string, prometheus::Counter*, std::less<>>& series,
                            std::string_view label);

  std::map<std::string, prometheus::Counter*, std::less<>> transitions_;
  std::map<std::string, prometheus::Counter*, std::less<>> repeats_;
  std::map<std::string, prometheus::Counter*, std::less<>> dispatch_changes_;  // "change/outcome"
  std::map<std::string, prometheus::Counter*, std::less<>> availability_changes_;
  prometheus::Counter* location_reports_;
  prometheus::Counter* conflicts_;
  prometheus::Counter* delivery_failures_;
  prometheus::Counter* relayed_;
  prometheus::Histogram* ack_seconds_;
  std::map<v1::CrewAvailability, prometheus::Gauge*> crews_;
  std::map<v1::WorkOrderState, prometheus::Gauge*> open_jobs_;
  prometheus::Gauge* stale_crews_;
  prometheus::Gauge* pending_events_;
  prometheus::Gauge* oldest_pending_;
};

}  // namespace gridcare::repair_crew
