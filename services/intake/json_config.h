#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::intake {

/// Parses `text` as one JSON object for the configuration named `what` ("urging rules"), rejecting
/// a key given twice (nlohmann would silently keep the last one, hiding a configuration mistake).
/// INVALID_ARGUMENT "<what>: ..." otherwise.
core::Result<nlohmann::json> ParseConfigObject(std::string_view text, std::string_view what);

/// `value` as an integer in [min, max], or INVALID_ARGUMENT "<what>: \"<key>\" must be ...".
core::Result<int64_t> ConfigInteger(const nlohmann::json& value, const std::string& key,
                                    int64_t min, int64_t max, std::string_view what);

}  // namespace gridcare::intake
