#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "gridcare/config/files.h"
#include "gridcare/core/error.h"

namespace gridcare::service {

/// The error of a configuration file that cannot be used: INVALID_ARGUMENT saying
/// "cannot load --<flag> (<path>): <why>; fix the file or its flag". Kit::Run turns it into exit
/// code 2, as for any other bad setting.
core::Error ConfigFileError(std::string_view flag, std::string_view path, const core::Error& why);

/// Reads the file a flag names and parses its text with `parse` (a FromJson-style function:
/// std::string_view -> core::Result<T>). An unreadable file or a parse error comes back as
/// ConfigFileError.
template <typename Parse>
auto LoadConfigFile(std::string_view flag, const std::string& path, Parse&& parse)
    -> decltype(parse(std::string_view{})) {
  auto text = config::ReadTextFile(path);
  if (!text) return ConfigFileError(flag, path, text.error());
  auto parsed = std::forward<Parse>(parse)(std::string_view(*text));
  if (!parsed) return ConfigFileError(flag, path, parsed.error());
  return parsed;
}

/// As LoadConfigFile, for an optional file: an empty path gives `defaults`.
template <typename T, typename Parse>
core::Result<T> LoadOptionalConfigFile(std::string_view flag, const std::string& path, T defaults,
                                       Parse&& parse) {
  if (path.empty()) return defaults;
  return LoadConfigFile(flag, path, std::forward<Parse>(parse));
}

}  // namespace gridcare::service
