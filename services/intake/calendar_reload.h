#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/shutdown.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/service/working_calendar_files.h"
#include "gridcare/sla/live_calendar.h"
#include "gridcare/v1/intake.pb.h"
#include "ticket_store.h"

namespace prometheus {
class Registry;
class Gauge;
class Counter;
}  // namespace prometheus

namespace gridcare::intake {

using service::ListCalendarFiles;
using service::LoadWorkingCalendar;

/// The ce_type of the ClocksChanged event.
inline constexpr const char* kClocksChangedType = "gridcare.ticket.clocks_changed.v1";

/// The id of the ClocksChanged event of `ticket_id` under calendar `version`: every replica that
/// loads the same calendar derives the same id, so the change is applied once.
std::string ClocksChangedEventId(const std::string& ticket_id, const std::string& version);

/// Recomputes the provisional working-day clocks of `ticket` (in place) under `calendar`;
/// `previous` is the calendar they were computed with. The change, or nullopt when no due_at or
/// provisional flag moved.
std::optional<v1::ClocksChanged> RecomputeTicketClocks(v1::Ticket& ticket,
                                                       const sla::WorkingCalendar& calendar,
                                                       const sla::WorkingCalendar& previous,
                                                       core::TimePoint now);

/// The timeline text of a change (zh-CN and en, Beijing time).
v1::LocalizedText ClocksChangedText(const v1::ClocksChanged& change);

/// What one recomputation did.
struct RecomputeOutcome {
  int checked = 0;  // tickets read from the provisional index
  int changed = 0;  // tickets whose clocks moved or became final (one event each)
};

/// After a calendar change: every open ticket with a provisional clock gets its clocks
/// recomputed; a change is published as ClocksChanged on gridcare.intake.v1 (keyed by ticket,
/// id from ClocksChangedEventId), then written to the ticket and its timeline. Publishing (and a
/// successful flush) comes first, so a failure part-way leaves the ticket provisional and the next
/// attempt publishes the same event again (consumers drop the copy). Thread-safe as the store.
class ProvisionalClockUpdater {
 public:
  ProvisionalClockUpdater(TicketStore& store, kafka::EventPublisher& publisher,
                          const core::Clock& clock)
      : store_(store), publisher_(publisher), clock_(clock) {}

  core::Result<RecomputeOutcome> Recompute(const sla::WorkingCalendar& calendar,
                                           const sla::WorkingCalendar& previous);

 private:
  struct Staged {
    v1::Ticket ticket;  // with the recomputed clocks
    std::string clocks_before;
    std::string event_id;
    v1::ClocksChanged change;
  };
  core::Status Apply(const std::vector<Staged>& staged);

  TicketStore& store_;
  kafka::EventPublisher& publisher_;
  const core::Clock& clock_;
};

/// Keeps intake's working calendar current without a restart: polls the files of
/// --working-calendar for changes (modification time, files added or removed) and reacts to
/// SIGHUP; on a change it loads them, swaps the LiveCalendar and recomputes open provisional
/// clocks. A file that does not load keeps the calendar in force (error log, failed-reload count).
/// Exports gridcare_calendar_official_coverage_days and warns at start and once a day while
/// fewer than `warn_days` days of official coverage remain.
/// Use from one thread (its worker); the LiveCalendar it feeds is read anywhere.
class CalendarReloader {
 public:
  struct Settings {
    std::string spec;  // --working-calendar
    std::chrono::milliseconds poll_interval{std::chrono::seconds(10)};
    int warn_days = 45;
  };
  CalendarReloader(Settings settings, sla::LiveCalendar& calendar, TicketStore& store,
                   kafka::EventPublisher& publisher, prometheus::Registry& registry,
                   const core::Clock& clock);

  /// The worker: Poll() every poll_interval until `stopping`. Starts with a coverage check.
  void Run(core::ShutdownSignal& stopping);
  /// Reloads when a file changed or SIGHUP arrived; checks coverage. Returns true on a reload.
  bool Poll();
  /// Loads the files now; swaps and recomputes when the calendar's version changed.
  core::Status Reload();
  /// Updates the coverage gauge; logs the warning when due (start, then once a local day).
  void CheckCoverage();

 private:
  using Stamps = std::map<std::string, std::filesystem::file_time_type>;
  Stamps CurrentStamps() const;

  Settings settings_;
  sla::LiveCalendar& calendar_;
  ProvisionalClockUpdater updater_;
  const core::Clock& clock_;
  prometheus::Gauge& coverage_days_;
  prometheus::Counter& reloads_ok_;
  prometheus::Counter& reloads_failed_;
  prometheus::Counter& clocks_changed_;
  Stamps stamps_;
  std::optional<sla::LocalDate> last_warning_;
};

/// Routes SIGHUP to the calendar reloaders of this process (an async-signal-safe flag their next
/// Poll reads). Idempotent.
void InstallCalendarSighupHandler();

}  // namespace gridcare::intake
