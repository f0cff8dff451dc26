#include "gridcare/config/json_reader.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

namespace gridcare::config {
namespace {

using Json = nlohmann::json;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string ShortNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace

core::Error JsonReader::Error(std::string_view message) const {
  return core::InvalidArgument(what_ + ": " + std::string(message));
}

core::Result<Json> JsonReader::Parse(std::string_view text) const {
  std::string duplicate;
  std::vector<std::set<std::string>> seen;  // the keys of each object being parsed, innermost last
  const Json::parser_callback_t callback = [&](int /*depth*/, Json::parse_event_t event,
                                               Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      seen.emplace_back();
    } else if (event == Json::parse_event_t::object_end) {
      if (!seen.empty()) seen.pop_back();
    } else if (event == Json::parse_event_t::key && !seen.empty()) {
      if (!seen.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
        duplicate = parsed.get<std::string>();
      }
    }
    return true;
  };
  Json json;
  try {
    json = Json::parse(text.begin(), text.end(), callback);
  } catch (const Json::exception& e) {
    return Error(std::string("not valid JSON: ") + e.what());
  }
  if (!duplicate.empty()) return Error("key " + Quoted(duplicate) + " given more than once");
  return json;
}

core::Result<Json> JsonReader::ParseObject(std::string_view text) const {
  auto json = Parse(text);
  if (!json.ok()) return json;
  if (!json->is_object()) {
    return Error("expected a JSON object, got " + std::string(json->type_name()));
  }
  return json;
}

core::Status JsonReader::RejectUnknownKeys(const Json& object,
                                           std::span<const std::string_view> known,
                                           std::string_view path) const {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (const std::string_view name : known) found = found || key == name;
    if (found) continue;
    std::string list;
    for (const std::string_view name : known) {
      if (!list.empty()) list += ", ";
      list += name;
    }
    const std::string where = path.empty() ? "" : std::string(path) + ": ";
    return Error(where + "unknown key " + Quoted(key) + " (known: " + list + ")");
  }
  return core::Status::Ok();
}

std::optional<int64_t> JsonReader::IntegerIn(const Json& value, int64_t min, int64_t max) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned()) {
    const auto number = value.get<uint64_t>();
    if (max < 0 || number > static_cast<uint64_t>(max)) return std::nullopt;
    const auto signed_number = static_cast<int64_t>(number);
    if (signed_number < min) return std::nullopt;
    return signed_number;
  }
  const auto number = value.get<int64_t>();
  if (number < min || number > max) return std::nullopt;
  return number;
}

core::Result<int64_t> JsonReader::Integer(const Json& value, std::string_view path, int64_t min,
                                          int64_t max) const {
  if (auto number = IntegerIn(value, min, max)) return *number;
  return Error(Quoted(path) + " must be an integer in " + std::to_string(min) + ".." +
               std::to_string(max) + ", got " + value.dump());
}

core::Result<double> JsonReader::Number(const Json& value, std::string_view path, double min,
                                        double max) const {
  if (value.is_number()) {
    const auto number = value.get<double>();
    if (std::isfinite(number) && number >= min && number <= max) return number;
  }
  return Error(Quoted(path) + " must be a number in " + ShortNumber(min) + ".." + ShortNumber(max) +
               ", got " + value.dump());
}

core::Result<bool> JsonReader::Bool(const Json& value, std::string_view path) const {
  if (value.is_boolean()) return value.get<bool>();
  return Error(Quoted(path) + " must be true or false, got " + value.dump());
}

core::Result<std::string> JsonReader::String(const Json& value, std::string_view path) const {
  if (value.is_string()) return value.get<std::string>();
  return Error(Quoted(path) + " must be a string, got " + value.dump());
}

}  // namespace gridcare::config
