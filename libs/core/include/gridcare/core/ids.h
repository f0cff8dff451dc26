#pragma once

#include <string>

#include "gridcare/core/clock.h"

namespace gridcare::core {

/// Creates unique identifiers for events, tickets and work items.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  /// A new unique id in canonical 8-4-4-4-12 hex form.
  virtual std::string NewId() = 0;
};

/// RFC 9562 UUID version 7: 48 bits of Unix milliseconds then random bits, so ids sort by creation
/// time (handy in Redis sorted keys and logs). Thread-safe: each thread has its own random engine.
class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock) : clock_(clock) {}
  std::string NewId() override;

 private:
  const Clock& clock_;
};

/// Deterministic ids "<prefix>-000001", "<prefix>-000002", ... for tests. Not thread-safe.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string NewId() override;

 private:
  std::string prefix_;
  long next_ = 1;
};

/// True when `id` looks like a canonical UUID (any version).
bool IsCanonicalUuid(std::string_view id);

}  // namespace gridcare::core
