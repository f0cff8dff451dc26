#include "calendar_book.h"

#include <utility>

namespace gridcare::complaint {

CalendarBook::CalendarBook(sla::WorkingCalendar company) : company_(std::move(company)) {}

core::Result<CalendarBook> CalendarBook::Build(sla::WorkingCalendar company,
                                               const DepartmentDirectory& directory) {
  CalendarBook book(std::move(company));
  for (const Department& department : directory.departments()) {
    if (department.local_holidays.empty() && department.local_working_weekends.empty()) continue;
    auto calendar = book.company_.WithLocalDays(department.local_holidays,
                                                department.local_working_weekends, department.id);
    if (!calendar.ok()) {
      return core::InvalidArgument("department \"" + department.id +
                                   "\" local_calendar: " + calendar.error().message);
    }
    book.departments_.emplace(department.id, std::move(*calendar));
  }
  return book;
}

const sla::WorkingCalendar& CalendarBook::For(std::string_view department_id) const {
  const auto found = departments_.find(department_id);
  return found == departments_.end() ? company_ : found->second;
}

}  // namespace gridcare::complaint
