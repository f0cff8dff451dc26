#include "delivery_policy_config.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "gridcare/config/files.h"
#include "gridcare/config/json_reader.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::string_view kTopKeys[] = {"quiet_hours", "etr",      "throttle",
                                         "retry",       "channels", "providers"};
constexpr std::string_view kQuietHoursKeys[] = {"imminent_window_minutes"};
constexpr std::string_view kEtrKeys[] = {"margin_minutes", "max_announcements"};
constexpr std::string_view kThrottleKeys[] = {"max_messages", "window_minutes"};
constexpr std::string_view kRetryKeys[] = {
    "base_milliseconds", "factor", "cap_seconds",
    "max_attempts",      "jitter", "retry_after_cap_seconds"};
constexpr std::string_view kChannelsKeys[] = {"default_order", "staff_order"};
constexpr std::string_view kProviderKeys[] = {"provider", "rate_per_second", "burst",
                                              "url",      "token_file",      "timeout_ms"};
constexpr size_t kMaxProviderNameBytes = 64;
constexpr int64_t kMaxTimeoutMilliseconds = int64_t{300} * 1000;
constexpr std::string_view kChannelNames[] = {"sms",        "wechat",          "app_push",
                                              "voice_call", "staff_messenger", "email"};

constexpr int64_t kMinutesPerDay = int64_t{24} * 60;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Path(std::string_view section, std::string_view key) {
  return std::string(section) + "." + std::string(key);
}

/// `value` is an object whose keys are all `known`.
core::Status CheckObject(const config::JsonReader& reader, const Json& value, std::string_view path,
                         std::span<const std::string_view> known) {
  if (!value.is_object()) {
    return reader.Error(Quoted(path) + " must be an object, got " + value.dump());
  }
  return reader.RejectUnknownKeys(value, known, path);
}

core::Status ReadQuietHours(const config::JsonReader& reader, const Json& section,
                            QuietHoursSettings& out) {
  if (auto status = CheckObject(reader, section, "quiet_hours", kQuietHoursKeys); !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : section.items()) {  // imminent_window_minutes
    auto window = reader.Integer(value, Path("quiet_hours", key), 0, kMinutesPerDay);
    if (!window.ok()) return window.error();
    out.imminent_window = minutes(*window);
  }
  return {};
}

core::Status ReadEtr(const config::JsonReader& reader, const Json& section, EtrSettings& out) {
  if (auto status = CheckObject(reader, section, "etr", kEtrKeys); !status.ok()) return status;
  for (const auto& [key, value] : section.items()) {
    if (key == "margin_minutes") {
      auto margin = reader.Integer(value, Path("etr", key), 0, kMinutesPerDay);
      if (!margin.ok()) return margin.error();
      out.margin = minutes(*margin);
    } else {  // max_announcements
      auto cap = reader.Integer(value, Path("etr", key), 0, 100);
      if (!cap.ok()) return cap.error();
      out.max_announcements = static_cast<int>(*cap);
    }
  }
  return {};
}

core::Status ReadThrottle(const config::JsonReader& reader, const Json& section,
                          ThrottleSettings& out) {
  if (auto status = CheckObject(reader, section, "throttle", kThrottleKeys); !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : section.items()) {
    if (key == "max_messages") {
      auto n = reader.Integer(value, Path("throttle", key), 1, 1000);
      if (!n.ok()) return n.error();
      out.max_messages = static_cast<int>(*n);
    } else {  // window_minutes
      auto window = reader.Integer(value, Path("throttle", key), 1, kMinutesPerDay);
      if (!window.ok()) return window.error();
      out.window = minutes(*window);
    }
  }
  return {};
}

core::Status ReadRetryField(const config::JsonReader& reader, const std::string& key,
                            const Json& value, RetrySettings& out) {
  const std::string path = Path("retry", key);
  if (key == "factor" || key == "jitter") {
    auto number = key == "factor" ? reader.Number(value, path, 1.0, 10.0)
                                  : reader.Number(value, path, 0.0, 0.5);
    if (!number.ok()) return number.error();
    (key == "factor" ? out.factor : out.jitter) = *number;
    return {};
  }
  if (key == "max_attempts") {
    auto n = reader.Integer(value, path, 1, 100);
    if (!n.ok()) return n.error();
    out.max_attempts = static_cast<int>(*n);
    return {};
  }
  if (key == "base_milliseconds") {
    auto base = reader.Integer(value, path, 1, int64_t{3600} * 1000);
    if (!base.ok()) return base.error();
    out.base = milliseconds(*base);
    return {};
  }
  // cap_seconds, retry_after_cap_seconds
  auto limit = reader.Integer(value, path, key == "cap_seconds" ? 1 : 0, int64_t{24} * 3600);
  if (!limit.ok()) return limit.error();
  (key == "cap_seconds" ? out.cap : out.retry_after_cap) = seconds(*limit);
  return {};
}

