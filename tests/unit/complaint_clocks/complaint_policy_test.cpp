// ComplaintPolicy: defaults, the JSON reader and its errors, the shipped file, the lookups and the
// fault-visit sample.
#include "complaint_policy.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "gridcare/config/files.h"

namespace gridcare::complaint {
namespace {

using namespace std::chrono_literals;

const std::string kShippedPath =
    std::string(GRIDCARE_SOURCE_DIR) + "/services/complaint/config/complaint-policy.json";

// The message of a failed FromJson (the test fails when it succeeded).
std::string LoadError(const std::string& json) {
  auto loaded = ComplaintPolicy::FromJson(json);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(loaded.error().message.rfind("complaint policy: ", 0) == 0);
  return loaded.error().message;
}

// Every field but the causes.
void CheckSameApartFromCauses(const ComplaintPolicy& a, const ComplaintPolicy& b) {
  CHECK(a.reminder_percents == b.reminder_percents);
  REQUIRE(a.ladder.size() == b.ladder.size());
  for (size_t i = 0; i < a.ladder.size(); ++i) {
    CHECK(a.ladder[i].level == b.ladder[i].level);
    CHECK(a.ladder[i].role == b.ladder[i].role);
    CHECK(a.ladder[i].after_breach == b.ladder[i].after_breach);
  }
  CHECK(a.max_returns == b.max_returns);
  CHECK(a.contact_attempts_required == b.contact_attempts_required);
  CHECK(a.visit_attempts == b.visit_attempts);
  CHECK(a.dissatisfied_to_coordinator == b.dissatisfied_to_coordinator);
  CHECK(a.fault_visit_share == b.fault_visit_share);
  CHECK(a.senior_contact == b.senior_contact);
  CHECK(a.senior_reply_working_days == b.senior_reply_working_days);
  CHECK(a.coordination_working_days == b.coordination_working_days);
  CHECK(a.no_visit_types == b.no_visit_types);
}

}  // namespace

TEST_CASE("complaint policy defaults are the documented ones") {
  const ComplaintPolicy policy;
  CHECK(policy.reminder_percents == std::vector<int>{50, 80});
  REQUIRE(policy.ladder.size() == 3);
  CHECK(policy.ladder[0].level == 1);
  CHECK(policy.ladder[0].role == "department-head");
  CHECK(policy.ladder[0].after_breach == 0h);
  CHECK(policy.ladder[1].level == 2);
  CHECK(policy.ladder[1].role == "service-dispatch-centre");
  CHECK(policy.ladder[1].after_breach == 24h);
  CHECK(policy.ladder[2].level == 3);
  CHECK(policy.ladder[2].role == "company-leadership");
  CHECK(policy.ladder[2].after_breach == 72h);
  CHECK(policy.max_returns == 2);
  CHECK(policy.contact_attempts_required == 3);
  CHECK(policy.visit_attempts == 3);
  CHECK(policy.dissatisfied_to_coordinator == 2);
  CHECK(policy.fault_visit_share == 0.1);
  CHECK(policy.senior_contact == 12h);
  CHECK(policy.senior_reply_working_days == 3);
  CHECK(policy.coordination_working_days == 2);
  CHECK(policy.no_visit_types == std::vector<v1::RequestType>{v1::REQUEST_TYPE_PRAISE});
  CHECK(policy.causes.empty());

  auto empty = ComplaintPolicy::FromJson("{}");
  REQUIRE(empty.ok());
  CheckSameApartFromCauses(*empty, policy);
  CHECK(empty->causes.empty());
}

TEST_CASE("complaint policy reads every key") {
  auto policy = ComplaintPolicy::FromJson(R"({
    "note": "tenant B",
    "reminder_percents": [25, 50, 90],
    "ladder": [{"level": 1, "role": "head", "after_breach_hours": 2},
               {"level": 2, "role": "centre", "after_breach_hours": 2}],
    "max_returns": 4, "contact_attempts_required": 2, "visit_attempts": 5,
    "dissatisfied_to_coordinator": 1, "fault_visit_share": 0.25, "senior_contact_hours": 6,
    "senior_reply_working_days": 2, "coordination_working_days": 3,
    "no_visit_types": ["praise", "suggestion", "consultation"],
    "causes": [{"code": "slow-repair", "zh_cn": "抢修不及时", "en": "Slow repair"}]
  })");
  REQUIRE(policy.ok());
  CHECK(policy->reminder_percents == std::vector<int>{25, 50, 90});
  REQUIRE(policy->ladder.size() == 2);
  CHECK(policy->ladder[0].role == "head");
  CHECK(policy->ladder[0].after_breach == 2h);
  CHECK(policy->ladder[1].level == 2);
  CHECK(policy->ladder[1].role == "centre");
  CHECK(policy->ladder[1].after_breach == 2h);
  CHECK(policy->max_returns == 4);
  CHECK(policy->contact_attempts_required == 2);
  CHECK(policy->visit_attempts == 5);
  CHECK(policy->dissatisfied_to_coordinator == 1);
  CHECK(policy->fault_visit_share == 0.25);
  CHECK(policy->senior_contact == 6h);
  CHECK(policy->senior_reply_working_days == 2);
  CHECK(policy->coordination_working_days == 3);
  CHECK(policy->no_visit_types == std::vector<v1::RequestType>{v1::REQUEST_TYPE_PRAISE,
                                                               v1::REQUEST_TYPE_SUGGESTION,
                                                               v1::REQUEST_TYPE_CONSULTATION});
  REQUIRE(policy->causes.size() == 1);
  CHECK(policy->causes[0].code == "slow-repair");
  CHECK(policy->causes[0].label.zh_cn() == "抢修不及时");
  CHECK(policy->causes[0].label.en() == "Slow repair");

