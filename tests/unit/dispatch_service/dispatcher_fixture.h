#pragma once

#include <cstdlib>

// Builders and a harness shared by the Dispatcher tests: a Dispatcher over InMemoryDispatchStore,
// RecordingPublisher, FakeTopologyDirectory and a FakeClock, on a small synthetic network
// (substation SUB-1; feeders F1 and F2; transformer areas T1..T4 on F1 and T9 on F2, 100
// customers each; 1,000 customers and 10 areas per feeder), around Guangzhou.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dispatcher.h"
#include "fake_topology_directory.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "in_memory_dispatch_store.h"

namespace gridcare::dispatch::test {

using namespace std::chrono_literals;
using Disposition = kafka::HandleResult::Disposition;

/// 2026-09-21T08:00:00Z (16:00 in Beijing, a Monday), so ids and times are stable.
inline core::TimePoint T0() { return core::FromUnixMillis(1'789'977'600'000); }

inline constexpr double kLat = 23.13;
inline constexpr double kLon = 113.26;
/// About 1.11 km of latitude.
inline constexpr double kKm = 0.01;

inline constexpr const char* kTraceparent =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

inline int64_t Ms(core::TimePoint t) { return core::ToUnixMillis(t); }
inline core::TimePoint FromTs(const google::protobuf::Timestamp& ts) {
  return sla::FromTimestamp(ts);
}

/// An open fault-repair ticket from a customer on `transformer` of `feeder`, opened at
/// `opened_at`, located `north_km` north of the reference point.
inline v1::Ticket FaultTicket(const std::string& ticket_id, const std::string& customer_id,
                              const std::string& feeder, const std::string& transformer,
                              core::TimePoint opened_at, double north_km = 0) {
  v1::Ticket ticket;
  ticket.set_ticket_id(ticket_id);
  ticket.set_request_id("REQ-" + ticket_id);
  ticket.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  ticket.set_state(v1::TICKET_STATE_OPEN);
  ticket.set_priority(v1::PRIORITY_NORMAL);
  ticket.set_customer_id(customer_id);
  ticket.set_area_class(v1::AREA_CLASS_URBAN);
  ticket.mutable_supply()->set_substation_id("SUB-1");
  ticket.mutable_supply()->set_feeder_id(feeder);
  ticket.mutable_supply()->set_transformer_id(transformer);
  ticket.mutable_location()->set_full_text("广州市天河区体育西路 191 号");
  ticket.mutable_location()->mutable_geo()->set_latitude(kLat + north_km * kKm);
  ticket.mutable_location()->mutable_geo()->set_longitude(kLon);
  *ticket.mutable_opened_at() = sla::ToTimestamp(opened_at);
  return ticket;
}

inline v1::Ticket LastGaspTicket(const std::string& ticket_id, const std::string& customer_id,
                                 const std::string& feeder, const std::string& transformer,
                                 core::TimePoint opened_at) {
  v1::Ticket ticket = FaultTicket(ticket_id, customer_id, feeder, transformer, opened_at);
  ticket.set_meter_signal(v1::METER_SIGNAL_LAST_GASP);
  ticket.set_channel(v1::CHANNEL_UNSPECIFIED);
  return ticket;
}

/// A crew on a 24-hour shift every day, AVAILABLE, `north_km` north of the reference point, its
/// position reported at `position_at`.
inline v1::Crew MakeCrew(const std::string& crew_id, double north_km, core::TimePoint position_at,
                         std::vector<v1::CrewSkill> skills = {v1::CREW_SKILL_LOW_VOLTAGE,
                                                              v1::CREW_SKILL_TRANSFORMER,
                                                              v1::CREW_SKILL_MEDIUM_VOLTAGE}) {
  v1::Crew crew;
  crew.set_crew_id(crew_id);
  crew.set_name("抢修班 " + crew_id);
  for (auto skill : skills) crew.add_skills(skill);
  auto* shift = crew.add_shifts();
  shift->set_weekday_mask(127);
  shift->set_start_minute_of_day(0);
  shift->set_end_minute_of_day(0);
  crew.set_members(3);
  crew.set_availability(v1::CREW_AVAILABILITY_AVAILABLE);
  crew.mutable_position()->set_latitude(kLat + north_km * kKm);
  crew.mutable_position()->set_longitude(kLon);
  *crew.mutable_position_at() = sla::ToTimestamp(position_at);
  return crew;
}

// ---- crew events ---------------------------------------------------------------------------

inline v1::CrewEvent Accepted(const std::string& crew, const std::string& order) {
  v1::CrewEvent event;
  event.mutable_job_accepted()->set_crew_id(crew);
  event.mutable_job_accepted()->set_work_order_id(order);
  return event;
}

inline v1::CrewEvent Declined(const std::string& crew, const std::string& order,
                              const std::string& reason = "truck broken down") {
  v1::CrewEvent event;
  event.mutable_job_declined()->set_crew_id(crew);
  event.mutable_job_declined()->set_work_order_id(order);
  event.mutable_job_declined()->set_reason(reason);
  return event;
}

inline v1::CrewEvent EnRoute(const std::string& crew, const std::string& order,
                             std::optional<core::TimePoint> eta = std::nullopt) {
  v1::CrewEvent event;
  event.mutable_en_route()->set_crew_id(crew);
  event.mutable_en_route()->set_work_order_id(order);
  if (eta) *event.mutable_en_route()->mutable_estimated_arrival_at() = sla::ToTimestamp(*eta);
  return event;
}

inline v1::CrewEvent OnSite(const std::string& crew, const std::string& order,
                            std::optional<core::TimePoint> ert = std::nullopt) {
  v1::CrewEvent event;
  event.mutable_on_site()->set_crew_id(crew);
  event.mutable_on_site()->set_work_order_id(order);
  if (ert) *event.mutable_on_site()->mutable_estimated_restoration_at() = sla::ToTimestamp(*ert);
  return event;
}

inline v1::CrewEvent Completed(const std::string& crew, const std::string& order, bool restored,
                               const std::string& cause_code = "FUSE_BLOWN") {
  v1::CrewEvent event;
  auto* done = event.mutable_job_completed();
  done->set_crew_id(crew);
  done->set_work_order_id(order);
  done->set_restored(restored);
  done->set_cause_code(cause_code);
  done->set_fix_code("FUSE_REPLACED");
  done->mutable_cause()->set_zh_cn("熔断器熔断");
  done->mutable_cause()->set_en("Blown fuse");
  return event;
}

inline v1::CrewEvent LocationReported(const std::string& crew, double north_km) {
  v1::CrewEvent event;
  event.mutable_location_reported()->set_crew_id(crew);
  event.mutable_location_reported()->mutable_position()->set_latitude(kLat + north_km * kKm);
  event.mutable_location_reported()->mutable_position()->set_longitude(kLon);
  return event;
}

// ---- published events ----------------------------------------------------------------------

/// One published record, decoded.
struct Published {
  std::string topic;
  std::string key;
  std::string ce_id;
  std::string ce_type;
  std::string ce_subject;
  std::string ce_source;
  std::string traceparent;
  v1::DispatchEvent event;
};

inline std::string HeaderOr(const kafka::Headers& headers, std::string_view name) {
  auto value = kafka::FindHeader(headers, name);
  return value ? std::string(*value) : std::string();
}

inline std::vector<Published> Decode(const std::vector<kafka::OutgoingRecord>& records) {
  std::vector<Published> out;
  for (const auto& record : records) {
    Published p;
    p.topic = record.topic;
    p.key = record.key;
    p.ce_id = HeaderOr(record.headers, kafka::kHeaderId);
    p.ce_type = HeaderOr(record.headers, kafka::kHeaderType);
    p.ce_subject = HeaderOr(record.headers, kafka::kHeaderSubject);
    p.ce_source = HeaderOr(record.headers, kafka::kHeaderSource);
    p.traceparent = HeaderOr(record.headers, kafka::kHeaderTraceparent);
    REQUIRE(p.event.ParseFromString(record.value));
    out.push_back(std::move(p));
  }
  return out;
}

inline std::vector<std::string> Types(const std::vector<Published>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.ce_type);
  return out;
}

