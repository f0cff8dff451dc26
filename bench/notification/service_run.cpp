// The service run: one feeder incident_opened published on gridcare.dispatch.v1, timed to the
// last notice the provider simulator accepted (polling GET /control/stats), then followed until
// every delivery report was posted and applied.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/rpc/client.h"
#include "grpc_customer_directory.h"
#include "metrics_support.h"
#include "notification_bench.h"
#include "notification_events.h"
#include "notification_id.h"

namespace gridcare::bench {
namespace {

// The sum of every sample of counter `name` in /metrics text.
double SumOf(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  double sum = 0;
  while (std::getline(lines, line)) {
    if (!IsSampleOf(line, name)) continue;
    const auto space = line.rfind(' ');
    if (space != std::string::npos) sum += std::atof(line.c_str() + space + 1);
  }
  return sum;
}

struct ServiceCounters {
  double queued = 0;
  double delivered = 0;
};

std::optional<ServiceCounters> ReadCounters(const std::string& metrics_address) {
  const auto text = Scrape(metrics_address);
  if (!text) return std::nullopt;
  return ServiceCounters{SumOf(*text, "gridcare_notification_queued_total"),
                         SumOf(*text, "gridcare_notification_delivered_total")};
}

// Follows the run from the publish at `published` until the expected count was accepted; fills
// the times of `run`. Samples notification's counters every 250 ms when their address is known.
core::Status FollowSending(Bench& bench, SteadyClock::time_point published, int64_t expected,
                           const std::optional<ServiceCounters>& base, ServiceRun& run) {
  const auto deadline = published + std::chrono::duration_cast<SteadyClock::duration>(
                                        std::chrono::duration<double>(bench.options.timeout_s));
  const auto poll = std::chrono::duration<double, std::milli>(bench.options.poll_ms);
  auto next_progress = published + std::chrono::seconds(5);
  auto next_scrape = published;
  for (;;) {
    auto stats = bench.simulator->Stats();
    if (!stats) return stats.error();
    const auto now = SteadyClock::now();
    const double elapsed = SecondsBetween(published, now);
    if (stats->accepted > 0 && run.first_accepted_s == 0) run.first_accepted_s = elapsed;
    if (base && run.queued_s < 0 && now >= next_scrape) {
      next_scrape = now + std::chrono::milliseconds(250);
      if (auto counters = ReadCounters(bench.options.notification_metrics);
          counters && counters->queued - base->queued >= static_cast<double>(expected)) {
        run.queued_s = elapsed;
      }
    }
    if (stats->accepted >= expected) {
      run.last_accepted_s = elapsed;
      return {};
    }
    if (now >= deadline) {
      run.timed_out = true;
      run.stats = *stats;
      return {};
    }
    if (now >= next_progress) {
      next_progress += std::chrono::seconds(5);
      std::printf("  ... %.0f s: %s of %s notices accepted by the simulator\n", elapsed,
                  Thousands(static_cast<double>(stats->accepted)).c_str(),
                  Thousands(static_cast<double>(expected)).c_str());
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(poll);
  }
}

// After the last acceptance: until every report was posted (simulator) and applied
// (notification's delivered counter), bounded by the timeout; then the settled counters.
core::Status FollowReports(Bench& bench, SteadyClock::time_point published, int64_t expected,
                           const std::optional<ServiceCounters>& base, ServiceRun& run) {
  const auto deadline =
      SteadyClock::now() +
      std::chrono::duration_cast<SteadyClock::duration>(
          std::chrono::duration<double>(std::min(bench.options.timeout_s, 120.0)));
  auto next_progress = SteadyClock::now() + std::chrono::seconds(5);
  for (;;) {
    auto stats = bench.simulator->Stats();
    if (!stats) return stats.error();
    const auto now = SteadyClock::now();
    const double elapsed = SecondsBetween(published, now);
    if (run.reports_sent_s < 0 && stats->reports_sent + stats->reports_lost >= expected) {
      run.reports_sent_s = elapsed;
    }
    if (base && run.delivered_s < 0) {
      if (auto counters = ReadCounters(bench.options.notification_metrics);
          counters && counters->delivered - base->delivered >= static_cast<double>(expected)) {
        run.delivered_s = elapsed;
      }
    }
    const bool done = run.reports_sent_s >= 0 && (!base || run.delivered_s >= 0);
    if (done || now >= deadline) break;
    if (now >= next_progress) {
      next_progress += std::chrono::seconds(5);
      std::printf("  ... %.0f s: %s delivery reports posted, %s pending\n", elapsed,
                  Thousands(static_cast<double>(stats->reports_sent)).c_str(),
                  Thousands(static_cast<double>(stats->reports_pending)).c_str());
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Anything beyond the expected count (a notice the prediction missed, a resend) shows here.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto settled = bench.simulator->Stats();
  if (!settled) return settled.error();
  run.stats = *settled;
  return {};
}

}  // namespace

core::Status WarmDispatchTopic(const Bench& bench, kafka::KafkaProducer& producer) {
  v1::DispatchEvent event;
  v1::WorkOrder& order = *event.mutable_work_order_created()->mutable_work_order();
  order.set_work_order_id("WO-BENCH-" + bench.run_id);
  const core::SystemClock clock;
  const kafka::EventMetadata metadata{kafka::DeriveEventId("notification-bench-warm", bench.run_id),
                                      "gridcare.work_order.created.v1",
                                      "/gridcare/dispatch",
                                      order.work_order_id(),
                                      clock.Now(),
                                      kafka::NewTraceparent()};
  if (auto status = producer.Publish(kafka::MakeRecord(std::string(kafka::kDispatchTopic),
                                                       order.work_order_id(), metadata, event));
      !status) {
    return status;
  }
  return producer.Flush(std::chrono::seconds(10));
}

core::Result<ServiceRun> RunService(Bench& bench, kafka::KafkaProducer& producer,
                                    const v1::DispatchEvent& event, const std::string& event_id,
                                    int64_t expected) {
  ServiceRun run;
  std::optional<ServiceCounters> base;
  if (!bench.options.notification_metrics.empty()) {
    base = ReadCounters(bench.options.notification_metrics);
    if (!base) return core::Unavailable("cannot read notification's /metrics");
  }
  const core::SystemClock clock;
  const auto& incident = event.incident_opened().incident();
  const kafka::EventMetadata metadata{
      event_id,    "gridcare.incident.opened.v1", "/gridcare/dispatch", incident.incident_id(),
      clock.Now(), kafka::NewTraceparent()};
  auto record = kafka::MakeRecord(std::string(kafka::kDispatchTopic), incident.incident_id(),
                                  metadata, event);
  bench.meter->Start();
  const auto published = SteadyClock::now();
  if (auto status = producer.Publish(std::move(record)); !status) return status.error();
  if (auto status = producer.Flush(std::chrono::seconds(10)); !status) return status.error();
  run.publish_s = SecondsBetween(published, SteadyClock::now());
  if (auto status = FollowSending(bench, published, expected, base, run); !status) {
    return status.error();
  }
  run.cpu = bench.meter->Stop();
  if (run.timed_out) return run;
  if (auto status = FollowReports(bench, published, expected, base, run); !status) {
    return status.error();
  }
  return run;
}

core::Result<double> KafkaFloor(const Bench& bench, kafka::KafkaProducer& producer,
                                const Audience& audience) {
  const core::SystemClock clock;
  std::vector<kafka::OutgoingRecord> records;
  records.reserve(audience.notices.size());
  for (size_t i = 0; i < audience.notices.size(); ++i) {
    const PlannedNotice& notice = audience.notices[i];
    v1::StoredNotification n;
    n.set_notification_id(notification::NotificationId("floor/" + bench.run_id, std::to_string(i),
                                                       notice.template_id));
    n.set_recipient_kind(v1::RECIPIENT_KIND_CUSTOMER);
    n.set_recipient_id(std::to_string(4400000000 + static_cast<int64_t>(i)));
    n.add_channels("sms");
    n.set_template_id(notice.template_id);
    n.set_subject_id("INC-BENCH-" + bench.run_id);
    n.set_provider_message_id("sms-gateway-" + std::to_string(i + 1));
    n.set_masked_address("138****5678");
    n.set_proactive(true);
    auto record = notification::NotificationRecord(notification::SentEvent(n), n.notification_id(),
                                                   n.recipient_id(), "sent/sms", clock.Now(), "");
    record.topic = "gridcare.bench.notification-floor";
    records.push_back(std::move(record));
  }
  // The topic's first use (metadata, creation) is not the floor.
  if (auto status = producer.Publish(records.front()); !status) return status.error();
  if (auto status = producer.Flush(std::chrono::seconds(10)); !status) return status.error();
  const auto started = SteadyClock::now();
  const size_t batch = static_cast<size_t>(bench.options.send_batch);
  for (size_t begin = 0; begin < records.size(); begin += batch) {
    for (size_t i = begin; i < std::min(records.size(), begin + batch); ++i) {
      if (auto status = producer.Publish(std::move(records[i])); !status) return status.error();
    }
    if (auto status = producer.Flush(std::chrono::seconds(10)); !status) return status.error();
  }
  return SecondsBetween(started, SteadyClock::now());
}

core::Result<double> ProfileStreamFloor(const Bench& bench, const std::string& feeder_id,
                                        int64_t& customers) {
  auto channel = rpc::MakeChannel(bench.options.profile_target);
  if (!rpc::WaitForReady(channel, std::chrono::seconds(10))) {
    return core::Unavailable("profile at " + bench.options.profile_target + " is not reachable");
  }
  notification::GrpcCustomerDirectory directory(channel, std::chrono::seconds(3),
                                                std::chrono::seconds(120));
  customers = 0;
  const auto started = SteadyClock::now();
  auto status = directory.ForEachOnSupply(
      feeder_id, "", [&customers](const std::vector<v1::Customer>& batch) -> core::Status {
        customers += static_cast<int64_t>(batch.size());
        return {};
      });
  if (!status) return status.error();
  return SecondsBetween(started, SteadyClock::now());
}

std::pair<double, double> ResidentMiB(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  double peak = -1;
  double now = -1;
  while (std::getline(in, line)) {
    const bool hwm = line.rfind("VmHWM:", 0) == 0;
    const bool rss = line.rfind("VmRSS:", 0) == 0;
    if (!hwm && !rss) continue;
    const double kib = std::atof(line.c_str() + 6);
    (hwm ? peak : now) = kib / 1024.0;
  }
  return {peak, now};
}

}  // namespace gridcare::bench
