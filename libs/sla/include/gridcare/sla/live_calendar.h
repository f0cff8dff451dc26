#pragma once

#include <memory>
#include <mutex>

#include "gridcare/sla/calendar.h"

namespace gridcare::sla {

/// The working calendar a running service uses now, replaceable while it runs (operators load
/// next year's notice without a restart). Readers take a snapshot and keep it for one decision.
/// Thread-safe.
class LiveCalendar {
 public:
  explicit LiveCalendar(WorkingCalendar initial = {});
  LiveCalendar(const LiveCalendar&) = delete;
  LiveCalendar& operator=(const LiveCalendar&) = delete;

  /// The calendar in force (never null).
  std::shared_ptr<const WorkingCalendar> Current() const;
  /// Puts `next` in force; returns the one it replaces.
  std::shared_ptr<const WorkingCalendar> Replace(WorkingCalendar next);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const WorkingCalendar> current_;  // guarded by mutex_
};

/// What deadline logic reads the calendar through: either a fixed calendar (copied in) or a
/// LiveCalendar (referenced; it must outlive the view). Implicit from both, so code that takes a
/// CalendarView accepts either. Cheap to copy; thread-safe.
class CalendarView {
 public:
  CalendarView(const WorkingCalendar& fixed)  // NOLINT(google-explicit-constructor)
      : fixed_(std::make_shared<const WorkingCalendar>(fixed)) {}
  CalendarView(const LiveCalendar& live) : live_(&live) {}  // NOLINT(google-explicit-constructor)

  std::shared_ptr<const WorkingCalendar> Current() const {
    return live_ != nullptr ? live_->Current() : fixed_;
  }

 private:
  const LiveCalendar* live_ = nullptr;
  std::shared_ptr<const WorkingCalendar> fixed_;
};

}  // namespace gridcare::sla
