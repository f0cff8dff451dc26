#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

const core::TimePoint kEtr = kNow + 2h;
const std::vector<v1::CustomerTag> kLifeSupport = {v1::CUSTOMER_TAG_LIFE_SUPPORT};

v1::Incident MakeIncident(std::string id, v1::IncidentLevel level,
                          std::optional<core::TimePoint> etr = std::nullopt) {
  v1::Incident incident;
  incident.set_incident_id(std::move(id));
  incident.set_level(level);
  incident.set_state(v1::INCIDENT_STATE_OPEN);
  incident.mutable_supply()->set_substation_id("SUB-0001");
  incident.mutable_supply()->set_feeder_id("FDR-0001-03");
  if (level != v1::INCIDENT_LEVEL_FEEDER && level != v1::INCIDENT_LEVEL_SUBSTATION) {
    incident.mutable_supply()->set_transformer_id("TA-0001-03-012");
  }
  incident.add_ticket_ids("GC-1");
  incident.add_ticket_ids("GC-2");
  if (etr) *incident.mutable_estimated_restoration_at() = Ts(*etr);
  return incident;
}

v1::Incident TransformerIncident(std::optional<core::TimePoint> etr = std::nullopt) {
  return MakeIncident("INC-T-GC-1", v1::INCIDENT_LEVEL_TRANSFORMER, etr);
}

v1::DispatchEvent Opened(const v1::Incident& incident) {
  v1::DispatchEvent event;
  *event.mutable_incident_opened()->mutable_incident() = incident;
  return event;
}

v1::DispatchEvent Updated(v1::Incident incident, std::string change,
                          v1::IncidentState state = v1::INCIDENT_STATE_ASSIGNED) {
  v1::DispatchEvent event;
  incident.set_state(state);
  *event.mutable_incident_updated()->mutable_incident() = std::move(incident);
  event.mutable_incident_updated()->set_change(std::move(change));
  return event;
}

v1::DispatchEvent WithEtr(const v1::Incident& incident, core::TimePoint etr,
                          std::string change = "crew_en_route") {
  v1::Incident moved = incident;
  *moved.mutable_estimated_restoration_at() = Ts(etr);
  return Updated(std::move(moved), std::move(change), v1::INCIDENT_STATE_EN_ROUTE);
}

v1::DispatchEvent Restored(v1::Incident incident, std::optional<core::TimePoint> at) {
  v1::DispatchEvent event;
  incident.set_state(v1::INCIDENT_STATE_RESTORED);
  *incident.mutable_cause() = Loc("树枝搭线", "a tree branch on the line");
  if (at) *incident.mutable_restored_at() = Ts(*at);
  v1::IncidentRestored* restored = event.mutable_incident_restored();
  *restored->mutable_incident() = std::move(incident);
  restored->add_ticket_ids("GC-1");
  restored->add_ticket_ids("GC-2");
  restored->add_ticket_ids("GC-3");
  return event;
}

v1::DispatchEvent Queued(std::string incident_id, std::string ticket_id = "") {
  v1::DispatchEvent event;
  v1::WorkOrder* order = event.mutable_work_order_queued()->mutable_work_order();
  order->set_work_order_id("WO-T-GC-1");
  order->set_incident_id(std::move(incident_id));
  order->set_ticket_id(std::move(ticket_id));
  event.mutable_work_order_queued()->set_reason("no crew with the skill on shift");
  return event;
}

// Feeds events to the rules as the service does: each with the memo the previous one returned,
// and checks that feeding it again (redelivery) announces nothing and keeps the memo.
class IncidentRun {
 public:
  explicit IncidentRun(const TriggerRules& rules = Shipped()) : rules_(rules) {}

  DispatchOutcome Feed(const v1::DispatchEvent& event, core::TimePoint now = kNow) {
    DispatchOutcome out = rules_.OnDispatch(event, memo_, now);
    const DispatchOutcome again = rules_.OnDispatch(event, out.memo, now + 1min);
    CHECK(again.intents.empty());
    CHECK(again.withdrawals.empty());
    CHECK(again.memo == out.memo);
    memo_ = out.memo;
    return out;
  }

  const IncidentMemo& memo() const { return memo_; }

