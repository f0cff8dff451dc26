#include "gridcare/redis/client.h"

#include <signal.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <mutex>
#include <utility>

#include "connection.h"
#include "gridcare/redis/errors.h"

namespace gridcare::redis {
namespace {

// Pipeline chunking: enough commands per round-trip to amortise latency, few enough that neither
// our output buffer nor Redis' reply buffer for this client grows with the size of the whole load.
constexpr std::size_t kPipelineChunkCommands = 1024;
constexpr std::size_t kPipelineChunkBytes = 1 << 20;

// Commands with up to this many arguments are passed to hiredis from stack arrays.
constexpr std::size_t kInlineArgs = 8;

constexpr std::array<std::string_view, 19> kConnectionStateCommands = {
    "AUTH",         "HELLO",      "SELECT",     "QUIT",        "RESET",
    "MULTI",        "EXEC",       "DISCARD",    "WATCH",       "UNWATCH",
    "SUBSCRIBE",    "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE",
    "SUNSUBSCRIBE", "MONITOR",    "SYNC",       "PSYNC"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (x != b[i]) return false;
  }
  return true;
}

core::Error UnexpectedReply(std::string_view command, const Reply& reply) {
  return core::Internal("redis " + std::string(command) + ": unexpected " +
                        std::string(ReplyTypeName(reply.type())) + " reply");
}

core::Result<int64_t> ToInteger(core::Result<Reply> reply, std::string_view command) {
  if (!reply.ok()) return reply.error();
  if (!reply->is_integer()) return UnexpectedReply(command, *reply);
  return reply->integer();
}

core::Result<bool> ToBool(core::Result<Reply> reply, std::string_view command) {
  auto value = ToInteger(std::move(reply), command);
  if (!value.ok()) return value.error();
  return *value != 0;
}

core::Status ToOk(core::Result<Reply> reply, std::string_view command) {
  if (!reply.ok()) return reply.error();
  if (!reply->is_status()) return UnexpectedReply(command, *reply);
  return core::Status::Ok();
}

core::Result<std::optional<std::string>> ToOptionalString(core::Result<Reply> reply,
                                                          std::string_view command) {
  if (!reply.ok()) return reply.error();
  if (reply->is_nil()) return std::optional<std::string>();
  if (!reply->is_string()) return UnexpectedReply(command, *reply);
  return std::optional<std::string>(std::move(reply->mutable_str()));
}

core::Result<std::vector<std::string>> ToStrings(core::Result<Reply> reply,
                                                 std::string_view command) {
  if (!reply.ok()) return reply.error();
  if (!reply->is_array()) return UnexpectedReply(command, *reply);
  std::vector<std::string> out;
  out.reserve(reply->elements().size());
  for (Reply& element : reply->mutable_elements()) {
    if (!element.is_string()) return UnexpectedReply(command, element);
    out.push_back(std::move(element.mutable_str()));
  }
  return out;
}

std::string FormatScore(double score) {
  std::array<char, 32> buffer;
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), score);
  return std::string(buffer.data(), ec == std::errc() ? end : buffer.data());
}

bool ParseScore(std::string_view text, double& score) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), score);
  return ec == std::errc() && end == text.data() + text.size();
}

// Appends the string_views of `argv` to `views` so a list argument becomes hiredis arguments
// without copying the bytes.
void AppendViews(const std::vector<std::string>& argv, std::vector<std::string_view>& views) {
  for (const std::string& arg : argv) views.emplace_back(arg);
}

core::Status ValidateBatch(std::string_view label,
                           const std::vector<std::vector<std::string>>& commands) {
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].empty()) {
      return core::InvalidArgument("redis " + std::string(label) + ": command " +
                                   std::to_string(i) + " is empty");
    }
    if (IsConnectionStateCommand(commands[i][0])) {
      return core::InvalidArgument("redis " + std::string(label) + ": " +
                                   CommandName(commands[i][0]) +
                                   " would leak connection state into the pool");
    }
  }
  return core::Status::Ok();
}

// hiredis writes with write(2), not send(MSG_NOSIGNAL): a write to a connection Redis has already
// reset can raise SIGPIPE, whose default action kills the whole service. Ignored, the same write
// fails with EPIPE and becomes a retryable kUnavailable. Only the default disposition is replaced,
// so a handler the program installed itself is left alone.
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

bool IsConnectionStateCommand(std::string_view command) {
  for (std::string_view name : kConnectionStateCommands) {
    if (EqualsIgnoreCase(command, name)) return true;
  }
  return false;
}

