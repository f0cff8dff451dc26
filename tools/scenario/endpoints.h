#pragma once

#include <map>
#include <string>

#include "gridcare/core/error.h"

namespace gridcare::scenario {

/// KEY=VALUE lines of the local stack's endpoints.env (comments and blank lines skipped).
core::Result<std::map<std::string, std::string>> ReadEndpoints(const std::string& path);

}  // namespace gridcare::scenario
