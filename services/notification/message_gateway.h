#pragma once

// How notification reaches the providers (SMS gateway, WeChat, push, voice, messenger, e-mail):
// the port. HttpMessageGateway (libcurl's multi interface, the provider API of
// tools/provider-sim/README.md) is the adapter; tests use a scripted fake.

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "channel_plan.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "retry_schedule.h"

namespace gridcare::notification {

/// One message for one provider call. `notification_id` is sent as the provider's
/// client_message_id, so a message sent again after a crash is not delivered twice.
struct OutgoingMessage {
  std::string notification_id;
  DeliveryChannel channel = DeliveryChannel::kSms;
  std::string to;  ///< the address on that channel: personal data, never logged
  std::string text;
  std::string template_id;
  std::string language;  ///< "zh-CN" or "en"
};

/// What the provider answered.
struct SendResult {
  std::string notification_id;
  ProviderOutcome outcome;          ///< status or transport error, Retry-After
  std::string provider_message_id;  ///< on 200 / 202
  std::string error_message;        ///< the provider's or the transport's, for the record
};

/// Thread-safe.
class MessageGateway {
 public:
  virtual ~MessageGateway() = default;
  /// Sends every message — concurrently, each channel paced at its provider's rate — and returns
  /// one result per message, in order, once each is answered or has timed out.
  virtual std::vector<SendResult> SendAll(const std::vector<OutgoingMessage>& messages) = 0;
};

/// A provider's delivery report (POSTed to the callback URL).
struct DeliveryReport {
  std::string notification_id;  ///< the client_message_id we sent
  std::string provider_message_id;
  bool delivered = false;  ///< false: undeliverable
  std::string reason;
  core::TimePoint reported_at;
};

/// A customer's answer to a notice (a "mobile-originated" SMS, a WeChat message), POSTed by the
/// provider to the notice's callback URL with "type": "reply".
struct InboundReply {
  std::string reply_id;         ///< the provider's id of the reply, unique per provider
  std::string notification_id;  ///< the client_message_id of the notice answered
  std::string provider_message_id;
  std::string from;  ///< who answered: personal data, never logged
  std::string text;  ///< what they wrote: personal data, never logged
  core::TimePoint received_at;
};

/// What a provider posts back: a delivery report or a reply.
using ProviderCallback = std::variant<DeliveryReport, InboundReply>;

/// Parses a callback body: "type" absent or "report" → ParseDeliveryReport's rules; "reply" → a
/// reply with "reply_id" (1–64 printable ASCII), "client_message_id", "provider_message_id",
/// "from", "text" (non-empty strings; text at most 4,000 bytes) and "received_at" (RFC 3339).
/// INVALID_ARGUMENT naming the field otherwise (never quoting "from" or "text").
core::Result<ProviderCallback> ParseProviderCallback(std::string_view json);

/// Parses a delivery report body (tools/provider-sim/README.md): a JSON object with
/// "provider_message_id", "client_message_id" (non-empty strings), "status" ("delivered" or
/// "undeliverable"), "reported_at" (RFC 3339) and optionally "reason" (a string); other keys are
/// ignored, so a provider may add some. INVALID_ARGUMENT "delivery report: …" naming the field
/// (a missing one, a wrong type, an unknown status, a time that is not RFC 3339, a key given
/// twice, not JSON). Pure and thread-safe (provider_callback.cpp, library notification_gateway).
core::Result<DeliveryReport> ParseDeliveryReport(std::string_view json);

}  // namespace gridcare::notification