 private:
  const TriggerRules& rules_;
  IncidentMemo memo_;
};

ExpectedValues Outage(const std::string& incident_id, std::optional<core::TimePoint> etr,
                      Value cause = LocValue("台区供电设备故障",
                                             "a fault on the local transformer")) {
  ExpectedValues values = {{"cause", std::move(cause)}, {"incident_id", IdValue(incident_id)}};
  if (etr) values.emplace_back("etr", TimeValue(*etr));
  return values;
}

TEST_CASE("An incident opened with an estimate is announced to its transformer area at once") {
  IncidentRun run;
  const auto out = run.Feed(Opened(TransformerIncident(kEtr)));
  CheckIntents(out.intents, {{"incident.opened", "outage.started", "INC-T-GC-1",
                              Transformer("TA-0001-03-012", {}, kLifeSupport),
                              Outage("INC-T-GC-1", kEtr), true, std::nullopt, kEtr},
                             {"incident.life_support", "safety.life_support_outage", "INC-T-GC-1",
                              Transformer("TA-0001-03-012", kLifeSupport),
                              Outage("INC-T-GC-1", kEtr), true, std::nullopt, kEtr}});
  CHECK(run.memo().started);
  CHECK(run.memo().last_etr == kEtr);
  CHECK(run.memo().etr_count == 1);
  CHECK(run.memo().level == v1::INCIDENT_LEVEL_TRANSFORMER);
  CHECK(run.memo().transformer_id == "TA-0001-03-012");
  CHECK(run.memo().feeder_id == "FDR-0001-03");
  CHECK(TriggerRules::MemoKey(Opened(TransformerIncident())) == "INC-T-GC-1");
}

TEST_CASE("An incident opened without an estimate waits for the crew assignment") {
  IncidentRun run;
  CHECK(run.Feed(Opened(TransformerIncident())).intents.empty());
  CHECK_FALSE(run.memo().started);
  const auto out = run.Feed(WithEtr(TransformerIncident(), kEtr, "crew_assigned"));
  CHECK(Templates(out.intents) ==
        std::vector<std::string>{"outage.started", "safety.life_support_outage"});
  CHECK(run.memo().started);
  CHECK(run.memo().etr_count == 1);
}

TEST_CASE("An incident with no crew to assign is announced without an estimate") {
  IncidentRun run;
  CHECK(run.Feed(Opened(TransformerIncident())).intents.empty());
  const auto out = run.Feed(Queued("INC-T-GC-1"));
  CheckIntents(out.intents,
               {{"incident.opened", "outage.started_no_etr", "INC-T-GC-1",
                 Transformer("TA-0001-03-012", {}, kLifeSupport), Outage("INC-T-GC-1", {}), true},
                {"incident.life_support", "safety.life_support_outage_no_etr", "INC-T-GC-1",
                 Transformer("TA-0001-03-012", kLifeSupport), Outage("INC-T-GC-1", {}), true}});
  CHECK(run.memo().started);
  CHECK(run.memo().etr_count == 0);
  // The first estimate then goes out as an update, and counts.
  const auto first = run.Feed(WithEtr(TransformerIncident(), kEtr, "crew_assigned"));
  CheckIntents(first.intents, {{"incident.etr_changed", "outage.etr_changed", "INC-T-GC-1",
                                Transformer("TA-0001-03-012"), Outage("INC-T-GC-1", kEtr), true,
                                std::nullopt, kEtr}});
  CHECK(run.memo().etr_count == 1);
  CHECK(TriggerRules::MemoKey(Queued("INC-T-GC-1")) == "INC-T-GC-1");
}

TEST_CASE("A queued work order announces nothing once the start is out or without an incident") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  CHECK(run.Feed(Queued("INC-T-GC-1")).intents.empty());
  CHECK(Shipped().OnDispatch(Queued(""), {}, kNow).intents.empty());
  // The memo must know the incident: a queued order of an incident never seen says nothing.
  CHECK(Shipped().OnDispatch(Queued("INC-T-GC-9"), {}, kNow).intents.empty());
  CHECK(TriggerRules::MemoKey(Queued("")).empty());
}

