#pragma once

#include <chrono>

#include "case_store.h"
#include "gridcare/redis/client.h"

namespace gridcare::complaint {

/// CaseStore in Redis, keys prefixed `complaint:` (docs/services/complaint.md); one MULTI/EXEC per
/// commit. Closed cases stay readable for `closed_ttl`.
class RedisCaseStore final : public CaseStore {
 public:
  explicit RedisCaseStore(redis::RedisClient& redis,
                          std::chrono::hours outbox_ttl = std::chrono::hours(168),
                          std::chrono::hours closed_ttl = std::chrono::hours(24 * 90));
  core::Result<std::optional<v1::StoredCase>> Load(std::string_view case_id) override;
  core::Result<std::vector<v1::StoredCase>> LoadMany(const std::vector<std::string>& ids) override;
  core::Status Commit(const CaseCommit& commit) override;
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override;
  core::Result<std::vector<std::string>> PendingOutboxes(int64_t limit) override;
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override;
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override;
  core::Result<Page> OpenCases(std::string_view department_id, int64_t offset,
                               int64_t limit) override;

 private:
  redis::RedisClient& redis_;
  std::chrono::hours outbox_ttl_;
  std::chrono::hours closed_ttl_;
};

}  // namespace gridcare::complaint
