#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "gridcare/core/error.h"

namespace gridcare::kafka {

/// Remembers which event ids a consumer group has fully applied, so a redelivered event (after a
/// rebalance, a crash before commit, or a producer retry) changes nothing. The consumer loop asks
/// Seen() before handling and calls Remember() only after the batch's effects are durable.
/// Implementations are thread-safe.
class IdempotencyGuard {
 public:
  virtual ~IdempotencyGuard() = default;
  virtual core::Result<bool> Seen(std::string_view event_id) = 0;
  virtual core::Status Remember(const std::vector<std::string>& event_ids) = 0;
};

/// Keeps the most recent `capacity` ids in memory. For tests and for consumers whose effects are
/// naturally idempotent (a restart forgets everything). Thread-safe.
class InMemoryIdempotencyGuard final : public IdempotencyGuard {
 public:
  explicit InMemoryIdempotencyGuard(size_t capacity = 100'000) : capacity_(capacity) {}
  core::Result<bool> Seen(std::string_view event_id) override;
  core::Status Remember(const std::vector<std::string>& event_ids) override;

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;
};

}  // namespace gridcare::kafka
