#include "faults.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "provider_api.h"

namespace gridcare::provider_sim {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 8> kFaultKeys = {"fail_ratio",
                                                        "fail_status",
                                                        "latency_ms",
                                                        "rate_limit_per_second",
                                                        "burst",
                                                        "undeliverable_prefixes",
                                                        "undeliverable_suffixes",
                                                        "report_delay_ms"};
constexpr std::array<std::string_view, 2> kConfigKeys = {"defaults", "providers"};
constexpr int64_t kMaxLatencyMs = 60'000;
constexpr int64_t kMaxReportDelayMs = 3'600'000;
constexpr std::size_t kMaxAffixes = 100;

std::string Path(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

// The recipient's characters that count when matching: without spaces and '-'.
std::string Compact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c != ' ' && c != '-') out.push_back(c);
  }
  return out;
}

core::Result<std::vector<std::string>> ReadAffixes(const config::JsonReader& reader,
                                                   const Json& value, const std::string& path) {
  if (!value.is_array() || value.size() > kMaxAffixes) {
    return reader.Error("\"" + path + "\" must be an array of at most " +
                        std::to_string(kMaxAffixes) + " strings");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    auto text = reader.String(value[i], item_path);
    if (!text) return text.error();
    std::string compact = Compact(*text);
    if (compact.empty()) return reader.Error("\"" + item_path + "\" is empty");
    out.push_back(std::move(compact));
  }
  return out;
}

core::Status ReadNumbers(const config::JsonReader& reader, const Json& json, std::string_view path,
                         FaultSettings& faults) {
  if (json.contains("fail_ratio")) {
    auto value = reader.Number(json["fail_ratio"], Path(path, "fail_ratio"), 0, 1);
    if (!value) return value.error();
    faults.fail_ratio = *value;
  }
  if (json.contains("fail_status")) {
    auto value = reader.Integer(json["fail_status"], Path(path, "fail_status"), 500, 599);
    if (!value) return value.error();
    faults.fail_status = static_cast<int>(*value);
  }
  if (json.contains("latency_ms")) {
    auto value = reader.Integer(json["latency_ms"], Path(path, "latency_ms"), 0, kMaxLatencyMs);
    if (!value) return value.error();
    faults.latency = std::chrono::milliseconds(*value);
  }
  if (json.contains("rate_limit_per_second")) {
    auto value =
        reader.Number(json["rate_limit_per_second"], Path(path, "rate_limit_per_second"), 0, 1e9);
    if (!value) return value.error();
    faults.rate_limit_per_second = *value;
  }
  if (json.contains("burst")) {
    auto value = reader.Integer(json["burst"], Path(path, "burst"), 0, 1'000'000'000);
    if (!value) return value.error();
    faults.burst = *value;
  }
  if (json.contains("report_delay_ms")) {
    auto value = reader.Integer(json["report_delay_ms"], Path(path, "report_delay_ms"), 0,
                                kMaxReportDelayMs);
    if (!value) return value.error();
    faults.report_delay = std::chrono::milliseconds(*value);
  }
  return core::Status::Ok();
}

}  // namespace

double FaultSettings::EffectiveBurst() const {
  if (burst > 0) return static_cast<double>(burst);
  return std::max(1.0, std::ceil(rate_limit_per_second));
}

bool FaultSettings::IsUndeliverable(std::string_view to) const {
  if (undeliverable_prefixes.empty() && undeliverable_suffixes.empty()) return false;
  const std::string compact = Compact(to);
  const std::string_view view = compact;
  return std::any_of(undeliverable_prefixes.begin(), undeliverable_prefixes.end(),
                     [&](const std::string& prefix) { return view.starts_with(prefix); }) ||
         std::any_of(undeliverable_suffixes.begin(), undeliverable_suffixes.end(),
                     [&](const std::string& suffix) { return view.ends_with(suffix); });
}

core::Result<FaultSettings> ReadFaults(const config::JsonReader& reader, const Json& json,
                                       std::string_view path, const FaultSettings& base) {
  if (!json.is_object()) {
    return reader.Error((path.empty() ? std::string("faults") : "\"" + std::string(path) + "\"") +
                        " must be an object, got " + json.type_name());
  }
  if (auto status = reader.RejectUnknownKeys(json, kFaultKeys, path); !status) {
    return status.error();
  }
  FaultSettings faults = base;
  if (auto status = ReadNumbers(reader, json, path, faults); !status) return status.error();
  for (const auto& [key, target] :
       {std::pair{"undeliverable_prefixes", &faults.undeliverable_prefixes},
        std::pair{"undeliverable_suffixes", &faults.undeliverable_suffixes}}) {
    if (!json.contains(key)) continue;
    auto affixes = ReadAffixes(reader, json[key], Path(path, key));
    if (!affixes) return affixes.error();
    *target = std::move(affixes).value();
  }
  return faults;
}

core::Result<FaultSettings> ParseFaults(std::string_view body, const FaultSettings& base) {
  const config::JsonReader reader("faults");
  auto json = reader.ParseObject(body.empty() ? std::string_view("{}") : body);
  if (!json) return json.error();
  return ReadFaults(reader, *json, {}, base);
}

Json FaultsJson(const FaultSettings& faults) {
  return {{"fail_ratio", faults.fail_ratio},
          {"fail_status", faults.fail_status},
          {"latency_ms", faults.latency.count()},
          {"rate_limit_per_second", faults.rate_limit_per_second},
          {"burst", faults.burst},
          {"undeliverable_prefixes", faults.undeliverable_prefixes},
          {"undeliverable_suffixes", faults.undeliverable_suffixes},
          {"report_delay_ms", faults.report_delay.count()}};
}

core::Result<SimConfig> ParseSimConfig(std::string_view text) {
  const config::JsonReader reader("provider simulator config");
  auto json = reader.ParseObject(text);
  if (!json) return json.error();
  if (auto status = reader.RejectUnknownKeys(*json, kConfigKeys); !status) return status.error();
  SimConfig config;
  if (json->contains("defaults")) {
    auto defaults = ReadFaults(reader, (*json)["defaults"], "defaults", FaultSettings{});
    if (!defaults) return defaults.error();
    config.defaults = std::move(defaults).value();
  }
  if (!json->contains("providers")) return config;
  const Json& providers = (*json)["providers"];
  if (!providers.is_object()) {
    return reader.Error("\"providers\" must be an object of provider name to faults, got " +
                        std::string(providers.type_name()));
  }
  for (const auto& [name, faults_json] : providers.items()) {
    if (!IsValidProviderName(name)) {
      return reader.Error("provider name \"" + name + "\" must be 1..64 of A-Z a-z 0-9 _ . -");
    }
    auto faults = ReadFaults(reader, faults_json, "providers." + name, config.defaults);
    if (!faults) return faults.error();
    config.providers.emplace(name, std::move(faults).value());
  }
  return config;
}

FailurePicker::FailurePicker(double ratio)
    : parts_per_million_(std::clamp<int64_t>(std::llround(ratio * 1e6), 0, 1'000'000)) {}

bool FailurePicker::Next() {
  ++count_;
  if (parts_per_million_ == 0) return false;
  return (count_ * parts_per_million_) / 1'000'000 >
         ((count_ - 1) * parts_per_million_) / 1'000'000;
}

}  // namespace gridcare::provider_sim
