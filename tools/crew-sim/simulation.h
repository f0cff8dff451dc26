#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crew_api.h"
#include "crew_player.h"
#include "gridcare/core/error.h"

namespace gridcare::crew_sim {

struct SimSettings {
  PlayerSettings player;
  int threads = 8;  ///< crews stepping at once (each step waits on a few gRPC calls)
  std::chrono::milliseconds poll_every{1'000};  ///< real: ListCrews, to see who holds jobs
  std::set<std::string> crews;                  ///< play only these; empty = the whole roster
};

/// Plays a roster of crews on a small thread pool: one timer queue holds each crew's next wake-up,
/// `threads` workers step whichever crews are due, and a poller lists the roster (paged) every
/// `poll_every` and wakes idle crews whose queue has jobs and busy crews whose queue has a job new
/// to them (ListJobs is called only for those, which keeps 500+ crews cheap). A crew is stepped by
/// one worker at a time.
///
/// Lifetime: Start(), then Stop() (also on destruction), from one thread; `api` and `narrator`
/// must outlive it.
class Simulation {
 public:
  Simulation(CrewApi& api, SimSettings settings, Narrator& narrator);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Lists the roster once (UNAVAILABLE etc. when the service cannot answer), then starts the
  /// workers and the poller.
  core::Status Start();
  /// Stops polling and stepping; waits for steps in progress (each bounded by the call deadline).
  void Stop();

  const SimStats& stats() const { return stats_; }
  size_t crew_count() const;
  /// Crews named by SimSettings::crews that the roster does not have (after Start()).
  std::vector<std::string> missing_crews() const;

 private:
  struct Slot {
    std::unique_ptr<CrewPlayer> player;
    uint64_t generation = 0;  // wake-ups of older generations are stale
    bool running = false;
    bool wake = false;  // woken while running: run again at once
  };
  struct WakeUp {
    Steady due;
    uint64_t generation;
    std::string crew_id;
    bool operator>(const WakeUp& other) const { return due > other.due; }
  };

  core::Status PollRoster();
  void Schedule(const std::string& crew_id, Slot& slot, Steady due);  // requires mutex_
  void WorkerLoop();
  void PollerLoop();

  CrewApi& api_;
  SimSettings settings_;
  Narrator& narrator_;
  SimStats stats_;

  mutable std::mutex mutex_;         // guards everything below
  std::condition_variable cv_;       // workers: the queue changed
  std::condition_variable stop_cv_;  // poller: time to stop
  std::map<std::string, Slot> slots_;
  std::priority_queue<WakeUp, std::vector<WakeUp>, std::greater<>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::thread poller_;
};

}  // namespace gridcare::crew_sim