  auto none = ComplaintPolicy::FromJson(R"({"reminder_percents": [], "no_visit_types": []})");
  REQUIRE(none.ok());
  CHECK(none->reminder_percents.empty());
  CHECK(none->no_visit_types.empty());
  CHECK_FALSE(none->ClosesWithoutVisit(v1::REQUEST_TYPE_PRAISE));

  auto every_type = ComplaintPolicy::FromJson(
      R"({"no_visit_types": ["complaint", "report", "opinion", "suggestion", "praise", "consultation"]})");
  REQUIRE(every_type.ok());
  CHECK(every_type->no_visit_types ==
        std::vector<v1::RequestType>{v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_REPORT,
                                     v1::REQUEST_TYPE_OPINION, v1::REQUEST_TYPE_SUGGESTION,
                                     v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION});

  auto bounds = ComplaintPolicy::FromJson(
      R"({"reminder_percents": [1, 99], "fault_visit_share": 0, "senior_contact_hours": 8760,
          "ladder": [{"level": 1, "role": "r", "after_breach_hours": 0}]})");
  REQUIRE(bounds.ok());
  CHECK(bounds->reminder_percents == std::vector<int>{1, 99});
  CHECK(bounds->fault_visit_share == 0.0);
  CHECK(bounds->senior_contact == 8760h);
  CHECK(bounds->ladder.size() == 1);
}

TEST_CASE("complaint policy rejects malformed documents") {
  CHECK(LoadError("{").find("not valid JSON") != std::string::npos);
  CHECK(LoadError("[]") == "complaint policy: expected a JSON object, got array");
  CHECK(LoadError(R"({"max_returns": 1, "max_returns": 2})") ==
        "complaint policy: key \"max_returns\" given more than once");
  CHECK(LoadError(R"({"reminders": [50]})").find("unknown key \"reminders\"") != std::string::npos);
  CHECK(LoadError(R"({"note": 3})") == "complaint policy: \"note\" must be a string, got 3");
}

