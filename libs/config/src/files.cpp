#include "gridcare/config/files.h"

#include <fstream>
#include <sstream>

namespace gridcare::config {

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

core::Result<std::map<std::string, std::string>> ReadEnvFile(const std::string& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.error();
  std::istringstream in(*text);
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[line.substr(0, equals)] = std::move(value);
  }
  return values;
}

}  // namespace gridcare::config
