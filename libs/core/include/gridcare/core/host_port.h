#pragma once

#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::core {

struct HostPort {
  std::string host;  // IPv6 without brackets
  int port = 0;
};

/// Parses "host:port", "[v6]:port". INVALID_ARGUMENT with a short reason ("has no port", "has an
/// IPv6 host without brackets", "has an invalid port") for the caller to put in context.
Result<HostPort> ParseHostPort(std::string_view text, bool allow_port_zero = true);

}  // namespace gridcare::core
