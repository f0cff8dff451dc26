#include "report_sender.h"

#include <httplib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "gridcare/logging/log.h"

namespace gridcare::provider_sim {
namespace {

constexpr auto kLostWarningEvery = std::chrono::seconds(5);

template <typename Duration>
std::pair<time_t, time_t> SecondsAndMicros(Duration duration) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  return {static_cast<time_t>(micros / 1'000'000), static_cast<time_t>(micros % 1'000'000)};
}

}  // namespace

// One sender thread's connections and its count of lost reports (for rate-limited warnings).
class ReportSender::Worker {
 public:
  Worker(Simulator& simulator, const ReportSenderSettings& settings)
      : simulator_(simulator), settings_(settings) {}

  void Send(PendingReport report) {
    if (Post(report)) {
      simulator_.ReportSent(report);
      return;
    }
    const std::string provider_message_id = report.provider_message_id;
    const int attempts = report.attempts;
    if (!simulator_.ReportFailed(std::move(report))) return;
    ++lost_since_warning_;
    logging::Debug("delivery report lost",
                   {{"provider_message_id", provider_message_id}, {"attempts", attempts}});
    const auto now = std::chrono::steady_clock::now();
    if (now - last_warning_ >= kLostWarningEvery) {
      logging::Warn("delivery reports lost: every attempt to post them failed",
                    {{"reports", lost_since_warning_}, {"last_error", last_error_}});
      lost_since_warning_ = 0;
      last_warning_ = now;
    }
  }

 private:
  bool Post(const PendingReport& report) {
    auto target = ParseCallbackUrl(report.callback_url);
    if (!target) return false;  // checked on acceptance; kept for safety
    httplib::Client& client = ClientFor(*target);
    const std::string body =
        report.reply_id.empty()
            ? DeliveryReportJson(report.provider_message_id, report.client_message_id,
                                 report.status, simulator_.clock().Now())
            : ReplyJson(report.reply_id, report.provider_message_id, report.client_message_id,
                        report.reply_from, report.reply_text, simulator_.clock().Now());
    auto result = client.Post(target->path, body, "application/json");
    if (!result) {
      last_error_ = target->Authority() + ": " + httplib::to_string(result.error());
      return false;
    }
    if (result->status < 200 || result->status > 299) {
      last_error_ = target->Authority() + ": HTTP " + std::to_string(result->status);
      return false;
    }
    return true;
  }

  httplib::Client& ClientFor(const CallbackTarget& target) {
    auto& slot = clients_[target.Authority()];
    if (!slot) {
      slot = std::make_unique<httplib::Client>(target.host, target.port);
      slot->set_keep_alive(true);
      slot->set_tcp_nodelay(true);
      const auto [connect_s, connect_us] = SecondsAndMicros(settings_.connect_timeout);
      slot->set_connection_timeout(connect_s, connect_us);
      const auto [read_s, read_us] = SecondsAndMicros(settings_.request_timeout);
      slot->set_read_timeout(read_s, read_us);
      slot->set_write_timeout(read_s, read_us);
    }
    return *slot;
  }

  Simulator& simulator_;
  const ReportSenderSettings& settings_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
  int64_t lost_since_warning_ = 0;
  std::chrono::steady_clock::time_point last_warning_{};
  std::string last_error_;
};

ReportSender::ReportSender(Simulator& simulator, ReportSenderSettings settings)
    : simulator_(simulator), settings_(std::move(settings)) {}

ReportSender::~ReportSender() { Stop(); }

void ReportSender::Start() {
  std::lock_guard lock(mutex_);
  if (!threads_.empty() || stopping_) return;
  for (int i = 0; i < std::max(1, settings_.threads); ++i) threads_.emplace_back([this] { Run(); });
}

void ReportSender::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& thread : threads) thread.join();
}

void ReportSender::Run() {
  Worker worker(simulator_, settings_);
  while (!stopping_) {
    auto batch = simulator_.TakeDueReports(settings_.batch);
    if (batch.empty()) {
      Idle();
      continue;
    }
    for (auto& report : batch) {
      if (stopping_) break;
      worker.Send(std::move(report));
    }
  }
}

void ReportSender::Idle() {
  auto wait = settings_.idle_poll;
  if (const auto due = simulator_.NextReportDue()) {
    const auto until_due =
        std::chrono::duration_cast<std::chrono::milliseconds>(*due - simulator_.clock().Now());
    wait = std::clamp(until_due, std::chrono::milliseconds(1), settings_.idle_poll);
  }
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, wait, [this] { return stopping_.load(); });
}

}  // namespace gridcare::provider_sim
