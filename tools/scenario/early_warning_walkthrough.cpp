#include "early_warning_walkthrough.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <thread>

#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/rpc/client.h"
#include "gridcare/v1/alert.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::scenario {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;

constexpr const char* kHistoryTexts[] = {
    "请问这个月电费怎么算的？",
    "电费可以在网上国网交吗？",
    "阶梯电价第二档是多少？",
    "请问电费账单在哪里查？",
};
constexpr const char* kSurgeTexts[] = {
    "为什么这个月电费突然比平时高这么多？",
    "这个月电费突然翻倍了，为什么？",
    "电费突然比平时高了好多，是不是抄表错了？",
};
constexpr int kHistoryDays = 28;
constexpr int kSurgeContacts = 30;

/// Billing questions an hour in the history: a few in the daytime, none at night, varying by a
/// fixed pattern so every week looks alike but not every hour.
int HistoryCount(int64_t hour_of_day, int64_t hour_index, int district) {
  if (hour_of_day < 8 || hour_of_day >= 20) return 0;
  const uint64_t mix = static_cast<uint64_t>(hour_index * 2654435761LL + district * 40503LL);
  return (mix >> 7) % 3 == 0 ? 1 : 0;
}

std::string Find(const std::map<std::string, std::string>& endpoints, const char* key) {
  auto it = endpoints.find(key);
  return it == endpoints.end() ? std::string() : it->second;
}

v1::ServiceRequest Question(const std::string& id, const std::string& district,
                            const std::string& text, core::TimePoint received) {
  v1::ServiceRequest r;
  r.set_request_id(id);
  r.set_channel(v1::CHANNEL_HOTLINE_IVR);
  r.set_text(text);
  r.set_language(v1::LANGUAGE_ZH_CN);
  r.mutable_location()->set_full_text(district + "（来电人未留户号）");
  r.mutable_location()->set_district(district);
  *r.mutable_received_at() = TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(received));
  return r;
}

bool Submit(v1::IntakeService::Stub& stub, const v1::ServiceRequest& request) {
  grpc::ClientContext context;
  rpc::SetDeadline(context, 10s);
  v1::SubmitRequest submit;
  *submit.mutable_request() = request;
  v1::SubmitResponse response;
  const auto status = stub.Submit(&context, submit, &response);
  if (!status.ok()) {
    std::printf("   intake refused %s: %s\n", request.request_id().c_str(),
                status.error_message().c_str());
  }
  return status.ok();
}

void PrintWarning(const v1::RiskWarningRaised& w) {
  std::printf("   %s  %s  %s in %s\n", w.alert_id().c_str(),
              v1::AlertSeverity_Name(w.severity()).substr(15).c_str(), w.series().c_str(),
              w.area().c_str());
  std::printf("      %s\n      %s\n", w.summary().zh_cn().c_str(), w.summary().en().c_str());
  std::printf(
      "      evidence: %s test, observed %.0f against %.2f expected (%.1fx), p = %.2g, "
      "baseline %d past weeks\n",
      w.method().c_str(), w.observed(), w.expected(), w.score(), w.p_value(), w.baseline_weeks());
  std::string keywords;
  for (const auto& k : w.top_keywords()) keywords += (keywords.empty() ? "" : " ") + k;
  std::printf("      bursting keywords: %s\n", keywords.empty() ? "-" : keywords.c_str());
  for (const auto& e : w.examples()) {
    std::printf("      example %s: %s\n", e.ticket_id().c_str(), e.masked_text().c_str());
  }
  std::printf("      addressed to %s; acknowledge by %s\n", w.responsible_role().c_str(),
              TimeUtil::ToString(w.acknowledge_by()).c_str());
}

void PrintKpis(const v1::KpiReport& r) {
  std::printf(
      "   contacts %lld, tickets %lld, resolved %lld (%.0f%% within their clock, "
      "%.2f working days on average, %.0f%% at the first contact)\n",
      static_cast<long long>(r.contacts()), static_cast<long long>(r.tickets_opened()),
      static_cast<long long>(r.resolved()), 100 * r.timely_resolution_ratio(),
      r.mean_handling_working_days(), 100 * r.first_contact_resolution_ratio());
  std::string types;
  for (const auto& [type, count] : r.tickets_by_type()) {
    types += (types.empty() ? "" : ", ") + type + " " + std::to_string(count);
  }
  std::printf("   tickets by type: %s\n", types.c_str());
  std::printf(
      "   incidents %lld; crews on site within the limit %lld of %lld (%.1f min on "
      "average); restorations %lld (%.1f min on average); overdue clocks %lld\n",
      static_cast<long long>(r.incidents_opened()),
      static_cast<long long>(r.arrivals_within_limit()), static_cast<long long>(r.arrivals()),
      r.mean_arrival_minutes(), static_cast<long long>(r.restorations()),
      r.mean_restoration_minutes(), static_cast<long long>(r.overdue_count()));
  std::printf(
      "   complaints %lld = %.1f per 10,000 of %lld customers; return visits %lld "
      "(%.0f%% satisfied); reopened %lld; urging %.2f per ticket\n",
      static_cast<long long>(r.complaints()), r.complaints_per_10k_customers(),
      static_cast<long long>(r.customers()), static_cast<long long>(r.return_visits()),
      100 * r.satisfied_ratio(), static_cast<long long>(r.reopened()), r.urging_ratio());
  std::printf("   notices sent %lld, delivered %lld (%.0f%%)\n",
              static_cast<long long>(r.notifications_sent()),
              static_cast<long long>(r.notifications_delivered()),
              100 * r.notification_delivery_ratio());
}