core::Status ReadRetry(const config::JsonReader& reader, const Json& section, RetrySettings& out) {
  if (auto status = CheckObject(reader, section, "retry", kRetryKeys); !status.ok()) return status;
  for (const auto& [key, value] : section.items()) {
    if (auto status = ReadRetryField(reader, key, value, out); !status.ok()) return status;
  }
  if (out.cap < out.base) {
    const auto cap_s = std::chrono::duration_cast<seconds>(out.cap).count();
    const auto base_ms = std::chrono::duration_cast<milliseconds>(out.base).count();
    return reader.Error("\"retry.cap_seconds\" (" + std::to_string(cap_s) +
                        " s) must not be shorter than \"retry.base_milliseconds\" (" +
                        std::to_string(base_ms) + " ms)");
  }
  return {};
}

/// A non-empty list of distinct channel names, all customer channels or all staff channels.
core::Result<std::vector<DeliveryChannel>> ReadOrder(const config::JsonReader& reader,
                                                     const Json& value, std::string_view key) {
  const std::string path = Path("channels", key);
  const bool staff = key == "staff_order";
  const std::string allowed =
      staff ? "staff_messenger, email" : "sms, wechat, app_push, voice_call";
  if (!value.is_array() || value.empty()) {
    return reader.Error(Quoted(path) + " must be a non-empty array of channel names, got " +
                        value.dump());
  }
  std::vector<DeliveryChannel> order;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const auto channel =
        value[i].is_string() ? ParseDeliveryChannel(value[i].get<std::string>()) : std::nullopt;
    if (!channel || IsStaffChannel(*channel) != staff) {
      return reader.Error(Quoted(item_path) + " must be one of " + allowed + ", got " +
                          value[i].dump());
    }
    for (const DeliveryChannel seen : order) {
      if (seen == *channel) {
        return reader.Error(Quoted(item_path) + ": " + value[i].dump() + " is listed twice");
      }
    }
    order.push_back(*channel);
  }
  return order;
}

core::Status ReadChannels(const config::JsonReader& reader, const Json& section,
                          ChannelPlanSettings& out) {
  if (auto status = CheckObject(reader, section, "channels", kChannelsKeys); !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : section.items()) {
    auto order = ReadOrder(reader, value, key);
    if (!order.ok()) return order.error();
    (key == "default_order" ? out.default_order : out.staff_order) = std::move(*order);
  }
  return {};
}

/// An absolute http(s) URL with a host and no query, fragment, space or control character.
bool IsBaseUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/') return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#';
  });
}

core::Status ReadProviderText(const config::JsonReader& reader, const std::string& key,
                              const Json& value, const std::string& field, ProviderSettings& out) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    return reader.Error(Quoted(field) + " must be a non-empty string, got " + value.dump());
  }
  std::string text = value.get<std::string>();
  if (key == "provider") {
    if (!IsValidProviderName(text)) {
      return reader.Error(Quoted(field) + " must be 1..64 of A-Z a-z 0-9 _ . -, got " +
                          value.dump());
    }
    out.provider = std::move(text);
  } else if (key == "url") {
    if (!IsBaseUrl(text)) {
      return reader.Error(Quoted(field) +
                          " must be an http:// or https:// URL with a host and no query, got " +
                          value.dump());
    }
    out.url = std::move(text);
  } else {  // token_file: a path, not the token
    out.token_file = std::move(text);
  }
  return {};
}

