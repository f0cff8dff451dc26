#pragma once

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

}  // namespace gridcare::config
