#include "gridcare/service/config_file.h"

namespace gridcare::service {

core::Error ConfigFileError(std::string_view flag, std::string_view path, const core::Error& why) {
  return core::InvalidArgument("cannot load --" + std::string(flag) + " (" + std::string(path) +
                               "): " + why.message + "; fix the file or its flag");
}

}  // namespace gridcare::service
