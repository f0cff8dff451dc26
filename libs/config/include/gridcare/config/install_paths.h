#pragma once

#include <string>
#include <string_view>

namespace gridcare::config {

/// Where GridCare's shipped configuration files live (calendars, service standards, classifier
/// rules, knowledge base …), in the standard install layout `cmake --install` creates:
///   <prefix>/bin/<program>
///   <prefix>/share/gridcare/<area>/<file>.json
/// The build tree has the same layout (build/bin, build/share/gridcare), so a program run from
/// either finds its files without a source tree. Resolution order:
///   1. $GRIDCARE_CONFIG_DIR, when set (containers mount per-tenant overrides there);
///   2. <directory of the running program>/../share/gridcare.
std::string ConfigDirectory();

/// ConfigDirectory() + "/" + relative, e.g. InstalledConfigPath("sla/service-standards.json"):
/// the default of a service's config-file flags. --help prints the resolved path.
std::string InstalledConfigPath(std::string_view relative);

}  // namespace gridcare::config
