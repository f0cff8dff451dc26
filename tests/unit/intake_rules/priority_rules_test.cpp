// ComputePriority: the base table, every raising rule, their combinations and the invariants.
#include "priority_rules.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "urging_rules.h"

namespace v1 = gridcare::v1;
using gridcare::intake::ComputePriority;
using gridcare::intake::PriorityDecision;
using gridcare::intake::PriorityInputs;
using gridcare::intake::PriorityRules;
using gridcare::intake::RequestTypeLabel;

namespace {

constexpr auto kLow = v1::PRIORITY_LOW;
constexpr auto kNormal = v1::PRIORITY_NORMAL;
constexpr auto kHigh = v1::PRIORITY_HIGH;
constexpr auto kUrgent = v1::PRIORITY_URGENT;
constexpr auto kFault = v1::REQUEST_TYPE_FAULT_REPAIR;
constexpr auto kComplaint = v1::REQUEST_TYPE_COMPLAINT;
constexpr auto kImportant = v1::CUSTOMER_TAG_IMPORTANT;
constexpr auto kLifeSupport = v1::CUSTOMER_TAG_LIFE_SUPPORT;
constexpr auto kSensitive = v1::CUSTOMER_TAG_SENSITIVE;
constexpr auto kElderly = v1::CUSTOMER_TAG_ELDERLY;
constexpr auto kVip = v1::CUSTOMER_TAG_VIP_ACCOUNT;

const std::vector<v1::RequestType>& AllTypes() {
  static const auto* const kTypes = new std::vector<v1::RequestType>{
      v1::REQUEST_TYPE_UNSPECIFIED,
      v1::REQUEST_TYPE_FAULT_REPAIR,
      v1::REQUEST_TYPE_COMPLAINT,
      v1::REQUEST_TYPE_REPORT,
      v1::REQUEST_TYPE_OPINION,
      v1::REQUEST_TYPE_SUGGESTION,
      v1::REQUEST_TYPE_PRAISE,
      v1::REQUEST_TYPE_CONSULTATION,
      v1::REQUEST_TYPE_SERVICE_APPLICATION,
      v1::REQUEST_TYPE_URGING,
  };
  return *kTypes;
}

const std::vector<v1::CustomerTag>& AllTags() {
  static const auto* const kTags =
      new std::vector<v1::CustomerTag>{kImportant, kLifeSupport, kSensitive, kElderly, kVip};
  return *kTags;
}

v1::Priority BaseOf(v1::RequestType type) {
  return ComputePriority(PriorityInputs{type, {}, 0, 0, false, false}, PriorityRules{}).priority;
}

PriorityInputs Inputs(v1::RequestType type, std::vector<v1::CustomerTag> tags = {}, int urgings = 0,
                      int64_t incident = 0, bool public_safety = false, bool unidentified = false) {
  return PriorityInputs{type, std::move(tags), urgings, incident, public_safety, unidentified};
}

}  // namespace

TEST_CASE("base priority for every request type", "[priority][base]") {
  struct Row {
    v1::RequestType type;
    v1::Priority priority;
    const char* reason;
  };
  const Row rows[] = {
      {v1::REQUEST_TYPE_FAULT_REPAIR, kNormal, "base NORMAL (fault repair)"},
      {v1::REQUEST_TYPE_COMPLAINT, kNormal, "base NORMAL (complaint)"},
      {v1::REQUEST_TYPE_REPORT, kNormal, "base NORMAL (report)"},
      {v1::REQUEST_TYPE_SERVICE_APPLICATION, kNormal, "base NORMAL (service application)"},
      {v1::REQUEST_TYPE_URGING, kNormal, "base NORMAL (urging)"},
      {v1::REQUEST_TYPE_UNSPECIFIED, kNormal, "base NORMAL (unclassified request)"},
      {static_cast<v1::RequestType>(77), kNormal, "base NORMAL (unclassified request)"},
      {v1::REQUEST_TYPE_OPINION, kLow, "base LOW (opinion)"},
      {v1::REQUEST_TYPE_SUGGESTION, kLow, "base LOW (suggestion)"},
      {v1::REQUEST_TYPE_PRAISE, kLow, "base LOW (praise)"},
      {v1::REQUEST_TYPE_CONSULTATION, kLow, "base LOW (consultation)"},
  };
  for (const Row& row : rows) {
    INFO(row.reason);
    const auto decision = ComputePriority(Inputs(row.type), PriorityRules{});
    CHECK(decision.priority == row.priority);
    CHECK(decision.reasons == std::vector<std::string>{row.reason});
  }
}

