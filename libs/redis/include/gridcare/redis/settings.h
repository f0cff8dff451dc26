#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::redis {

/// Where and how to reach Redis. A plain value; copy it freely.
struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  /// Sent with AUTH on every new connection when non-empty. Never logged and never part of an
  /// error message: use Describe() when settings must be printed.
  std::string password;
  int db = 0;
  /// Bounds the TCP connect of one pooled connection.
  std::chrono::milliseconds connect_timeout{500};
  /// Bounds each socket read and write of a command, so a hung server costs a caller at most about
  /// this long per round-trip (a pipeline chunk is one round-trip).
  std::chrono::milliseconds command_timeout{1000};
  /// Connections kept open; also the number of commands in flight at once.
  std::size_t pool_size = 4;
  /// How long a caller waits for a free connection before giving up with kResourceExhausted, so a
  /// burst larger than the pool sheds load instead of queueing without bound.
  std::chrono::milliseconds pool_wait_timeout{2000};

  /// "host:port db=N auth=yes|no pool=N" for start-up logs; the password is never included.
  std::string Describe() const;
};

/// A Redis endpoint split out of "host:port".
struct RedisAddress {
  std::string host;
  int port = 0;
};

/// Parses "host:port" (IPv6 as "[::1]:6379"). Fails with kInvalidArgument and a message that shows
/// the expected form, so a bad flag or environment variable is fixed at start-up.
core::Result<RedisAddress> ParseAddress(std::string_view address);

/// Checks the settings a client cannot work with (empty host, port out of range, zero pool or
/// timeouts, negative db); kInvalidArgument names the field to fix.
core::Status ValidateSettings(const RedisSettings& settings);

}  // namespace gridcare::redis
