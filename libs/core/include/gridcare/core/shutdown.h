#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gridcare::core {

/// Turns SIGTERM and SIGINT into an orderly stop. Construct it first thing in main(), before any
/// other thread starts, so every thread inherits the blocked signal mask and only the watcher
/// thread receives them. Thread-safe; one instance per process.
class ShutdownSignal {
 public:
  ShutdownSignal();
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  /// Registers a callback run (on the watcher thread) when shutdown starts, in registration order.
  void OnShutdown(std::function<void()> callback);
  /// Requests shutdown from code (tests, fatal errors).
  void Trigger();
  bool Requested() const { return requested_.load(); }
  /// The signal that started shutdown (SIGTERM, SIGINT), or 0 when triggered from code.
  int signal_number() const { return signal_number_.load(); }
  /// Blocks until shutdown is requested.
  void Wait();
  /// Blocks for at most `timeout`; returns true when shutdown was requested.
  bool WaitFor(std::chrono::milliseconds timeout);

 private:
  void RunCallbacks();

  std::atomic<bool> requested_{false};
  std::atomic<int> signal_number_{0};
  std::atomic<bool> stopping_watcher_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::function<void()>> callbacks_;
  std::thread watcher_;
};

}  // namespace gridcare::core
