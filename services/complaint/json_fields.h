#pragma once

// Field readers shared by the department directory and the routing rules: required and optional
// strings, ids, string lists and lower-case enum names, each error naming the entry through the
// config::JsonReader it is given ("department directory: handlers[3] (\"mkt-wl-01\"): ...").
// Internal to the complaint library.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/error.h"

namespace gridcare::complaint::json_fields {

using Json = nlohmann::json;

/// "<list>[<index>]", with ` ("<id>")` when the entry has a string id: how errors name an entry.
inline std::string EntryLabel(std::string_view list, size_t index, const Json& entry) {
  std::string label = std::string(list) + "[" + std::to_string(index) + "]";
  if (entry.is_object() && entry.contains("id") && entry.at("id").is_string()) {
    label += " (\"" + entry.at("id").get<std::string>() + "\")";
  }
  return label;
}

/// A reader whose errors start "<parent what>: <label>".
inline config::JsonReader EntryReader(const config::JsonReader& parent, std::string_view label) {
  return config::JsonReader(parent.what() + ": " + std::string(label));
}

/// `key` of `object`: a string, "" when absent.
inline core::Result<std::string> OptionalString(const config::JsonReader& reader,
                                                const Json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end()) return std::string();
  return reader.String(*it, key);
}

/// `key` of `object`: a string that is not empty (nor only spaces).
inline core::Result<std::string> RequiredString(const config::JsonReader& reader,
                                                const Json& object, std::string_view key) {
  if (!object.contains(key)) return reader.Error("missing \"" + std::string(key) + "\"");
  auto text = reader.String(object.at(key), key);
  if (!text.ok()) return text;
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    return reader.Error("\"" + std::string(key) + "\" must not be empty");
  }
  return text;
}

/// An id: 1-64 characters of [A-Za-z0-9._-] (ids go into alarm ids and desk URLs).
inline bool IsValidId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

/// An id checked with IsValidId. `required` false: "" when absent.
inline core::Result<std::string> Id(const config::JsonReader& reader, const Json& object,
                                    std::string_view key, bool required) {
  if (!required && !object.contains(key)) return std::string();
  auto id = required ? RequiredString(reader, object, key) : OptionalString(reader, object, key);
  if (!id.ok()) return id;
  if (!IsValidId(*id)) {
    return reader.Error("\"" + std::string(key) +
                        "\" must be 1-64 characters of [A-Za-z0-9._-], got \"" + *id + "\"");
  }
  return id;
}

/// `key` of `object`: true or false, `fallback` when absent.
inline core::Result<bool> OptionalBool(const config::JsonReader& reader, const Json& object,
                                       std::string_view key, bool fallback = false) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  return reader.Bool(*it, key);
}

/// `key` of `object`: an array of non-empty strings; empty when absent.
inline core::Result<std::vector<std::string>> StringList(const config::JsonReader& reader,
                                                         const Json& object, std::string_view key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end()) return out;
  if (!it->is_array()) {
    return reader.Error("\"" + std::string(key) + "\" must be an array of strings, got " +
                        it->dump());
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = it->at(i);
    const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!item.is_string() || item.get<std::string>().empty()) {
      return reader.Error("\"" + path + "\" must be a non-empty string, got " + item.dump());
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

/// A name → enum table entry.
template <typename Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

/// The value named `name` in `table`, or an error naming `path` and listing the known names.
template <typename Enum>
core::Result<Enum> EnumFromName(const config::JsonReader& reader, std::string_view name,
                                std::string_view path, std::span<const EnumName<Enum>> table) {
  for (const EnumName<Enum>& entry : table) {
    if (entry.name == name) return entry.value;
  }
  std::string known;
  for (const EnumName<Enum>& entry : table) {
    if (!known.empty()) known += ", ";
    known += entry.name;
  }
  return reader.Error("\"" + std::string(path) + "\": unknown value \"" + std::string(name) +
                      "\" (known: " + known + ")");
}

/// `key` of `object`: an array of names from `table`; empty when absent.
template <typename Enum>
core::Result<std::vector<Enum>> EnumList(const config::JsonReader& reader, const Json& object,
                                         std::string_view key,
                                         std::span<const EnumName<Enum>> table) {
  auto names = StringList(reader, object, key);
  if (!names.ok()) return names.error();
  std::vector<Enum> out;
  for (size_t i = 0; i < names->size(); ++i) {
    auto value =
        EnumFromName(reader, (*names)[i], std::string(key) + "[" + std::to_string(i) + "]", table);
    if (!value.ok()) return value.error();
    out.push_back(*value);
  }
  return out;
}

}  // namespace gridcare::complaint::json_fields