core::Result<std::unique_ptr<RedisClient>> RedisClient::Create(RedisSettings settings) {
  if (auto valid = ValidateSettings(settings); !valid.ok()) return valid.error();
  IgnoreSigpipeOnce();
  return std::unique_ptr<RedisClient>(new RedisClient(std::move(settings)));
}

RedisClient::RedisClient(RedisSettings settings)
    : pool_(std::make_unique<internal::ConnectionPool>(std::move(settings))) {}

RedisClient::~RedisClient() = default;

const RedisSettings& RedisClient::settings() const { return pool_->settings(); }

core::Result<Reply> RedisClient::Run(std::string_view command,
                                     std::span<const std::string_view> args) {
  std::array<const char*, kInlineArgs> inline_pointers;
  std::array<std::size_t, kInlineArgs> inline_lengths;
  std::vector<const char*> heap_pointers;
  std::vector<std::size_t> heap_lengths;
  const char** pointers = inline_pointers.data();
  std::size_t* lengths = inline_lengths.data();
  if (args.size() > kInlineArgs) {
    heap_pointers.resize(args.size());
    heap_lengths.resize(args.size());
    pointers = heap_pointers.data();
    lengths = heap_lengths.data();
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    // A default string_view has a null data(); hiredis would memcpy from it.
    pointers[i] = args[i].empty() ? "" : args[i].data();
    lengths[i] = args[i].size();
  }
  auto lease = pool_->Acquire(command);
  if (!lease.ok()) return lease.error();
  return internal::RunOnContext(lease->context(), static_cast<int>(args.size()), pointers, lengths,
                                command, pool_->endpoint());
}

core::Result<Reply> RedisClient::Command(const std::vector<std::string>& argv) {
  if (argv.empty()) return core::InvalidArgument("redis command: argv is empty");
  const std::string name = CommandName(argv[0]);
  if (IsConnectionStateCommand(argv[0])) {
    return core::InvalidArgument("redis " + name + ": would leak connection state into the pool");
  }
  std::vector<std::string_view> views;
  views.reserve(argv.size());
  AppendViews(argv, views);
  return Run(name, views);
}

core::Result<std::vector<Reply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  return RunBatch("PIPELINE", commands, /*transaction=*/false);
}

core::Result<std::vector<Reply>> RedisClient::Transaction(
    const std::vector<std::vector<std::string>>& commands) {
  return RunBatch("MULTI/EXEC", commands, /*transaction=*/true);
}

core::Result<std::vector<Reply>> RedisClient::FencedTransaction(
    const Fence& fence, const std::vector<std::vector<std::string>>& commands) {
  return RunBatch("MULTI/EXEC", commands, /*transaction=*/true, &fence);
}

namespace {

/// WATCHes the fence's key and checks that it holds the holder, on the connection that runs the
/// transaction next. On a mismatch the connection is UNWATCHed (it goes back to the pool clean).
core::Status WatchFence(redisContext& context, const RedisClient::Fence& fence,
                        const std::string& endpoint) {
  const char* watch[] = {"WATCH", fence.key.c_str()};
  const size_t watch_lengths[] = {5, fence.key.size()};
  redisAppendCommandArgv(&context, 2, watch, watch_lengths);
  const char* get[] = {"GET", fence.key.c_str()};
  const size_t get_lengths[] = {3, fence.key.size()};
  redisAppendCommandArgv(&context, 2, get, get_lengths);
  std::vector<Reply> replies;
  while (replies.size() < 2 && context.err == 0) {
    void* raw = nullptr;
    if (redisGetReply(&context, &raw) != REDIS_OK || raw == nullptr) break;
    const internal::ReplyPtr reply(static_cast<redisReply*>(raw));
    replies.push_back(internal::ConvertReply(*reply));
  }
  if (replies.size() < 2) return internal::ContextError(context, errno, "WATCH", endpoint);
  if (replies[0].is_error()) return ErrorFromReply(replies[0], "WATCH");
  const auto holder = replies[1].AsOptionalString();
  if (holder && *holder == fence.holder) return core::Status::Ok();
  redisReply* unwatch = static_cast<redisReply*>(redisCommand(&context, "UNWATCH"));
  if (unwatch != nullptr) freeReplyObject(unwatch);
  return core::FailedPrecondition("fenced: " + fence.key + " names " +
                                  (holder ? "\"" + *holder + "\"" : std::string("no one")) +
                                  ", not \"" + fence.holder + "\"");
}

}  // namespace