TEST_CASE("each raising rule on its own", "[priority][rules]") {
  struct Row {
    const char* name;
    PriorityInputs inputs;
    v1::Priority priority;
    std::vector<std::string> reasons;
  };
  const std::vector<Row> rows = {
      {"life-support fault",
       Inputs(kFault, {kLifeSupport}),
       kUrgent,
       {"base NORMAL (fault repair)", "life-support customer with a fault → URGENT"}},
      {"public safety fault",
       Inputs(kFault, {}, 0, 0, true),
       kUrgent,
       {"base NORMAL (fault repair)", "public-safety hazard → URGENT"}},
      {"public safety consultation",
       Inputs(v1::REQUEST_TYPE_CONSULTATION, {}, 0, 0, true),
       kUrgent,
       {"base LOW (consultation)", "public-safety hazard → URGENT"}},
      {"important fault",
       Inputs(kFault, {kImportant}),
       kHigh,
       {"base NORMAL (fault repair)", "important customer with a fault → HIGH"}},
      {"important fault, small incident",
       Inputs(kFault, {kImportant}, 0, 49),
       kHigh,
       {"base NORMAL (fault repair)", "important customer with a fault → HIGH"}},
      {"important fault, large incident",
       Inputs(kFault, {kImportant}, 0, 50),
       kUrgent,
       {"base NORMAL (fault repair)",
        "important customer with a fault in an incident of 50 customers → URGENT",
        "incident affects 50 customers (≥ 50) → HIGH"}},
      {"important complaint",
       Inputs(kComplaint, {kImportant}),
       kHigh,
       {"base NORMAL (complaint)", "complaint from an important customer → HIGH"}},
      {"sensitive complaint",
       Inputs(kComplaint, {kSensitive}),
       kHigh,
       {"base NORMAL (complaint)", "complaint from a sensitive customer → HIGH"}},
      {"fault incident 50",
       Inputs(kFault, {}, 0, 50),
       kHigh,
       {"base NORMAL (fault repair)", "incident affects 50 customers (≥ 50) → HIGH"}},
      {"fault incident 500",
       Inputs(kFault, {}, 0, 500),
       kUrgent,
       {"base NORMAL (fault repair)", "incident affects 500 customers (≥ 500) → URGENT"}},
      {"one urging",
       Inputs(kComplaint, {}, 1),
       kHigh,
       {"base NORMAL (complaint)", "1 urging(s) (≥ 1) → HIGH"}},
      {"three urgings",
       Inputs(kComplaint, {}, 3),
       kUrgent,
       {"base NORMAL (complaint)", "3 urging(s) (≥ 3) → URGENT"}},
      {"urging on a LOW type",
       Inputs(v1::REQUEST_TYPE_SUGGESTION, {}, 2),
       kHigh,
       {"base LOW (suggestion)", "2 urging(s) (≥ 1) → HIGH"}},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    const auto decision = ComputePriority(row.inputs, PriorityRules{});
    CHECK(decision.priority == row.priority);
    CHECK(decision.reasons == row.reasons);
  }
}

