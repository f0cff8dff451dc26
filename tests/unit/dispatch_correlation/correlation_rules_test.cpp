// Correlator: each rule on its own, thresholds at the boundary, the window, idempotency.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "correlation.h"
#include "correlation_fixtures.h"

namespace v1 = gridcare::v1;
using gridcare::core::ErrorKind;
using gridcare::dispatch::CorrelationDecision;
using gridcare::dispatch::CorrelationSettings;
using gridcare::dispatch::CorrelationState;
using gridcare::dispatch::Correlator;
using gridcare::dispatch::EffectKind;
using gridcare::dispatch::FaultCall;
using gridcare::dispatch::IncidentRecord;
using gridcare::dispatch::PlannedOutageRecord;
using gridcare::dispatch::testing::At;
using gridcare::dispatch::testing::Call;
using gridcare::dispatch::testing::Kinds;
using gridcare::dispatch::testing::LastGasp;
using gridcare::dispatch::testing::OpenOfLevel;
using gridcare::dispatch::testing::Run;
using gridcare::dispatch::testing::Supply;
using namespace std::chrono_literals;

namespace {

using Kind = EffectKind;

PlannedOutageRecord Planned(const std::string& id, const std::string& feeder,
                            const std::string& transformer, std::chrono::seconds start,
                            std::chrono::seconds end) {
  PlannedOutageRecord outage;
  outage.planned_outage_id = id;
  outage.scope = Supply(feeder, transformer);
  outage.starts_at = At(start);
  outage.ends_at = At(end);
  outage.reason = "10 kV line maintenance";
  return outage;
}

}  // namespace