core::Result<std::vector<Reply>> RedisClient::RunBatch(
    std::string_view label, const std::vector<std::vector<std::string>>& commands, bool transaction,
    const Fence* fence) {
  if (commands.empty()) return std::vector<Reply>();
  if (auto valid = ValidateBatch(label, commands); !valid.ok()) return valid.error();

  auto lease = pool_->Acquire(label);
  if (!lease.ok()) return lease.error();
  redisContext& context = lease->context();
  const std::string& endpoint = pool_->endpoint();

  // Reused for every command: the only per-command allocations left are hiredis' own.
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  auto append = [&](const std::vector<std::string>& argv) -> std::size_t {
    pointers.resize(argv.size());
    lengths.resize(argv.size());
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < argv.size(); ++i) {
      pointers[i] = argv[i].data();
      lengths[i] = argv[i].size();
      bytes += argv[i].size();
    }
    redisAppendCommandArgv(&context, static_cast<int>(argv.size()), pointers.data(),
                           lengths.data());
    return bytes;
  };
  const std::size_t expected = commands.size() + (transaction ? 2 : 0);
  std::vector<Reply> replies;
  replies.reserve(expected);
  // Reads `count` replies; a transport failure leaves context.err set, so the lease drops it.
  auto read = [&](std::size_t count) -> core::Status {
    const std::size_t target = replies.size() + count;
    int saved_errno = 0;
    // context.err is also set by an append that ran out of memory; then nothing is read.
    while (replies.size() < target && context.err == 0) {
      void* raw = nullptr;
      const int status = redisGetReply(&context, &raw);
      saved_errno = errno;
      if (status != REDIS_OK || raw == nullptr) break;
      const internal::ReplyPtr reply(static_cast<redisReply*>(raw));
      replies.push_back(internal::ConvertReply(*reply));
    }
    if (replies.size() == target) return core::Status::Ok();
    core::Error error = internal::ContextError(context, saved_errno, label, endpoint);
    error.message +=
        " after " + std::to_string(replies.size()) + " of " + std::to_string(expected) + " replies";
    if (!transaction) error.message += "; earlier commands may have been applied";
    return error;
  };

  if (!transaction) {
    std::size_t next = 0;
    while (next < commands.size()) {
      std::size_t chunk = 0;
      std::size_t bytes = 0;
      while (next + chunk < commands.size() && chunk < kPipelineChunkCommands &&
             bytes < kPipelineChunkBytes) {
        bytes += append(commands[next + chunk]);
        ++chunk;
      }
      if (auto status = read(chunk); !status.ok()) return status.error();
      next += chunk;
    }
    return replies;
  }

  if (fence != nullptr) {
    if (auto watched = WatchFence(context, *fence, endpoint); !watched) return watched.error();
  }
  redisAppendCommand(&context, "MULTI");
  for (const auto& command : commands) append(command);
  redisAppendCommand(&context, "EXEC");
  if (auto status = read(expected); !status.ok()) return status.error();

  if (replies.front().is_error()) return ErrorFromReply(replies.front(), "MULTI");
  for (std::size_t i = 0; i < commands.size(); ++i) {
    // A command rejected while queueing makes Redis discard the whole transaction (EXECABORT);
    // report the command that caused it rather than the generic abort.
    if (replies[i + 1].is_error()) {
      return ErrorFromReply(replies[i + 1], CommandName(commands[i][0]) + " in MULTI (command " +
                                                std::to_string(i) + ")");
    }
  }
  Reply& exec = replies.back();
  if (exec.is_error()) return ErrorFromReply(exec, "EXEC");
  if (exec.is_nil()) {
    if (fence != nullptr) {
      return core::FailedPrecondition("fenced: " + fence->key + " changed before EXEC");
    }
    return core::FailedPrecondition("redis EXEC: transaction aborted by Redis");
  }
  if (!exec.is_array() || exec.elements().size() != commands.size()) {
    return UnexpectedReply("EXEC", exec);
  }
  return std::move(exec.mutable_elements());
}

core::Status RedisClient::Ping() {
  const std::string_view args[] = {"PING"};
  return ToOk(Run("PING", args), "PING");
}

core::Result<std::optional<std::string>> RedisClient::Get(std::string_view key) {
  const std::string_view args[] = {"GET", key};
  return ToOptionalString(Run("GET", args), "GET");
}

