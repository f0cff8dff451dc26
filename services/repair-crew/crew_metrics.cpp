#include "crew_metrics.h"

#include <algorithm>
#include <cctype>

#include "gridcare/core/text.h"
#include "gridcare/metrics/buckets.h"

namespace gridcare::repair_crew {
namespace {

constexpr JobAction kActions[] = {JobAction::kAccept, JobAction::kDecline, JobAction::kStartTravel,
                                  JobAction::kArriveOnSite, JobAction::kComplete};
constexpr std::string_view kDispatchChanges[] = {"assigned", "reassigned", "cancelled", "ignored"};
constexpr v1::CrewAvailability kAvailabilities[] = {
    v1::CREW_AVAILABILITY_AVAILABLE, v1::CREW_AVAILABILITY_BUSY, v1::CREW_AVAILABILITY_OFF_SHIFT,
    v1::CREW_AVAILABILITY_UNREACHABLE};
constexpr v1::WorkOrderState kOpenStates[] = {
    v1::WORK_ORDER_STATE_ASSIGNED, v1::WORK_ORDER_STATE_ACCEPTED, v1::WORK_ORDER_STATE_EN_ROUTE,
    v1::WORK_ORDER_STATE_ON_SITE};

}  // namespace

CrewMetrics::CrewMetrics(prometheus::Registry& registry) {
  auto& transitions = prometheus::BuildCounter()
                          .Name("gridcare_crew_job_transitions_total")
                          .Help("Crew app job commands that moved a job, by action.")
                          .Register(registry);
  auto& repeats = prometheus::BuildCounter()
                      .Name("gridcare_crew_command_repeats_total")
                      .Help(
                          "Commands answered as repeats of a change already made (app "
                          "retries); nothing new was published.")
                      .Register(registry);
  for (const auto action : kActions) {
    const std::string name(JobActionName(action));
    transitions_[name] = &transitions.Add({{"action", name}});
    repeats_[name] = &repeats.Add({{"command", name}});
  }
  repeats_["set_availability"] = &repeats.Add({{"command", "set_availability"}});

  auto& dispatch = prometheus::BuildCounter()
                       .Name("gridcare_crew_dispatch_changes_total")
                       .Help(
                           "Dispatch events about job queues: applied, unchanged (redelivered, "
                           "or about a job already over), or refused (an automatic assignment "
                           "to a crew already holding max_jobs_per_crew open jobs).")
                       .Register(registry);
  for (const auto change : kDispatchChanges) {
    for (const std::string outcome : {"applied", "unchanged", "refused"}) {
      if (change == "ignored" && outcome != "unchanged") continue;  // never applied or refused
      if (change == "cancelled" && outcome == "refused") continue;  // only assignments are
      dispatch_changes_[std::string(change) + "/" + outcome] =
          &dispatch.Add({{"change", std::string(change)}, {"outcome", outcome}});
    }
  }

  auto& availability = prometheus::BuildCounter()
                           .Name("gridcare_crew_availability_changes_total")
                           .Help("Availability changes reported by crews, by new availability.")
                           .Register(registry);
  auto& crews = prometheus::BuildGauge()
                    .Name("gridcare_crew_crews")
                    .Help("Roster crews by availability (refreshed in the background).")
                    .Register(registry);
  for (const auto value : kAvailabilities) {
    const std::string label = core::AsciiLower(AvailabilityName(value));
    availability_changes_[label] = &availability.Add({{"availability", label}});
    crews_[value] = &crews.Add({{"availability", label}});
  }
  auto& open_jobs = prometheus::BuildGauge()
                        .Name("gridcare_crew_open_jobs")
                        .Help("Jobs in crews' queues, by state (refreshed in the background).")
                        .Register(registry);
  for (const auto state : kOpenStates) {
    open_jobs_[state] = &open_jobs.Add({{"state", core::AsciiLower(StateName(state))}});
  }

  location_reports_ = &prometheus::BuildCounter()
                           .Name("gridcare_crew_location_reports_total")
                           .Help("Position reports accepted from crews.")
                           .Register(registry)
                           .Add({});
  conflicts_ = &prometheus::BuildCounter()
                    .Name("gridcare_crew_store_conflicts_total")
                    .Help(
                        "Writes retried because another writer changed the same crew or job "
                        "first.")
                    .Register(registry)
                    .Add({});
  delivery_failures_ = &prometheus::BuildCounter()
                            .Name("gridcare_crew_event_delivery_failures_total")
                            .Help(
                                "Saved crew events that Kafka did not acknowledge in time; they "
                                "stay in the outbox and are retried.")
                            .Register(registry)
                            .Add({});
  relayed_ = &prometheus::BuildCounter()
                  .Name("gridcare_crew_events_relayed_total")
                  .Help(
                      "Saved crew events published later than the call that made them (by the "
                      "app's retry or the background relay).")
                  .Register(registry)
                  .Add({});
  ack_seconds_ = &prometheus::BuildHistogram()
                      .Name("gridcare_crew_event_ack_seconds")
                      .Help("From saving a crew event to Kafka's acknowledgement.")
                      .Register(registry)
                      .Add({}, metrics::LatencyBucketsSeconds());
  stale_crews_ = &prometheus::BuildGauge()
                      .Name("gridcare_crew_stale_crews")
                      .Help(
                          "Crews not off shift whose last position report is older than the "
                          "stale limit (dispatch gives them no new jobs).")
                      .Register(registry)
                      .Add({});
  pending_events_ = &prometheus::BuildGauge()
                         .Name("gridcare_crew_events_pending")
                         .Help(
                             "Crew events saved with their state change but not yet "
                             "acknowledged by Kafka.")
                         .Register(registry)
                         .Add({});
  oldest_pending_ = &prometheus::BuildGauge()
                         .Name("gridcare_crew_oldest_pending_event_seconds")
                         .Help("Age of the oldest saved, unacknowledged crew event (0 if none).")
                         .Register(registry)
                         .Add({});
}

prometheus::Counter* CrewMetrics::Find(
    std::map<std::string, prometheus::Counter*, std::less<>>& series, std::string_view label) {
  auto it = series.find(label);
  return it == series.end() ? nullptr : it->second;
}

void CrewMetrics::Transition(JobAction action) {
  if (auto* counter = Find(transitions_, JobActionName(action))) counter->Increment();
}

void CrewMetrics::Repeat(std::string_view command) {
  if (auto* counter = Find(repeats_, command)) counter->Increment();
}

void CrewMetrics::DispatchChange(std::string_view change, bool applied) {
  const std::string key = std::string(change) + (applied ? "/applied" : "/unchanged");
  if (auto* counter = Find(dispatch_changes_, key)) counter->Increment();
}

void CrewMetrics::DispatchRefused(std::string_view change) {
  if (auto* counter = Find(dispatch_changes_, std::string(change) + "/refused")) {
    counter->Increment();
  }
}

void CrewMetrics::LocationReported() { location_reports_->Increment(); }

void CrewMetrics::AvailabilitySet(v1::CrewAvailability availability) {
  if (auto* counter =
          Find(availability_changes_, core::AsciiLower(AvailabilityName(availability)))) {
    counter->Increment();
  }
}

void CrewMetrics::CommitConflict() { conflicts_->Increment(); }
void CrewMetrics::DeliveryFailed() { delivery_failures_->Increment(); }
void CrewMetrics::Relayed(int64_t count) {
  if (count > 0) relayed_->Increment(static_cast<double>(count));
}
void CrewMetrics::ObserveAck(double seconds) { ack_seconds_->Observe(seconds); }

void CrewMetrics::SetFleet(const FleetSnapshot& snapshot) {
  for (auto& [availability, gauge] : crews_) {
    auto it = snapshot.crews_by_availability.find(availability);
    gauge->Set(it == snapshot.crews_by_availability.end() ? 0 : static_cast<double>(it->second));
  }
  for (auto& [state, gauge] : open_jobs_) {
    auto it = snapshot.open_jobs_by_state.find(state);
    gauge->Set(it == snapshot.open_jobs_by_state.end() ? 0 : static_cast<double>(it->second));
  }
  stale_crews_->Set(static_cast<double>(snapshot.stale_crews));
  pending_events_->Set(static_cast<double>(snapshot.pending_events));
  oldest_pending_->Set(snapshot.oldest_pending_event_seconds);
}

}  // namespace gridcare::repair_crew
