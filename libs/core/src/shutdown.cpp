#include "gridcare/core/shutdown.h"

#include <pthread.h>
#include <signal.h>

namespace gridcare::core {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR2);  // private wake-up used by the destructor
  return set;
}

}  // namespace

ShutdownSignal::ShutdownSignal() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this, set] {
    for (;;) {
      int received = 0;
      if (sigwait(&set, &received) != 0) continue;
      if (received == SIGUSR2) {
        if (stopping_watcher_.load()) return;
        continue;  // not ours: someone else's SIGUSR2 must not stop the service
      }
      signal_number_.store(received);
      RunCallbacks();
      return;
    }
  });
}

ShutdownSignal::~ShutdownSignal() {
  stopping_watcher_.store(true);
  pthread_kill(watcher_.native_handle(), SIGUSR2);  // harmless if the watcher already returned
  watcher_.join();
}

void ShutdownSignal::OnShutdown(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  callbacks_.push_back(std::move(callback));
}

void ShutdownSignal::Trigger() { RunCallbacks(); }

void ShutdownSignal::RunCallbacks() {
  if (requested_.exchange(true)) return;
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    callbacks = callbacks_;
  }
  for (auto& callback : callbacks) callback();
  cv_.notify_all();
}

void ShutdownSignal::Wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return requested_.load(); });
}

bool ShutdownSignal::WaitFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [this] { return requested_.load(); });
}

}  // namespace gridcare::core