core::Status RedisClient::Set(std::string_view key, std::string_view value,
                              std::optional<std::chrono::milliseconds> ttl) {
  if (!ttl) {
    const std::string_view args[] = {"SET", key, value};
    return ToOk(Run("SET", args), "SET");
  }
  if (ttl->count() <= 0) return core::InvalidArgument("redis SET: ttl must be positive");
  const std::string millis = std::to_string(ttl->count());
  const std::string_view args[] = {"SET", key, value, "PX", millis};
  return ToOk(Run("SET", args), "SET");
}

core::Result<bool> RedisClient::SetNx(std::string_view key, std::string_view value,
                                      std::chrono::milliseconds ttl) {
  if (ttl.count() <= 0) return core::InvalidArgument("redis SET NX: ttl must be positive");
  const std::string millis = std::to_string(ttl.count());
  const std::string_view args[] = {"SET", key, value, "NX", "PX", millis};
  auto reply = Run("SET NX", args);
  if (!reply.ok()) return reply.error();
  if (reply->is_nil()) return false;
  if (reply->IsOk()) return true;
  return UnexpectedReply("SET NX", *reply);
}

core::Result<bool> RedisClient::Del(std::string_view key) {
  const std::string_view args[] = {"DEL", key};
  return ToBool(Run("DEL", args), "DEL");
}

core::Result<bool> RedisClient::Exists(std::string_view key) {
  const std::string_view args[] = {"EXISTS", key};
  return ToBool(Run("EXISTS", args), "EXISTS");
}

core::Result<int64_t> RedisClient::IncrBy(std::string_view key, int64_t delta) {
  const std::string text = std::to_string(delta);
  const std::string_view args[] = {"INCRBY", key, text};
  return ToInteger(Run("INCRBY", args), "INCRBY");
}

core::Result<bool> RedisClient::Expire(std::string_view key, std::chrono::milliseconds ttl) {
  // PEXPIRE with a non-positive TTL deletes the key: too surprising to allow by accident.
  if (ttl.count() <= 0) return core::InvalidArgument("redis PEXPIRE: ttl must be positive");
  const std::string millis = std::to_string(ttl.count());
  const std::string_view args[] = {"PEXPIRE", key, millis};
  return ToBool(Run("PEXPIRE", args), "PEXPIRE");
}

core::Result<int64_t> RedisClient::HSet(std::string_view key, const FieldMap& fields) {
  if (fields.empty()) return int64_t{0};
  std::vector<std::string_view> args;
  args.reserve(2 + 2 * fields.size());
  args.insert(args.end(), {"HSET", key});
  for (const auto& [field, value] : fields) args.insert(args.end(), {field, value});
  return ToInteger(Run("HSET", args), "HSET");
}

core::Result<std::optional<std::string>> RedisClient::HGet(std::string_view key,
                                                           std::string_view field) {
  const std::string_view args[] = {"HGET", key, field};
  return ToOptionalString(Run("HGET", args), "HGET");
}

core::Result<FieldMap> RedisClient::HGetAll(std::string_view key) {
  const std::string_view args[] = {"HGETALL", key};
  auto flat = ToStrings(Run("HGETALL", args), "HGETALL");
  if (!flat.ok()) return flat.error();
  if (flat->size() % 2 != 0) return core::Internal("redis HGETALL: odd number of elements");
  FieldMap fields;
  for (std::size_t i = 0; i + 1 < flat->size(); i += 2) {
    fields.emplace(std::move((*flat)[i]), std::move((*flat)[i + 1]));
  }
  return fields;
}

core::Result<std::vector<std::optional<std::string>>> RedisClient::HMGet(
    std::string_view key, const std::vector<std::string>& fields) {
  using Values = std::vector<std::optional<std::string>>;
  if (fields.empty()) return Values();
  std::vector<std::string_view> args;
  args.reserve(2 + fields.size());
  args.insert(args.end(), {"HMGET", key});
  AppendViews(fields, args);
  auto reply = Run("HMGET", args);
  if (!reply.ok()) return reply.error();
  if (!reply->is_array() || reply->elements().size() != fields.size()) {
    return UnexpectedReply("HMGET", *reply);
  }
  Values values;
  values.reserve(fields.size());
  for (Reply& element : reply->mutable_elements()) {
    if (!element.is_nil() && !element.is_string()) return UnexpectedReply("HMGET", element);
    if (element.is_nil()) {
      values.emplace_back();
    } else {
      values.emplace_back(std::move(element.mutable_str()));
    }
  }
  return values;
}

