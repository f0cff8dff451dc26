#pragma once

#include <memory>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/redis/client.h"
#include "gridcare/synth/sink.h"
#include "profile_store.h"

namespace gridcare::synth_tool {

/// Loads generated customers into Redis through the profile service's own bulk path
/// (ProfileStore::BulkLoad: pipelined, one round trip per batch), so the key layout is exactly the
/// service's. Not thread-safe.
class ProfileStoreSink final : public synth::CustomerSink {
 public:
  ProfileStoreSink(std::unique_ptr<redis::RedisClient> redis, size_t batch_size);
  core::Status Write(const v1::Customer& customer) override;
  core::Status Finish() override;
  int64_t loaded() const { return loaded_; }

 private:
  core::Status FlushBatch();

  std::unique_ptr<redis::RedisClient> redis_;
  core::SystemClock clock_;
  profile::ProfileStore store_;
  size_t batch_size_;
  std::vector<v1::Customer> batch_;
  int64_t loaded_ = 0;
};

}  // namespace gridcare::synth_tool