core::Status ReadProvider(const config::JsonReader& reader, const Json& entry,
                          const std::string& path, ProviderSettings& out) {
  if (auto status = CheckObject(reader, entry, path, kProviderKeys); !status.ok()) return status;
  for (const auto& [key, value] : entry.items()) {
    const std::string field = Path(path, key);
    if (key == "provider" || key == "url" || key == "token_file") {
      if (auto status = ReadProviderText(reader, key, value, field, out); !status.ok()) {
        return status;
      }
    } else if (key == "rate_per_second") {
      auto rate = reader.Number(value, field, 0.001, 100000.0);
      if (!rate.ok()) return rate.error();
      out.pacing.rate_per_second = *rate;
    } else if (key == "burst") {
      auto burst = reader.Integer(value, field, 1, 100000);
      if (!burst.ok()) return burst.error();
      out.pacing.burst = static_cast<int>(*burst);
    } else {  // timeout_ms
      auto timeout = reader.Integer(value, field, 1, kMaxTimeoutMilliseconds);
      if (!timeout.ok()) return timeout.error();
      out.timeout = milliseconds(*timeout);
    }
  }
  return {};
}

core::Status ReadProviders(const config::JsonReader& reader, const Json& section,
                           DeliveryPolicy& out) {
  if (auto status = CheckObject(reader, section, "providers", kChannelNames); !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : section.items()) {
    const DeliveryChannel channel = *ParseDeliveryChannel(key);  // a known key
    auto& provider = out.providers[static_cast<size_t>(channel)];
    if (auto status = ReadProvider(reader, value, Path("providers", key), provider); !status.ok()) {
      return status;
    }
  }
  return {};
}

core::Status ReadSection(const config::JsonReader& reader, const std::string& key,
                         const Json& value, DeliveryPolicy& out) {
  if (key == "quiet_hours") return ReadQuietHours(reader, value, out.quiet_hours);
  if (key == "etr") return ReadEtr(reader, value, out.etr);
  if (key == "throttle") return ReadThrottle(reader, value, out.throttle);
  if (key == "retry") return ReadRetry(reader, value, out.retry);
  if (key == "channels") return ReadChannels(reader, value, out.channels);
  return ReadProviders(reader, value, out);  // providers
}

}  // namespace

bool IsValidProviderName(std::string_view name) {
  if (name.empty() || name.size() > kMaxProviderNameBytes) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

std::string ProviderBaseUrl(const ProviderSettings& provider, std::string_view default_base_url) {
  auto without_trailing_slashes = [](std::string_view url) {
    while (!url.empty() && url.back() == '/') url.remove_suffix(1);
    return url;
  };
  if (!provider.url.empty()) return std::string(without_trailing_slashes(provider.url)) + "/";
  const std::string_view base = without_trailing_slashes(default_base_url);
  if (base.empty()) return {};
  return std::string(base) + "/" + provider.provider + "/";
}

std::array<ProviderSettings, kAllDeliveryChannels.size()> DeliveryPolicy::DefaultProviders() {
  std::array<ProviderSettings, kAllDeliveryChannels.size()> providers;
  auto set = [&providers](DeliveryChannel channel, std::string name, double rate, int burst) {
    auto& provider = providers[static_cast<size_t>(channel)];
    provider.provider = std::move(name);
    provider.pacing = {rate, burst};
  };
  set(DeliveryChannel::kSms, "sms-gateway", 100.0, 200);
  set(DeliveryChannel::kWeChat, "wechat-official-account", 50.0, 100);
  set(DeliveryChannel::kAppPush, "app-push", 200.0, 400);
  set(DeliveryChannel::kVoiceCall, "voice-gateway", 5.0, 10);
  set(DeliveryChannel::kStaffMessenger, "work-messenger-webhook", 0.33, 20);
  set(DeliveryChannel::kEmail, "smtp-relay", 10.0, 20);
  return providers;
}

core::Result<DeliveryPolicy> DeliveryPolicy::FromJson(std::string_view json) {
  const config::JsonReader reader("delivery-policy.json");
  auto parsed = reader.ParseObject(json);
  if (!parsed.ok()) return parsed.error();
  if (auto status = reader.RejectUnknownKeys(*parsed, kTopKeys); !status.ok()) {
    return status.error();
  }
  DeliveryPolicy policy;
  for (const auto& [key, value] : parsed->items()) {
    if (auto status = ReadSection(reader, key, value, policy); !status.ok()) return status.error();
  }
  return policy;
}

core::Result<DeliveryPolicy> LoadDeliveryPolicy(const std::string& path) {
  auto text = config::ReadTextFile(path);
  if (!text.ok()) return text.error();
  return DeliveryPolicy::FromJson(*text);
}

}  // namespace gridcare::notification
