#pragma once

// The department directory (config/departments.json, shipped for the synthetic utility): the
// departments that own cases, their units (e.g. the supply office of each district), handlers and
// supervisors, the pool (service-dispatch centre) where unrouted and returned cases go, and the
// coordinator. Pure: the caller reads the file and passes the text.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

struct Handler {
  std::string id;    ///< e.g. "mkt-th-01"
  std::string name;  ///< display name on the desk (staff, not customers)
  std::string department_id;
  std::string unit_id;      ///< empty: the whole department
  bool senior = false;      ///< may take cases of sensitive / important customers
  bool supervisor = false;  ///< may assign cases of the department and see all of them
};

struct Unit {
  std::string id;  ///< e.g. "tianhe-supply-office"
  v1::LocalizedText name;
  std::vector<std::string>
      districts;  ///< districts this unit serves (as profile addresses spell them)
};

struct Department {
  std::string id;  ///< e.g. "marketing"
  v1::LocalizedText name;
  v1::Department kind = v1::DEPARTMENT_UNSPECIFIED;  ///< the coarse enum old readers use
  std::vector<Unit> units;
  std::string head_handler_id;  ///< ladder level 1 acts through the department head
  /// The department's own days on top of the company calendar (calendar_book.h): regional
  /// holidays off, local make-up weekends on. Both empty for most departments.
  std::vector<sla::LocalDate> local_holidays;
  std::vector<sla::LocalDate> local_working_weekends;
};

class DepartmentDirectory {
 public:
  /// Keys: departments [{id, name_zh_cn, name_en, kind ("marketing", "operations", …),
  /// head, units [{id, name_zh_cn, name_en, districts []}], local_calendar {note, holidays [],
  /// working_weekends [] ("YYYY-MM-DD")}}], handlers [{id, name, department,
  /// unit, senior, supervisor}], pool_department, coordinator (a handler id), roles {role →
  /// {zh_cn, en}} naming the ladder roles, note. Errors name the entry: unknown keys, duplicate
  /// ids (unit ids are unique within their department: one supply office may be a unit of
  /// marketing and of operations), a handler of an unknown department or unit, a head that is not
  /// a handler of the department, a district served by two units of one department, a missing
  /// pool department or coordinator. `kind` and `units` are optional; `roles` too.
  static core::Result<DepartmentDirectory> FromJson(std::string_view json);

  const Department* FindDepartment(std::string_view id) const;
  const Handler* FindHandler(std::string_view id) const;
  const std::string& pool_department_id() const { return pool_department_id_; }
  const std::string& coordinator_id() const { return coordinator_id_; }
  const std::vector<Department>& departments() const { return departments_; }

  /// The unit of `department_id` serving `district`, or "" (then the case is the department's).
  std::string UnitFor(std::string_view department_id, std::string_view district) const;
  /// A senior handler of the unit, else of the department, else nullptr.
  const Handler* SeniorHandler(std::string_view department_id, std::string_view unit_id) const;
  /// Handlers of a department (all units), in file order.
  std::vector<const Handler*> HandlersOf(std::string_view department_id) const;

  /// Whether `handler_id` may act on a case owned by `department_id`: handlers of that
  /// department, the pool department's supervisors and the coordinator. Unknown handlers: never.
  bool MayAct(std::string_view handler_id, std::string_view department_id) const;

  /// Who must act at a ladder `role` for a case of `department_id`: "handler" → the case's
  /// handler (or the department when none), "department-head" → the department's head, any
  /// other role → an Actor of kind SUPERVISOR with the role as id. Display names in both
  /// languages joined as "zh / en".
  v1::Actor MustAct(std::string_view role, const v1::ComplaintCase& c) const;

  /// The coarse enum for a department id (DEPARTMENT_UNSPECIFIED when unknown).
  v1::Department KindOf(std::string_view department_id) const;

 private:
  std::vector<Department> departments_;
  std::vector<Handler> handlers_;
  std::map<std::string, v1::LocalizedText, std::less<>> roles_;
  std::string pool_department_id_;
  std::string coordinator_id_;
};

}  // namespace gridcare::complaint
