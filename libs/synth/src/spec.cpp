#include "gridcare/synth/spec.h"

#include <cmath>
#include <string>

namespace gridcare::synth {
namespace {

core::Status CheckRate(const char* field, double rate) {
  if (!(rate >= 0.0 && rate <= 1.0)) {
    return core::InvalidArgument(std::string(field) + " must be between 0 and 1");
  }
  return {};
}

}  // namespace

core::Status ValidateSpec(const UtilitySpec& spec) {
  if (spec.customers < 1 || spec.customers > kMaxCustomers) {
    return core::InvalidArgument("customers must be 1.." + std::to_string(kMaxCustomers) +
                                 ", got " + std::to_string(spec.customers));
  }
  if (auto s = CheckRate("important_rate", spec.important_rate); !s) return s;
  if (auto s = CheckRate("life_support_rate", spec.life_support_rate); !s) return s;
  if (auto s = CheckRate("sensitive_rate", spec.sensitive_rate); !s) return s;
  if (auto s = CheckRate("shared_phone_rate", spec.shared_phone_rate); !s) return s;
  // The map is flat around the centre: 150 km of longitude must stay well-defined.
  if (!(std::abs(spec.centre.latitude) <= 70.0)) {
    return core::InvalidArgument("centre.latitude must be within -70..70 degrees");
  }
  if (!(spec.centre.longitude >= -178.0 && spec.centre.longitude <= 178.0)) {
    return core::InvalidArgument("centre.longitude must be within -178..178 degrees");
  }
  return {};
}

}  // namespace gridcare::synth