TEST_CASE("rules that do not apply leave the base", "[priority][rules]") {
  struct Row {
    const char* name;
    PriorityInputs inputs;
  };
  const std::vector<Row> rows = {
      {"life-support complaint", Inputs(kComplaint, {kLifeSupport})},
      {"life-support application", Inputs(v1::REQUEST_TYPE_SERVICE_APPLICATION, {kLifeSupport})},
      {"important application", Inputs(v1::REQUEST_TYPE_SERVICE_APPLICATION, {kImportant})},
      {"important opinion", Inputs(v1::REQUEST_TYPE_OPINION, {kImportant})},
      {"sensitive fault", Inputs(kFault, {kSensitive})},
      {"sensitive report", Inputs(v1::REQUEST_TYPE_REPORT, {kSensitive})},
      {"incident on a complaint", Inputs(kComplaint, {}, 0, 100000)},
      {"incident on an urging ticket", Inputs(v1::REQUEST_TYPE_URGING, {}, 0, 100000)},
      {"fault incident below threshold", Inputs(kFault, {}, 0, 49)},
      {"public safety in praise", Inputs(v1::REQUEST_TYPE_PRAISE, {}, 0, 0, true)},
      {"negative urgings", Inputs(kFault, {}, -5)},
      {"negative incident", Inputs(kFault, {}, 0, -900)},
      {"unknown tag value", Inputs(kFault, {static_cast<v1::CustomerTag>(99)})},
      {"unspecified tag", Inputs(kFault, {v1::CUSTOMER_TAG_UNSPECIFIED})},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    const auto decision = ComputePriority(row.inputs, PriorityRules{});
    CHECK(decision.priority == BaseOf(row.inputs.type));
    CHECK(decision.reasons.size() == 1);
  }
}

TEST_CASE("elderly and VIP-account tags never change priority", "[priority][tags]") {
  for (v1::RequestType type : AllTypes()) {
    INFO(RequestTypeLabel(type));
    for (const auto& tags :
         std::vector<std::vector<v1::CustomerTag>>{{kElderly}, {kVip}, {kElderly, kVip}}) {
      const auto decision = ComputePriority(Inputs(type, tags), PriorityRules{});
      CHECK(decision.priority == BaseOf(type));
      CHECK(decision.reasons.size() == 1);
    }
  }
}

TEST_CASE("public safety makes every type but praise URGENT", "[priority][safety]") {
  for (v1::RequestType type : AllTypes()) {
    INFO(RequestTypeLabel(type));
    const auto decision = ComputePriority(Inputs(type, {}, 0, 0, true), PriorityRules{});
    CHECK(decision.priority == (type == v1::REQUEST_TYPE_PRAISE ? kLow : kUrgent));
  }
}

TEST_CASE("urging steps for every type", "[priority][urgings]") {
  for (v1::RequestType type : AllTypes()) {
    INFO(RequestTypeLabel(type));
    CHECK(ComputePriority(Inputs(type, {}, 0), PriorityRules{}).priority == BaseOf(type));
    CHECK(ComputePriority(Inputs(type, {}, 1), PriorityRules{}).priority == kHigh);
    CHECK(ComputePriority(Inputs(type, {}, 2), PriorityRules{}).priority == kHigh);
    CHECK(ComputePriority(Inputs(type, {}, 3), PriorityRules{}).priority == kUrgent);
    CHECK(ComputePriority(Inputs(type, {}, 50), PriorityRules{}).priority == kUrgent);
  }
}

TEST_CASE("incident-size steps for faults, at and around each threshold", "[priority][incident]") {
  struct Row {
    int64_t size;
    v1::Priority plain;      // no tags
    v1::Priority important;  // important customer
  };
  const Row rows[] = {
      {0, kNormal, kHigh},         {1, kNormal, kHigh},   {49, kNormal, kHigh},
      {50, kHigh, kUrgent},        {499, kHigh, kUrgent}, {500, kUrgent, kUrgent},
      {1000000, kUrgent, kUrgent},
  };
  for (const Row& row : rows) {
    INFO(row.size);
    CHECK(ComputePriority(Inputs(kFault, {}, 0, row.size), PriorityRules{}).priority == row.plain);
    CHECK(ComputePriority(Inputs(kFault, {kImportant}, 0, row.size), PriorityRules{}).priority ==
          row.important);
  }
}

