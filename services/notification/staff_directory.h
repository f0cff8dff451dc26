#pragma once

// How staff are reached (config/staff-contacts.json): each staff member's work-messenger id and
// e-mail address, and their language. Complaint's reminders and ladder steps name the staff
// member who must act (departments.json handler ids); analytics' risk warnings name a
// supervisor. Pure; immutable after FromJson, thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "recipient_planner.h"

namespace gridcare::notification {

class StaffDirectory {
 public:
  /// {"note", "staff": [{"id", "name", "messenger", "email", "language" ("zh-CN" | "en")}]}: id
  /// required, at least one of messenger and email. INVALID_ARGUMENT "staff contacts: …" naming
  /// the entry: unknown keys, a duplicate id, neither channel, an unknown language.
  static core::Result<StaffDirectory> FromJson(std::string_view json);

  /// The staff member as a recipient (staff channels, no quiet hours), nullopt when unknown.
  std::optional<Recipient> Find(std::string_view staff_id) const;
  size_t size() const { return staff_.size(); }

 private:
  std::map<std::string, Recipient, std::less<>> staff_;
};

}  // namespace gridcare::notification
