#include <catch2/catch.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

std::string DecodeIncident(std::string_view text) {
  auto memo = IncidentMemo::Decode(text);
  return memo.ok() ? "ok" : memo.error().ToString();
}

std::string DecodeCase(std::string_view text) {
  auto memo = CaseMemo::Decode(text);
  return memo.ok() ? "ok" : memo.error().ToString();
}

TEST_CASE("An empty memo encodes to its version alone and decodes from nothing") {
  CHECK(IncidentMemo().Encode() == R"({"v":1})");
  CHECK(CaseMemo().Encode() == R"({"v":1})");
  REQUIRE(IncidentMemo::Decode("").ok());
  CHECK(*IncidentMemo::Decode("") == IncidentMemo());
  CHECK(*IncidentMemo::Decode(R"({"v":1})") == IncidentMemo());
  REQUIRE(CaseMemo::Decode("").ok());
  CHECK(*CaseMemo::Decode("") == CaseMemo());
}

TEST_CASE("An incident memo survives encoding with every field set") {
  IncidentMemo memo;
  memo.started = true;
  memo.last_etr = kNow + 2h + 123ms;
  memo.etr_count = 2;
  memo.crew_on_site = true;
  memo.restored = true;
  memo.merged = true;
  memo.level = v1::INCIDENT_LEVEL_FEEDER;
  memo.feeder_id = "FDR-0001-03";
  memo.transformer_id = "TA-0001-03-012";
  memo.planned = PlannedOutageMemo{kNow + 240h, kNow + 248h,        "FDR-0001-03", "TA-0001-03-012",
                                   "线路检修",  "line maintenance", true,          kNow + 72h};
  const std::string text = memo.Encode();
  auto decoded = IncidentMemo::Decode(text);
  REQUIRE(decoded.ok());
  CHECK(*decoded == memo);
  CHECK(text.find("\"etr_count\":2") != std::string::npos);
}

TEST_CASE("A case memo survives encoding with every field set") {
  const CaseMemo memo{"C-1001",
                      "marketing",
                      v1::DEPARTMENT_MARKETING,
                      v1::REQUEST_TYPE_COMPLAINT,
                      v1::CASE_ORIGIN_FAULT_RETURN_VISIT,
                      kNow + 120h};
  auto decoded = CaseMemo::Decode(memo.Encode());
  REQUIRE(decoded.ok());
  CHECK(*decoded == memo);
}

TEST_CASE("A memo that is not what this build writes is refused") {
  CHECK(DecodeIncident("{").rfind("INVALID_ARGUMENT: incident memo: not valid JSON", 0) == 0);
  CHECK(DecodeIncident(R"({"v":2})") ==
        "INVALID_ARGUMENT: incident memo: unknown version 2 (this build writes 1)");
  CHECK(DecodeIncident(R"({"started":true})") ==
        "INVALID_ARGUMENT: incident memo: unknown version 0 (this build writes 1)");
  CHECK(DecodeIncident(R"({"v":1,"ert_ms":5})")
            .rfind("INVALID_ARGUMENT: incident memo: unknown key \"ert_ms\"", 0) == 0);
  CHECK(DecodeIncident(R"({"v":1,"started":"yes"})") ==
        "INVALID_ARGUMENT: incident memo: \"started\" must be true or false, got \"yes\"");
  CHECK(DecodeIncident(R"({"v":1,"level":9})") ==
        "INVALID_ARGUMENT: incident memo: \"level\": unknown value 9");
  CHECK(DecodeIncident(R"({"v":1,"planned":[]})") ==
        "INVALID_ARGUMENT: incident memo: \"planned\" must be an object, got []");
  CHECK(DecodeIncident(R"({"v":1,"planned":{"starts_ms":"x"}})")
            .rfind("INVALID_ARGUMENT: incident memo: \"planned.starts_ms\" must be an integer",
                   0) == 0);
  CHECK(DecodeCase(R"({"v":1,"department":99})") ==
        "INVALID_ARGUMENT: case memo: \"department\": unknown value 99");
  CHECK(DecodeCase(R"({"v":1,"customer":7})") ==
        "INVALID_ARGUMENT: case memo: \"customer\" must be a string, got 7");
}

}  // namespace
}  // namespace gridcare::notification
