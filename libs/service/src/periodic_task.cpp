#include "gridcare/service/periodic_task.h"

#include <exception>

#include "gridcare/logging/log.h"
#include "gridcare/metrics/buckets.h"

namespace gridcare::service {
namespace {

template <typename Builder>
auto& Family(Builder builder, const char* name, const char* help, prometheus::Registry& registry) {
  return builder.Name(name).Help(help).Register(registry);
}

}  // namespace

PeriodicTask::PeriodicTask(PeriodicTaskSpec spec, prometheus::Registry& registry,
                           const std::string& service)
    : spec_(std::move(spec)),
      runs_(Family(prometheus::BuildCounter(), "gridcare_periodic_task_runs_total",
                   "Rounds of a periodic task.", registry)
                .Add({{"service", service}, {"task", spec_.name}})),
      failures_(Family(prometheus::BuildCounter(), "gridcare_periodic_task_failures_total",
                       "Rounds of a periodic task that failed (logged as warnings).", registry)
                    .Add({{"service", service}, {"task", spec_.name}})),
      duration_(
          Family(prometheus::BuildHistogram(), "gridcare_periodic_task_duration_seconds",
                 "Time one round of a periodic task took.", registry)
              .Add({{"service", service}, {"task", spec_.name}}, metrics::LatencyBucketsSeconds())),
      last_success_(Family(prometheus::BuildGauge(),
                           "gridcare_periodic_task_last_success_timestamp_seconds",
                           "Unix time of the last successful round of a periodic task.", registry)
                        .Add({{"service", service}, {"task", spec_.name}})) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PeriodicTask::Loop() {
  if (spec_.run_at_start) RunOnce();
  while (WaitInterval()) RunOnce();
}

bool PeriodicTask::WaitInterval() {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, spec_.interval, [this] { return stopping_; });
}

void PeriodicTask::RunOnce() {
  const auto started = std::chrono::steady_clock::now();
  core::Status status;
  try {
    status = spec_.run();
  } catch (const std::exception& exception) {
    status = core::Internal(std::string("threw: ") + exception.what());
  } catch (...) {
    status = core::Internal("threw an unknown exception");
  }
  runs_.Increment();
  duration_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (status) {
    last_success_.SetToCurrentTime();
    return;
  }
  failures_.Increment();
  logging::Warn("periodic task failed; it runs again next interval",
                {{"task", spec_.name}, {"error", status.error().ToString()}});
}

}  // namespace gridcare::service
