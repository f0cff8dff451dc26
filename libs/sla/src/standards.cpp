#include "gridcare/sla/standards.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "gridcare/config/json_reader.h"

namespace gridcare::sla {
namespace {

using Field = std::variant<std::chrono::minutes ServiceStandards::*,
                           std::chrono::hours ServiceStandards::*, int ServiceStandards::*>;

struct Key {
  const char* name;
  Field field;
  int64_t max;
};

constexpr int64_t kMaxMinutes = int64_t{30} * 24 * 60;  // 30 days
constexpr int64_t kMaxHours = int64_t{365} * 24;        // one year
constexpr int64_t kMaxWorkingDays = 365;

const std::array<Key, 15> kKeys = {{
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
    {"opinion_reply_working_days", &ServiceStandards::opinion_reply_working_days, kMaxWorkingDays},
}};

// The keys FromJson accepts, in the order the error for an unknown key lists them.
const std::vector<std::string_view>& KnownKeys() {
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const Key& key : kKeys) names.emplace_back(key.name);
    names.emplace_back("note");
    return names;
  }();
  return kNames;
}

}  // namespace

core::Result<ServiceStandards> ServiceStandards::FromJson(std::string_view json) {
  const config::JsonReader reader("service standards");
  auto root = reader.Parse(json);
  if (!root.ok()) return root.error();
  if (!root->is_object()) return reader.Error("must be a JSON object");
  if (auto status = reader.RejectUnknownKeys(*root, KnownKeys()); !status.ok()) {
    return status.error();
  }

  ServiceStandards standards;
  for (const auto& item : root->items()) {
    // A named copy, not a structured binding: lambdas below capture it (clang-tidy 14 parses
    // the code as C++17 there).
    const std::string& name = item.key();
    const auto& value = item.value();
    if (name == "note") {
      if (!value.is_string()) return reader.Error("\"note\" must be a string");
      continue;
    }
    const Key& key = *std::find_if(kKeys.begin(), kKeys.end(),
                                   [&](const Key& candidate) { return name == candidate.name; });
    const auto number = config::JsonReader::IntegerIn(value, 1, key.max);
    if (!number) {
      return reader.Error(name + " = " + value.dump() + ": must be an integer in 1.." +
                          std::to_string(key.max));
    }
    std::visit(
        [&](auto member) {
          using Member = std::remove_reference_t<decltype(standards.*member)>;
          standards.*member = Member(static_cast<int>(*number));
        },
        key.field);
  }
  return standards;
}

}  // namespace gridcare::sla
