#pragma once

#include <map>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::config {

/// The whole of a configuration file (rules, calendars, standards). NOT_FOUND naming the path
/// when it cannot be read.
core::Result<std::string> ReadTextFile(const std::string& path);

/// KEY=VALUE lines of an environment file such as the local stack's endpoints.env: comments and
/// blank lines skipped, one level of matching single or double quotes removed. NOT_FOUND naming
/// the path when it cannot be read.
core::Result<std::map<std::string, std::string>> ReadEnvFile(const std::string& path);

}  // namespace gridcare::config