/// Submits the history; returns how many requests, or -1.
int SubmitHistory(v1::IntakeService::Stub& stub, const std::string& run,
                  const std::vector<std::string>& districts, core::TimePoint now) {
  const int64_t now_hours =
      std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count();
  int submitted = 0;
  for (int64_t h = now_hours - 24 * kHistoryDays; h < now_hours; ++h) {
    const int64_t hour_of_day = (h + 8) % 24;  // UTC+8
    for (size_t d = 0; d < districts.size(); ++d) {
      if (HistoryCount(hour_of_day, h, static_cast<int>(d)) == 0) continue;
      const core::TimePoint at{std::chrono::hours(h) + std::chrono::minutes(17)};
      const auto& text = kHistoryTexts[(h + static_cast<int64_t>(d)) % 4];
      const std::string id = "HIST-" + run + "-" + std::to_string(h) + "-" + std::to_string(d);
      if (!Submit(stub, Question(id, districts[d], text, at))) return -1;
      ++submitted;
    }
  }
  return submitted;
}

}  // namespace

bool RunEarlyWarningWalkthrough(const std::map<std::string, std::string>& endpoints,
                                const synth::Utility& utility) {
  const std::string analytics_target = Find(endpoints, "GRIDCARE_ANALYTICS_GRPC");
  const std::string intake_target = Find(endpoints, "GRIDCARE_INTAKE_GRPC");
  if (analytics_target.empty() || intake_target.empty()) {
    std::printf("   (analytics or intake is not running; skipped)\n");
    return true;
  }
  auto intake = v1::IntakeService::NewStub(rpc::MakeChannel(intake_target));
  auto analytics = v1::AnalyticsService::NewStub(rpc::MakeChannel(analytics_target));
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const std::string run = ids.NewId().substr(0, 8);
  std::vector<std::string> districts;
  for (int64_t i = 0; i < utility.customer_count() && districts.size() < 2; ++i) {
    const std::string district = utility.CustomerAt(i).address().district();
    if (!district.empty() && (districts.empty() || districts.front() != district)) {
      districts.push_back(district);
    }
  }
  if (districts.size() < 2)
    return std::printf("   the utility has fewer than two districts\n"), false;
  const auto now = clock.Now();
  const int history = SubmitHistory(*intake, run, districts, now);
  if (history < 0) return false;
  std::printf(
      "   %d billing questions of the last %d days in %s and %s submitted through intake "
      "(dated when the callers rang: the baseline)\n",
      history, kHistoryDays, districts[0].c_str(), districts[1].c_str());
  for (int i = 0; i < kSurgeContacts; ++i) {
    const auto at = now - std::chrono::seconds(5 * (kSurgeContacts - i));
    const std::string id = "SURGE-" + run + "-" + std::to_string(i);
    if (!Submit(*intake, Question(id, districts[0], kSurgeTexts[i % 3], at))) return false;
  }
  std::printf("   then %d callers in %s ask within minutes why their bill suddenly went up\n",
              kSurgeContacts, districts[0].c_str());

  v1::RiskWarningRaised warning;
  const auto deadline = std::chrono::steady_clock::now() + 150s;
  while (warning.alert_id().empty() && std::chrono::steady_clock::now() < deadline) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::ListActiveAlertsResponse active;
    if (analytics->ListActiveAlerts(&context, {}, &active).ok()) {
      for (const auto& alert : active.alerts()) {
        if (alert.area() == districts[0]) {
          warning = alert;
        }
      }
    }
    if (warning.alert_id().empty()) std::this_thread::sleep_for(1s);
  }
  if (warning.alert_id().empty()) {
    return std::printf("   no risk warning for %s within 150 s\n", districts[0].c_str()), false;
  }
  std::printf("   analytics raised a risk-warning order (风险预警调度令) on gridcare.alert.v1:\n");
  PrintWarning(warning);

  v1::Actor supervisor;
  supervisor.set_kind(v1::Actor::KIND_SUPERVISOR);
  supervisor.set_id("sup-demo");
  supervisor.set_display_name("值班长");
  v1::WarningStatus status;
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::AcknowledgeWarningRequest request;
    request.set_alert_id(warning.alert_id());
    *request.mutable_by() = supervisor;
    if (!analytics->AcknowledgeWarning(&context, request, &status).ok()) return false;
  }
  {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 5s);
    v1::CloseWarningRequest request;
    request.set_alert_id(warning.alert_id());
    *request.mutable_by() = supervisor;
    request.set_measure(
        "核查发现抄表数据批量错误，已更正并短信告知受影响客户 / meter readings "
        "corrected, affected customers told by SMS");
    if (!analytics->CloseWarning(&context, request, &status).ok()) return false;
  }
  std::printf(
      "   the supervisor acknowledged it and closed it with the measure taken: %s; the "
      "district is re-monitored until %s\n",
      v1::WarningStatus::State_Name(status.state()).c_str(),
      TimeUtil::ToString(status.remonitor_until()).c_str());

  // The days of this run: from an hour ago (the scenario may have begun before local midnight)
  // to a week ahead (the complaint service's sped-up case clock dates its steps days ahead).
  std::printf(
      "   the KPIs of the days this scenario ran, today's share of the history included "
      "(AnalyticsService.GetKpiReport):\n");
  grpc::ClientContext context;
  rpc::SetDeadline(context, 5s);
  v1::KpiReportRequest period;
  *period.mutable_from() =
      TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now - std::chrono::hours(1)));
  *period.mutable_to() =
      TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(now + std::chrono::hours(24 * 8)));
  v1::KpiReport report;
  if (!analytics->GetKpiReport(&context, period, &report).ok()) return false;
  PrintKpis(report);
  return true;
}

}  // namespace gridcare::scenario
