#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/redis/reply.h"
#include "gridcare/redis/settings.h"

namespace gridcare::redis {

namespace internal {
class ConnectionPool;
}  // namespace internal

/// Hash fields and values, ordered so results compare and print deterministically.
using FieldMap = std::map<std::string, std::string>;

/// A sorted-set member and its score.
struct ScoredMember {
  double score = 0;
  std::string member;
  bool operator==(const ScoredMember&) const = default;
};

/// LIMIT offset count of ZRANGEBYSCORE.
struct RangeLimit {
  int64_t offset = 0;
  int64_t count = 0;
};

/// True for commands that change the state of the connection they run on (SELECT, AUTH, MULTI,
/// WATCH, SUBSCRIBE, MONITOR, QUIT, ...). RedisClient refuses them in Command/Pipeline/Transaction
/// because the connection goes back to a shared pool and the next caller would inherit that state.
/// Case-insensitive.
bool IsConnectionStateCommand(std::string_view command);

/// GridCare's Redis client over hiredis.
///
/// Thread-safety: every method may be called concurrently from any number of threads (gRPC handlers
/// do). Each call borrows one of `pool_size` connections for its whole round-trip, so at most
/// `pool_size` commands are in flight; further callers wait up to `pool_wait_timeout`.
///
/// Failures come back as core::Error whose Retryable() says whether trying again can help:
/// kUnavailable (refused, reset, closed, reconnect backing off) and kDeadlineExceeded (connect or
/// command timeout) are retryable; error replies are classified by ClassifyErrorReply (WRONGTYPE ->
/// kInternal, ERR -> kInvalidArgument, LOADING -> kUnavailable, ...). A broken connection is
/// dropped and re-opened by a later call (after a short, capped backoff while Redis stays down),
/// so a Redis restart heals without restarting the service. A call that failed with a retryable
/// error may or may not have been applied: retry only idempotent writes, or guard them.
///
/// Messages name the command and endpoint, never keys, values or the password.
///
/// Lifetime: construct once at start-up via Create and share it (e.g. by reference or shared_ptr);
/// it must outlive every call in flight.
class RedisClient {
 public:
  /// Validates the settings (kInvalidArgument says which field is wrong). Does not touch the
  /// network: connections open on first use; call Ping() to check Redis is reachable.
  /// Process-wide side effect: if SIGPIPE still has its default action it is set to ignored,
  /// because hiredis writes with write(2) and a reset connection must not kill the service.
  static core::Result<std::unique_ptr<RedisClient>> Create(RedisSettings settings);

  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisSettings& settings() const;

  // --- Generic, binary-safe ------------------------------------------------------------------

  /// Runs one command, e.g. {"HINCRBY", key, field, "1"}. Arguments are sent as raw bytes (NUL and
  /// UTF-8 safe). An error reply becomes an Error; errors nested in an array reply stay as
  /// Reply::kError elements. Blocking commands must finish within command_timeout.
  core::Result<Reply> Command(const std::vector<std::string>& argv);

  /// Sends `commands` on one connection in chunks (append many, then read their replies), the
  /// bulk-load path: one round-trip per chunk instead of per command. The result has one Reply per
  /// command, in order; a command Redis rejected appears as a kError Reply (see ErrorFromReply) and
  /// does not stop the others. A transport failure returns an Error and leaves it unknown which
  /// commands were applied, so pipeline only idempotent writes (SET, HSET, ZADD, ...).
  core::Result<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& commands);

  /// Runs `commands` atomically as MULTI ... EXEC in one round-trip and returns EXEC's replies.
  /// If Redis rejects a command while queueing it (wrong arity, unknown command) nothing is applied
  /// and the Error names that command. Redis has no rollback: a command that fails while executing
  /// (e.g. WRONGTYPE) shows as a kError element while the others take effect. If the connection
  /// breaks before EXEC's reply arrives the outcome is unknown; write the effect and its processed
  /// mark in the same transaction so a retry is harmless.
  core::Result<std::vector<Reply>> Transaction(
      const std::vector<std::vector<std::string>>& commands);

