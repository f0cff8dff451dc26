#include "gridcare/sla/live_calendar.h"

#include <utility>

namespace gridcare::sla {

LiveCalendar::LiveCalendar(WorkingCalendar initial)
    : current_(std::make_shared<const WorkingCalendar>(std::move(initial))) {}

std::shared_ptr<const WorkingCalendar> LiveCalendar::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const WorkingCalendar> LiveCalendar::Replace(WorkingCalendar next) {
  auto replacement = std::make_shared<const WorkingCalendar>(std::move(next));
  std::lock_guard lock(mutex_);
  std::swap(current_, replacement);
  return replacement;
}

}  // namespace gridcare::sla
