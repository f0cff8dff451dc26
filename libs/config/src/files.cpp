#include "gridcare/config/files.h"

#include <fstream>
#include <sstream>

namespace gridcare::config {

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string SourceTreePath(std::string_view relative) {
  return std::string(GRIDCARE_SOURCE_DIR) + "/" + std::string(relative);
}

}  // namespace gridcare::config
