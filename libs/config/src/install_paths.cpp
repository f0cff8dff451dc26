#include "gridcare/config/install_paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace gridcare::config {

std::string ConfigDirectory() {
  if (const char* dir = std::getenv("GRIDCARE_CONFIG_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code error;
  const auto program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "share/gridcare";  // relative to the working directory, as a last resort
  return (program.parent_path().parent_path() / "share" / "gridcare").lexically_normal().string();
}

std::string InstalledConfigPath(std::string_view relative) {
  return ConfigDirectory() + "/" + std::string(relative);
}

}  // namespace gridcare::config
