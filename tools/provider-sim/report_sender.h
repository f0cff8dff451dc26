#pragma once

// Posts due delivery reports to their callback URLs from a few background threads, apart from
// request handling: each thread takes a batch of due reports from the Simulator, POSTs them one
// by one over kept-alive connections (one per callback host:port and thread), and tells the
// Simulator how each went (failed ones are retried by the Simulator's schedule, then lost).
//
// Thread-safe Start/Stop. Lifetime: the Simulator must outlive this object; the destructor stops.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include "simulator.h"

namespace gridcare::provider_sim {

struct ReportSenderSettings {
  int threads = 2;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds request_timeout{2000};
  std::size_t batch = 256;  ///< reports taken per visit to the Simulator
  /// Longest sleep while nothing is due (a report scheduled meanwhile waits at most this long).
  std::chrono::milliseconds idle_poll{5};
};

class ReportSender {
 public:
  ReportSender(Simulator& simulator, ReportSenderSettings settings);
  ~ReportSender();
  ReportSender(const ReportSender&) = delete;
  ReportSender& operator=(const ReportSender&) = delete;

  void Start();
  /// Stops after the POST in hand; reports not yet posted stay unsent.
  void Stop();

 private:
  class Worker;
  void Run();
  /// Sleeps until the next report is due, idle_poll at most, or until Stop().
  void Idle();

  Simulator& simulator_;
  const ReportSenderSettings settings_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace gridcare::provider_sim