inline std::vector<Published> OfType(const std::vector<Published>& events,
                                     std::string_view ce_type) {
  std::vector<Published> out;
  for (const auto& e : events) {
    if (e.ce_type == ce_type) out.push_back(e);
  }
  return out;
}

inline int Count(const std::vector<Published>& events, std::string_view ce_type) {
  return static_cast<int>(OfType(events, ce_type).size());
}

/// The one event of `ce_type`; fails the test when there is not exactly one.
inline Published One(const std::vector<Published>& events, std::string_view ce_type) {
  auto found = OfType(events, ce_type);
  INFO("events of type " << ce_type);
  REQUIRE(found.size() == 1);
  return found.front();
}

/// Ticket ids named by TicketAttached events, in order.
inline std::vector<std::string> AttachedTickets(const std::vector<Published>& events,
                                                std::string_view incident_id = {}) {
  std::vector<std::string> out;
  for (const auto& e : OfType(events, "gridcare.ticket.attached.v1")) {
    if (incident_id.empty() || e.event.ticket_attached().incident_id() == incident_id) {
      out.push_back(e.event.ticket_attached().ticket_id());
    }
  }
  return out;
}

inline std::set<std::string> AsSet(const std::vector<std::string>& items) {
  return {items.begin(), items.end()};
}

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& repeated) {
  return {repeated.begin(), repeated.end()};
}