TEST_CASE("an isolated call becomes a single-customer work order at once", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  FaultCall call = Call("t1", "c1", "F1", "T1");
  call.life_support = true;
  const CorrelationDecision decision = Run(correlator, state, call);
  REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  CHECK_FALSE(decision.duplicate);
  CHECK(decision.incident_id == "INC-S-t1");
  const auto& effect = decision.effects[0];
  CHECK(effect.ticket_id == "t1");
  CHECK(effect.level == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
  CHECK(effect.supply.transformer_id() == "T1");
  CHECK(effect.ticket_ids == std::vector<std::string>{"t1"});
  CHECK_THAT(decision.reason,
             Catch::Equals("1 customer on transformer area T1 within 15 min, below the threshold "
                           "of 3 or 20% of 100: single-customer work order"));

  const IncidentRecord* incident = state.IncidentOfTicket("t1");
  REQUIRE(incident != nullptr);
  CHECK(incident->level == v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
  CHECK(incident->state == v1::INCIDENT_STATE_OPEN);
  CHECK(incident->affected_customers == 1);
  CHECK(incident->life_support_affected);
  CHECK(incident->opened_at == At(0s));
  CHECK(state.pending().at("T1").size() == 1);
  CHECK(state.OpenIncidentCount() == 1);
}

TEST_CASE("a transformer incident opens exactly at min_calls_for_transformer", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "T1", 0s))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  CHECK(Kinds(Run(correlator, state, Call("t2", "c2", "F1", "T1", 1min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  FaultCall third = Call("t3", "c3", "F1", "T1", 2min);
  third.important = true;
  const CorrelationDecision decision = Run(correlator, state, third);
  REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kOpenIncident});
  const auto& effect = decision.effects[0];
  CHECK(effect.incident_id == "INC-T-t3");
  CHECK(decision.incident_id == "INC-T-t3");
  CHECK(effect.level == v1::INCIDENT_LEVEL_TRANSFORMER);
  CHECK(effect.ticket_ids == std::vector<std::string>{"t1", "t2", "t3"});
  CHECK(effect.merged_incident_ids == std::vector<std::string>{"INC-S-t1", "INC-S-t2"});
  CHECK_THAT(effect.reason, Catch::StartsWith("3 customers on transformer area T1 within 15 min "
                                              "(threshold 3): transformer incident INC-T-t3 "
                                              "opened with 3 tickets, absorbing single-customer "
                                              "incidents INC-S-t1, INC-S-t2"));

  const IncidentRecord& opened = state.incidents().at("INC-T-t3");
  CHECK(opened.call_count == 3);
  CHECK(opened.customers.size() == 3);
  CHECK(opened.affected_customers == 100);
  CHECK(opened.important_customer_affected);
  CHECK(opened.child_incident_ids == std::vector<std::string>{"INC-S-t1", "INC-S-t2"});
  for (const char* child : {"INC-S-t1", "INC-S-t2"}) {
    const IncidentRecord& merged = state.incidents().at(child);
    CHECK(merged.state == v1::INCIDENT_STATE_MERGED);
    CHECK(merged.parent_incident_id == "INC-T-t3");
  }
  for (const char* ticket : {"t1", "t2", "t3"}) {
    REQUIRE(state.IncidentOfTicket(ticket) != nullptr);
    CHECK(state.IncidentOfTicket(ticket)->incident_id == "INC-T-t3");
  }
  CHECK(state.OpenTransformerIncident("T1") == &opened);
  CHECK(state.pending().count("T1") == 0);
  CHECK(state.OpenIncidentCount() == 1);
}

TEST_CASE("one below min_calls_for_transformer stays single-customer", "[correlation]") {
  CorrelationSettings settings;
  settings.min_calls_for_transformer = 4;
  const Correlator correlator(settings);
  CorrelationState state;
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    CHECK(Kinds(Run(correlator, state, Call("t" + n, "c" + n, "F1", "T1", 1min * i))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_SINGLE_CUSTOMER).size() == 3);
  CHECK(Kinds(Run(correlator, state, Call("t4", "c4", "F1", "T1", 4min))) ==
        std::vector<Kind>{Kind::kOpenIncident});
}

TEST_CASE("thresholds count distinct customers, not tickets", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, Call("t1", "c1", "F1", "T1", 0s));
  // The same customer calling again joins their own work order instead of counting twice.
  const CorrelationDecision again = Run(correlator, state, Call("t2", "c1", "F1", "T1", 1min));
  REQUIRE(Kinds(again) == std::vector<Kind>{Kind::kAttachToIncident});
  CHECK(again.incident_id == "INC-S-t1");
  CHECK_THAT(again.reason, Catch::Contains("the customer's single-customer incident INC-S-t1"));
  CHECK(state.incidents().at("INC-S-t1").call_count == 2);
  CHECK(state.incidents().at("INC-S-t1").customers.size() == 1);

  CHECK(Kinds(Run(correlator, state, Call("t3", "c2", "F1", "T1", 2min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  const CorrelationDecision third = Run(correlator, state, Call("t4", "c3", "F1", "T1", 3min));
  REQUIRE(Kinds(third) == std::vector<Kind>{Kind::kOpenIncident});
  // Both of c1's tickets come along with their single-customer incident.
  CHECK(third.effects[0].ticket_ids == std::vector<std::string>{"t1", "t2", "t3", "t4"});
  CHECK(state.incidents().at("INC-T-t4").call_count == 4);
  CHECK(state.incidents().at("INC-T-t4").customers.size() == 3);
}

TEST_CASE("unidentified callers count one customer per ticket", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, Call("t1", "", "F1", "T1", 0s));
  Run(correlator, state, Call("t2", "", "F1", "T1", 1min));
  CHECK(Kinds(Run(correlator, state, Call("t3", "", "F1", "T1", 2min))) ==
        std::vector<Kind>{Kind::kOpenIncident});
}

TEST_CASE("the share rule opens at exactly min_share_for_transformer", "[correlation]") {
  const Correlator correlator;  // share 0.2, at least 2 customers
  auto small = [](const std::string& t, const std::string& c, int64_t customers,
                  std::chrono::seconds at) {
    FaultCall call = Call(t, c, "F1", "T1", at);
    call.topology.customers_on_transformer = customers;
    return call;
  };

  SECTION("2 of 10 customers is 20%: opens") {
    CorrelationState state;
    Run(correlator, state, small("t1", "c1", 10, 0s));
    const CorrelationDecision decision = Run(correlator, state, small("t2", "c2", 10, 1min));
    REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kOpenIncident});
    CHECK_THAT(decision.reason, Catch::Contains("(20% of 10 customers, threshold 20%)"));
    CHECK(state.incidents().at("INC-T-t2").affected_customers == 10);
  }
  SECTION("2 of 11 customers is below 20%: single-customer") {
    CorrelationState state;
    Run(correlator, state, small("t1", "c1", 11, 0s));
    CHECK(Kinds(Run(correlator, state, small("t2", "c2", 11, 1min))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  SECTION("one customer of a tiny area is never a transformer outage (min_calls_for_share)") {
    CorrelationState state;
    CHECK(Kinds(Run(correlator, state, small("t1", "c1", 2, 0s))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
    CHECK(Kinds(Run(correlator, state, small("t2", "c2", 2, 1min))) ==
          std::vector<Kind>{Kind::kOpenIncident});
  }
  SECTION("share 0 turns the rule off") {
    CorrelationSettings settings;
    settings.min_share_for_transformer = 0;
    const Correlator off(settings);
    CorrelationState state;
    Run(off, state, small("t1", "c1", 4, 0s));
    CHECK(Kinds(Run(off, state, small("t2", "c2", 4, 1min))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  SECTION("unknown customer count: the count rule alone decides") {
    CorrelationState state;
    Run(correlator, state, small("t1", "c1", 0, 0s));
    const CorrelationDecision decision = Run(correlator, state, small("t2", "c2", 0, 1min));
    CHECK(Kinds(decision) == std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
    CHECK_THAT(decision.reason,
               Catch::EndsWith("below the threshold of 3: single-customer work order"));
    Run(correlator, state, small("t3", "c3", 0, 2min));
    // Affected customers fall back to the callers when the area's size is unknown.
    CHECK(state.incidents().at("INC-T-t3").affected_customers == 3);
  }
}

TEST_CASE("the window is inclusive at its edge and calls older than it expire",
          "[correlation][window]") {
  const Correlator correlator;

  SECTION("a call exactly one window old still counts") {
    CorrelationState state;
    Run(correlator, state, Call("t1", "c1", "F1", "T1", 0s));
    Run(correlator, state, Call("t2", "c2", "F1", "T1", 10min));
    const CorrelationDecision decision =
        Run(correlator, state, Call("t3", "c3", "F1", "T1", 15min));
    REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kOpenIncident});
    CHECK(decision.effects[0].ticket_ids == std::vector<std::string>{"t1", "t2", "t3"});
  }
  SECTION("one second older and it no longer counts; its work order stays on its own") {
    CorrelationState state;
    Run(correlator, state, Call("t1", "c1", "F1", "T1", 0s));
    Run(correlator, state, Call("t2", "c2", "F1", "T1", 10min));
    CHECK(Kinds(Run(correlator, state, Call("t3", "c3", "F1", "T1", 15min + 1s))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
    const CorrelationDecision decision =
        Run(correlator, state, Call("t4", "c4", "F1", "T1", 16min));
    REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kOpenIncident});
    CHECK(decision.effects[0].ticket_ids == std::vector<std::string>{"t2", "t3", "t4"});
    CHECK(decision.effects[0].merged_incident_ids ==
          std::vector<std::string>{"INC-S-t2", "INC-S-t3"});
    CHECK(state.incidents().at("INC-S-t1").state == v1::INCIDENT_STATE_OPEN);
    CHECK(state.OpenIncidentCount() == 2);
  }
  SECTION("a configured window") {
    CorrelationSettings settings;
    settings.window = 5min;
    const Correlator short_window(settings);
    CorrelationState state;
    Run(short_window, state, Call("t1", "c1", "F1", "T1", 0s));
    Run(short_window, state, Call("t2", "c2", "F1", "T1", 4min));
    const CorrelationDecision decision =
        Run(short_window, state, Call("t3", "c3", "F1", "T1", 6min));
    CHECK(Kinds(decision) == std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
    CHECK_THAT(decision.reason, Catch::Contains("within 5 min"));
  }
}

TEST_CASE("calls on a transformer area with an open incident attach without a new crew",
          "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    Run(correlator, state, Call("t" + n, "c" + n, "F1", "T1", 1min * i));
  }
  // Long after the window: an open incident absorbs calls whatever their age.
  FaultCall late = Call("t4", "c4", "F1", "T1", 2h);
  late.life_support = true;
  const CorrelationDecision decision = Run(correlator, state, late);
  REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kAttachToIncident});
  CHECK(decision.incident_id == "INC-T-t3");
  CHECK(decision.effects[0].level == v1::INCIDENT_LEVEL_TRANSFORMER);
  CHECK(decision.reason ==
        "transformer incident INC-T-t3 is open on transformer area T1: call attached (now 4 "
        "tickets), no new crew");
  const IncidentRecord& incident = state.incidents().at("INC-T-t3");
  CHECK(incident.call_count == 4);
  CHECK(incident.life_support_affected);
  CHECK(incident.ticket_ids.back() == "t4");
  // Another area of the same feeder is not covered by a transformer incident.
  CHECK(Kinds(Run(correlator, state, Call("t5", "c5", "F1", "T2", 2h))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
}

TEST_CASE("planned outages absorb calls inside their scope and time", "[correlation][planned]") {
  const Correlator correlator;
  CorrelationState state;
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("P1", "F1", "", 1h, 3h)).ok());

  SECTION("before the window: a fault") {
    CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "T1", 1h - 1s))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  SECTION("at its start and during it: attached and answered with its end") {
    using Step = std::pair<std::string, std::chrono::seconds>;
    for (const auto& [ticket, at] : {Step{"t1", 1h}, Step{"t2", 3h - 1s}}) {
      const CorrelationDecision decision =
          Run(correlator, state, Call(ticket, "c-" + ticket, "F1", "T7", at));
      REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kAttachToPlannedOutage});
      CHECK(decision.planned_outage_id == "P1");
      CHECK(decision.incident_id.empty());
      REQUIRE(decision.effects[0].estimated_restoration_at.has_value());
      CHECK(*decision.effects[0].estimated_restoration_at == At(3h));
      CHECK(decision.reason ==
            "inside planned outage P1 on feeder F1 (until 2026-09-21T11:00:00.000Z): attached, "
            "answered with the planned end, no crew");
    }
    CHECK(state.planned_outages().at("P1").ticket_ids == std::vector<std::string>{"t1", "t2"});
  }
  SECTION("at or after its end: a fault again (the outage overran)") {
    CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "T1", 3h))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  SECTION("another feeder is not covered") {
    CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F2", "T9", 2h))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
  SECTION("calls inside never count towards an incident") {
    for (int i = 1; i <= 5; ++i) {
      const std::string n = std::to_string(i);
      CHECK(Kinds(Run(correlator, state, Call("t" + n, "c" + n, "F1", "T1", 2h))) ==
            std::vector<Kind>{Kind::kAttachToPlannedOutage});
    }
    CHECK(state.incidents().empty());
    CHECK(state.pending().empty());
  }
  SECTION("a cancelled outage absorbs nothing") {
    PlannedOutageRecord cancelled = Planned("P1", "F1", "", 1h, 3h);
    cancelled.cancelled = true;
    REQUIRE(correlator.RegisterPlannedOutage(state, cancelled).ok());
    CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "T1", 2h))) ==
          std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  }
}

TEST_CASE("a transformer-scope planned outage covers only its area and wins over a feeder one",
          "[correlation][planned]") {
  const Correlator correlator;
  CorrelationState state;
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("PF", "F1", "", 0s, 4h)).ok());
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("PT", "F1", "T1", 0s, 2h)).ok());
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("PX", "F2", "T5", 0s, 2h)).ok());
  CHECK(Run(correlator, state, Call("t1", "c1", "F1", "T1", 1h)).planned_outage_id == "PT");
  CHECK(Run(correlator, state, Call("t2", "c2", "F1", "T2", 1h)).planned_outage_id == "PF");
  CHECK(Run(correlator, state, Call("t3", "c3", "F2", "T5", 1h)).planned_outage_id == "PX");
  CHECK(Kinds(Run(correlator, state, Call("t4", "c4", "F2", "T6", 1h))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  // After PT ends its area falls back to the feeder-wide outage.
  CHECK(Run(correlator, state, Call("t5", "c5", "F1", "T1", 3h)).planned_outage_id == "PF");
}

TEST_CASE("planned outage registration is validated and keeps attached tickets",
          "[correlation][planned]") {
  const Correlator correlator;
  CorrelationState state;
  CHECK(correlator.RegisterPlannedOutage(state, Planned("", "F1", "", 0s, 1h)).error().kind ==
        ErrorKind::kInvalidArgument);
  CHECK_THAT(correlator.RegisterPlannedOutage(state, Planned("P1", "", "", 0s, 1h)).error().message,
             Catch::Contains("names neither a feeder nor a transformer area"));
  CHECK_THAT(
      correlator.RegisterPlannedOutage(state, Planned("P1", "F1", "", 1h, 1h)).error().message,
      Catch::Contains("does not end after it starts"));
  CHECK(state.planned_outages().empty());

  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("P1", "F1", "", 0s, 1h)).ok());
  Run(correlator, state, Call("t1", "c1", "F1", "T1", 30min));
  // Extended by the dispatcher: same id, new end; the attached ticket stays.
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("P1", "F1", "", 0s, 2h)).ok());
  CHECK(state.planned_outages().at("P1").ticket_ids == std::vector<std::string>{"t1"});
  const CorrelationDecision later = Run(correlator, state, Call("t2", "c2", "F1", "T1", 90min));
  REQUIRE(later.effects.size() == 1);
  CHECK(*later.effects[0].estimated_restoration_at == At(2h));
}

