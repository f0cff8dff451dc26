#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/redis/reply.h"
#include "gridcare/redis/settings.h"

// hiredis plumbing shared by RedisClient; nothing here is part of the public API.
namespace gridcare::redis::internal {

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

/// Deep-copies a hiredis reply (including nested arrays) into our value type.
Reply ConvertReply(const redisReply& reply);

/// The Error for a context whose err is set, attributing it to `command`.
core::Error ContextError(const redisContext& context, int saved_errno, std::string_view command,
                         std::string_view endpoint);

/// Sends one command and waits for its reply; an error reply becomes a classified Error.
core::Result<Reply> RunOnContext(redisContext& context, int argc, const char** argv,
                                 const std::size_t* lengths, std::string_view command,
                                 std::string_view endpoint);

/// A fixed-size pool of blocking hiredis connections. Thread-safe. Connections are opened lazily,
/// checked for a peer close before reuse, and dropped as soon as hiredis flags them broken, so a
/// Redis restart heals on the next call without anyone recreating the client.
class ConnectionPool {
 public:
  explicit ConnectionPool(RedisSettings settings);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// Exclusive use of one connection; returned to the pool (or discarded if broken) on destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    redisContext& context() const { return *context_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, ContextPtr context);
    ConnectionPool* pool_;
    ContextPtr context_;
  };

  /// Waits up to pool_wait_timeout for a free slot, then reuses an idle connection or opens one.
  /// `command` only names the caller's command in error messages.
  core::Result<Lease> Acquire(std::string_view command);

  const RedisSettings& settings() const { return settings_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  void Release(ContextPtr context);
  core::Result<ContextPtr> Open(std::string_view command);

  const RedisSettings settings_;
  const std::string endpoint_;

  std::mutex mutex_;
  std::condition_variable slot_freed_;
  std::vector<ContextPtr> idle_;  // LIFO: the most recently used connection is the likeliest alive
  std::size_t leased_ = 0;
  // Shared by all slots: when Redis is down every caller would otherwise wait out its own connect.
  std::chrono::steady_clock::time_point reconnect_not_before_{};
  std::chrono::milliseconds reconnect_backoff_{0};
  core::Error last_connect_error_;
};

}  // namespace gridcare::redis::internal
