// Correlator: feeder roll-up, closing incidents, housekeeping, and a storm.
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>
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
using gridcare::dispatch::testing::OpenOfLevel;
using gridcare::dispatch::testing::Run;
using gridcare::dispatch::testing::Supply;
using namespace std::chrono_literals;

namespace {

using Kind = EffectKind;

// Three calls from distinct customers on one area: opens its transformer incident on the third.
CorrelationDecision Cluster(const Correlator& correlator, CorrelationState& state,
                            const std::string& feeder, const std::string& transformer,
                            std::chrono::seconds at) {
  CorrelationDecision last;
  for (int i = 1; i <= 3; ++i) {
    const std::string id = transformer + "-" + std::to_string(i);
    last = Run(correlator, state, Call(id, "c-" + id, feeder, transformer, at + 10s * i));
  }
  return last;
}

}  // namespace

TEST_CASE("two transformer incidents on one feeder roll up to a feeder incident",
          "[correlation][roll-up]") {
  const Correlator correlator;
  CorrelationState state;
  const CorrelationDecision first = Cluster(correlator, state, "F1", "T1", 0s);
  CHECK(Kinds(first) == std::vector<Kind>{Kind::kOpenIncident});
  // An incident on another feeder does not count.
  Cluster(correlator, state, "F2", "T9", 0s);

  const CorrelationDecision second = Cluster(correlator, state, "F1", "T2", 2min);
  REQUIRE(Kinds(second) == std::vector<Kind>{Kind::kOpenIncident, Kind::kRollUp});
  CHECK(second.effects[0].incident_id == "INC-T-T2-3");
  const auto& rollup = second.effects[1];
  CHECK(rollup.incident_id == "INC-F-T2-3");
  CHECK(second.incident_id == "INC-F-T2-3");
  CHECK(rollup.level == v1::INCIDENT_LEVEL_FEEDER);
  CHECK(rollup.supply.feeder_id() == "F1");
  CHECK(rollup.supply.transformer_id().empty());
  CHECK(rollup.merged_incident_ids == std::vector<std::string>{"INC-T-T1-3", "INC-T-T2-3"});
  CHECK(rollup.ticket_ids.size() == 6);
  CHECK_THAT(rollup.reason,
             Catch::StartsWith("2 transformer incidents open on feeder F1 (threshold 2): rolled "
                               "up into feeder incident INC-F-T2-3 with 6 tickets, the predicted "
                               "failed device moves upstream to the feeder"));

  const IncidentRecord& feeder = state.incidents().at("INC-F-T2-3");
  CHECK(feeder.state == v1::INCIDENT_STATE_OPEN);
  CHECK(feeder.call_count == 6);
  CHECK(feeder.customers.size() == 6);
  CHECK(feeder.affected_customers == 1000);
  CHECK(feeder.child_incident_ids == std::vector<std::string>{"INC-T-T1-3", "INC-T-T2-3"});
  for (const char* child : {"INC-T-T1-3", "INC-T-T2-3"}) {
    CHECK(state.incidents().at(child).state == v1::INCIDENT_STATE_MERGED);
    CHECK(state.incidents().at(child).parent_incident_id == "INC-F-T2-3");
  }
  CHECK(state.IncidentOfTicket("T1-1")->incident_id == "INC-F-T2-3");
  CHECK(state.OpenTransformerIncident("T1") == nullptr);
  CHECK(state.OpenFeederIncident("F1") == &feeder);
  CHECK(state.OpenTransformerIncident("T9") != nullptr);  // other feeder untouched
  CHECK(state.OpenIncidentCount() == 2);

  // Any later call on the feeder, on a rolled-up area or a new one, attaches to the feeder
  // incident.
  for (const char* transformer : {"T1", "T3"}) {
    const CorrelationDecision call = Run(
        correlator, state, Call(std::string("late-") + transformer, "cx", "F1", transformer, 1h));
    REQUIRE(Kinds(call) == std::vector<Kind>{Kind::kAttachToIncident});
    CHECK(call.incident_id == "INC-F-T2-3");
    CHECK_THAT(call.reason, Catch::StartsWith("feeder incident INC-F-T2-3 is open on feeder F1"));
  }
  CHECK(feeder.call_count == 8);
  CHECK(feeder.customers.size() == 7);
}

