#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch_store.h"
#include "gridcare/redis/client.h"

namespace gridcare::dispatch {

/// DispatchStore in Redis, every key under `prefix` (each territory partition has its own:
/// "dispatch:t<N>:"); one MULTI/EXEC per Commit or CommitAll, one MGET for Outboxes.
class RedisDispatchStore final : public DispatchStore {
 public:
  explicit RedisDispatchStore(redis::RedisClient& redis, std::string prefix = "dispatch:",
                              std::chrono::hours outbox_ttl = std::chrono::hours(168),
                              std::chrono::hours archive_ttl = std::chrono::hours(24 * 30));
  core::Status Commit(const DispatchBatch& batch) override;
  core::Status CommitAll(std::span<const DispatchBatch> batches) override;
  core::Result<DispatchSnapshot> Load() override;
  core::Result<OpenWork> LoadOpenWork() override;
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override;
  core::Result<std::map<std::string, std::vector<kafka::OutgoingRecord>>> Outboxes(
      std::span<const std::string> outbox_ids) override;
  core::Result<std::vector<std::string>> PendingOutboxes() override;
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override;
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override;

  /// From now on a commit runs only while `<prefix>owner` names `holder()` (this instance's
  /// claim, TerritoryPeers::Claim): once another instance has claimed the territory, this one's
  /// commits fail with UNAVAILABLE and change nothing, even if Kafka has not told it yet (a member
  /// cut off from the broker).
  void FenceOn(std::function<std::string()> holder) { fence_holder_ = std::move(holder); }

 private:
  /// The commands that write `batch`, appended to `commands`.
  void AppendCommands(const DispatchBatch& batch,
                      std::vector<std::vector<std::string>>& commands) const;
  /// Only its outbox (SET, and SADD when pending).
  void AppendOutboxCommands(const DispatchBatch& batch,
                            std::vector<std::vector<std::string>>& commands) const;

  /// prefix + name (+ id).
  std::string Key(std::string_view name, std::string_view id = {}) const {
    std::string key;
    key.reserve(prefix_.size() + name.size() + id.size());
    return key.append(prefix_).append(name).append(id);
  }

  redis::RedisClient& redis_;
  std::string prefix_;
  std::chrono::hours outbox_ttl_;
  std::chrono::hours archive_ttl_;
  std::function<std::string()> fence_holder_;  // empty: commits are not fenced
};

}  // namespace gridcare::dispatch
