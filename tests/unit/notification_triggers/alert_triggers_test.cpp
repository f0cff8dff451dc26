#include <catch2/catch.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

v1::AlertEvent Raised(v1::AlertKind kind, v1::AlertSeverity severity = v1::ALERT_SEVERITY_WARNING,
                      std::string role = "district-supervisor", v1::LocalizedText summary = {}) {
  v1::AlertEvent event;
  v1::RiskWarningRaised* w = event.mutable_raised();
  w->set_alert_id("AL-42");
  w->set_kind(kind);
  w->set_severity(severity);
  w->set_category(v1::REQUEST_TYPE_FAULT_REPAIR);
  w->set_area("DIST-001");
  w->set_keyword("电压低");
  w->set_observed(137.4);
  w->set_expected(21.2);
  w->set_score(6.5);
  w->set_responsible_role(std::move(role));
  *w->mutable_summary() = std::move(summary);
  return event;
}

TEST_CASE("A surge warning tells the responsible supervisor how many contacts came") {
  const auto out = Shipped().OnAlert(Raised(v1::ALERT_KIND_SURGE), kNow);
  CheckIntents(out.intents, {{"alert.risk_warning",
                              "staff.risk_warning",
                              "AL-42",
                              Staff("district-supervisor"),
                              {{"area", TextValue("DIST-001")},
                               {"summary", LocValue("往常同期约21.2件。", "Usually about 21.2.")},
                               {"category", LocValue("故障报修", "fault repair")},
                               {"contact_count", CountValue(137)}}}});
}

TEST_CASE("A warning's own summary is used and a missing role falls back to the default") {
  const auto out = Shipped().OnAlert(
      Raised(v1::ALERT_KIND_SURGE, v1::ALERT_SEVERITY_CRITICAL, "",
             Loc("停电报修量为往常的6倍。", "Outage reports are six times the usual.")),
      kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(out.intents[0].recipients == Staff("service-dispatch-centre"));
  CHECK(Describe(*out.intents[0].values.Find("summary")) ==
        Describe(LocValue("停电报修量为往常的6倍。", "Outage reports are six times the usual.")));
}

TEST_CASE("Other kinds of warning use the summary template with a summary of their own") {
  const std::vector<std::pair<v1::AlertKind, Value>> cases = {
      {v1::ALERT_KIND_KEYWORD_HOTSPOT,
       LocValue("热点词“电压低”出现137.4次，往常约21.2次。",
                "The keyword \"电压低\" came up 137.4 times, against about 21.2 usually.")},
      {v1::ALERT_KIND_SLA_AT_RISK,
       LocValue("137.4件工单临近办理时限。", "137.4 tickets are close to their deadlines.")},
      {v1::ALERT_KIND_REPEAT_COMPLAINTS,
       LocValue("每万户投诉达137.4件，往常约21.2件。",
                "137.4 complaints per 10,000 customers, against about 21.2 usually.")},
      {v1::ALERT_KIND_UNSPECIFIED, LocValue("请查看预警详情。", "See the warning for details.")},
  };
  for (const auto& [kind, summary] : cases) {
    INFO(v1::AlertKind_Name(kind));
    CheckIntents(Shipped().OnAlert(Raised(kind), kNow).intents,
                 {{"alert.risk_warning",
                   "staff.risk_warning_summary",
                   "AL-42",
                   Staff("district-supervisor"),
                   {{"area", TextValue("DIST-001")}, {"summary", summary}}}});
  }
}

TEST_CASE("Whole counts are written without a decimal") {
  v1::AlertEvent event = Raised(v1::ALERT_KIND_SURGE);
  event.mutable_raised()->set_expected(20.0);
  const auto out = Shipped().OnAlert(event, kNow);
  REQUIRE(out.intents.size() == 1);
  CHECK(Describe(*out.intents[0].values.Find("summary")) ==
        Describe(LocValue("往常同期约20件。", "Usually about 20.")));
}

TEST_CASE("Informational warnings and warnings of no area tell nobody") {
  CHECK(Shipped()
            .OnAlert(Raised(v1::ALERT_KIND_SURGE, v1::ALERT_SEVERITY_INFO), kNow)
            .intents.empty());
  v1::AlertEvent no_area = Raised(v1::ALERT_KIND_SURGE);
  no_area.mutable_raised()->set_area(" ");
  CHECK(Shipped().OnAlert(no_area, kNow).intents.empty());
}

TEST_CASE("A cleared warning tells nobody") {
  v1::AlertEvent cleared;
  cleared.mutable_cleared()->set_alert_id("AL-42");
  CHECK(Shipped().OnAlert(cleared, kNow).intents.empty());
  CHECK(Shipped().OnAlert(v1::AlertEvent(), kNow).intents.empty());
}

}  // namespace
}  // namespace gridcare::notification