TEST_CASE("roll-up with three transformer areas", "[correlation][roll-up]") {
  CorrelationSettings settings;
  settings.min_transformers_for_feeder = 3;
  settings.min_share_for_feeder = 0;
  const Correlator correlator(settings);
  CorrelationState state;
  CHECK(Kinds(Cluster(correlator, state, "F1", "T1", 0s)) ==
        std::vector<Kind>{Kind::kOpenIncident});
  CHECK(Kinds(Cluster(correlator, state, "F1", "T2", 1min)) ==
        std::vector<Kind>{Kind::kOpenIncident});
  CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_TRANSFORMER).size() == 2);
  const CorrelationDecision third = Cluster(correlator, state, "F1", "T3", 2min);
  REQUIRE(Kinds(third) == std::vector<Kind>{Kind::kOpenIncident, Kind::kRollUp});
  CHECK(third.effects[1].merged_incident_ids ==
        std::vector<std::string>{"INC-T-T1-3", "INC-T-T2-3", "INC-T-T3-3"});
  CHECK(state.incidents().at(third.incident_id).call_count == 9);
  CHECK(state.OpenIncidentCount() == 1);
}

TEST_CASE("roll-up by share of the feeder's transformer areas", "[correlation][roll-up]") {
  CorrelationSettings settings;
  settings.min_transformers_for_feeder = 5;  // share 0.5 stays on
  const Correlator correlator(settings);
  auto on_feeder_of = [](int32_t areas) {
    return [areas](FaultCall call) {
      call.topology.transformers_on_feeder = areas;
      return call;
    };
  };

  SECTION("2 of 4 areas is 50%: rolls up") {
    CorrelationState state;
    const auto four = on_feeder_of(4);
    for (const char* t : {"T1", "T2"}) {
      for (int i = 1; i <= 3; ++i) {
        Run(correlator, state,
            four(Call(t + std::to_string(i), t + std::string("c") + std::to_string(i), "F1", t,
                      1min * i)));
      }
    }
    const auto feeders = OpenOfLevel(state, v1::INCIDENT_LEVEL_FEEDER);
    REQUIRE(feeders.size() == 1);
    CHECK(feeders[0]->child_incident_ids.size() == 2);
  }
  SECTION("2 of 5 areas is 40%: no roll-up") {
    CorrelationState state;
    const auto five = on_feeder_of(5);
    for (const char* t : {"T1", "T2"}) {
      for (int i = 1; i <= 3; ++i) {
        Run(correlator, state,
            five(Call(t + std::to_string(i), t + std::string("c") + std::to_string(i), "F1", t,
                      1min * i)));
      }
    }
    CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_FEEDER).empty());
    CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_TRANSFORMER).size() == 2);
  }
  SECTION("a feeder with one transformer area never rolls up") {
    CorrelationState state;
    const auto one = on_feeder_of(1);
    for (int i = 1; i <= 3; ++i) {
      Run(correlator, state,
          one(Call("t" + std::to_string(i), "c" + std::to_string(i), "F1", "T1", 1min * i)));
    }
    CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_FEEDER).empty());
    CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_TRANSFORMER).size() == 1);
  }
}

TEST_CASE("a roll-up absorbs recent single-customer work orders elsewhere on the feeder",
          "[correlation][roll-up]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, Call("old", "c-old", "F1", "T3", 0s));  // before the window
  Run(correlator, state, Call("s1", "c-s1", "F1", "T3", 20min));
  Run(correlator, state, Call("s2", "c-s2", "F1", "T4", 21min));
  Run(correlator, state, Call("other", "c-other", "F2", "T8", 21min));  // another feeder
  FaultCall gasp = Call("g1", "c-g1", "F1", "T5", 21min);
  gasp.last_gasp = true;
  Run(correlator, state, gasp);  // held
  Cluster(correlator, state, "F1", "T1", 22min);
  const CorrelationDecision rolled = Cluster(correlator, state, "F1", "T2", 23min);
  REQUIRE(Kinds(rolled) == std::vector<Kind>{Kind::kOpenIncident, Kind::kRollUp});
  CHECK(rolled.effects[1].merged_incident_ids ==
        std::vector<std::string>{"INC-T-T1-3", "INC-T-T2-3", "INC-S-s1", "INC-S-s2"});
  CHECK(state.incidents().at("INC-S-s1").parent_incident_id == rolled.incident_id);
  CHECK(state.incidents().at("INC-F-T2-3").call_count == 9);
  CHECK(state.incidents().at("INC-F-T2-3").last_gasp_count == 1);
  CHECK(state.IncidentOfTicket("g1")->incident_id == "INC-F-T2-3");
  CHECK(state.pending().count("T5") == 0);
  // The old one and the other feeder's stay on their own.
  CHECK(state.incidents().at("INC-S-old").state == v1::INCIDENT_STATE_OPEN);
  CHECK(state.incidents().at("INC-S-other").state == v1::INCIDENT_STATE_OPEN);
  CHECK(state.pending().count("T3") == 0);
  CHECK(state.pending().count("T8") == 1);
  CHECK(state.OpenIncidentCount() == 3);
}