TEST_CASE("complaint policy rejects bad reminder percents") {
  CHECK(LoadError(R"({"reminder_percents": 50})") ==
        "complaint policy: \"reminder_percents\" must be an array, got 50");
  CHECK(LoadError(R"({"reminder_percents": [0]})") ==
        "complaint policy: \"reminder_percents[0]\" must be an integer in 1..99, got 0");
  CHECK(LoadError(R"({"reminder_percents": [50, 100]})") ==
        "complaint policy: \"reminder_percents[1]\" must be an integer in 1..99, got 100");
  CHECK(LoadError(R"({"reminder_percents": ["50"]})") ==
        "complaint policy: \"reminder_percents[0]\" must be an integer in 1..99, got \"50\"");
  CHECK(LoadError(R"({"reminder_percents": [50.5]})") ==
        "complaint policy: \"reminder_percents[0]\" must be an integer in 1..99, got 50.5");
  CHECK(LoadError(R"({"reminder_percents": [80, 50]})") ==
        "complaint policy: \"reminder_percents[1]\" (50) must be above the percent before it "
        "(80): percents rise strictly");
  CHECK(LoadError(R"({"reminder_percents": [50, 50]})") ==
        "complaint policy: \"reminder_percents[1]\" (50) must be above the percent before it "
        "(50): percents rise strictly");
}

TEST_CASE("complaint policy rejects a bad ladder") {
  CHECK(LoadError(R"({"ladder": {}})") == "complaint policy: \"ladder\" must be an array, got {}");
  CHECK(LoadError(R"({"ladder": []})") ==
        "complaint policy: \"ladder\" must have at least level 1");
  CHECK(LoadError(R"({"ladder": [1]})") ==
        "complaint policy: \"ladder[0]\" must be an object, got 1");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": "a", "after_breach_hours": 0, "x": 1}]})")
            .find("ladder[0]: unknown key \"x\" (known: level, role, after_breach_hours)") !=
        std::string::npos);
  CHECK(LoadError(R"({"ladder": [{"level": 1, "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[0].role\" is required");
  CHECK(LoadError(R"({"ladder": [{"level": 2, "role": "a", "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[0].level\" must be 1, got 2: levels are 1, 2, 3 … in order");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": "a", "after_breach_hours": 0},
                                 {"level": 3, "role": "b", "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[1].level\" must be 2, got 3: levels are 1, 2, 3 … in order");
  CHECK(LoadError(R"({"ladder": [{"level": "1", "role": "a", "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[0].level\" must be an integer in 1..100, got \"1\"");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": "", "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[0].role\" must not be empty");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": 7, "after_breach_hours": 0}]})") ==
        "complaint policy: \"ladder[0].role\" must be a string, got 7");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": "a", "after_breach_hours": -1}]})") ==
        "complaint policy: \"ladder[0].after_breach_hours\" must be an integer in 0..8760, got -1");
  CHECK(LoadError(R"({"ladder": [{"level": 1, "role": "a", "after_breach_hours": 24},
                                 {"level": 2, "role": "b", "after_breach_hours": 12}]})") ==
        "complaint policy: \"ladder[1].after_breach_hours\" (12) must not be below the level "
        "before it (24)");
}

