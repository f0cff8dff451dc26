#pragma once

#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/redis/reply.h"

namespace gridcare::redis {

// How a Redis failure maps onto core::ErrorKind, kept as pure functions so the policy is
// unit-tested without a server. Every message names the command and never a key or value: Redis
// data here holds customer records. All functions are thread-safe.

/// The command name for messages: argv[0] upper-cased, non-alphanumerics dropped, at most 32 bytes
/// (argv[0] comes from callers and could be anything).
std::string CommandName(std::string_view argv0);

/// A transport failure of a hiredis context. `hiredis_err` is redisContext::err (REDIS_ERR_IO = 1,
/// REDIS_ERR_OTHER = 2, REDIS_ERR_EOF = 3, REDIS_ERR_PROTOCOL = 4, REDIS_ERR_OOM = 5),
/// `saved_errno` is errno right after the failing hiredis call and `errstr` is
/// redisContext::errstr.
///   - socket timeouts (EAGAIN / EWOULDBLOCK / ETIMEDOUT)           -> kDeadlineExceeded
///   - refused, reset, broken pipe, EOF, unresolvable host, other I/O -> kUnavailable
///   - protocol errors and client out-of-memory                     -> kInternal
core::Error ClassifyConnectionError(int hiredis_err, int saved_errno, std::string_view errstr,
                                    std::string_view command, std::string_view endpoint);

/// An error reply from Redis, classified by its leading code:
///   - LOADING, BUSY, MASTERDOWN, TRYAGAIN, CLUSTERDOWN, READONLY, NOREPLICAS, MISCONF
///                                  -> kUnavailable (restarting, failing over, briefly unable)
///   - OOM, "ERR max number of clients reached" -> kResourceExhausted (full; may work later)
///   - NOAUTH, WRONGPASS, NOPERM    -> kPermissionDenied (misconfiguration)
///   - NOSCRIPT                     -> kNotFound
///   - ERR, EXECABORT               -> kInvalidArgument (the request itself is wrong)
///   - WRONGTYPE and unknown codes  -> kInternal (a key we own has the wrong type: a bug or
///                                     corrupt data)
/// The reply text is kept for operators but cut before ", with args beginning with" (which quotes
/// arguments) and capped in length.
core::Error ClassifyErrorReply(std::string_view reply_text, std::string_view command);

/// ClassifyErrorReply for an error element of a Pipeline or Transaction result; a reply that is not
/// an error yields kInternal ("expected an error reply").
core::Error ErrorFromReply(const Reply& reply, std::string_view command);

}  // namespace gridcare::redis