TEST_CASE("an isolated call, then a later cluster on its area", "[correlation]") {
  const Correlator correlator;
  CorrelationState state;
  const CorrelationDecision isolated = Run(correlator, state, Call("t1", "c1", "F1", "T1", 0s));
  CHECK(Kinds(isolated) == std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
  Run(correlator, state, Call("t2", "c2", "F1", "T1", 8min));
  const CorrelationDecision cluster = Run(correlator, state, Call("t3", "c3", "F1", "T1", 9min));
  REQUIRE(Kinds(cluster) == std::vector<Kind>{Kind::kOpenIncident});
  // The early work order is kept as history, marked merged; the service cancels it if no crew is
  // on site yet.
  CHECK(cluster.effects[0].merged_incident_ids == std::vector<std::string>{"INC-S-t1", "INC-S-t2"});
  CHECK(state.incidents().at("INC-S-t1").state == v1::INCIDENT_STATE_MERGED);
  CHECK(state.incidents().at("INC-S-t1").ticket_ids == std::vector<std::string>{"t1"});
  CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_SINGLE_CUSTOMER).empty());
  // A later call from c1 goes to the transformer incident, not to the merged work order.
  CHECK(Run(correlator, state, Call("t4", "c1", "F1", "T1", 10min)).incident_id == "INC-T-t3");
}

TEST_CASE("closing an incident releases it, its children and their tickets",
          "[correlation][close]") {
  const Correlator correlator;
  CorrelationState state;
  Run(correlator, state, Call("s1", "c-s1", "F1", "T1", 0s));
  Cluster(correlator, state, "F1", "T1", 1min);
  const std::string feeder = Cluster(correlator, state, "F1", "T2", 2min).incident_id;
  Run(correlator, state, Call("x1", "c-x1", "F2", "T9", 0s));

  CHECK(correlator.CloseIncident(state, "nope").error().kind == ErrorKind::kNotFound);
  const auto merged = correlator.CloseIncident(state, "INC-T-T1-2");  // s1 made T1 open early
  REQUIRE_FALSE(merged.ok());
  CHECK(merged.error().kind == ErrorKind::kFailedPrecondition);
  CHECK_THAT(merged.error().message, Catch::Contains("merged into " + feeder));

  const auto closed = correlator.CloseIncident(state, feeder);
  REQUIRE(closed.ok());
  CHECK(std::set<std::string>(closed->incident_ids.begin(), closed->incident_ids.end()) ==
        std::set<std::string>{feeder, "INC-T-T1-2", "INC-T-T2-3", "INC-S-s1", "INC-S-T1-1",
                              "INC-S-T2-1", "INC-S-T2-2"});
  CHECK(closed->ticket_ids.size() == 7);
  CHECK(state.incidents().size() == 1);  // x1's
  CHECK(state.OpenFeederIncident("F1") == nullptr);
  CHECK(state.IncidentOfTicket("s1") == nullptr);
  // After restoration the feeder starts afresh.
  CHECK(Kinds(Run(correlator, state, Call("n1", "c-s1", "F1", "T1", 3h))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});

  // Closing a single-customer work order clears its pending call: it cannot be re-absorbed.
  REQUIRE(correlator.CloseIncident(state, "INC-S-n1").ok());
  CHECK(state.pending().count("T1") == 0);
  Run(correlator, state, Call("n2", "c2", "F1", "T1", 3h + 1min));
  CHECK(Kinds(Run(correlator, state, Call("n3", "c3", "F1", "T1", 3h + 2min))) ==
        std::vector<Kind>{Kind::kSingleCustomerWorkOrder});
}

