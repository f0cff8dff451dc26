// gridcare ticket | incidents | overdue | health.
#include <future>

#include "commands.h"
#include "overdue.h"
#include "views.h"

namespace gridcare::ops {
namespace {

constexpr int kCasePageSize = 500;
constexpr int kMaxCasePages = 200;  // 100,000 open cases: far beyond a province's queue

// Open complaint cases, page by page, until the pages' clocks run out later than the horizon.
core::Result<std::vector<v1::ComplaintCase>> OpenCases(OperatorApi& api, core::TimePoint now,
                                                       std::chrono::seconds within) {
  std::vector<v1::ComplaintCase> cases;
  v1::ListCasesRequest request;
  request.set_page_size(kCasePageSize);
  for (int page = 0; page < kMaxCasePages; ++page) {
    auto answer = api.ListCases(request);
    if (!answer) return answer.error();
    std::vector<v1::ComplaintCase> chunk(answer->cases().begin(), answer->cases().end());
    const bool more = MoreCasesMayBeDue(chunk, now, within);
    cases.insert(cases.end(), chunk.begin(), chunk.end());
    if (answer->next_page_token().empty() || !more) break;
    request.set_page_token(answer->next_page_token());
  }
  return cases;
}

HealthAnswers Probe(HealthProbe& probe, const std::string& service, const std::string& metrics,
                    const std::string& target) {
  HealthAnswers answers{service, metrics, target};
  if (!metrics.empty()) {
    answers.healthz = probe.Get(metrics, "/healthz");
    answers.readyz = probe.Get(metrics, "/readyz");
  }
  if (!target.empty()) answers.grpc = probe.GrpcHealth(target);
  return answers;
}

std::string Lookup(const std::map<std::string, std::string>& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? std::string() : it->second;
}

}  // namespace

int RunTicket(CommandContext& context) {
  const auto& ticket_id = context.args.front();
  auto track = context.edges.Api().Track(ticket_id);
  if (!track) return Fail(context, "ticket " + ticket_id + ": " + track.error().ToString());
  const auto now = context.clock.Now();
  if (context.settings.json) {
    context.out << DumpJson(TicketJson(*track, now));
    return kExitOk;
  }
  const auto language =
      context.settings.flags.language == "zh-CN" ? Language::kChinese : Language::kEnglish;
  context.out << TicketSummaryText(*track, now) << "\n";
  const auto timeline = TimelineTable(*track, language);
  context.out << (timeline.empty() ? "no timeline steps yet\n" : timeline.RenderText());
  return kExitOk;
}

int RunIncidents(CommandContext& context) {
  v1::ListOpenIncidentsRequest request;
  request.set_feeder_id(context.settings.flags.feeder);
  request.set_overdue_only(context.settings.flags.overdue);
  auto incidents = context.edges.Api().OpenIncidents(request);
  if (!incidents) return Fail(context, "incidents: " + incidents.error().ToString());
  const auto now = context.clock.Now();
  PrintResult(context, IncidentTable(*incidents, now),
              {{"incidents", IncidentsJson(*incidents, now)}}, "no open incidents");
  return kExitOk;
}

int RunOverdue(CommandContext& context) {
  auto& api = context.edges.Api();
  const auto now = context.clock.Now();
  const auto within = context.settings.flags.within;
  bool failed = false;
  const auto take = [&](auto result, const char* what) {
    using Value = std::decay_t<decltype(*result)>;
    if (result) return std::move(result).value();
    failed = true;
    context.err << "gridcare: " << what << ": " << result.error().ToString()
                << " (the list below lacks them)\n";
    return Value{};
  };
  const auto incidents = take(api.OpenIncidents({}), "dispatch incidents");
  const auto orders = take(api.OpenWorkOrders(), "dispatch work orders");
  const auto cases = take(OpenCases(api, now, within), "complaint cases");
  const auto rows = OverdueRows(incidents, orders, cases, now, within);
  PrintResult(context, OverdueTable(rows), {{"clocks", OverdueJson(rows)}, {"complete", !failed}},
              "no clock is past due or due within " + DurationText(within));
  return failed ? kExitFailure : kExitOk;
}

int RunHealth(CommandContext& context) {
  auto& probe = context.edges.Probe();
  std::vector<std::future<HealthAnswers>> pending;
  for (const auto& service : KnownServices()) {
    const auto metrics = Lookup(context.settings.metrics, service.name);
    const auto target = Lookup(context.settings.targets, service.name);
    if (metrics.empty() && target.empty()) continue;
    pending.push_back(
        std::async(std::launch::async, [&probe, name = service.name, metrics, target] {
          return Probe(probe, name, metrics, target);
        }));
  }
  if (pending.empty()) {
    return UsageError(context, "health",
                      "no service address is known: give --<service>-metrics / "
                      "--<service>-service-target, or run where the local stack's endpoints.env "
                      "is (--endpoints-file)");
  }
  std::vector<HealthRow> rows;
  for (auto& answers : pending) rows.push_back(ToHealthRow(answers.get()));
  const bool all_ok =
      std::all_of(rows.begin(), rows.end(), [](const HealthRow& row) { return row.ok; });
  PrintResult(context, HealthTable(rows), {{"services", HealthJson(rows)}, {"ok", all_ok}},
              "no services");
  return all_ok ? kExitOk : kExitFailure;
}

}  // namespace gridcare::ops