TEST_CASE("configured thresholds move the steps and 0 turns a step off", "[priority][config]") {
  PriorityRules rules;
  rules.urgings_for_high = 2;
  rules.urgings_for_urgent = 5;
  rules.incident_size_for_high = 10;
  rules.incident_size_for_urgent = 20;
  CHECK(ComputePriority(Inputs(kComplaint, {}, 1), rules).priority == kNormal);
  CHECK(ComputePriority(Inputs(kComplaint, {}, 2), rules).priority == kHigh);
  CHECK(ComputePriority(Inputs(kComplaint, {}, 4), rules).priority == kHigh);
  CHECK(ComputePriority(Inputs(kComplaint, {}, 5), rules).priority == kUrgent);
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 9), rules).priority == kNormal);
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 10), rules).priority == kHigh);
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 20), rules).priority == kUrgent);
  CHECK(ComputePriority(Inputs(kFault, {kImportant}, 0, 10), rules).priority == kUrgent);

  SECTION("all off") {
    PriorityRules off{0, 0, 0, 0};
    CHECK(ComputePriority(Inputs(kComplaint, {}, 100), off).priority == kNormal);
    CHECK(ComputePriority(Inputs(kFault, {}, 0, 100000), off).priority == kNormal);
    // The important-customer rule falls back to HIGH when the incident step is off.
    CHECK(ComputePriority(Inputs(kFault, {kImportant}, 0, 100000), off).priority == kHigh);
    // Tag and safety rules have no threshold.
    CHECK(ComputePriority(Inputs(kFault, {kLifeSupport}), off).priority == kUrgent);
    CHECK(ComputePriority(Inputs(kFault, {}, 0, 0, true), off).priority == kUrgent);
  }
  SECTION("only the URGENT step on") {
    PriorityRules urgent_only{0, 3, 0, 500};
    CHECK(ComputePriority(Inputs(kComplaint, {}, 2), urgent_only).priority == kNormal);
    CHECK(ComputePriority(Inputs(kComplaint, {}, 3), urgent_only).priority == kUrgent);
    CHECK(ComputePriority(Inputs(kFault, {}, 0, 499), urgent_only).priority == kNormal);
    CHECK(ComputePriority(Inputs(kFault, {}, 0, 500), urgent_only).priority == kUrgent);
  }
}

TEST_CASE("unidentified callers: tags are not applied, everything else is",
          "[priority][unidentified]") {
  const auto tagged = ComputePriority(Inputs(kFault, {kLifeSupport, kImportant}, 0, 0, false, true),
                                      PriorityRules{});
  CHECK(tagged.priority == kNormal);
  CHECK(tagged.reasons ==
        std::vector<std::string>{"base NORMAL (fault repair)",
                                 "caller unidentified: customer tags not applied"});

  const auto complaint =
      ComputePriority(Inputs(kComplaint, {kSensitive}, 0, 0, false, true), PriorityRules{});
  CHECK(complaint.priority == kNormal);

  // No tags, no note.
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 0, false, true), PriorityRules{}).reasons.size() ==
        1);
  // A passer-by reporting a downed line.
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 0, true, true), PriorityRules{}).priority == kUrgent);
  CHECK(ComputePriority(Inputs(kFault, {}, 1, 0, false, true), PriorityRules{}).priority == kHigh);
  CHECK(ComputePriority(Inputs(kFault, {}, 0, 500, false, true), PriorityRules{}).priority ==
        kUrgent);
}

TEST_CASE("combinations list every rule that applied, in table order", "[priority][combinations]") {
  const auto decision = ComputePriority(
      Inputs(kFault, {kVip, kImportant, kLifeSupport, kSensitive}, 4, 600, true), PriorityRules{});
  CHECK(decision.priority == kUrgent);
  CHECK(decision.reasons ==
        std::vector<std::string>{
            "base NORMAL (fault repair)",
            "public-safety hazard → URGENT",
            "life-support customer with a fault → URGENT",
            "important customer with a fault in an incident of 600 customers → URGENT",
            "incident affects 600 customers (≥ 500) → URGENT",
            "4 urging(s) (≥ 3) → URGENT",
        });

  const auto complaint =
      ComputePriority(Inputs(kComplaint, {kImportant, kSensitive}, 1), PriorityRules{});
  CHECK(complaint.priority == kHigh);
  CHECK(complaint.reasons == std::vector<std::string>{
                                 "base NORMAL (complaint)",
                                 "complaint from an important customer → HIGH",
                                 "complaint from a sensitive customer → HIGH",
                                 "1 urging(s) (≥ 1) → HIGH",
                             });

  // HIGH from two directions stays HIGH; URGENT from a third wins.
  CHECK(ComputePriority(Inputs(kComplaint, {kSensitive}, 2), PriorityRules{}).priority == kHigh);
  CHECK(ComputePriority(Inputs(kComplaint, {kSensitive}, 3), PriorityRules{}).priority == kUrgent);
  CHECK(ComputePriority(Inputs(kFault, {kImportant}, 1, 60), PriorityRules{}).priority == kUrgent);
  // Repeated tags count once.
  CHECK(ComputePriority(Inputs(kFault, {kImportant, kImportant}), PriorityRules{}).reasons.size() ==
        2);
}