TEST_CASE("prune drops ended planned outages and stale pending calls", "[correlation][window]") {
  const Correlator correlator;
  CorrelationState state;
  PlannedOutageRecord outage;
  outage.planned_outage_id = "P1";
  outage.scope = Supply("F1", "");
  outage.starts_at = At(0s);
  outage.ends_at = At(1h);
  REQUIRE(correlator.RegisterPlannedOutage(state, outage).ok());
  Run(correlator, state, Call("p1", "c1", "F1", "T1", 30min));
  Run(correlator, state, Call("s1", "c2", "F2", "T2", 30min));
  CHECK(correlator.Prune(state, At(1h + 15min)) == 1);  // s1's pending call; P1 ended 15 min ago
  CHECK(state.planned_outages().count("P1") == 1);
  CHECK(state.incidents().count("INC-S-s1") == 1);  // the work order itself stays
  CHECK(correlator.Prune(state, At(1h + 15min + 1s)) == 1);
  CHECK(state.planned_outages().empty());
}

TEST_CASE("a storm on one feeder plus unrelated calls: one feeder incident and three work orders",
          "[correlation][storm]") {
  const Correlator correlator;
  auto play = [&correlator](CorrelationState& state) {
    std::vector<CorrelationDecision> decisions;
    // 60 calls over 5 transformer areas of F1 within 10 minutes, interleaved, one every 10 s;
    // three unrelated calls on other feeders in between.
    for (int i = 0; i < 60; ++i) {
      const std::string transformer = "F1-T" + std::to_string(i % 5 + 1);
      const std::string n = std::to_string(i + 1);
      decisions.push_back(
          Run(correlator, state, Call("storm-" + n, "cust-" + n, "F1", transformer, 10s * i)));
      if (i % 20 == 10) {
        const std::string u = std::to_string(i / 20 + 1);
        decisions.push_back(Run(correlator, state,
                                Call("solo-" + u, "solo-cust-" + u, "F" + std::to_string(10 + i),
                                     "T-solo-" + u, 10s * i)));
      }
    }
    return decisions;
  };
  CorrelationState state;
  const std::vector<CorrelationDecision> decisions = play(state);
  REQUIRE(decisions.size() == 63);

  const auto feeders = OpenOfLevel(state, v1::INCIDENT_LEVEL_FEEDER);
  REQUIRE(feeders.size() == 1);
  const IncidentRecord& feeder = *feeders[0];
  CHECK(feeder.supply.feeder_id() == "F1");
  CHECK(feeder.call_count == 60);
  CHECK(feeder.customers.size() == 60);
  CHECK(OpenOfLevel(state, v1::INCIDENT_LEVEL_TRANSFORMER).empty());
  const auto singles = OpenOfLevel(state, v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
  REQUIRE(singles.size() == 3);
  for (const IncidentRecord* single : singles) {
    CHECK_THAT(single->incident_id, Catch::StartsWith("INC-S-solo-"));
  }
  CHECK(state.OpenIncidentCount() == 4);
  for (int i = 1; i <= 60; ++i) {
    const IncidentRecord* owner = state.IncidentOfTicket("storm-" + std::to_string(i));
    REQUIRE(owner != nullptr);
    CHECK(owner->incident_id == feeder.incident_id);
  }

  int rollups = 0;
  int attached = 0;
  for (const CorrelationDecision& decision : decisions) {
    for (const auto& effect : decision.effects) {
      if (effect.kind == Kind::kRollUp) ++rollups;
      if (effect.kind == Kind::kAttachToIncident) ++attached;
    }
  }
  CHECK(rollups == 1);
  CHECK(attached > 40);  // most of the storm joined without a crew of its own

  // Deterministic: the same calls again give the same decisions.
  CorrelationState replay;
  const std::vector<CorrelationDecision> again = play(replay);
  REQUIRE(again.size() == decisions.size());
  for (size_t i = 0; i < again.size(); ++i) {
    CHECK(again[i].reason == decisions[i].reason);
    CHECK(again[i].incident_id == decisions[i].incident_id);
  }
  // And redelivering the whole storm changes nothing.
  const std::vector<CorrelationDecision> redelivered = play(state);
  for (const CorrelationDecision& decision : redelivered) CHECK(decision.duplicate);
  CHECK(feeder.call_count == 60);
  CHECK(state.OpenIncidentCount() == 4);
}
