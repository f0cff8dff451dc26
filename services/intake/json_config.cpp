#include "json_config.h"

#include <set>
#include <vector>

namespace gridcare::intake {
namespace {

using Json = nlohmann::json;

core::Error ConfigError(std::string_view what, const std::string& message) {
  return core::InvalidArgument(std::string(what) + ": " + message);
}

}  // namespace

core::Result<Json> ParseConfigObject(std::string_view text, std::string_view what) {
  std::string duplicate;
  std::vector<std::set<std::string>> seen;
  const Json::parser_callback_t callback = [&](int /*depth*/, Json::parse_event_t event,
                                               Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        seen.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!seen.empty() && !seen.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  Json json;
  try {
    json = Json::parse(text.begin(), text.end(), callback);
  } catch (const Json::exception& e) {
    return ConfigError(what, std::string("not valid JSON: ") + e.what());
  }
  if (!json.is_object()) {
    return ConfigError(what, "expected a JSON object, got " + std::string(json.type_name()));
  }
  if (!duplicate.empty()) return ConfigError(what, "key \"" + duplicate + "\" given more than once");
  return json;
}

core::Result<int64_t> ConfigInteger(const Json& value, const std::string& key, int64_t min,
                                    int64_t max, std::string_view what) {
  const std::string expected =
      "\"" + key + "\" must be an integer in " + std::to_string(min) + ".." + std::to_string(max);
  if (!value.is_number_integer()) return ConfigError(what, expected + ", got " + value.dump());
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(max)) {
      return ConfigError(what, expected + ", got " + value.dump());
    }
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  const auto number = value.get<int64_t>();
  if (number < min || number > max) return ConfigError(what, expected + ", got " + value.dump());
  return number;
}

}  // namespace gridcare::intake