namespace ce {
inline constexpr std::string_view kIncidentOpened = "gridcare.incident.opened.v1";
inline constexpr std::string_view kIncidentUpdated = "gridcare.incident.updated.v1";
inline constexpr std::string_view kIncidentRolledUp = "gridcare.incident.rolled_up.v1";
inline constexpr std::string_view kIncidentRestored = "gridcare.incident.restored.v1";
inline constexpr std::string_view kTicketAttached = "gridcare.ticket.attached.v1";
inline constexpr std::string_view kWorkOrderCreated = "gridcare.work_order.created.v1";
inline constexpr std::string_view kWorkOrderAssigned = "gridcare.work_order.assigned.v1";
inline constexpr std::string_view kWorkOrderReassigned = "gridcare.work_order.reassigned.v1";
inline constexpr std::string_view kWorkOrderQueued = "gridcare.work_order.queued.v1";
inline constexpr std::string_view kWorkOrderCancelled = "gridcare.work_order.cancelled.v1";
inline constexpr std::string_view kClockAlarm = "gridcare.service_clock.alarm_raised.v1";
inline constexpr std::string_view kPlannedOutageRegistered =
    "gridcare.planned_outage.registered.v1";
}  // namespace ce

// ---- the harness ---------------------------------------------------------------------------

/// A store that counts commits and forwards to InMemoryDispatchStore.
class CountingStore final : public DispatchStore {
 public:
  explicit CountingStore(InMemoryDispatchStore& inner) : inner_(inner) {}
  core::Status Commit(const DispatchBatch& batch) override {
    ++commits;
    last_batch = batch;
    if (keep_batches) kept_batches.push_back(batch);
    return inner_.Commit(batch);
  }
  core::Status CommitAll(std::span<const DispatchBatch> batches) override {
    ++commits;
    if (!batches.empty()) last_batch = batches.back();
    if (keep_batches) kept_batches.insert(kept_batches.end(), batches.begin(), batches.end());
    return inner_.CommitAll(batches);
  }
  core::Result<DispatchSnapshot> Load() override {
    ++loads;
    return inner_.Load();
  }
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override {
    return inner_.Outbox(outbox_id);
  }
  core::Result<std::map<std::string, std::vector<kafka::OutgoingRecord>>> Outboxes(
      std::span<const std::string> outbox_ids) override {
    ++outbox_lookups;
    return inner_.Outboxes(outbox_ids);
  }
  core::Result<std::vector<std::string>> PendingOutboxes() override {
    return inner_.PendingOutboxes();
  }
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override {
    return inner_.ForgetPending(outbox_ids);
  }
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override {
    return inner_.DueTimers(now_ms, limit);
  }

  int commits = 0;
  int loads = 0;
  int outbox_lookups = 0;  // Outboxes calls (the batch path's one lookup per batch)
  DispatchBatch last_batch;
  bool keep_batches = false;  // keep every committed batch in kept_batches
  std::vector<DispatchBatch> kept_batches;

 private:
  InMemoryDispatchStore& inner_;
};

inline DispatchSettings DefaultSettings() {
  DispatchSettings settings;
  return settings;
}

struct Harness {
  core::FakeClock clock{T0()};
  InMemoryDispatchStore memory;
  CountingStore store{memory};
  kafka::RecordingPublisher publisher;
  FakeTopologyDirectory topology;
  DispatchSettings settings;
  DispatchMetrics* metrics = nullptr;  // set, then Restart(), to count
  std::unique_ptr<Dispatcher> dispatcher;
  size_t cursor = 0;  // records already handed out by Take()

  explicit Harness(DispatchSettings s = DefaultSettings()) : settings(std::move(s)) {
    for (const char* t : {"T1", "T2", "T3", "T4", "T9"}) topology.SetTransformer(t, 100);
    topology.SetFeeder("F1", 1000, 10);
    topology.SetFeeder("F2", 1000, 10);
    Restart();
  }

  /// A new Dispatcher over the same store (a process restart): recovers, no roster yet.
  void Restart() {
    dispatcher = std::make_unique<Dispatcher>(store, publisher, topology, clock, settings, metrics);
    REQUIRE(dispatcher->Recover().ok());
  }

  Dispatcher& d() { return *dispatcher; }

  core::TimePoint Now() const { return clock.Now(); }

