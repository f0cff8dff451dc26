#include "endpoints.h"

#include <fstream>

namespace gridcare::scenario {

core::Result<std::map<std::string, std::string>> ReadEndpoints(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::NotFound("cannot read " + path + " (is the local stack running?)");
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
    values[line.substr(0, equals)] = value;
  }
  return values;
}

}  // namespace gridcare::scenario
