#include "connection.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "gridcare/redis/errors.h"

namespace gridcare::redis::internal {
namespace {

constexpr std::chrono::milliseconds kFirstReconnectBackoff{50};
constexpr std::chrono::milliseconds kMaxReconnectBackoff{1000};

timeval ToTimeval(std::chrono::milliseconds duration) {
  const auto count = duration.count();
  return timeval{static_cast<time_t>(count / 1000),
                 static_cast<suseconds_t>((count % 1000) * 1000)};
}

// An idle connection whose peer has closed (Redis restarted, idle-timeout, failover) shows EOF or
// an error to a non-blocking peek; stray readable bytes mean it is out of step with its replies.
// Either way it must not carry the next command, because a command sent on it would fail only
// after it may or may not have run.
bool IdleConnectionUsable(const redisContext& context) {
  if (context.err != 0 || context.fd < 0) return false;
  char byte;
  const auto received = recv(context.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (received == 0) return false;
  if (received > 0) return false;
  return errno == EAGAIN || errno == EWOULDBLOCK;
}

}  // namespace

Reply ConvertReply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      return Reply::FromString(std::string(reply.str, reply.len));
    case REDIS_REPLY_STATUS:
      return Reply::FromStatus(std::string(reply.str, reply.len));
    case REDIS_REPLY_ERROR:
      return Reply::FromError(std::string(reply.str, reply.len));
    case REDIS_REPLY_INTEGER:
      return Reply::FromInteger(reply.integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        elements.push_back(ConvertReply(*reply.element[i]));
      }
      return Reply::FromArray(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default:
      return Reply::Nil();
  }
}

core::Error ContextError(const redisContext& context, int saved_errno, std::string_view command,
                         std::string_view endpoint) {
  if (context.err == 0) {
    return core::Internal("redis " + std::string(command) + " on " + std::string(endpoint) +
                          ": hiredis returned no reply and no error");
  }
  return ClassifyConnectionError(context.err, saved_errno, context.errstr, command, endpoint);
}

core::Result<Reply> RunOnContext(redisContext& context, int argc, const char** argv,
                                 const std::size_t* lengths, std::string_view command,
                                 std::string_view endpoint) {
  void* raw = redisCommandArgv(&context, argc, argv, lengths);
  const int saved_errno = errno;
  if (raw == nullptr) return ContextError(context, saved_errno, command, endpoint);
  const ReplyPtr reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    return ClassifyErrorReply(std::string_view(reply->str, reply->len), command);
  }
  return ConvertReply(*reply);
}

ConnectionPool::Lease::Lease(ConnectionPool* pool, ContextPtr context)
    : pool_(pool), context_(std::move(context)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), context_(std::move(other.context_)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(context_));
}

ConnectionPool::ConnectionPool(RedisSettings settings)
    : settings_(std::move(settings)),
      endpoint_(settings_.host + ":" + std::to_string(settings_.port)) {
  idle_.reserve(settings_.pool_size);
}

ConnectionPool::~ConnectionPool() = default;

core::Result<ConnectionPool::Lease> ConnectionPool::Acquire(std::string_view command) {
  ContextPtr context;
  {
    std::unique_lock lock(mutex_);
    if (!slot_freed_.wait_for(lock, settings_.pool_wait_timeout,
                              [this] { return leased_ < settings_.pool_size; })) {
      return core::Error{core::ErrorKind::kResourceExhausted,
                         "redis " + std::string(command) + " on " + endpoint_ + ": all " +
                             std::to_string(settings_.pool_size) + " connections stayed busy for " +
                             std::to_string(settings_.pool_wait_timeout.count()) + " ms"};
    }
    ++leased_;
    if (!idle_.empty()) {
      context = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  // From here the slot is ours; the lease gives it back on every path, including failures.
  Lease lease(this, nullptr);
  if (context && !IdleConnectionUsable(*context)) context.reset();
  if (!context) {
    auto opened = Open(command);
    if (!opened.ok()) return opened.error();
    context = std::move(opened).value();
  }
  lease.context_ = std::move(context);
  return lease;
}

void ConnectionPool::Release(ContextPtr context) {
  // A context with err set is unusable for good (hiredis never clears it); a context whose command
  // timed out may still receive that late reply, so it must never serve another caller.
  ContextPtr discard;
  {
    std::lock_guard lock(mutex_);
    if (context && context->err == 0) {
      idle_.push_back(std::move(context));
    } else {
      discard = std::move(context);
    }
    --leased_;
  }
  slot_freed_.notify_one();
}

core::Result<ContextPtr> ConnectionPool::Open(std::string_view command) {
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now < reconnect_not_before_) {
      const auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(reconnect_not_before_ - now);
      return core::Error{last_connect_error_.kind,
                         "redis " + std::string(command) + " on " + endpoint_ +
                             ": not reconnecting for another " + std::to_string(wait.count()) +
                             " ms; last attempt: " + last_connect_error_.message};
    }
  }

  auto connect = [&]() -> core::Result<ContextPtr> {
    redisContext* raw = redisConnectWithTimeout(settings_.host.c_str(), settings_.port,
                                                ToTimeval(settings_.connect_timeout));
    const int saved_errno = errno;
    if (raw == nullptr) {
      return core::Internal("redis " + std::string(command) + ": cannot allocate a connection");
    }
    ContextPtr context(raw);
    if (context->err != 0) return ContextError(*context, saved_errno, command, endpoint_);
    if (redisSetTimeout(context.get(), ToTimeval(settings_.command_timeout)) != REDIS_OK ||
        redisEnableKeepAlive(context.get()) != REDIS_OK) {
      return ContextError(*context, errno, command, endpoint_);
    }
    if (!settings_.password.empty()) {
      const char* argv[] = {"AUTH", settings_.password.data()};
      const std::size_t lengths[] = {4, settings_.password.size()};
      auto auth = RunOnContext(*context, 2, argv, lengths, "AUTH", endpoint_);
      if (!auth.ok()) return auth.error();
    }
    if (settings_.db != 0) {
      const std::string db = std::to_string(settings_.db);
      const char* argv[] = {"SELECT", db.data()};
      const std::size_t lengths[] = {6, db.size()};
      auto select = RunOnContext(*context, 2, argv, lengths, "SELECT", endpoint_);
      if (!select.ok()) return select.error();
    }
    return context;
  };

  auto result = connect();
  std::lock_guard lock(mutex_);
  if (result.ok()) {
    reconnect_backoff_ = std::chrono::milliseconds{0};
    reconnect_not_before_ = {};
  } else {
    reconnect_backoff_ = reconnect_backoff_.count() == 0
                             ? kFirstReconnectBackoff
                             : std::min(reconnect_backoff_ * 2, kMaxReconnectBackoff);
    reconnect_not_before_ = std::chrono::steady_clock::now() + reconnect_backoff_;
    last_connect_error_ = result.error();
  }
  return result;
}

}  // namespace gridcare::redis::internal