TEST_CASE("complaint policy rejects counts, share and limits out of range") {
  for (const char* key : {"max_returns", "contact_attempts_required", "visit_attempts",
                          "dissatisfied_to_coordinator"}) {
    CAPTURE(key);
    CHECK(LoadError(std::string(R"({")") + key + R"(": 0})") ==
          std::string("complaint policy: \"") + key + "\" must be an integer in 1..100, got 0");
    CHECK(LoadError(std::string(R"({")") + key + R"(": 101})") ==
          std::string("complaint policy: \"") + key + "\" must be an integer in 1..100, got 101");
  }
  for (const char* key : {"senior_reply_working_days", "coordination_working_days"}) {
    CAPTURE(key);
    CHECK(LoadError(std::string(R"({")") + key + R"(": 0})") ==
          std::string("complaint policy: \"") + key + "\" must be an integer in 1..365, got 0");
    CHECK(LoadError(std::string(R"({")") + key + R"(": 2.5})") ==
          std::string("complaint policy: \"") + key + "\" must be an integer in 1..365, got 2.5");
  }
  CHECK(LoadError(R"({"senior_contact_hours": 0})") ==
        "complaint policy: \"senior_contact_hours\" must be an integer in 1..8760, got 0");
  CHECK(LoadError(R"({"fault_visit_share": -0.1})") ==
        "complaint policy: \"fault_visit_share\" must be a number in 0..1, got -0.1");
  CHECK(LoadError(R"({"fault_visit_share": 1.5})") ==
        "complaint policy: \"fault_visit_share\" must be a number in 0..1, got 1.5");
  CHECK(LoadError(R"({"fault_visit_share": "0.1"})") ==
        "complaint policy: \"fault_visit_share\" must be a number in 0..1, got \"0.1\"");
}

TEST_CASE("complaint policy rejects bad no-visit types") {
  CHECK(LoadError(R"({"no_visit_types": "praise"})") ==
        "complaint policy: \"no_visit_types\" must be an array, got \"praise\"");
  CHECK(LoadError(R"({"no_visit_types": ["praise", "fault_repair"]})") ==
        "complaint policy: \"no_visit_types[1]\": unknown request type \"fault_repair\" (known: "
        "complaint, report, opinion, suggestion, praise, consultation)");
  CHECK(LoadError(R"({"no_visit_types": ["PRAISE"]})").find("unknown request type \"PRAISE\"") !=
        std::string::npos);
  CHECK(LoadError(R"({"no_visit_types": ["praise", "praise"]})") ==
        "complaint policy: \"no_visit_types[1]\": \"praise\" given more than once");
  CHECK(LoadError(R"({"no_visit_types": [6]})") ==
        "complaint policy: \"no_visit_types[0]\" must be a string, got 6");
}

TEST_CASE("complaint policy rejects a bad cause catalogue") {
  CHECK(LoadError(R"({"causes": {}})") == "complaint policy: \"causes\" must be an array, got {}");
  CHECK(LoadError(R"({"causes": ["other"]})") ==
        "complaint policy: \"causes[0]\" must be an object, got \"other\"");
  CHECK(LoadError(R"({"causes": [{"code": "a", "zh_cn": "甲", "en": "A", "label": "x"}]})")
            .find("causes[0]: unknown key \"label\" (known: code, zh_cn, en)") !=
        std::string::npos);
  CHECK(LoadError(R"({"causes": [{"zh_cn": "甲", "en": "A"}]})") ==
        "complaint policy: \"causes[0].code\" is required");
  CHECK(LoadError(R"({"causes": [{"code": "a", "en": "A"}]})") ==
        "complaint policy: \"causes[0].zh_cn\" is required");
  CHECK(LoadError(R"({"causes": [{"code": "a", "zh_cn": "甲", "en": ""}]})") ==
        "complaint policy: \"causes[0].en\" must not be empty");
  CHECK(LoadError(R"({"causes": [{"code": "", "zh_cn": "甲", "en": "A"}]})") ==
        "complaint policy: \"causes[0].code\" must not be empty");
  CHECK(LoadError(R"({"causes": [{"code": 1, "zh_cn": "甲", "en": "A"}]})") ==
        "complaint policy: \"causes[0].code\" must be a string, got 1");
  CHECK(LoadError(R"({"causes": [{"code": "a", "zh_cn": "甲", "en": "A"},
                                 {"code": "a", "zh_cn": "乙", "en": "B"}]})") ==
        "complaint policy: \"causes[1].code\": \"a\" given more than once");
}

TEST_CASE("the shipped complaint policy parses and equals the defaults apart from the causes") {
  auto text = config::ReadTextFile(kShippedPath);
  REQUIRE(text.ok());
  auto shipped = ComplaintPolicy::FromJson(*text);
  INFO((shipped.ok() ? std::string() : shipped.error().message));
  REQUIRE(shipped.ok());
  CheckSameApartFromCauses(*shipped, ComplaintPolicy{});
  REQUIRE(shipped->causes.size() == 10);
  std::vector<std::string> codes;
  for (const CauseCode& cause : shipped->causes) {
    CAPTURE(cause.code);
    CHECK_FALSE(cause.label.zh_cn().empty());
    CHECK_FALSE(cause.label.en().empty());
    codes.push_back(cause.code);
  }
  CHECK(codes == std::vector<std::string>{"billing-estimate", "tariff-misapplied",
                                          "repeated-outage", "slow-repair", "voltage-quality",
                                          "staff-conduct", "service-hall-process",
                                          "construction-damage", "outage-notice-missing", "other"});
  CHECK(shipped->IsKnownCause("slow-repair"));
  CHECK_FALSE(shipped->IsKnownCause("made-up"));
}

TEST_CASE("known causes, cases closing without a visit and ladder rungs") {
  ComplaintPolicy policy;
  CHECK(policy.IsKnownCause("anything"));  // empty catalogue: any non-empty code
  CHECK_FALSE(policy.IsKnownCause(""));
  policy.causes.push_back({"billing-estimate", {}});
  CHECK(policy.IsKnownCause("billing-estimate"));
  CHECK_FALSE(policy.IsKnownCause("anything"));
  CHECK_FALSE(policy.IsKnownCause(""));

  CHECK(policy.ClosesWithoutVisit(v1::REQUEST_TYPE_PRAISE));
  CHECK_FALSE(policy.ClosesWithoutVisit(v1::REQUEST_TYPE_COMPLAINT));
  CHECK_FALSE(policy.ClosesWithoutVisit(v1::REQUEST_TYPE_SUGGESTION));

  REQUIRE(policy.Rung(1) != nullptr);
  CHECK(policy.Rung(1)->role == "department-head");
  REQUIRE(policy.Rung(3) != nullptr);
  CHECK(policy.Rung(3)->after_breach == 72h);
  CHECK(policy.Rung(0) == nullptr);
  CHECK(policy.Rung(4) == nullptr);
}

TEST_CASE("fault-visit sampling hashes the ticket id with FNV-1a 64 and fmix64") {
  // FNV-1a 64 of "" is the offset basis 0xcbf29ce484222325; through fmix64 it is 0.93677 of 2^64.
  // "a": 0xaf63dc4c8601ec8c, 0.51029.
  CHECK(SampledForFaultVisit("", 0.9368));
  CHECK_FALSE(SampledForFaultVisit("", 0.9367));
  CHECK(SampledForFaultVisit("a", 0.5103));
  CHECK_FALSE(SampledForFaultVisit("a", 0.5102));
  CHECK(SampledForFaultVisit("GC-1", 0.0905));
  CHECK_FALSE(SampledForFaultVisit("GC-1", 0.0904));
  // 0 never, 1 always.
  CHECK_FALSE(SampledForFaultVisit("", 0.0));
  CHECK_FALSE(SampledForFaultVisit("a", -1.0));
  CHECK(SampledForFaultVisit("a", 1.0));
  CHECK(SampledForFaultVisit("", 2.0));
}

TEST_CASE("fault-visit sampling is stable and takes about the share") {
  int at_10 = 0;
  int at_50 = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = "GC-20261124-" + std::to_string(100000 + i);
    const bool sampled_10 = SampledForFaultVisit(id, 0.1);
    CHECK(SampledForFaultVisit(id, 0.1) == sampled_10);  // the same answer every time
    const bool sampled_50 = SampledForFaultVisit(id, 0.5);
    if (sampled_10) CHECK(sampled_50);  // a larger share keeps every ticket a smaller one took
    at_10 += sampled_10 ? 1 : 0;
    at_50 += sampled_50 ? 1 : 0;
  }
  CHECK(at_10 > 800);
  CHECK(at_10 < 1200);
  CHECK(at_50 > 4600);
  CHECK(at_50 < 5400);
}

}  // namespace gridcare::complaint
