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
    int received = 0;
    sigwait(&set, &received);
    if (received != SIGUSR2) RunCallbacks();
  });
}

ShutdownSignal::~ShutdownSignal() {
  pthread_kill(watcher_.native_handle(), SIGUSR2);
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