TEST_CASE("last gasps open incidents before anyone calls, and callers then attach",
          "[correlation][last-gasp]") {
  const Correlator correlator;
  CorrelationState state;
  const CorrelationDecision first = Run(correlator, state, LastGasp("g1", "c1", "F1", "T1", 0s));
  REQUIRE(Kinds(first) == std::vector<Kind>{Kind::kHold});
  CHECK(first.incident_id.empty());
  CHECK_THAT(first.reason, Catch::StartsWith("last gasp held: 1 customer on transformer area T1"));
  CHECK_THAT(first.reason, Catch::EndsWith("no work order for one meter alone"));
  CHECK(state.incidents().empty());
  CHECK(Kinds(Run(correlator, state, LastGasp("g2", "c2", "F1", "T1", 10s))) ==
        std::vector<Kind>{Kind::kHold});
  const CorrelationDecision third = Run(correlator, state, LastGasp("g3", "c3", "F1", "T1", 20s));
  REQUIRE(Kinds(third) == std::vector<Kind>{Kind::kOpenIncident});
  CHECK(third.effects[0].merged_incident_ids.empty());
  const IncidentRecord& incident = state.incidents().at("INC-T-g3");
  CHECK(incident.last_gasp_count == 3);
  CHECK(incident.call_count == 3);

  // The customers call a few minutes later: attached, no crew of their own.
  for (const char* customer : {"c1", "c4"}) {
    const CorrelationDecision call =
        Run(correlator, state, Call(std::string("k-") + customer, customer, "F1", "T1", 5min));
    REQUIRE(Kinds(call) == std::vector<Kind>{Kind::kAttachToIncident});
    CHECK(call.incident_id == "INC-T-g3");
  }
  CHECK(incident.call_count == 5);
  CHECK(incident.last_gasp_count == 3);
  CHECK(incident.customers.size() == 4);
}

