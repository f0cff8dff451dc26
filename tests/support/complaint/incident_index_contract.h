#pragma once

// What every IncidentIndex must do, run against FakeIncidentIndex (unit
// tests/unit/complaint_desk_core) and RedisIncidentIndex on a real redis-server
// (tests/integration/complaint_store).

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "gridcare/v1/dispatch.pb.h"
#include "incident_index.h"

namespace gridcare::complaint::test {

inline v1::Incident IncidentDoc(const std::string& id, const std::string& feeder,
                                const std::string& transformer, int64_t opened_seconds) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.mutable_supply()->set_substation_id("SUB-1");
  incident.mutable_supply()->set_feeder_id(feeder);
  incident.mutable_supply()->set_transformer_id(transformer);
  incident.mutable_opened_at()->set_seconds(opened_seconds);
  return incident;
}

inline v1::SupplyPoint Customer(const std::string& feeder, const std::string& transformer) {
  v1::SupplyPoint supply;
  supply.set_feeder_id(feeder);
  supply.set_transformer_id(transformer);
  return supply;
}

/// The incident id linked for `customer`, "" for none.
inline std::string Linked(IncidentIndex& index, const v1::SupplyPoint& customer) {
  auto found = index.Find(customer);
  INFO((found.ok() ? std::string() : found.error().ToString()));
  REQUIRE(found.ok());
  return found->has_value() ? (*found)->incident_id : std::string();
}

inline void RecordOrFail(IncidentIndex& index, const v1::Incident& incident) {
  auto status = index.Record(incident);
  INFO((status.ok() ? std::string() : status.error().ToString()));
  REQUIRE(status.ok());
}

/// Transformer first, then feeder; the supply point comes back whole; incidents without an id
/// or a device are ignored.
inline void FindsByTransformerThenFeeder(IncidentIndex& index) {
  CHECK(Linked(index, Customer("F1", "T1")).empty());
  RecordOrFail(index, IncidentDoc("INC-F", "F1", "", 1000));
  RecordOrFail(index, IncidentDoc("INC-T", "F1", "T1", 900));
  CHECK(Linked(index, Customer("F1", "T1")) == "INC-T");
  CHECK(Linked(index, Customer("F1", "T2")) == "INC-F");
  CHECK(Linked(index, Customer("", "T1")) == "INC-T");
  CHECK(Linked(index, Customer("F2", "T9")).empty());
  CHECK(Linked(index, Customer("", "")).empty());
  auto found = index.Find(Customer("F1", "T1"));
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->supply_point.substation_id() == "SUB-1");
  CHECK((*found)->supply_point.feeder_id() == "F1");
  CHECK((*found)->supply_point.transformer_id() == "T1");

  RecordOrFail(index, IncidentDoc("", "F3", "T3", 1000));
  RecordOrFail(index, IncidentDoc("INC-NOWHERE", "", "", 1000));
  CHECK(Linked(index, Customer("F3", "T3")).empty());
}

/// An update of the incident held replaces it; another incident only when opened no earlier.
inline void NewerIncidentWins(IncidentIndex& index) {
  RecordOrFail(index, IncidentDoc("INC-OLD", "F1", "T1", 1000));
  RecordOrFail(index, IncidentDoc("INC-NEW", "F1", "T2", 2000));
  CHECK(Linked(index, Customer("F1", "")) == "INC-NEW");
  // A late update of the older incident (restored) keeps its transformer, not the feeder.
  auto restored = IncidentDoc("INC-OLD", "F1", "T1", 1000);
  restored.set_state(v1::INCIDENT_STATE_RESTORED);
  RecordOrFail(index, restored);
  CHECK(Linked(index, Customer("F1", "")) == "INC-NEW");
  CHECK(Linked(index, Customer("F1", "T1")) == "INC-OLD");
  // A newer incident on T1 replaces the old one there.
  RecordOrFail(index, IncidentDoc("INC-NEWER", "F1", "T1", 3000));
  CHECK(Linked(index, Customer("F1", "T1")) == "INC-NEWER");
  CHECK(Linked(index, Customer("F1", "")) == "INC-NEWER");
  // The same incident moved to another transformer (dispatch refined its prediction).
  RecordOrFail(index, IncidentDoc("INC-NEWER", "F1", "T5", 3000));
  CHECK(Linked(index, Customer("", "T5")) == "INC-NEWER");
}