TEST_CASE("Waiting for a crew again announces the start when nothing was said yet") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident()));
  const auto out =
      run.Feed(Updated(TransformerIncident(), "waiting_for_crew", v1::INCIDENT_STATE_OPEN));
  CHECK(Templates(out.intents) ==
        std::vector<std::string>{"outage.started_no_etr", "safety.life_support_outage_no_etr"});
}

TEST_CASE("Estimate updates respect the margin and the cap") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));  // the start announces kEtr: 1 of 3
  SECTION("a move within the margin is not announced, a larger one is") {
    CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 20min)).intents.empty());
    CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 30min))
              .intents.empty());  // exactly the margin
    CHECK(run.memo().last_etr == kEtr);
    const auto later = run.Feed(WithEtr(TransformerIncident(), kEtr + 31min));
    CheckIntents(later.intents, {{"incident.etr_changed", "outage.etr_changed", "INC-T-GC-1",
                                  Transformer("TA-0001-03-012"), Outage("INC-T-GC-1", kEtr + 31min),
                                  true, std::nullopt, kEtr + 31min}});
    CHECK(run.memo().last_etr == kEtr + 31min);
    CHECK(run.memo().etr_count == 2);
    CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 31min)).intents.empty());  // unchanged
    const auto earlier = run.Feed(WithEtr(TransformerIncident(), kEtr - 10min));  // 41 min earlier
    CHECK(Templates(earlier.intents) == std::vector<std::string>{"outage.etr_changed"});
    CHECK(run.memo().etr_count == 3);
    CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 4h)).intents.empty());  // cap reached
    CHECK(run.memo().etr_count == 3);
    CHECK(run.memo().last_etr == kEtr - 10min);
  }
  SECTION("events without an estimate change nothing") {
    CHECK(run.Feed(Updated(MakeIncident("INC-T-GC-1", v1::INCIDENT_LEVEL_TRANSFORMER),
                           "waiting_for_crew", v1::INCIDENT_STATE_OPEN))
              .intents.empty());
    CHECK(run.memo().etr_count == 1);
  }
}

TEST_CASE("The margin and the cap come from the delivery policy's ETR settings") {
  auto rules = TriggerRules::FromJson(ShippedFile("triggers.json"), ShippedCatalogue(),
                                      EtrSettings{std::chrono::minutes(5), 2});
  REQUIRE(rules.ok());
  IncidentRun run(*rules);
  run.Feed(Opened(TransformerIncident(kEtr)));
  CHECK(Templates(run.Feed(WithEtr(TransformerIncident(), kEtr + 6min)).intents) ==
        std::vector<std::string>{"outage.etr_changed"});
  CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 1h)).intents.empty());
  CHECK(run.memo().etr_count == 2);
}

TEST_CASE("The crew's arrival is announced once with its estimate and resets the baseline") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  const auto arrived = run.Feed(WithEtr(TransformerIncident(), kEtr + 3h, "crew_on_site"));
  CheckIntents(arrived.intents, {{"incident.crew_on_site", "outage.crew_on_site", "INC-T-GC-1",
                                  Transformer("TA-0001-03-012"), Outage("INC-T-GC-1", kEtr + 3h),
                                  true, std::nullopt, kEtr + 3h}});
  CHECK(run.memo().crew_on_site);
  CHECK(run.memo().last_etr == kEtr + 3h);
  CHECK(run.memo().etr_count == 1);  // the arrival's estimate does not count against the cap
  // Still on site, the estimate moves: an update, measured from the arrival's estimate.
  CHECK(
      run.Feed(WithEtr(TransformerIncident(), kEtr + 3h + 10min, "crew_on_site")).intents.empty());
  CHECK(Templates(run.Feed(WithEtr(TransformerIncident(), kEtr + 4h, "crew_on_site")).intents) ==
        std::vector<std::string>{"outage.etr_changed"});
}

TEST_CASE("The crew's arrival without a new estimate repeats the last one announced") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  const auto arrived = run.Feed(Updated(MakeIncident("INC-T-GC-1", v1::INCIDENT_LEVEL_TRANSFORMER),
                                        "crew_on_site", v1::INCIDENT_STATE_ON_SITE));
  REQUIRE(arrived.intents.size() == 1);
  CheckValues(arrived.intents[0].values, Outage("INC-T-GC-1", kEtr));
}

