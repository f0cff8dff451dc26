// Where installed configuration files are: beside the program in the standard layout, or where
// GRIDCARE_CONFIG_DIR says.
#include "gridcare/config/install_paths.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

namespace gridcare::config {

TEST_CASE("configuration is found in share/gridcare beside the program's bin directory") {
  ::unsetenv("GRIDCARE_CONFIG_DIR");
  const auto program = std::filesystem::read_symlink("/proc/self/exe");
  const auto expected = (program.parent_path().parent_path() / "share" / "gridcare").string();
  CHECK(ConfigDirectory() == expected);
  CHECK(InstalledConfigPath("sla/service-standards.json") ==
        expected + "/sla/service-standards.json");
}

TEST_CASE("GRIDCARE_CONFIG_DIR overrides the configuration directory") {
  ::setenv("GRIDCARE_CONFIG_DIR", "/etc/gridcare/tenant-a", 1);
  CHECK(ConfigDirectory() == "/etc/gridcare/tenant-a");
  CHECK(InstalledConfigPath("intake/classifier.json") ==
        "/etc/gridcare/tenant-a/intake/classifier.json");
  ::setenv("GRIDCARE_CONFIG_DIR", "", 1);  // empty counts as unset
  CHECK(ConfigDirectory() != "");
  ::unsetenv("GRIDCARE_CONFIG_DIR");
}

}  // namespace gridcare::config
