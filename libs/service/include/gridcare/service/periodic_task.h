#pragma once

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "gridcare/core/error.h"

namespace gridcare::service {

/// Work a service repeats at a fixed interval (clock ticks, roster refreshes, outbox relays).
struct PeriodicTaskSpec {
  std::string name;  // "dispatch-tick": logs and the `task` label
  std::chrono::milliseconds interval{1000};
  /// One round. A failed round is logged as a warning and counted; the next round runs on time.
  std::function<core::Status()> run;
  /// Run once right away instead of waiting one interval first.
  bool run_at_start = false;
};

/// Runs a PeriodicTaskSpec on its own thread until Stop(), and exposes per task:
///   gridcare_periodic_task_runs_total{service,task}
///   gridcare_periodic_task_failures_total{service,task}
///   gridcare_periodic_task_duration_seconds{service,task}        histogram
///   gridcare_periodic_task_last_success_timestamp_seconds{service,task}
/// A round that throws counts as a failure. Start() once, Stop() from any thread (waits for the
/// current round to finish). `registry` must outlive the task.
class PeriodicTask {
 public:
  PeriodicTask(PeriodicTaskSpec spec, prometheus::Registry& registry, const std::string& service);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  void Start();
  void Stop();
  const std::string& name() const { return spec_.name; }

 private:
  void Loop();
  void RunOnce();
  bool WaitInterval();  // false once stopping

  PeriodicTaskSpec spec_;
  prometheus::Counter& runs_;
  prometheus::Counter& failures_;
  prometheus::Histogram& duration_;
  prometheus::Gauge& last_success_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace gridcare::service
