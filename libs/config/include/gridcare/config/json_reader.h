#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::config {

/// Strict reading of one JSON configuration (rules, settings, standards): a key given twice, an
/// unknown key or a value of the wrong type or out of range is an error, never silently ignored.
/// Every error is INVALID_ARGUMENT "<what>: <message>", `what` naming the configuration ("urging
/// rules") and the message naming the field path, e.g.
///   urging rules: "same_matter_window_hours" must be an integer in 0..8760, got "72h"
///   correlation settings: unknown key "window" (known: window_minutes, ...)
/// Paths below the top level are written as the loader walks them ("scoring.gap_chars",
/// "articles[3].answer"). Immutable and thread-safe; the json values passed in are only read.
class JsonReader {
 public:
  /// `what` names the configuration in every message ("priority rules").
  explicit JsonReader(std::string what) : what_(std::move(what)) {}

  /// `text` as JSON: "not valid JSON: <parser message>", or "key \"k\" given more than once"
  /// (nlohmann would keep the last one and hide the mistake; nested objects have their own keys).
  core::Result<nlohmann::json> Parse(std::string_view text) const;

  /// Parse, and the top level must be an object: "expected a JSON object, got array".
  core::Result<nlohmann::json> ParseObject(std::string_view text) const;

  /// Every key of `object` is one of `known`, or "[<path>: ]unknown key \"k\" (known: a, b)".
  core::Status RejectUnknownKeys(const nlohmann::json& object,
                                 std::span<const std::string_view> known,
                                 std::string_view path = {}) const;

  /// `value` as an integer in [min, max]: "\"<path>\" must be an integer in min..max, got <value>"
  /// (2.0, "2", true and null are not integers).
  core::Result<int64_t> Integer(const nlohmann::json& value, std::string_view path, int64_t min,
                                int64_t max) const;

  /// `value` as a finite number in [min, max]: "\"<path>\" must be a number in min..max, got ...".
  core::Result<double> Number(const nlohmann::json& value, std::string_view path, double min,
                              double max) const;

  /// `value` as true or false: "\"<path>\" must be true or false, got <value>".
  core::Result<bool> Bool(const nlohmann::json& value, std::string_view path) const;

  /// `value` as a string: "\"<path>\" must be a string, got <value>".
  core::Result<std::string> String(const nlohmann::json& value, std::string_view path) const;

  /// INVALID_ARGUMENT "<what>: <message>", for a loader's own checks (ordering between fields...).
  core::Error Error(std::string_view message) const;

  /// The integer range check alone, without a message: `value` when it is an integer in
  /// [min, max] (unsigned literals beyond int64 are out of range), nullopt otherwise.
  static std::optional<int64_t> IntegerIn(const nlohmann::json& value, int64_t min, int64_t max);

  const std::string& what() const { return what_; }

 private:
  std::string what_;
};

}  // namespace gridcare::config
