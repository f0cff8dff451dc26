#pragma once

// Which working calendar a department counts in: the company calendar (holidays and 调休 from
// the --working-calendar files) with the department's own days on top (departments.json
// "local_calendar": a regional holiday off, a local make-up weekend on). A case's clocks are
// counted in the calendar of the department that owns the case when each clock starts; a
// coordination part's deadline in the contributing department's. Pure.

#include <map>
#include <string>
#include <string_view>

#include "department_directory.h"
#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"

namespace gridcare::complaint {

/// Immutable after construction; safe to share between threads.
class CalendarBook {
 public:
  /// Every department counts in `company` (implicit: tests and tools pass a calendar).
  CalendarBook(sla::WorkingCalendar company);  // NOLINT(google-explicit-constructor)

  /// `company` plus each department's local days. INVALID_ARGUMENT naming the department when
  /// its days do not fit (a working weekend that is a weekday, a date in both lists).
  static core::Result<CalendarBook> Build(sla::WorkingCalendar company,
                                          const DepartmentDirectory& directory);

  /// The calendar of `department_id`: its own when it has local days, else the company's (also
  /// for an unknown or empty id).
  const sla::WorkingCalendar& For(std::string_view department_id) const;
  const sla::WorkingCalendar& company() const { return company_; }

 private:
  sla::WorkingCalendar company_;
  std::map<std::string, sla::WorkingCalendar, std::less<>> departments_;
};

}  // namespace gridcare::complaint
