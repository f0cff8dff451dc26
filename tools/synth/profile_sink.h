#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/redis/client.h"
#include "gridcare/synth/sink.h"
#include "redis_profile_store.h"

namespace gridcare::synth_tool {

/// Loads generated customers into Redis through the profile service's own bulk path
/// (RedisProfileStore::BulkLoad: pipelined, one round trip per batch), so the key layout is exactly
/// the service's. Full batches go to `loaders` threads, each on its own connection, while
/// generation goes on: one connection leaves Redis idle during every round trip (bench/profile
/// measured +50% with two). Write and Finish are called from one thread.
class ProfileStoreSink final : public synth::CustomerSink {
 public:
  /// `redis` needs a pool of at least `loaders` connections.
  ProfileStoreSink(std::unique_ptr<redis::RedisClient> redis, size_t batch_size, int loaders);
  ~ProfileStoreSink() override;
  ProfileStoreSink(const ProfileStoreSink&) = delete;
  ProfileStoreSink& operator=(const ProfileStoreSink&) = delete;

  core::Status Write(const v1::Customer& customer) override;
  /// Loads what is left, waits for every batch and returns the first failure, if any.
  core::Status Finish() override;
  int64_t loaded() const;

 private:
  void LoadBatches();
  core::Status Enqueue();
  void StopLoaders();

  std::unique_ptr<redis::RedisClient> redis_;
  core::SystemClock clock_;
  profile::RedisProfileStore store_;
  size_t batch_size_;
  std::vector<v1::Customer> batch_;

  mutable std::mutex mutex_;
  std::condition_variable queued_;  // a batch was queued, or stopping
  std::condition_variable room_;    // a batch was taken off the queue
  std::deque<std::vector<v1::Customer>> queue_;
  size_t max_queued_;
  int busy_ = 0;
  bool stopping_ = false;
  std::optional<core::Error> failure_;
  int64_t loaded_ = 0;
  std::vector<std::thread> loaders_;  // last: started once everything above exists
};

}  // namespace gridcare::synth_tool