/// The network context: dispatch's view, work orders named by the incident or by dispatch's
/// work-order events, crews' reports applied once (a redelivery changes nothing), reports on
/// unknown work orders answered false.
inline void KeepsNetworkContext(IncidentIndex& index) {
  using std::chrono::minutes;
  const core::TimePoint t0{std::chrono::seconds(1'796'000'000)};
  auto incident = IncidentDoc("INC-C", "F1", "T1", 1000);
  incident.add_ticket_ids("GC-1");
  incident.set_call_count(1);
  RecordOrFail(index, incident);
  v1::WorkOrder order;
  order.set_work_order_id("WO-7");
  order.set_incident_id("INC-C");
  REQUIRE(index.RecordWorkOrder(order).ok());
  v1::CrewEvent on_site;
  on_site.mutable_on_site()->set_work_order_id("WO-7");
  on_site.mutable_on_site()->set_crew_id("CREW-A");
  on_site.mutable_on_site()->mutable_estimated_restoration_at()->set_seconds(1'796'007'200);
  for (int i = 0; i < 2; ++i) {
    auto recorded = index.RecordCrewEvent(on_site, t0 + minutes(30));
    REQUIRE(recorded.ok());
    CHECK(*recorded);
  }
  v1::CrewEvent elsewhere = on_site;
  elsewhere.mutable_on_site()->set_work_order_id("WO-UNKNOWN");
  auto unknown = index.RecordCrewEvent(elsewhere, t0);
  REQUIRE(unknown.ok());
  CHECK_FALSE(*unknown);

  // dispatch's later view keeps the crews' progress.
  incident.set_state(v1::INCIDENT_STATE_ON_SITE);
  RecordOrFail(index, incident);
  auto context = index.Context("INC-C");
  REQUIRE(context.ok());
  REQUIRE(context->has_value());
  const auto& held = **context;
  CHECK(held.incident().state() == v1::INCIDENT_STATE_ON_SITE);
  CHECK(held.incident().ticket_ids().empty());
  CHECK(held.incident().call_count() == 1);
  REQUIRE(held.field_size() == 1);
  CHECK(held.field(0).work_order_id() == "WO-7");
  CHECK(held.field(0).crew_id() == "CREW-A");
  CHECK(held.field(0).stage() == v1::FIELD_STAGE_ON_SITE);
  CHECK(held.field(0).estimate().seconds() == 1'796'007'200);

  // A work order named by the incident itself maps too.
  auto second = IncidentDoc("INC-D", "F2", "T2", 2000);
  second.set_work_order_id("WO-8");
  second.set_crew_id("CREW-B");
  RecordOrFail(index, second);
  v1::CrewEvent accepted;
  accepted.mutable_job_accepted()->set_work_order_id("WO-8");
  accepted.mutable_job_accepted()->set_crew_id("CREW-B");
  auto mapped = index.RecordCrewEvent(accepted, t0);
  REQUIRE(mapped.ok());
  CHECK(*mapped);
  auto second_context = index.Context("INC-D");
  REQUIRE(second_context.ok());
  REQUIRE(second_context->has_value());
  CHECK((*second_context)->field(0).stage() == v1::FIELD_STAGE_ACCEPTED);

  auto none = index.Context("INC-NONE");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  CHECK(LookUpIncidentContext(index, "INC-NONE").error().kind == core::ErrorKind::kNotFound);
  CHECK(LookUpIncidentContext(index, "").error().kind == core::ErrorKind::kInvalidArgument);
}

}  // namespace gridcare::complaint::test
