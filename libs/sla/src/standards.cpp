#include "gridcare/sla/standards.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <variant>

namespace gridcare::sla {
namespace {

using Field = std::variant<std::chrono::minutes ServiceStandards::*,
                           std::chrono::hours ServiceStandards::*, int ServiceStandards::*>;

struct Key {
  const char* name;
  Field field;
  int64_t max;
};

constexpr int64_t kMaxMinutes = 30 * 24 * 60;  // 30 days
constexpr int64_t kMaxHours = 365 * 24;        // one year
constexpr int64_t kMaxWorkingDays = 365;

const std::array<Key, 14> kKeys = {{
    {"arrival_urban_minutes", &ServiceStandards::arrival_urban, kMaxMinutes},
    {"arrival_rural_minutes", &ServiceStandards::arrival_rural, kMaxMinutes},
    {"arrival_remote_minutes", &ServiceStandards::arrival_remote, kMaxMinutes},
    {"restoration_urban_minutes", &ServiceStandards::restoration_urban, kMaxMinutes},
    {"restoration_rural_minutes", &ServiceStandards::restoration_rural, kMaxMinutes},
    {"restoration_remote_minutes", &ServiceStandards::restoration_remote, kMaxMinutes},
    {"complaint_contact_hours", &ServiceStandards::complaint_contact, kMaxHours},
    {"consultation_reply_hours", &ServiceStandards::consultation_reply, kMaxHours},
    {"complaint_reply_working_days", &ServiceStandards::complaint_reply_working_days,
     kMaxWorkingDays},
    {"new_connection_residential_working_days",
     &ServiceStandards::new_connection_residential_working_days, kMaxWorkingDays},
    {"new_connection_non_residential_working_days",
     &ServiceStandards::new_connection_non_residential_working_days, kMaxWorkingDays},
    {"meter_dispute_working_days", &ServiceStandards::meter_dispute_working_days, kMaxWorkingDays},
    {"other_application_working_days", &ServiceStandards::other_application_working_days,
     kMaxWorkingDays},
    {"report_reply_working_days", &ServiceStandards::report_reply_working_days, kMaxWorkingDays},
}};

std::string KnownKeys() {
  std::string out;
  for (const Key& key : kKeys) {
    if (!out.empty()) out += ", ";
    out += key.name;
  }
  return out + ", note";
}

}  // namespace

core::Result<ServiceStandards> ServiceStandards::FromJson(std::string_view json) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    return core::InvalidArgument(std::string("service standards: not valid JSON: ") + e.what());
  }
  if (!root.is_object()) return core::InvalidArgument("service standards: must be a JSON object");

  ServiceStandards standards;
  for (const auto& [name, value] : root.items()) {
    if (name == "note") {
      if (!value.is_string()) {
        return core::InvalidArgument("service standards: \"note\" must be a string");
      }
      continue;
    }
    const Key* key = nullptr;
    for (const Key& candidate : kKeys) {
      if (name == candidate.name) key = &candidate;
    }
    if (key == nullptr) {
      return core::InvalidArgument("service standards: unknown key \"" + name +
                                   "\" (known: " + KnownKeys() + ")");
    }
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > key->max) {
      return core::InvalidArgument("service standards: " + name + " = " + value.dump() +
                                   ": must be an integer in 1.." + std::to_string(key->max));
    }
    const int64_t number = value.get<int64_t>();
    std::visit(
        [&](auto member) {
          using Member = std::remove_reference_t<decltype(standards.*member)>;
          standards.*member = Member(static_cast<int>(number));
        },
        key->field);
  }
  return standards;
}

}  // namespace gridcare::sla
