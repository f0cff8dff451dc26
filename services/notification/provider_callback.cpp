// What providers POST to the service's callback endpoint (tools/provider-sim/README.md): delivery
// reports ("Delivery reports") and customers' replies ("Replies").
#include <nlohmann/json.hpp>
#include <string>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/text.h"
#include "gridcare/core/utf8.h"
#include "gridcare/kafka/cloud_events.h"
#include "message_gateway.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;

/// Values quoted in messages are cut to this many bytes (a callback comes from outside).
constexpr size_t kMaxQuotedBytes = 64;
constexpr size_t kMaxReplyIdBytes = 64;
constexpr size_t kMaxReplyTextBytes = 4000;

std::string Shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxQuotedBytes)
    text = std::string(core::TruncateUtf8(text, kMaxQuotedBytes)) + "…";
  return text;
}

/// The required string `key`: INVALID_ARGUMENT when it is missing, not a string or empty. With
/// `quote` false the wrong value is not shown (personal data).
core::Result<std::string> RequiredText(const config::JsonReader& reader, const Json& body,
                                       std::string_view key, bool quote = true) {
  const auto found = body.find(key);
  if (found == body.end()) return reader.Error("\"" + std::string(key) + "\" is missing");
  if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
    return reader.Error("\"" + std::string(key) + "\" must be a non-empty string" +
                        (quote ? ", got " + Shown(*found) : std::string()));
  }
  return found->get<std::string>();
}

core::Result<core::TimePoint> RequiredTime(const config::JsonReader& reader, const Json& body,
                                           std::string_view key) {
  auto text = RequiredText(reader, body, key);
  if (!text.ok()) return text.error();
  auto time = kafka::ParseRfc3339(*text);
  if (!time.ok()) {
    return reader.Error("\"" + std::string(key) + "\" must be an RFC 3339 time, got " +
                        Shown(body.at(key)));
  }
  return *time;
}

core::Result<DeliveryReport> ReportFrom(const config::JsonReader& reader, const Json& body) {
  DeliveryReport report;
  auto provider_message_id = RequiredText(reader, body, "provider_message_id");
  if (!provider_message_id.ok()) return provider_message_id.error();
  report.provider_message_id = std::move(*provider_message_id);

  auto client_message_id = RequiredText(reader, body, "client_message_id");
  if (!client_message_id.ok()) return client_message_id.error();
  report.notification_id = std::move(*client_message_id);

  auto status = RequiredText(reader, body, "status");
  if (!status.ok()) return status.error();
  if (*status != "delivered" && *status != "undeliverable") {
    return reader.Error("\"status\" must be \"delivered\" or \"undeliverable\", got " +
                        Shown(body.at("status")));
  }
  report.delivered = *status == "delivered";

  if (const auto reason = body.find("reason"); reason != body.end()) {
    auto text = reader.String(*reason, "reason");
    if (!text.ok()) return text.error();
    report.reason = std::move(*text);
  }

  auto reported_at = RequiredTime(reader, body, "reported_at");
  if (!reported_at.ok()) return reported_at.error();
  report.reported_at = *reported_at;
  return report;
}

core::Result<InboundReply> ReplyFrom(const config::JsonReader& reader, const Json& body) {
  InboundReply reply;
  auto reply_id = RequiredText(reader, body, "reply_id");
  if (!reply_id.ok()) return reply_id.error();
  if (reply_id->size() > kMaxReplyIdBytes || !core::IsPrintableAscii(*reply_id)) {
    return reader.Error("\"reply_id\" must be 1-64 printable ASCII characters, got " +
                        Shown(body.at("reply_id")));
  }
  reply.reply_id = std::move(*reply_id);
  auto client_message_id = RequiredText(reader, body, "client_message_id");
  if (!client_message_id.ok()) return client_message_id.error();
  reply.notification_id = std::move(*client_message_id);
  auto provider_message_id = RequiredText(reader, body, "provider_message_id");
  if (!provider_message_id.ok()) return provider_message_id.error();
  reply.provider_message_id = std::move(*provider_message_id);
  auto from = RequiredText(reader, body, "from", false);
  if (!from.ok()) return from.error();
  reply.from = std::move(*from);
  auto text = RequiredText(reader, body, "text", false);
  if (!text.ok()) return text.error();
  if (text->size() > kMaxReplyTextBytes || !core::IsValidUtf8(*text)) {
    return reader.Error("\"text\" must be valid UTF-8 of at most 4000 bytes");
  }
  reply.text = std::move(*text);
  auto received_at = RequiredTime(reader, body, "received_at");
  if (!received_at.ok()) return received_at.error();
  reply.received_at = *received_at;
  return reply;
}

}  // namespace

core::Result<DeliveryReport> ParseDeliveryReport(std::string_view json) {
  const config::JsonReader reader("delivery report");
  auto body = reader.ParseObject(json);
  if (!body.ok()) return body.error();
  return ReportFrom(reader, *body);
}

core::Result<ProviderCallback> ParseProviderCallback(std::string_view json) {
  const config::JsonReader reader("provider callback");
  auto body = reader.ParseObject(json);
  if (!body.ok()) return body.error();
  const auto type = body->find("type");
  if (type == body->end() || *type == "report") {
    auto report = ReportFrom(config::JsonReader("delivery report"), *body);
    if (!report.ok()) return report.error();
    return ProviderCallback(std::move(*report));
  }
  if (*type == "reply") {
    auto reply = ReplyFrom(config::JsonReader("reply"), *body);
    if (!reply.ok()) return reply.error();
    return ProviderCallback(std::move(*reply));
  }
  return reader.Error("\"type\" must be \"report\" or \"reply\", got " + Shown(*type));
}

}  // namespace gridcare::notification
