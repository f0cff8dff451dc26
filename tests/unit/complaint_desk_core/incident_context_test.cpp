// The network context of a linked incident (services/complaint/incident_context.h): dispatch's
// view replaces the last one without its ticket list, crews' reports move each work order's
// progress forward, and old, repeated or out-of-order reports change nothing.
#include "incident_context.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

using std::chrono::minutes;

const core::TimePoint kT0 = core::TimePoint(std::chrono::seconds(1'796'000'000));

v1::Incident Incident(const std::string& work_order = "", const std::string& crew = "") {
  v1::Incident incident;
  incident.set_incident_id("INC-1");
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.mutable_supply()->set_feeder_id("F-12");
  incident.add_ticket_ids("GC-1");
  incident.add_ticket_ids("GC-2");
  incident.set_call_count(2);
  incident.set_work_order_id(work_order);
  incident.set_crew_id(crew);
  return incident;
}

v1::CrewEvent Accepted(const std::string& work_order, const std::string& crew) {
  v1::CrewEvent event;
  event.mutable_job_accepted()->set_work_order_id(work_order);
  event.mutable_job_accepted()->set_crew_id(crew);
  return event;
}

v1::CrewEvent EnRoute(const std::string& work_order, core::TimePoint eta) {
  v1::CrewEvent event;
  event.mutable_en_route()->set_work_order_id(work_order);
  event.mutable_en_route()->set_crew_id("CREW-A");
  *event.mutable_en_route()->mutable_estimated_arrival_at() = sla::ToTimestamp(eta);
  return event;
}

v1::CrewEvent OnSite(const std::string& work_order, core::TimePoint ert) {
  v1::CrewEvent event;
  event.mutable_on_site()->set_work_order_id(work_order);
  event.mutable_on_site()->set_crew_id("CREW-A");
  *event.mutable_on_site()->mutable_estimated_restoration_at() = sla::ToTimestamp(ert);
  return event;
}

v1::CrewEvent Completed(const std::string& work_order) {
  v1::CrewEvent event;
  auto* done = event.mutable_job_completed();
  done->set_work_order_id(work_order);
  done->set_crew_id("CREW-A");
  done->set_restored(true);
  done->set_cause_code("TREE_CONTACT");
  done->set_fix_code("FUSE_REPLACED");
  done->set_notes("personal notes are not kept");
  return event;
}

}  // namespace

TEST_CASE("dispatch's view replaces the context's incident without the ticket ids",
          "[incident_context]") {
  v1::IncidentContext context;
  ApplyIncident(context, Incident());
  CHECK(context.incident().incident_id() == "INC-1");
  CHECK(context.incident().ticket_ids().empty());
  CHECK(context.incident().call_count() == 2);
  CHECK(context.field().empty());
  auto restored = Incident("WO-1", "CREW-A");
  restored.set_state(v1::INCIDENT_STATE_RESTORED);
  ApplyIncident(context, restored);
  CHECK(context.incident().state() == v1::INCIDENT_STATE_RESTORED);
  REQUIRE(context.field_size() == 1);
  CHECK(context.field(0).work_order_id() == "WO-1");
  CHECK(context.field(0).crew_id() == "CREW-A");
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_UNSPECIFIED);
  // Applying it again adds nothing.
  ApplyIncident(context, restored);
  CHECK(context.field_size() == 1);
}

TEST_CASE("a crew's reports move its work order through the stages", "[incident_context]") {
  v1::IncidentContext context;
  ApplyIncident(context, Incident("WO-1", "CREW-A"));
  CHECK(ApplyCrewEvent(context, Accepted("WO-1", "CREW-A"), kT0));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_ACCEPTED);
  CHECK(ApplyCrewEvent(context, EnRoute("WO-1", kT0 + minutes(40)), kT0 + minutes(2)));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_EN_ROUTE);
  CHECK(sla::FromTimestamp(context.field(0).estimate()) == kT0 + minutes(40));
  CHECK(sla::FromTimestamp(context.field(0).updated_at()) == kT0 + minutes(2));
  CHECK(ApplyCrewEvent(context, OnSite("WO-1", kT0 + minutes(120)), kT0 + minutes(35)));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_ON_SITE);
  CHECK(sla::FromTimestamp(context.field(0).estimate()) == kT0 + minutes(120));
  CHECK(ApplyCrewEvent(context, Completed("WO-1"), kT0 + minutes(90)));
  const auto& done = context.field(0);
  CHECK(done.stage() == v1::FIELD_STAGE_COMPLETED);
  CHECK(done.restored());
  CHECK(done.cause_code() == "TREE_CONTACT");
  CHECK(done.fix_code() == "FUSE_REPLACED");
  CHECK_FALSE(done.has_estimate());
  CHECK(context.field_size() == 1);
}