  /// A fence: the value a key must hold for a FencedTransaction to run.
  struct Fence {
    std::string key;
    std::string holder;
  };
  /// Transaction(commands), run only while `fence.key` holds `fence.holder`: WATCH and GET the
  /// key (one round trip), then MULTI … EXEC. FAILED_PRECONDITION ("fenced …") and nothing applied
  /// when the key holds something else, or when it changes before EXEC (Redis aborts the
  /// transaction). For an owner that must stop writing once another has taken over.
  core::Result<std::vector<Reply>> FencedTransaction(
      const Fence& fence, const std::vector<std::vector<std::string>>& commands);

  // --- Typed commands ------------------------------------------------------------------------
  // Keys, values and members are binary-safe byte strings. Functions that take a list send nothing
  // and return 0 (or an empty result) when the list is empty.

  core::Status Ping();

  core::Result<std::optional<std::string>> Get(std::string_view key);
  /// SET, with PX when a TTL is given (a TTL must be positive).
  core::Status Set(std::string_view key, std::string_view value,
                   std::optional<std::chrono::milliseconds> ttl = std::nullopt);
  /// SET NX PX: true if this call created the key, false if it already existed. The idempotency
  /// guard's "first writer wins" primitive.
  core::Result<bool> SetNx(std::string_view key, std::string_view value,
                           std::chrono::milliseconds ttl);
  /// True if the key existed.
  core::Result<bool> Del(std::string_view key);
  core::Result<bool> Exists(std::string_view key);
  core::Result<int64_t> IncrBy(std::string_view key, int64_t delta);
  /// PEXPIRE; false if the key does not exist.
  core::Result<bool> Expire(std::string_view key, std::chrono::milliseconds ttl);

  /// Returns the number of fields that were new.
  core::Result<int64_t> HSet(std::string_view key, const FieldMap& fields);
  core::Result<std::optional<std::string>> HGet(std::string_view key, std::string_view field);
  core::Result<FieldMap> HGetAll(std::string_view key);
  /// One entry per requested field, nullopt where the field is missing.
  core::Result<std::vector<std::optional<std::string>>> HMGet(
      std::string_view key, const std::vector<std::string>& fields);

  /// Returns the number of members added (SAdd) or removed (SRem).
  core::Result<int64_t> SAdd(std::string_view key, const std::vector<std::string>& members);
  core::Result<int64_t> SRem(std::string_view key, const std::vector<std::string>& members);
  /// Unordered, as Redis returns them.
  core::Result<std::vector<std::string>> SMembers(std::string_view key);
  core::Result<int64_t> SCard(std::string_view key);

  /// Adds or updates members; returns the number of members that were new. NaN scores are
  /// rejected with kInvalidArgument.
  core::Result<int64_t> ZAdd(std::string_view key, const std::vector<ScoredMember>& members);
  core::Result<int64_t> ZRem(std::string_view key, const std::vector<std::string>& members);
  /// Members with min <= score <= max (infinities allowed), lowest score first, with their scores.
  core::Result<std::vector<ScoredMember>> ZRangeByScore(
      std::string_view key, double min, double max, std::optional<RangeLimit> limit = std::nullopt);
  core::Result<int64_t> ZCard(std::string_view key);

  /// EVAL script numkeys keys... args...; the script's result as a Reply (an error raised by the
  /// script becomes an Error). Redis caches the script by its SHA, so re-sending it is cheap on the
  /// server; only the bytes on the wire repeat.
  core::Result<Reply> Eval(std::string_view script, const std::vector<std::string>& keys,
                           const std::vector<std::string>& args);

 private:
  explicit RedisClient(RedisSettings settings);

  core::Result<Reply> Run(std::string_view command, std::span<const std::string_view> args);
  core::Result<std::vector<Reply>> RunBatch(std::string_view label,
                                            const std::vector<std::vector<std::string>>& commands,
                                            bool transaction, const Fence* fence = nullptr);

  std::unique_ptr<internal::ConnectionPool> pool_;
};

}  // namespace gridcare::redis