TEST_CASE("An unfinished repair lets the next crew's arrival be announced") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  run.Feed(WithEtr(TransformerIncident(), kEtr, "crew_on_site"));
  CHECK(run.Feed(Updated(TransformerIncident(kEtr), "repair_not_finished", v1::INCIDENT_STATE_OPEN))
            .intents.empty());
  CHECK_FALSE(run.memo().crew_on_site);
  CHECK(Templates(run.Feed(WithEtr(TransformerIncident(), kEtr, "crew_on_site")).intents) ==
        std::vector<std::string>{"outage.crew_on_site"});
}

TEST_CASE("Restoration is announced once with its time and cause") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  const auto out = run.Feed(Restored(TransformerIncident(kEtr), kNow + 90min));
  CheckIntents(out.intents, {{"incident.restored",
                              "outage.restored",
                              "INC-T-GC-1",
                              Transformer("TA-0001-03-012"),
                              {{"cause", LocValue("树枝搭线", "a tree branch on the line")},
                               {"incident_id", IdValue("INC-T-GC-1")},
                               {"restored_at", TimeValue(kNow + 90min)}},
                              true}});
  CHECK(run.memo().restored);
  // A second slice of the same restoration, a late estimate: nothing more.
  CHECK(run.Feed(Restored(TransformerIncident(kEtr), kNow + 90min)).intents.empty());
  CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 5h)).intents.empty());
}

TEST_CASE("Restoration withdraws the outage notices still queued") {
  // A start or estimate held for a customer's quiet hours must not go out after the power is
  // back (it would go out beside the restoration notice, in either order).
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 2h)).withdrawals.empty());
  const auto out = run.Feed(Restored(TransformerIncident(kEtr), kNow + 90min));
  const std::vector<Withdrawal> expected = {{"INC-T-GC-1", "outage.started"},
                                            {"INC-T-GC-1", "outage.started_no_etr"},
                                            {"INC-T-GC-1", "safety.life_support_outage"},
                                            {"INC-T-GC-1", "safety.life_support_outage_no_etr"},
                                            {"INC-T-GC-1", "outage.etr_changed"},
                                            {"INC-T-GC-1", "outage.crew_on_site"}};
  CHECK(out.withdrawals == expected);
  // The restoration itself is not withdrawn.
  REQUIRE(out.intents.size() == 1);
  CHECK(out.intents[0].template_id == "outage.restored");
}