core::Result<int64_t> RedisClient::SAdd(std::string_view key,
                                        const std::vector<std::string>& members) {
  if (members.empty()) return int64_t{0};
  std::vector<std::string_view> args;
  args.reserve(2 + members.size());
  args.insert(args.end(), {"SADD", key});
  AppendViews(members, args);
  return ToInteger(Run("SADD", args), "SADD");
}

core::Result<int64_t> RedisClient::SRem(std::string_view key,
                                        const std::vector<std::string>& members) {
  if (members.empty()) return int64_t{0};
  std::vector<std::string_view> args;
  args.reserve(2 + members.size());
  args.insert(args.end(), {"SREM", key});
  AppendViews(members, args);
  return ToInteger(Run("SREM", args), "SREM");
}

core::Result<std::vector<std::string>> RedisClient::SMembers(std::string_view key) {
  const std::string_view args[] = {"SMEMBERS", key};
  return ToStrings(Run("SMEMBERS", args), "SMEMBERS");
}

core::Result<int64_t> RedisClient::SCard(std::string_view key) {
  const std::string_view args[] = {"SCARD", key};
  return ToInteger(Run("SCARD", args), "SCARD");
}

core::Result<int64_t> RedisClient::ZAdd(std::string_view key,
                                        const std::vector<ScoredMember>& members) {
  if (members.empty()) return int64_t{0};
  std::vector<std::string> scores;
  scores.reserve(members.size());
  for (const auto& member : members) {
    if (std::isnan(member.score)) return core::InvalidArgument("redis ZADD: score is NaN");
    scores.push_back(FormatScore(member.score));
  }
  std::vector<std::string_view> args;
  args.reserve(2 + 2 * members.size());
  args.insert(args.end(), {"ZADD", key});
  for (std::size_t i = 0; i < members.size(); ++i) {
    args.insert(args.end(), {scores[i], members[i].member});
  }
  return ToInteger(Run("ZADD", args), "ZADD");
}

core::Result<int64_t> RedisClient::ZRem(std::string_view key,
                                        const std::vector<std::string>& members) {
  if (members.empty()) return int64_t{0};
  std::vector<std::string_view> args;
  args.reserve(2 + members.size());
  args.insert(args.end(), {"ZREM", key});
  AppendViews(members, args);
  return ToInteger(Run("ZREM", args), "ZREM");
}

core::Result<std::vector<ScoredMember>> RedisClient::ZRangeByScore(
    std::string_view key, double min, double max, std::optional<RangeLimit> limit) {
  if (std::isnan(min) || std::isnan(max)) {
    return core::InvalidArgument("redis ZRANGEBYSCORE: bound is NaN");
  }
  const std::string min_text = FormatScore(min);
  const std::string max_text = FormatScore(max);
  std::string offset_text;
  std::string count_text;
  std::vector<std::string_view> args = {"ZRANGEBYSCORE", key, min_text, max_text, "WITHSCORES"};
  if (limit) {
    offset_text = std::to_string(limit->offset);
    count_text = std::to_string(limit->count);
    args.insert(args.end(), {"LIMIT", offset_text, count_text});
  }
  auto flat = ToStrings(Run("ZRANGEBYSCORE", args), "ZRANGEBYSCORE");
  if (!flat.ok()) return flat.error();
  if (flat->size() % 2 != 0) return core::Internal("redis ZRANGEBYSCORE: odd number of elements");
  std::vector<ScoredMember> members;
  members.reserve(flat->size() / 2);
  for (std::size_t i = 0; i + 1 < flat->size(); i += 2) {
    ScoredMember member;
    if (!ParseScore((*flat)[i + 1], member.score)) {
      return core::Internal("redis ZRANGEBYSCORE: score is not a number");
    }
    member.member = std::move((*flat)[i]);
    members.push_back(std::move(member));
  }
  return members;
}

core::Result<int64_t> RedisClient::ZCard(std::string_view key) {
  const std::string_view args[] = {"ZCARD", key};
  return ToInteger(Run("ZCARD", args), "ZCARD");
}

core::Result<Reply> RedisClient::Eval(std::string_view script, const std::vector<std::string>& keys,
                                      const std::vector<std::string>& args) {
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.insert(argv.end(), {"EVAL", script, key_count});
  AppendViews(keys, argv);
  AppendViews(args, argv);
  return Run("EVAL", argv);
}

}  // namespace gridcare::redis
