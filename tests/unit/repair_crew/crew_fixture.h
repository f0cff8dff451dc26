// Shared by repair-crew's and the crew simulator's unit tests: crews and jobs as the roster and
// dispatch make them, and CrewCore over in-memory collaborators with a FakeClock.
#pragma once

#include <google/protobuf/util/time_util.h>
#include <prometheus/registry.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "crew_core.h"
#include "crew_metrics.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "in_memory_crew_store.h"
#include "recording_acked_publisher.h"

namespace gridcare::repair_crew::testing {

using namespace std::chrono_literals;

/// Tuesday 2026-11-24 10:00 in Beijing (02:00 UTC).
inline core::TimePoint StartTime() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 24} + hours{2};
}

inline v1::GeoPoint Point(double latitude, double longitude) {
  v1::GeoPoint point;
  point.set_latitude(latitude);
  point.set_longitude(longitude);
  return point;
}

inline v1::Crew MakeCrew(const std::string& id,
                         v1::CrewAvailability availability = v1::CREW_AVAILABILITY_AVAILABLE) {
  v1::Crew crew;
  crew.set_crew_id(id);
  crew.set_name("天河抢修一班");
  crew.set_depot_id("DEPOT-001");
  *crew.mutable_depot_location() = Point(23.13, 113.26);
  *crew.mutable_position() = crew.depot_location();
  crew.set_availability(availability);
  crew.add_skills(v1::CREW_SKILL_LOW_VOLTAGE);
  return crew;
}

/// A repair order as dispatch sends it, with an arrival and a restoration clock.
inline v1::WorkOrder MakeOrder(const std::string& id, const std::string& crew_id = "") {
  v1::WorkOrder order;
  order.set_work_order_id(id);
  order.set_kind(v1::WORK_ORDER_KIND_REPAIR);
  order.set_state(v1::WORK_ORDER_STATE_ASSIGNED);
  order.set_incident_id("INC-" + id);
  order.set_required_skill(v1::CREW_SKILL_LOW_VOLTAGE);
  order.set_priority(v1::PRIORITY_HIGH);
  *order.mutable_location() = Point(23.15, 113.30);
  order.set_area_class(v1::AREA_CLASS_URBAN);
  order.set_crew_id(crew_id);
  auto* arrival = order.add_clocks();
  arrival->set_kind(v1::ServiceClock::KIND_ARRIVAL);
  auto* restoration = order.add_clocks();
  restoration->set_kind(v1::ServiceClock::KIND_RESTORATION);
  return order;
}

/// A job as repair-crew stores it: held by `crew_id` in `state`.
inline v1::WorkOrder MakeJob(const std::string& id, const std::string& crew_id,
                             v1::WorkOrderState state) {
  v1::WorkOrder job = MakeOrder(id, crew_id);
  job.set_state(state);
  return job;
}

inline v1::DispatchEvent Assigned(const std::string& work_order_id, const std::string& crew_id) {
  v1::DispatchEvent event;
  auto* assigned = event.mutable_work_order_assigned();
  *assigned->mutable_work_order() = MakeOrder(work_order_id, crew_id);
  assigned->set_crew_id(crew_id);
  assigned->set_estimated_travel_minutes(12);
  return event;
}

inline v1::DispatchEvent Reassigned(const std::string& work_order_id, const std::string& from,
                                    const std::string& to) {
  v1::DispatchEvent event;
  auto* reassigned = event.mutable_work_order_reassigned();
  *reassigned->mutable_work_order() = MakeOrder(work_order_id, to);
  reassigned->mutable_work_order()->set_reassignment_count(1);
  reassigned->set_previous_crew_id(from);
  reassigned->set_crew_id(to);
  reassigned->set_reason("declined");
  return event;
}

inline v1::DispatchEvent Cancelled(const std::string& work_order_id, const std::string& crew_id) {
  v1::DispatchEvent event;
  auto* cancelled = event.mutable_work_order_cancelled();
  *cancelled->mutable_work_order() = MakeOrder(work_order_id, crew_id);
  cancelled->mutable_work_order()->set_state(v1::WORK_ORDER_STATE_CANCELLED);
  cancelled->set_crew_id(crew_id);
  cancelled->set_reason("merged into incident INC-T-1");
  return event;
}

/// CrewCore wired to an InMemoryCrewStore, a RecordingAckedPublisher and a FakeClock, with crews
/// CREW-A, CREW-B and CREW-C on the roster.
struct CoreFixture {
  core::FakeClock clock{StartTime()};
  core::SequentialIdGenerator ids{"evt"};
  prometheus::Registry registry;
  CrewMetrics metrics{registry};
  InMemoryCrewStore store;
  RecordingAckedPublisher publisher;
  std::unique_ptr<CrewCore> core;

  CoreFixture() {
    std::vector<v1::Crew> crews = {MakeCrew("CREW-A"), MakeCrew("CREW-B"), MakeCrew("CREW-C")};
    REQUIRE(store.SeedCrews(crews).ok());
    core = std::make_unique<CrewCore>(store, publisher, ids, clock, &metrics,
                                      std::vector<std::string>{"CREW-C", "CREW-A", "CREW-B"});
  }

  /// Puts a job in a crew's queue as the dispatch consumer would.
  void Give(const std::string& crew_id, const std::string& work_order_id,
            v1::WorkOrderState state = v1::WORK_ORDER_STATE_ASSIGNED) {
    auto crew = store.GetCrew(crew_id);
    REQUIRE(crew.ok());
    REQUIRE(crew->has_value());
    v1::Crew updated = (*crew)->value;
    updated.add_work_order_ids(work_order_id);
    if (updated.availability() == v1::CREW_AVAILABILITY_AVAILABLE) {
      updated.set_availability(v1::CREW_AVAILABILITY_BUSY);
    }
    store.PutCrew(updated);
    store.PutJob(MakeJob(work_order_id, crew_id, state));
  }

  v1::Crew Crew(const std::string& id) {
    auto crew = store.GetCrew(id);
    REQUIRE(crew.ok());
    REQUIRE(crew->has_value());
    return (*crew)->value;
  }

  v1::WorkOrder Job(const std::string& id) {
    auto job = store.GetJob(id);
    REQUIRE(job.ok());
    REQUIRE(job->has_value());
    return (*job)->value;
  }

  static v1::CrewJobRequest JobRequest(const std::string& crew_id, const std::string& work_order_id,
                                       const std::string& reason = "") {
    v1::CrewJobRequest request;
    request.set_crew_id(crew_id);
    request.set_work_order_id(work_order_id);
    request.set_reason(reason);
    return request;
  }

  static CallContext Call(std::chrono::milliseconds budget = 5s) {
    return CallContext{std::chrono::steady_clock::now() + budget, ""};
  }

  /// The CrewEvent of a published record.
  static v1::CrewEvent EventOf(const kafka::OutgoingRecord& record) {
    v1::CrewEvent event;
    REQUIRE(event.ParseFromString(record.value));
    return event;
  }

  /// The sum of every series of a counter or gauge family.
  double metrics_value(const std::string& name) {
    double total = 0;
    for (const auto& family : registry.Collect()) {
      if (family.name != name) continue;
      for (const auto& metric : family.metric) total += metric.counter.value + metric.gauge.value;
    }
    return total;
  }

  static std::string Header(const kafka::OutgoingRecord& record, std::string_view name) {
    auto value = kafka::FindHeader(record.headers, name);
    return value ? std::string(*value) : std::string();
  }
};

}  // namespace gridcare::repair_crew::testing