TEST_CASE("every combination: never below the base, raising inputs never lower",
          "[priority][exhaustive]") {
  const int urging_values[] = {0, 1, 3};
  const int64_t incident_values[] = {0, 50, 500};
  int combinations = 0;
  for (v1::RequestType type : AllTypes()) {
    const v1::Priority base = BaseOf(type);
    for (unsigned mask = 0; mask < (1u << AllTags().size()); ++mask) {
      std::vector<v1::CustomerTag> tags;
      for (size_t i = 0; i < AllTags().size(); ++i) {
        if (mask & (1u << i)) tags.push_back(AllTags()[i]);
      }
      for (size_t u = 0; u < std::size(urging_values); ++u) {
        for (size_t n = 0; n < std::size(incident_values); ++n) {
          for (bool safety : {false, true}) {
            for (bool unidentified : {false, true}) {
              ++combinations;
              const PriorityInputs inputs =
                  Inputs(type, tags, urging_values[u], incident_values[n], safety, unidentified);
              INFO(RequestTypeLabel(type) << " tags=" << mask << " urgings=" << urging_values[u]
                                          << " incident=" << incident_values[n] << " safety="
                                          << safety << " unidentified=" << unidentified);
              const PriorityDecision decision = ComputePriority(inputs, PriorityRules{});
              REQUIRE(decision.priority >= base);
              REQUIRE(decision.priority >= kLow);
              REQUIRE(decision.priority <= kUrgent);
              REQUIRE_FALSE(decision.reasons.empty());
              REQUIRE(decision.reasons.front().rfind("base ", 0) == 0);
              // Above the base only with a reason that names the final priority.
              if (decision.priority != base) {
                const std::string arrow =
                    "→ " + std::string(decision.priority == kUrgent ? "URGENT" : "HIGH");
                REQUIRE(std::any_of(decision.reasons.begin() + 1, decision.reasons.end(),
                                    [&](const std::string& r) {
                                      return r.size() >= arrow.size() &&
                                             r.compare(r.size() - arrow.size(), arrow.size(),
                                                       arrow) == 0;
                                    }));
              }
              // Monotonic: more urgings, a larger incident, a hazard or an extra tag never lower.
              if (u + 1 < std::size(urging_values)) {
                PriorityInputs more = inputs;
                more.urging_count = urging_values[u + 1];
                REQUIRE(ComputePriority(more, PriorityRules{}).priority >= decision.priority);
              }
              if (n + 1 < std::size(incident_values)) {
                PriorityInputs more = inputs;
                more.incident_size = incident_values[n + 1];
                REQUIRE(ComputePriority(more, PriorityRules{}).priority >= decision.priority);
              }
              if (!safety) {
                PriorityInputs more = inputs;
                more.public_safety = true;
                REQUIRE(ComputePriority(more, PriorityRules{}).priority >= decision.priority);
              }
              for (v1::CustomerTag tag : AllTags()) {
                PriorityInputs more = inputs;
                more.tags.push_back(tag);
                REQUIRE(ComputePriority(more, PriorityRules{}).priority >= decision.priority);
              }
              // Identifying the caller never lowers either (tags can only raise).
              if (unidentified) {
                PriorityInputs identified = inputs;
                identified.unidentified = false;
                REQUIRE(ComputePriority(identified, PriorityRules{}).priority >= decision.priority);
              }
            }
          }
        }
      }
    }
  }
  CHECK(combinations == 10 * 32 * 3 * 3 * 2 * 2);
}