  /// Handles `ticket` as intake's TicketOpened event `source_id` (default "evt-<ticket id>").
  /// With GRIDCARE_TEST_TICKET_BATCH=1 in the environment (CTest registers every test of this
  /// program a second time so), through the batch path as the consumer loop uses it: a batch of
  /// one, and OnTicketOpened when the batch decided nothing.
  kafka::HandleResult Handle(const v1::Ticket& ticket, std::string source_id = {}) {
    if (source_id.empty()) source_id = "evt-" + ticket.ticket_id();
    if (ThroughBatchPath()) {
      const TicketInput input{&ticket, source_id, kTraceparent};
      auto results = d().OnTicketsOpened(std::span<const TicketInput>(&input, 1));
      if (!results.empty()) return results.front();
    }
    return d().OnTicketOpened(ticket, source_id, kTraceparent);
  }

  static bool ThroughBatchPath() {
    static const bool batch = [] {
      const char* value = std::getenv("GRIDCARE_TEST_TICKET_BATCH");
      return value != nullptr && std::string_view(value) == "1";
    }();
    return batch;
  }

  /// Handles `ticket` and requires it to be done.
  void Call(const v1::Ticket& ticket, std::string source_id = {}) {
    const auto result = Handle(ticket, std::move(source_id));
    INFO(result.reason << ": " << result.detail);
    REQUIRE(result.disposition == Disposition::kDone);
  }

  /// A call from `customer` on `transformer` of `feeder`, opened now.
  void CallNow(const std::string& ticket_id, const std::string& customer,
               const std::string& feeder = "F1", const std::string& transformer = "T1",
               double north_km = 0) {
    Call(FaultTicket(ticket_id, customer, feeder, transformer, Now(), north_km));
  }

  kafka::HandleResult Crew(const v1::CrewEvent& event, const std::string& source_id) {
    return d().OnCrewEvent(event, source_id, kTraceparent);
  }

  void CrewDone(const v1::CrewEvent& event, const std::string& source_id) {
    const auto result = Crew(event, source_id);
    INFO(result.reason << ": " << result.detail);
    REQUIRE(result.disposition == Disposition::kDone);
  }

  int Tick() {
    auto published = d().Tick();
    INFO((published.ok() ? std::string() : published.error().ToString()));
    REQUIRE(published.ok());
    return *published;
  }

  /// Every record published since the previous Take().
  std::vector<Published> Take() {
    const auto all = publisher.records();
    std::vector<kafka::OutgoingRecord> fresh(all.begin() + static_cast<std::ptrdiff_t>(cursor),
                                             all.end());
    cursor = all.size();
    return Decode(fresh);
  }

  DispatchSnapshot Snapshot() {
    auto snapshot = memory.Load();
    REQUIRE(snapshot.ok());
    return std::move(snapshot).value();
  }

  std::vector<v1::Incident> Open(const std::string& feeder = {}, bool overdue_only = false) {
    v1::ListOpenIncidentsRequest request;
    request.set_feeder_id(feeder);
    request.set_overdue_only(overdue_only);
    return d().OpenIncidents(request);
  }

  std::vector<v1::WorkOrder> Orders(std::vector<v1::WorkOrderState> states = {}) {
    v1::ListWorkOrdersRequest request;
    for (auto s : states) request.add_states(s);
    return d().WorkOrders(request);
  }

  std::optional<v1::WorkOrder> Order(const std::string& id) {
    for (const auto& order : Orders()) {
      if (order.work_order_id() == id) return order;
    }
    return std::nullopt;
  }

  std::vector<std::string> OpenIds() {
    std::vector<std::string> ids;
    for (const auto& incident : Open()) ids.push_back(incident.incident_id());
    return ids;
  }

  std::vector<std::string> OrderIds() {
    std::vector<std::string> ids;
    for (const auto& order : Orders()) ids.push_back(order.work_order_id());
    return ids;
  }

  std::string StatusOf(const std::string& crew_id) {
    for (const auto& view : d().Crews()) {
      if (view.crew_id() == crew_id) return view.status();
    }
    return "(absent)";
  }

  /// Puts crews on the roster with positions reported now.
  void Roster(const std::vector<v1::Crew>& crews) { d().UpdateRoster(crews); }
};

}  // namespace gridcare::dispatch::test

namespace Catch {
template <>
struct StringMaker<gridcare::core::TimePoint> {
  static std::string convert(const gridcare::core::TimePoint& t) {
    return gridcare::core::FormatRfc3339(t);
  }
};

template <>
struct StringMaker<gridcare::kafka::HandleResult::Disposition> {
  static std::string convert(gridcare::kafka::HandleResult::Disposition d) {
    switch (d) {
      case gridcare::kafka::HandleResult::Disposition::kDone:
        return "kDone";
      case gridcare::kafka::HandleResult::Disposition::kRetry:
        return "kRetry";
      case gridcare::kafka::HandleResult::Disposition::kDeadLetter:
        return "kDeadLetter";
    }
    return "?";
  }
};
}  // namespace Catch
