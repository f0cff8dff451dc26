#pragma once

#include <map>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::config {

/// The whole of a configuration file (rules, calendars, standards). NOT_FOUND naming the path
/// when it cannot be read.
core::Result<std::string> ReadTextFile(const std::string& path);

/// A file shipped in the source tree, e.g. "libs/sla/config/service-standards.json": the default
/// of a service's config-file flags, so a binary run from the build tree finds its files.
std::string SourceTreePath(std::string_view relative);

/// KEY=VALUE lines of an environment file such as the local stack's endpoints.env: comments and
/// blank lines skipped, one level of matching single or double quotes removed. NOT_FOUND naming
/// the path when it cannot be read.
core::Result<std::map<std::string, std::string>> ReadEnvFile(const std::string& path);

}  // namespace gridcare::config
