#include "gridcare/redis/errors.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <string>

namespace gridcare::redis {
namespace {

// hiredis' redisContext::err values.
constexpr int kErrIo = 1;
constexpr int kErrOther = 2;
constexpr int kErrEof = 3;
constexpr int kErrProtocol = 4;
constexpr int kErrOom = 5;

constexpr const char* kEndpoint = "127.0.0.1:6379";

TEST_CASE("CommandName upper-cases and sanitises argv[0]", "[redis][errors]") {
  CHECK(CommandName("get") == "GET");
  CHECK(CommandName("HSet") == "HSET");
  CHECK(CommandName("") == "(unnamed)");
  CHECK(CommandName(std::string("set\0x '13800138000'", 20)) == "SETX13800138000");
  CHECK(CommandName(std::string(100, 'a')).size() == 32);
}

TEST_CASE("Connection failures that a retry can fix are retryable", "[redis][errors]") {
  struct Case {
    int err;
    int saved_errno;
    const char* errstr;
    core::ErrorKind kind;
  };
  const Case cases[] = {
      {kErrIo, ECONNREFUSED, "Connection refused", core::ErrorKind::kUnavailable},
      {kErrIo, ECONNRESET, "Connection reset by peer", core::ErrorKind::kUnavailable},
      {kErrIo, EPIPE, "Broken pipe", core::ErrorKind::kUnavailable},
      {kErrIo, EHOSTUNREACH, "No route to host", core::ErrorKind::kUnavailable},
      {kErrEof, 0, "Server closed the connection", core::ErrorKind::kUnavailable},
      {kErrOther, 0, "Can't resolve: redis.invalid", core::ErrorKind::kUnavailable},
      {kErrIo, EAGAIN, "Resource temporarily unavailable", core::ErrorKind::kDeadlineExceeded},
      {kErrIo, ETIMEDOUT, "Connection timed out", core::ErrorKind::kDeadlineExceeded},
  };
  for (const auto& c : cases) {
    INFO(c.errstr);
    const core::Error error =
        ClassifyConnectionError(c.err, c.saved_errno, c.errstr, "GET", kEndpoint);
    CHECK(error.kind == c.kind);
    CHECK(error.Retryable());
    CHECK_THAT(error.message, Catch::Contains("GET"));
    CHECK_THAT(error.message, Catch::Contains(kEndpoint));
    CHECK_THAT(error.message, Catch::Contains(c.errstr));
  }
}

TEST_CASE("Protocol and out-of-memory failures are not retryable", "[redis][errors]") {
  CHECK(ClassifyConnectionError(kErrProtocol, 0, "Protocol error", "GET", kEndpoint).kind ==
        core::ErrorKind::kInternal);
  CHECK_FALSE(ClassifyConnectionError(kErrOom, 0, "Out of memory", "GET", kEndpoint).Retryable());
}

TEST_CASE("Error replies are classified by their code", "[redis][errors]") {
  struct Case {
    const char* text;
    core::ErrorKind kind;
  };
  const Case cases[] = {
      {"WRONGTYPE Operation against a key holding the wrong kind of value",
       core::ErrorKind::kInternal},
      {"ERR syntax error", core::ErrorKind::kInvalidArgument},
      {"ERR value is not an integer or out of range", core::ErrorKind::kInvalidArgument},
      {"EXECABORT Transaction discarded because of previous errors.",
       core::ErrorKind::kInvalidArgument},
      {"LOADING Redis is loading the dataset in memory", core::ErrorKind::kUnavailable},
      {"BUSY Redis is busy running a script.", core::ErrorKind::kUnavailable},
      {"READONLY You can't write against a read only replica.", core::ErrorKind::kUnavailable},
      {"MASTERDOWN Link with MASTER is down", core::ErrorKind::kUnavailable},
      {"OOM command not allowed when used memory > 'maxmemory'.",
       core::ErrorKind::kResourceExhausted},
      {"ERR max number of clients reached", core::ErrorKind::kResourceExhausted},
      {"NOAUTH Authentication required.", core::ErrorKind::kPermissionDenied},
      {"WRONGPASS invalid username-password pair or user is disabled.",
       core::ErrorKind::kPermissionDenied},
      {"NOSCRIPT No matching script.", core::ErrorKind::kNotFound},
      {"SOMETHINGNEW unexpected", core::ErrorKind::kInternal},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const core::Error error = ClassifyErrorReply(c.text, "HGET");
    CHECK(error.kind == c.kind);
    CHECK_THAT(error.message, Catch::StartsWith("redis HGET"));
  }
  CHECK_FALSE(ClassifyErrorReply("WRONGTYPE Operation against a key", "HGET").Retryable());
  CHECK_FALSE(ClassifyErrorReply("ERR syntax error", "SET").Retryable());
  CHECK(ClassifyErrorReply("LOADING Redis is loading", "GET").Retryable());
}

TEST_CASE("Error reply messages drop quoted arguments and stay short", "[redis][errors]") {
  const core::Error unknown = ClassifyErrorReply(
      "ERR unknown command 'FOO', with args beginning with: '13800138000' '张三' ", "FOO");
  CHECK_THAT(unknown.message, Catch::Contains("unknown command"));
  CHECK_THAT(unknown.message, !Catch::Contains("13800138000"));
  CHECK_THAT(unknown.message, !Catch::Contains("张三"));

  const core::Error long_text = ClassifyErrorReply("ERR " + std::string(1000, 'x'), "EVAL");
  CHECK(long_text.message.size() < 250);

  const core::Error control = ClassifyErrorReply("ERR bad\r\nline", "EVAL");
  CHECK_THAT(control.message, !Catch::Contains("\n"));
}

TEST_CASE("ErrorFromReply classifies error elements and flags misuse", "[redis][errors]") {
  CHECK(ErrorFromReply(Reply::FromError("WRONGTYPE Operation"), "INCR").kind ==
        core::ErrorKind::kInternal);
  CHECK(ErrorFromReply(Reply::FromError("ERR value is not an integer"), "INCR").kind ==
        core::ErrorKind::kInvalidArgument);
  const core::Error misuse = ErrorFromReply(Reply::FromStatus("OK"), "SET");
  CHECK(misuse.kind == core::ErrorKind::kInternal);
  CHECK_THAT(misuse.message, Catch::Contains("status"));
}

}  // namespace
}  // namespace gridcare::redis