TEST_CASE("repeated older and same-instant earlier reports change nothing", "[incident_context]") {
  v1::IncidentContext context;
  REQUIRE(ApplyCrewEvent(context, OnSite("WO-1", kT0 + minutes(60)), kT0 + minutes(30)));
  const auto held = context;
  // The same report again (a redelivery).
  CHECK_FALSE(ApplyCrewEvent(context, OnSite("WO-1", kT0 + minutes(60)), kT0 + minutes(30)));
  // An older report arriving late.
  CHECK_FALSE(ApplyCrewEvent(context, EnRoute("WO-1", kT0 + minutes(20)), kT0 + minutes(10)));
  // An earlier stage stamped with the same instant.
  CHECK_FALSE(ApplyCrewEvent(context, Accepted("WO-1", "CREW-A"), kT0 + minutes(30)));
  CHECK(context.SerializeAsString() == held.SerializeAsString());
  // A later stage at the same instant wins.
  CHECK(ApplyCrewEvent(context, Completed("WO-1"), kT0 + minutes(30)));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_COMPLETED);
}

TEST_CASE("a new estimate at a later time replaces the old one", "[incident_context]") {
  v1::IncidentContext context;
  REQUIRE(ApplyCrewEvent(context, OnSite("WO-1", kT0 + minutes(60)), kT0));
  CHECK(ApplyCrewEvent(context, OnSite("WO-1", kT0 + minutes(90)), kT0 + minutes(20)));
  CHECK(sla::FromTimestamp(context.field(0).estimate()) == kT0 + minutes(90));
}

TEST_CASE("a declined job records the reason and a new crew's acceptance follows",
          "[incident_context]") {
  v1::IncidentContext context;
  v1::CrewEvent declined;
  declined.mutable_job_declined()->set_work_order_id("WO-1");
  declined.mutable_job_declined()->set_crew_id("CREW-A");
  declined.mutable_job_declined()->set_reason("vehicle broke down");
  REQUIRE(ApplyCrewEvent(context, declined, kT0));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_DECLINED);
  CHECK(context.field(0).decline_reason() == "vehicle broke down");
  REQUIRE(ApplyCrewEvent(context, Accepted("WO-1", "CREW-B"), kT0 + minutes(3)));
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_ACCEPTED);
  CHECK(context.field(0).crew_id() == "CREW-B");
  CHECK(context.field(0).decline_reason().empty());
}

TEST_CASE("several work orders keep their own progress in first-reported order",
          "[incident_context]") {
  v1::IncidentContext context;
  REQUIRE(ApplyCrewEvent(context, Accepted("WO-2", "CREW-B"), kT0));
  REQUIRE(ApplyCrewEvent(context, Accepted("WO-1", "CREW-A"), kT0));
  REQUIRE(ApplyCrewEvent(context, Completed("WO-2"), kT0 + minutes(50)));
  REQUIRE(context.field_size() == 2);
  CHECK(context.field(0).work_order_id() == "WO-2");
  CHECK(context.field(0).stage() == v1::FIELD_STAGE_COMPLETED);
  CHECK(context.field(1).work_order_id() == "WO-1");
  CHECK(context.field(1).stage() == v1::FIELD_STAGE_ACCEPTED);
}

TEST_CASE("location and availability reports name no work order", "[incident_context]") {
  v1::IncidentContext context;
  v1::CrewEvent location;
  location.mutable_location_reported()->set_crew_id("CREW-A");
  CHECK_FALSE(CrewEventWorkOrder(location).has_value());
  CHECK_FALSE(ApplyCrewEvent(context, location, kT0));
  v1::CrewEvent availability;
  availability.mutable_availability_changed()->set_crew_id("CREW-A");
  CHECK_FALSE(ApplyCrewEvent(context, availability, kT0));
  CHECK_FALSE(ApplyCrewEvent(context, v1::CrewEvent{}, kT0));
  CHECK(context.field().empty());
  CHECK(CrewEventWorkOrder(Completed("WO-9")) == "WO-9");
}

}  // namespace gridcare::complaint