TEST_CASE("Restoration without a time is dated when the event is handled") {
  const auto out = Shipped().OnDispatch(Restored(TransformerIncident(), std::nullopt), {}, kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(Describe(*out.intents[0].values.Find("restored_at")) == Describe(TimeValue(kNow)));
}

TEST_CASE("A feeder roll-up is announced to every customer of the feeder") {
  v1::DispatchEvent event;
  v1::IncidentRolledUp* rolled = event.mutable_incident_rolled_up();
  *rolled->mutable_incident() = MakeIncident("INC-F-GC-7", v1::INCIDENT_LEVEL_FEEDER, kEtr);
  rolled->add_merged_incident_ids("INC-T-GC-1");
  IncidentRun run;
  const auto out = run.Feed(event);
  CheckIntents(
      out.intents,
      {{"incident.opened", "outage.started", "INC-F-GC-7", Feeder("FDR-0001-03", {}, kLifeSupport),
        Outage("INC-F-GC-7", kEtr, LocValue("10千伏线路故障", "a fault on the 10 kV line")), true,
        std::nullopt, kEtr},
       {"incident.life_support", "safety.life_support_outage", "INC-F-GC-7",
        Feeder("FDR-0001-03", kLifeSupport),
        Outage("INC-F-GC-7", kEtr, LocValue("10千伏线路故障", "a fault on the 10 kV line")), true,
        std::nullopt, kEtr}});
  CHECK(TriggerRules::MemoKey(event) == "INC-F-GC-7");
}

TEST_CASE("A substation incident is announced on the feeder its supply point names") {
  const auto out = Shipped().OnDispatch(
      Opened(MakeIncident("INC-X-1", v1::INCIDENT_LEVEL_SUBSTATION, kEtr)), {}, kNow);
  REQUIRE(out.intents.size() == 2);
  CHECK(out.intents[0].recipients == Feeder("FDR-0001-03", {}, kLifeSupport));
}

TEST_CASE("A merged incident says nothing more: its parent speaks") {
  IncidentRun run;
  run.Feed(Opened(TransformerIncident(kEtr)));
  v1::Incident merged = TransformerIncident(kEtr);
  merged.set_parent_incident_id("INC-F-GC-7");
  CHECK(run.Feed(Updated(merged, "merged", v1::INCIDENT_STATE_MERGED)).intents.empty());
  CHECK(run.memo().merged);
  CHECK(run.Feed(WithEtr(TransformerIncident(), kEtr + 3h, "crew_on_site")).intents.empty());
  CHECK(run.Feed(Restored(TransformerIncident(), kNow)).intents.empty());
}

TEST_CASE("A single-customer incident tells its callers of the crew and the restoration only") {
  const auto single = [](std::optional<core::TimePoint> etr) {
    return MakeIncident("INC-S-GC-5", v1::INCIDENT_LEVEL_SINGLE_CUSTOMER, etr);
  };
  IncidentRun run;
  CHECK(run.Feed(Opened(single(std::nullopt))).intents.empty());
  const auto assigned = run.Feed(WithEtr(single(std::nullopt), kEtr, "crew_assigned"));
  CHECK(assigned.intents.empty());  // the start is not announced for one customer
  CHECK(run.memo().started);
  CHECK(run.memo().etr_count == 1);
  const auto moved = run.Feed(WithEtr(single(std::nullopt), kEtr + 1h));
  CheckIntents(
      moved.intents,
      {{"incident.etr_changed", "outage.etr_changed", "INC-S-GC-5", TicketOf("GC-1"),
        Outage("INC-S-GC-5", kEtr + 1h, LocValue("供电设备故障", "a fault on the supply network")),
        false, std::nullopt, kEtr + 1h},
       {"incident.etr_changed", "outage.etr_changed", "INC-S-GC-5", TicketOf("GC-2"),
        Outage("INC-S-GC-5", kEtr + 1h, LocValue("供电设备故障", "a fault on the supply network")),
        false, std::nullopt, kEtr + 1h}});
  const auto restored = run.Feed(Restored(single(std::nullopt), kNow + 3h));
  std::vector<Recipients> recipients;
  for (const auto& intent : restored.intents) recipients.push_back(intent.recipients);
  CHECK(recipients ==
        std::vector<Recipients>{TicketOf("GC-1"), TicketOf("GC-2"), TicketOf("GC-3")});
}

TEST_CASE("A queued single-customer work order announces nothing at a level not announced") {
  IncidentRun run;
  run.Feed(Opened(MakeIncident("INC-S-GC-5", v1::INCIDENT_LEVEL_SINGLE_CUSTOMER)));
  CHECK(run.Feed(Queued("INC-S-GC-5", "GC-5")).intents.empty());
  CHECK(run.memo().started);
}

TEST_CASE("Cancelled incidents announce nothing") {
  IncidentRun run;
  CHECK(
      run.Feed(Updated(TransformerIncident(kEtr), "waiting_for_crew", v1::INCIDENT_STATE_CANCELLED))
          .intents.empty());
  CHECK_FALSE(run.memo().started);
}

TEST_CASE("A caller joining a known outage hears its cause and estimate") {
  v1::DispatchEvent event;
  v1::TicketAttached* attached = event.mutable_ticket_attached();
  attached->set_ticket_id("GC-4");
  attached->set_incident_id("INC-T-GC-1");
  *attached->mutable_known_cause() = Loc("台区停电，正在抢修", "Transformer area outage");
  *attached->mutable_estimated_restoration_at() = Ts(kEtr);
  const IncidentMemo untouched{.started = true, .etr_count = 2};
  auto out = Shipped().OnDispatch(event, untouched, kNow);
  CheckIntents(out.intents, {{"ticket.attached",
                              "ticket.attached_to_incident",
                              "GC-4",
                              TicketOf("GC-4"),
                              {{"ticket_id", IdValue("GC-4")},
                               {"cause", LocValue("台区停电，正在抢修", "Transformer area outage")},
                               {"incident_id", IdValue("INC-T-GC-1")},
                               {"etr", TimeValue(kEtr)}},
                              false,
                              std::nullopt,
                              kEtr}});
  CHECK(out.memo == untouched);
  CHECK(TriggerRules::MemoKey(event).empty());
  attached->clear_estimated_restoration_at();
  attached->clear_known_cause();
  out = Shipped().OnDispatch(event, {}, kNow);
  CheckIntents(out.intents, {{"ticket.attached",
                              "ticket.attached_no_etr",
                              "GC-4",
                              TicketOf("GC-4"),
                              {{"ticket_id", IdValue("GC-4")},
                               {"cause", LocValue("供电设备故障", "a fault on the supply network")},
                               {"incident_id", IdValue("INC-T-GC-1")}}}});
}

TEST_CASE("A caller inside a planned outage hears it is planned work and when it ends") {
  v1::DispatchEvent event;
  v1::TicketAttached* attached = event.mutable_ticket_attached();
  attached->set_ticket_id("GC-6");
  attached->set_planned_outage_id("PO-17");
  *attached->mutable_known_cause() = Loc("线路检修", "line maintenance");
  *attached->mutable_estimated_restoration_at() = Ts(kNow + 5h);
  CheckIntents(Shipped().OnDispatch(event, {}, kNow).intents,
               {{"ticket.attached_planned",
                 "ticket.attached_to_planned_outage",
                 "GC-6",
                 TicketOf("GC-6"),
                 {{"ticket_id", IdValue("GC-6")},
                  {"etr", TimeValue(kNow + 5h)},
                  {"cause", LocValue("线路检修", "line maintenance")},
                  {"ends_at", TimeValue(kNow + 5h)}},
                 false,
                 std::nullopt,
                 kNow + 5h}});
  attached->clear_estimated_restoration_at();
  CHECK(Shipped().OnDispatch(event, {}, kNow).intents.empty());
}

TEST_CASE("Work orders and clock alarms announce nothing to customers") {
  v1::DispatchEvent created;
  created.mutable_work_order_created()->mutable_work_order()->set_incident_id("INC-T-GC-1");
  v1::DispatchEvent alarm;
  alarm.mutable_clock_alarm()->set_incident_id("INC-T-GC-1");
  const IncidentMemo memo{.level = v1::INCIDENT_LEVEL_TRANSFORMER};
  for (const auto& event : {created, alarm, v1::DispatchEvent()}) {
    const auto out = Shipped().OnDispatch(event, memo, kNow);
    CHECK(out.intents.empty());
    CHECK(out.memo == memo);
    CHECK(TriggerRules::MemoKey(event).empty());
  }
}

TEST_CASE("A disabled start still lets the later announcements run") {
  auto json = nlohmann::json::parse(ShippedFile("triggers.json"));
  json["triggers"]["incident.opened"] = {{"enabled", false}};
  json["triggers"]["incident.life_support"]["enabled"] = false;
  auto rules = TriggerRules::FromJson(json.dump(), ShippedCatalogue());
  REQUIRE(rules.ok());
  IncidentRun run(*rules);
  CHECK(run.Feed(Opened(TransformerIncident(kEtr))).intents.empty());
  CHECK(run.memo().started);
  CHECK(Templates(run.Feed(WithEtr(TransformerIncident(), kEtr + 1h)).intents) ==
        std::vector<std::string>{"outage.etr_changed"});
}

TEST_CASE("Without the life-support trigger the start goes to every customer") {
  auto json = nlohmann::json::parse(ShippedFile("triggers.json"));
  json["triggers"]["incident.life_support"]["enabled"] = false;
  auto rules = TriggerRules::FromJson(json.dump(), ShippedCatalogue());
  REQUIRE(rules.ok());
  const auto out = rules->OnDispatch(Opened(TransformerIncident(kEtr)), {}, kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(out.intents[0].recipients == Transformer("TA-0001-03-012"));
}

}  // namespace
}  // namespace gridcare::notification