TEST_CASE("a held last gasp counts towards a later cluster of calls", "[correlation][last-gasp]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, LastGasp("g1", "c1", "F1", "T1", 0s));
  // Its own customer calling is still one customer: a work order for the call.
  CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "T1", 1min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  CHECK(Kinds(Run(correlator, state, Call("t2", "c2", "F1", "T1", 2min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  const CorrelationDecision decision = Run(correlator, state, Call("t3", "c3", "F1", "T1", 3min));
  REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kOpenIncident});
  CHECK(decision.effects[0].ticket_ids == std::vector<std::string>{"g1", "t1", "t2", "t3"});
  CHECK(state.incidents().at("INC-T-t3").last_gasp_count == 1);
}

TEST_CASE("last_gasp_work_order treats a lone last gasp like a call", "[correlation][last-gasp]") {
  CorrelationSettings settings;
  settings.last_gasp_work_order = true;
  const Correlator correlator(settings);
  CorrelationState state;
  const CorrelationDecision decision = Run(correlator, state, LastGasp("g1", "c1", "F1", "T1"));
  REQUIRE(Kinds(decision) == std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  CHECK(state.incidents().at("INC-S-g1").last_gasp_count == 1);
}

TEST_CASE("a held last gasp expires with the window", "[correlation][last-gasp][window]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, LastGasp("g1", "c1", "F1", "T1", 0s));
  Run(correlator, state, LastGasp("g2", "c2", "F1", "T1", 1min));
  CHECK(correlator.Prune(state, At(15min)) == 0);
  CHECK(correlator.Prune(state, At(15min + 1s)) == 1);
  CHECK(state.pending().at("T1").size() == 1);
  // g1 is forgotten: its redelivery would be held again, and two callers do not make three.
  CHECK(Kinds(Run(correlator, state, Call("t1", "c3", "F1", "T1", 16min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
}

TEST_CASE("the same ticket twice is counted once", "[correlation][idempotency]") {
  const Correlator correlator;
  CorrelationState state;
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("P1", "F9", "", 0s, 1h)).ok());

  const FaultCall single = Call("t1", "c1", "F1", "T1", 0s);
  Run(correlator, state, single);
  const CorrelationDecision again = Run(correlator, state, single);
  CHECK(again.duplicate);
  CHECK(again.effects.empty());
  CHECK(again.incident_id == "INC-S-t1");
  CHECK(again.reason == "ticket t1 already correlated: in incident INC-S-t1");

  // A redelivered ticket does not push the area over the threshold.
  Run(correlator, state, Call("t2", "c2", "F1", "T1", 1min));
  CHECK(Run(correlator, state, Call("t2", "c2", "F1", "T1", 1min)).duplicate);
  CHECK(state.pending().at("T1").size() == 2);
  CHECK(state.OpenIncidentCount() == 2);

  Run(correlator, state, Call("t3", "c3", "F1", "T1", 2min));
  Run(correlator, state, Call("t4", "c4", "F1", "T1", 3min));  // attaches
  const CorrelationDecision attached = Run(correlator, state, Call("t4", "c4", "F1", "T1", 3min));
  CHECK(attached.duplicate);
  CHECK(attached.incident_id == "INC-T-t3");
  CHECK(state.incidents().at("INC-T-t3").call_count == 4);

  Run(correlator, state, LastGasp("g1", "c9", "F1", "T2", 0s));
  const CorrelationDecision held = Run(correlator, state, LastGasp("g1", "c9", "F1", "T2", 0s));
  CHECK(held.duplicate);
  CHECK(held.reason == "ticket g1 already correlated: held on transformer area T2");
  CHECK(state.pending().at("T2").size() == 1);

  Run(correlator, state, Call("p1", "c8", "F9", "T8", 10min));
  const CorrelationDecision planned = Run(correlator, state, Call("p1", "c8", "F9", "T8", 10min));
  CHECK(planned.duplicate);
  CHECK(planned.planned_outage_id == "P1");
  CHECK(state.planned_outages().at("P1").ticket_ids.size() == 1);
}

TEST_CASE("calls without a transformer area", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  CHECK(Kinds(Run(correlator, state, Call("t1", "c1", "F1", "", 0s))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  const CorrelationDecision gasp = Run(correlator, state, LastGasp("g1", "c2", "F1", "", 0s));
  CHECK(Kinds(gasp) == std::vector<Kind>{Kind::kHold});
  CHECK_THAT(gasp.reason, Catch::StartsWith("last gasp with no transformer area known"));
  // Feeder-level rules still apply.
  REQUIRE(correlator.RegisterPlannedOutage(state, Planned("P1", "F1", "", 1h, 2h)).ok());
  CHECK(Kinds(Run(correlator, state, Call("t2", "c3", "F1", "", 90min))) ==
        std::vector<Kind>{Kind::kAttachToPlannedOutage});
}

TEST_CASE("a call without a ticket id is rejected and changes nothing", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  auto decision = correlator.Correlate(state, Call("", "c1", "F1", "T1"));
  REQUIRE_FALSE(decision.ok());
  CHECK(decision.error().kind == ErrorKind::kInvalidArgument);
  CHECK(state.incidents().empty());
  CHECK(state.pending().empty());
}
