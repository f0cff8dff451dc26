// ParseDeliveryReport: the body a provider POSTs to the service's callback endpoint
// (tools/provider-sim/README.md, "Delivery reports").
#include <nlohmann/json.hpp>
#include <string>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/utf8.h"
#include "gridcare/kafka/cloud_events.h"
#include "message_gateway.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;

/// Values quoted in messages are cut to this many bytes (a report comes from outside).
constexpr size_t kMaxQuotedBytes = 64;

std::string Shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxQuotedBytes)
    text = std::string(core::TruncateUtf8(text, kMaxQuotedBytes)) + "…";
  return text;
}

/// The required string `key`: INVALID_ARGUMENT when it is missing, not a string or empty.
core::Result<std::string> RequiredText(const config::JsonReader& reader, const Json& body,
                                       std::string_view key) {
  const auto found = body.find(key);
  if (found == body.end()) return reader.Error("\"" + std::string(key) + "\" is missing");
  if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
    return reader.Error("\"" + std::string(key) + "\" must be a non-empty string, got " +
                        Shown(*found));
  }
  return found->get<std::string>();
}

}  // namespace

core::Result<DeliveryReport> ParseDeliveryReport(std::string_view json) {
  const config::JsonReader reader("delivery report");
  auto body = reader.ParseObject(json);
  if (!body.ok()) return body.error();
  DeliveryReport report;

  auto provider_message_id = RequiredText(reader, *body, "provider_message_id");
  if (!provider_message_id.ok()) return provider_message_id.error();
  report.provider_message_id = std::move(*provider_message_id);

  auto client_message_id = RequiredText(reader, *body, "client_message_id");
  if (!client_message_id.ok()) return client_message_id.error();
  report.notification_id = std::move(*client_message_id);

  auto status = RequiredText(reader, *body, "status");
  if (!status.ok()) return status.error();
  if (*status != "delivered" && *status != "undeliverable") {
    return reader.Error("\"status\" must be \"delivered\" or \"undeliverable\", got " +
                        Shown(body->at("status")));
  }
  report.delivered = *status == "delivered";

  if (const auto reason = body->find("reason"); reason != body->end()) {
    auto text = reader.String(*reason, "reason");
    if (!text.ok()) return text.error();
    report.reason = std::move(*text);
  }

  auto reported_at = RequiredText(reader, *body, "reported_at");
  if (!reported_at.ok()) return reported_at.error();
  auto time = kafka::ParseRfc3339(*reported_at);
  if (!time.ok()) {
    return reader.Error("\"reported_at\" must be an RFC 3339 time, got " +
                        Shown(body->at("reported_at")));
  }
  report.reported_at = *time;
  return report;
}

}  // namespace gridcare::notification
