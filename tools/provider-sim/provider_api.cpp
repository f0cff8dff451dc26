#include "provider_api.h"

#include <array>
#include <nlohmann/json.hpp>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/host_port.h"
#include "gridcare/core/text.h"

namespace gridcare::provider_sim {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 6> kMessageKeys = {
    "client_message_id", "to", "text", "template_id", "language", "callback_url"};

struct FieldRule {
  std::string_view key;
  std::string* target;
  bool required;
  std::size_t max_bytes;
};

// Reads one string field without ever quoting its value (it may be a phone number or the text).
core::Status ReadField(const config::JsonReader& reader, const Json& object,
                       const FieldRule& rule) {
  const std::string key(rule.key);
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (rule.required) return reader.Error("\"" + key + "\" is missing");
    return core::Status::Ok();
  }
  if (!found->is_string()) {
    return reader.Error("\"" + key + "\" must be a string, got " + found->type_name());
  }
  *rule.target = found->get<std::string>();
  if (rule.required && rule.target->empty()) return reader.Error("\"" + key + "\" is empty");
  if (rule.target->size() > rule.max_bytes) {
    return reader.Error("\"" + key + "\" is longer than " + std::to_string(rule.max_bytes) +
                        " bytes");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<MessageRequest> ParseMessageRequest(std::string_view body) {
  const config::JsonReader reader("message body");
  auto json = reader.ParseObject(body);
  if (!json) return json.error();
  if (auto status = reader.RejectUnknownKeys(*json, kMessageKeys); !status) return status.error();
  MessageRequest request;
  const FieldRule rules[] = {
      {"client_message_id", &request.client_message_id, true, kMaxClientMessageIdBytes},
      {"to", &request.to, true, kMaxRecipientBytes},
      {"text", &request.text, true, kMaxTextBytes},
      {"template_id", &request.template_id, false, kMaxClientMessageIdBytes},
      {"language", &request.language, false, 8},
      {"callback_url", &request.callback_url, false, 2048},
  };
  for (const FieldRule& rule : rules) {
    if (auto status = ReadField(reader, *json, rule); !status) return status.error();
  }
  if (!request.language.empty() && request.language != "zh-CN" && request.language != "en") {
    return reader.Error("\"language\" must be \"zh-CN\" or \"en\", got \"" + request.language +
                        "\"");
  }
  if (!request.callback_url.empty()) {
    if (auto target = ParseCallbackUrl(request.callback_url); !target) {
      return reader.Error("\"callback_url\" " + target.error().message);
    }
  }
  return request;
}

std::string CallbackTarget::Authority() const { return host + ":" + std::to_string(port); }

core::Result<CallbackTarget> ParseCallbackUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return core::InvalidArgument("must start with http:// (https is not supported)");
  }
  url.remove_prefix(kScheme.size());
  const auto slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  CallbackTarget target;
  target.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (authority.empty()) return core::InvalidArgument("has no host");
  const bool bracketed = authority.front() == '[';
  const bool has_port = bracketed ? authority.find("]:") != std::string_view::npos
                                  : authority.find(':') != std::string_view::npos;
  auto parsed =
      core::ParseHostPort(has_port ? std::string(authority) : std::string(authority) + ":80",
                          /*allow_port_zero=*/false);
  if (!parsed) return core::InvalidArgument(parsed.error().message);
  if (parsed->host.empty()) return core::InvalidArgument("has no host");
  target.host = parsed->host;
  target.port = parsed->port;
  return target;
}

bool BearerMatches(std::string_view authorization, std::string_view expected_token) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return false;
  if (core::AsciiLower(authorization.substr(0, kScheme.size())) != kScheme) return false;
  const std::string_view token = core::TrimAsciiSpace(authorization.substr(kScheme.size()));
  if (token.empty()) return false;
  if (expected_token.empty()) return true;
  if (token.size() != expected_token.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    difference |= static_cast<unsigned char>(token[i] ^ expected_token[i]);
  }
  return difference == 0;
}

bool IsValidProviderName(std::string_view name) {
  if (name.empty() || name.size() > kMaxProviderNameBytes) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

const char* DeliveryStatusName(DeliveryStatus status) {
  return status == DeliveryStatus::kDelivered ? "delivered" : "undeliverable";
}

const char* DeliveryReason(DeliveryStatus status) {
  return status == DeliveryStatus::kDelivered ? "ok" : "recipient_unreachable";
}

std::string DeliveryReportJson(std::string_view provider_message_id,
                               std::string_view client_message_id, DeliveryStatus status,
                               core::TimePoint reported_at) {
  const Json body = {{"provider_message_id", provider_message_id},
                     {"client_message_id", client_message_id},
                     {"status", DeliveryStatusName(status)},
                     {"reason", DeliveryReason(status)},
                     {"reported_at", core::FormatRfc3339(reported_at)}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ReplyJson(std::string_view reply_id, std::string_view provider_message_id,
                      std::string_view client_message_id, std::string_view from,
                      std::string_view text, core::TimePoint received_at) {
  const Json body = {{"type", "reply"},
                     {"reply_id", reply_id},
                     {"provider_message_id", provider_message_id},
                     {"client_message_id", client_message_id},
                     {"from", from},
                     {"text", text},
                     {"received_at", core::FormatRfc3339(received_at)}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace gridcare::provider_sim
