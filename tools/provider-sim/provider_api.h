#pragma once

// The provider API as the simulator reads and writes it (README.md is the contract): the message
// body a client posts, the bearer check, callback URLs, provider names and the delivery-report
// body. Pure functions, no I/O; thread-safe.

#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"

namespace gridcare::provider_sim {

/// Longest accepted values (bytes); beyond them the body is a bad request.
inline constexpr std::size_t kMaxClientMessageIdBytes = 128;
inline constexpr std::size_t kMaxRecipientBytes = 256;
inline constexpr std::size_t kMaxTextBytes = 8192;
inline constexpr std::size_t kMaxProviderNameBytes = 64;

/// One `POST /providers/<name>/v1/messages` body.
struct MessageRequest {
  std::string client_message_id;  ///< the client's id; repeats are de-duplicated
  std::string to;                 ///< phone, WeChat openid, device token, staff id or e-mail
  std::string text;               ///< the rendered message
  std::string template_id;        ///< optional
  std::string language;           ///< "zh-CN", "en" or "" (not given)
  std::string callback_url;       ///< optional; "" means no delivery report
};

/// Parses and checks a message body: a JSON object with exactly the keys of MessageRequest
/// (unknown or repeated keys refused), `client_message_id`, `to` and `text` non-empty strings,
/// `language` "zh-CN" or "en" when given, `callback_url` an http URL when given. INVALID_ARGUMENT
/// "message body: ..." naming the field otherwise (never quoting `to` or `text`).
core::Result<MessageRequest> ParseMessageRequest(std::string_view body);

/// Where a delivery report goes: `http://host[:port][/path]` (port 80 when absent, path "/" when
/// absent). https is not supported.
struct CallbackTarget {
  std::string host;
  int port = 80;
  std::string path;  ///< with the query string, if any

  /// "host:port", the key connections are reused by.
  std::string Authority() const;
};

/// INVALID_ARGUMENT naming what is wrong with `url`.
core::Result<CallbackTarget> ParseCallbackUrl(std::string_view url);

/// Whether an Authorization header value carries the expected bearer token: "Bearer <token>"
/// (scheme case-insensitive). With `expected_token` empty, any non-empty token passes. The
/// comparison takes the same time wherever the first difference is.
bool BearerMatches(std::string_view authorization, std::string_view expected_token);

/// Provider names: 1..64 of [A-Za-z0-9_.-].
bool IsValidProviderName(std::string_view name);

/// What a provider says happened to a message.
enum class DeliveryStatus { kDelivered, kUndeliverable };

/// "delivered" / "undeliverable".
const char* DeliveryStatusName(DeliveryStatus status);
/// The report's "reason": "delivered" → "ok", "undeliverable" → "recipient_unreachable".
const char* DeliveryReason(DeliveryStatus status);

/// The body of one delivery report:
/// {"provider_message_id":…,"client_message_id":…,"status":…,"reason":…,"reported_at":…}
std::string DeliveryReportJson(std::string_view provider_message_id,
                               std::string_view client_message_id, DeliveryStatus status,
                               core::TimePoint reported_at);

/// Longest reply text (bytes) the control API takes.
inline constexpr std::size_t kMaxReplyTextBytes = 1024;

/// The body of one inbound reply (a customer answering a message), posted to the replied-to
/// message's callback_url: {"type":"reply","reply_id":…,"provider_message_id":…,
/// "client_message_id":…,"from":…,"text":…,"received_at":…}. `from` is the message's recipient.
std::string ReplyJson(std::string_view reply_id, std::string_view provider_message_id,
                      std::string_view client_message_id, std::string_view from,
                      std::string_view text, core::TimePoint received_at);

}  // namespace gridcare::provider_sim
