#include "app.h"

#include <cstdio>

#include "gridcare/config/install_paths.h"
#include "gridcare/kafka/record_reader.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/config_file.h"
#include "gridcare/service/kafka_security.h"
#include "gridcare/service/working_calendar_files.h"
#include "kpi_report.h"
#include "rebuild.h"

namespace gridcare::analytics {

const service::ServiceSpec kSpec{
    "analytics",
    "GridCare analytics: KPIs and early warning. Reads intake, dispatch, complaint, notification "
    "and alert events into per-day figures by district, channel, request type, area class, unit "
    "and department (timely resolution, handling time in working days, arrival within the "
    "45/90/120-minute limits, restoration time, first-contact resolution, complaints per 10,000 "
    "customers, satisfaction, reopen and urging rates, notice delivery), served as "
    "AnalyticsService over gRPC and as Prometheus gauges. Watches every request category in "
    "every district for surges against the same hours of past weeks and raises risk-warning "
    "orders (风险预警调度令) on gridcare.alert.v1 with their evidence; the supervisor acknowledges "
    "and closes them with the measure taken, unacknowledged ones escalate, closed ones are "
    "re-monitored. --rebuild derives every figure again from the log and compares.",
    {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}};

Settings::Settings() : calendar_path(config::InstalledConfigPath("sla/calendar-cn-2026.json")) {}

core::Result<Configuration> LoadConfiguration(const Settings& settings) {
  auto calendar = service::LoadWorkingCalendar(settings.calendar_path);
  if (!calendar) {
    return service::ConfigFileError("working-calendar", settings.calendar_path, calendar.error());
  }
  if (settings.store_prefix.empty() || settings.rebuild_prefix.empty()) {
    return core::InvalidArgument("--store-prefix and --rebuild-prefix must not be empty");
  }
  if (settings.rebuild && settings.rebuild_prefix == settings.store_prefix) {
    return core::InvalidArgument(
        "--rebuild-prefix must differ from --store-prefix: a rebuild never writes over the live "
        "figures");
  }
  Configuration configuration;
  configuration.calendar = std::make_unique<sla::WorkingCalendar>(std::move(*calendar));
  configuration.surge.baseline_weeks = settings.baseline_weeks;
  configuration.surge.min_baseline_weeks = std::min(2, settings.baseline_weeks);
  configuration.surge.min_count = settings.min_count;
  configuration.surge.min_ratio = settings.min_ratio;
  configuration.surge.dispersion = settings.dispersion;
  if (auto valid = ValidateSurgeSettings(configuration.surge); !valid) return valid.error();
  auto& w = configuration.warnings;
  w.acknowledge_within =
      std::chrono::duration_cast<std::chrono::minutes>(settings.acknowledge_within);
  w.escalate_every = std::chrono::duration_cast<std::chrono::minutes>(settings.escalate_every);
  w.remonitor_for = std::chrono::duration_cast<std::chrono::hours>(settings.remonitor_for);
  w.responsible_role = settings.responsible_role;
  if (w.acknowledge_within.count() <= 0 || w.escalate_every.count() <= 0 ||
      w.remonitor_for.count() <= 0) {
    return core::InvalidArgument(
        "--acknowledge-within and --escalate-every must be at least a minute, --remonitor-for at "
        "least an hour");
  }
  return configuration;
}

App::App(service::Kit& kit, const Settings& settings, Configuration configuration)
    : configuration_(std::move(configuration)),
      metrics_(kit.registry()),
      store_(kit.redis(), {.prefix = settings.store_prefix}),
      ledger_(*configuration_.calendar),
      detector_(configuration_.surge),
      book_(configuration_.warnings),
      customers_(rpc::MakeChannel(kit.settings().profile_service_target),
                 settings.profile_deadline),
      monitor_(store_, detector_, book_, *configuration_.calendar, kit.producer(), kit.clock(), {},
               &metrics_),
      grpc_(store_, customers_, book_, monitor_, kit.clock()),
      handler_(ledger_, store_, &metrics_),
      clock_(kit.clock()) {
  std::vector<std::string> inputs;
  for (const auto& topic : ReplayTopics()) inputs.push_back(topic);
  kit.stage_metrics().PreInitialise(inputs, {std::string(kafka::kAlertTopic)});
  for (const auto& topic : ReplayTopics()) router_.Route(topic, handler_);
  // The store's event markers de-duplicate, atomically with the effects.
  kit.AddConsumer(router_, {.deduplicate = false,
                            .max_handler_batch = static_cast<size_t>(settings.handler_batch)});
  kit.AddGrpcService(&grpc_);
  kit.AddPeriodic({"detect", settings.detect_interval, [this]() -> core::Status {
                     auto round = monitor_.RunOnce();
                     if (!round) return round.error();
                     if (round->raised > 0 || round->escalated > 0 || round->remonitored > 0) {
                       logging::Info("early-warning round", {{"series", round->series},
                                                             {"raised", round->raised},
                                                             {"explained", round->explained},
                                                             {"escalated", round->escalated},
                                                             {"remonitored", round->remonitored}});
                     }
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"kpi-gauges", settings.gauges_interval,
                   [this]() -> core::Status { return RefreshGauges(); },
                   /*run_at_start=*/true});
}

core::Status App::RefreshGauges() {
  const auto now = clock_.Now();
  constexpr int kWeek = 7;
  for (const auto& [window, days] : {std::pair<const char*, int>{"today", 1}, {"7d", kWeek}}) {
    v1::KpiReportRequest request;
    auto query = QueryOf(request, now);
    if (!query) return query.error();
    query->first_day = query->last_day - (days - 1);
    auto sums = store_.SumDays(query->first_day, query->last_day, FieldsFor(*query));
    if (!sums) return sums.error();
    auto customers = customers_.Count("");
    // The profile may be slow or down: the other KPIs are still worth showing.
    const auto report = BuildReport(*query, *sums, customers ? *customers : 0);
    for (const auto& [name, value] : KpiValues(report)) metrics_.SetKpi(name, window, value);
  }
  return core::Status::Ok();
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  auto configuration = LoadConfiguration(settings);
  if (!configuration) return configuration.error();
  return std::make_unique<App>(kit, settings, std::move(*configuration));
}

namespace {

int RunRebuild(service::Kit& kit, const Settings& settings, const Configuration& configuration) {
  const auto& common = kit.settings();
  auto security = service::KafkaSecurityConfig(common);
  if (!security) return service::Kit::StartupFailed(security.error());
  auto reader =
      kafka::KafkaRecordReader::Create({.bootstrap_servers = common.kafka_bootstrap_servers,
                                        .client_id = common.kafka_client_id + "-rebuild",
                                        .group_id = {},
                                        .extra = *security});
  if (!reader) return service::Kit::StartupFailed(reader.error());
  RedisAnalyticsStore store(kit.redis(), {.prefix = settings.rebuild_prefix});
  if (auto wiped = store.Wipe(); !wiped) return service::Kit::StartupFailed(wiped.error());
  KpiLedger ledger(*configuration.calendar);
  AnalyticsEventHandler handler(ledger, store, nullptr);
  std::fprintf(stderr, "rebuild: replaying %zu topics into prefix %s\n", ReplayTopics().size(),
               settings.rebuild_prefix.c_str());
  auto result = Replay(**reader, ReplayTopics(), handler, kReplayBatch, settings.rebuild_timeout,
                       [](int64_t records) {
                         std::fprintf(stderr, "rebuild: %lld records applied\n",
                                      static_cast<long long>(records));
                       });
  if (!result) return service::Kit::StartupFailed(result.error());
  auto live = ReadKpis(kit.redis(), settings.store_prefix);
  if (!live) return service::Kit::StartupFailed(live.error());
  auto rebuilt = ReadKpis(kit.redis(), settings.rebuild_prefix);
  if (!rebuilt) return service::Kit::StartupFailed(rebuilt.error());
  const auto differences = CompareKpis(*live, *rebuilt);
  std::printf("rebuild: %lld records (%lld dead letters) in %.1f s, %zu days of figures\n",
              static_cast<long long>(result->records), static_cast<long long>(result->dead_letters),
              result->seconds, rebuilt->size());
  if (differences.empty()) {
    std::printf("rebuild: the rebuilt figures equal the live ones (%s = %s)\n",
                settings.rebuild_prefix.c_str(), settings.store_prefix.c_str());
    return 0;
  }
  std::printf("rebuild: the rebuilt figures differ from the live ones:\n");
  for (const auto& line : differences) std::printf("  %s\n", line.c_str());
  return 3;
}

}  // namespace

int Start(service::Kit& kit, const Settings& settings) {
  if (!settings.rebuild) return kit.Run(BuildApp(kit, settings));
  auto configuration = LoadConfiguration(settings);
  if (!configuration) return service::Kit::StartupFailed(configuration.error());
  return RunRebuild(kit, settings, *configuration);
}

}  // namespace gridcare::analytics
