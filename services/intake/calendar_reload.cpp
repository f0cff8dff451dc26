#include "calendar_reload.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <signal.h>

#include <algorithm>
#include <system_error>

#include "gridcare/config/files.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/labels/labels.h"
#include "gridcare/logging/log.h"
#include "gridcare/service/working_calendar_files.h"
#include "gridcare/sla/chinese_calendar.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::intake {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBatch = 100;  // tickets per publish + flush
constexpr auto kFlushTimeout = std::chrono::seconds(10);
std::atomic<bool> sighup_received{false};  // lock-free: set from the signal handler

extern "C" void OnSighup(int /*signal*/) { sighup_received.store(true); }

using labels::Text;

v1::LocalizedText KindLabel(v1::ServiceClock::Kind kind) {
  switch (kind) {
    case v1::ServiceClock::KIND_COMPLAINT_REPLY:
      return Text("答复", "Reply");
    case v1::ServiceClock::KIND_APPLICATION_COMPLETION:
      return Text("办结", "Completion");
    case v1::ServiceClock::KIND_METER_DISPUTE_RESULT:
      return Text("校验结果", "Meter check result");
    default:
      return Text("办理", "Handling");
  }
}

std::string Show(const google::protobuf::Timestamp& t) {
  return sla::FormatLocalMinute(sla::FromTimestamp(t));
}

prometheus::Family<prometheus::Counter>& ReloadCounters(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("gridcare_calendar_reloads_total")
      .Help("Working calendar reloads (file change or SIGHUP) by result")
      .Register(registry);
}

}  // namespace

std::string ClocksChangedEventId(const std::string& ticket_id, const std::string& version) {
  return kafka::DeriveEventId("intake:calendar:" + version, "clocks_changed:" + ticket_id);
}

std::optional<v1::ClocksChanged> RecomputeTicketClocks(v1::Ticket& ticket,
                                                       const sla::WorkingCalendar& calendar,
                                                       const sla::WorkingCalendar& previous,
                                                       core::TimePoint now) {
  v1::ClocksChanged change;
  for (auto& clock : *ticket.mutable_clocks()) {
    if (!clock.provisional()) continue;
    const v1::ServiceClock before = clock;
    if (!sla::RecomputeWorkingDayClock(clock, calendar, previous)) continue;
    auto* item = change.add_changes();
    item->set_kind(clock.kind());
    *item->mutable_previous_due_at() = before.due_at();
    *item->mutable_due_at() = clock.due_at();
    item->set_previous_provisional(before.provisional());
    item->set_provisional(clock.provisional());
  }
  if (change.changes().empty()) return std::nullopt;
  change.set_ticket_id(ticket.ticket_id());
  change.set_calendar_version(calendar.version());
  change.set_calendar_name(calendar.name());
  change.set_customer_id(ticket.customer_id());
  *change.mutable_changed_at() = sla::ToTimestamp(now);
  *ticket.mutable_updated_at() = change.changed_at();
  return change;
}

v1::LocalizedText ClocksChangedText(const v1::ClocksChanged& change) {
  std::string zh;
  std::string en;
  for (const auto& item : change.changes()) {
    const auto label = KindLabel(item.kind());
    const bool moved = Show(item.previous_due_at()) != Show(item.due_at());
    zh += (zh.empty() ? "" : "；") + label.zh_cn() + "期限" +
          (moved ? "由 " + Show(item.previous_due_at()) + " 调整为 " + Show(item.due_at())
                 : "确认为 " + Show(item.due_at())) +
          (item.provisional() ? "（北京时间，仍为暂定）"
                              : "（北京时间，已按国家公布的放假安排确定）");
    en += (en.empty() ? "" : "; ") + label.en() + " deadline " +
          (moved ? "moved from " + Show(item.previous_due_at()) + " to " + Show(item.due_at())
                 : "confirmed as " + Show(item.due_at())) +
          (item.provisional() ? " (Beijing time; still provisional)"
                              : " (Beijing time; final under the official holiday schedule)");
  }
  return Text(zh, en);
}

core::Result<RecomputeOutcome> ProvisionalClockUpdater::Recompute(
    const sla::WorkingCalendar& calendar, const sla::WorkingCalendar& previous) {
  auto ids = store_.ProvisionalTickets();
  if (!ids) return ids.error();
  RecomputeOutcome outcome;
  std::vector<Staged> staged;
  const auto now = clock_.Now();
  for (size_t i = 0; i < ids->size(); ++i) {
    auto found = store_.GetTicket((*ids)[i]);
    if (!found) return found.error();
    ++outcome.checked;
    if (!found->has_value()) continue;
    v1::Ticket ticket = std::move(**found);
    std::string clocks_before;
    for (const auto& clock : ticket.clocks()) clocks_before += clock.SerializeAsString();
    auto change = IsOpenState(ticket.state())
                      ? RecomputeTicketClocks(ticket, calendar, previous, now)
                      : std::nullopt;
    if (!change) {
      // Stale index entry (closed, or no longer provisional): writing the ticket drops it.
      if (!IsOpenState(ticket.state()) || !sla::HasProvisionalClock(ticket.clocks())) {
        if (auto saved = store_.SaveTicket(ticket); !saved) return saved.error();
      }
      continue;
    }
    const std::string event_id = ClocksChangedEventId(ticket.ticket_id(), calendar.version());
    v1::IntakeEvent event;
    *event.mutable_clocks_changed() = *change;
    kafka::EventMetadata metadata{
        event_id, kClocksChangedType, "/gridcare/intake", ticket.ticket_id(), now, ""};
    if (auto published = publisher_.Publish(kafka::MakeRecord(std::string(kafka::kIntakeTopic),
                                                              ticket.ticket_id(), metadata, event));
        !published) {
      return published.error();
    }
    staged.push_back({std::move(ticket), std::move(clocks_before), event_id, std::move(*change)});
    ++outcome.changed;
    if (staged.size() >= kBatch || i + 1 == ids->size()) {
      if (auto applied = Apply(staged); !applied) return applied.error();
      staged.clear();
    }
  }
  if (!staged.empty()) {
    if (auto applied = Apply(staged); !applied) return applied.error();
  }
  return outcome;
}

core::Status ProvisionalClockUpdater::Apply(const std::vector<Staged>& staged) {
  if (auto flushed = publisher_.Flush(kFlushTimeout); !flushed) return flushed;
  for (const auto& item : staged) {
    v1::TimelineEntry entry;
    *entry.mutable_at() = item.change.changed_at();
    entry.set_event_type(kClocksChangedType);
    entry.set_state(item.ticket.state());
    *entry.mutable_description() = ClocksChangedText(item.change);
    entry.mutable_actor()->set_kind(v1::Actor::KIND_SYSTEM);
    if (auto appended = store_.AppendTimeline(item.ticket.ticket_id(), item.event_id, entry);
        !appended) {
      return appended;
    }
    // Re-read so a state change made meanwhile (timeline consumer) is kept: only the clocks are
    // replaced, and only if nobody changed them since they were read.
    auto current = store_.GetTicket(item.ticket.ticket_id());
    if (!current) return current.error();
    if (!current->has_value()) continue;
    v1::Ticket ticket = std::move(**current);
    std::string clocks_now;
    for (const auto& clock : ticket.clocks()) clocks_now += clock.SerializeAsString();
    if (clocks_now != item.clocks_before) continue;
    *ticket.mutable_clocks() = item.ticket.clocks();
    *ticket.mutable_updated_at() = item.ticket.updated_at();
    if (auto saved = store_.SaveTicket(ticket); !saved) return saved;
  }
  return {};
}

// --- CalendarReloader ---

CalendarReloader::CalendarReloader(Settings settings, sla::LiveCalendar& calendar,
                                   TicketStore& store, kafka::EventPublisher& publisher,
                                   prometheus::Registry& registry, const core::Clock& clock)
    : settings_(std::move(settings)),
      calendar_(calendar),
      updater_(store, publisher, clock),
      clock_(clock),
      coverage_days_(prometheus::BuildGauge()
                         .Name("gridcare_calendar_official_coverage_days")
                         .Help("Days from today to the end of the working calendar's official "
                               "coverage (0: today is not covered by an official notice)")
                         .Register(registry)
                         .Add({})),
      reloads_ok_(ReloadCounters(registry).Add({{"result", "ok"}})),
      reloads_failed_(ReloadCounters(registry).Add({{"result", "failed"}})),
      clocks_changed_(prometheus::BuildCounter()
                          .Name("gridcare_calendar_ticket_clocks_changed_total")
                          .Help("Open tickets whose provisional clocks a calendar reload moved "
                                "or made final")
                          .Register(registry)
                          .Add({})),
      stamps_(CurrentStamps()) {
  InstallCalendarSighupHandler();
}

CalendarReloader::Stamps CalendarReloader::CurrentStamps() const {
  Stamps stamps;
  auto files = ListCalendarFiles(settings_.spec);
  if (!files) return stamps;
  for (const auto& path : *files) {
    std::error_code error;
    stamps[path] = fs::last_write_time(path, error);
  }
  return stamps;
}

void CalendarReloader::Run(core::ShutdownSignal& stopping) {
  CheckCoverage();
  while (!stopping.WaitFor(settings_.poll_interval)) Poll();
}

bool CalendarReloader::Poll() {
  const bool signalled = sighup_received.exchange(false);
  Stamps stamps = CurrentStamps();
  const bool changed = stamps != stamps_;
  bool reloaded = false;
  if (signalled || changed) {
    stamps_ = std::move(stamps);
    reloaded = Reload().ok();
  }
  CheckCoverage();
  return reloaded;
}

core::Status CalendarReloader::Reload() {
  auto loaded = LoadWorkingCalendar(settings_.spec);
  if (!loaded) {
    reloads_failed_.Increment();
    logging::Error("working calendar reload failed; the calendar in force stays",
                   {{"files", settings_.spec}, {"error", loaded.error().ToString()}});
    return loaded.error();
  }
  auto previous = calendar_.Current();
  if (loaded->version() != previous->version()) {
    calendar_.Replace(*loaded);
    logging::Info("working calendar loaded",
                  {{"name", loaded->name()},
                   {"version", loaded->version()},
                   {"last_official_year", std::to_string(loaded->LastOfficialYear())}});
  }
  // Also when unchanged: a previous attempt may have stopped part-way (ids are stable).
  auto outcome = updater_.Recompute(*calendar_.Current(), *previous);
  if (!outcome) {
    reloads_failed_.Increment();
    logging::Error("recomputing provisional clocks failed; the next reload or SIGHUP retries",
                   {{"error", outcome.error().ToString()}});
    return outcome.error();
  }
  reloads_ok_.Increment();
  clocks_changed_.Increment(outcome->changed);
  logging::Info("provisional clocks recomputed",
                {{"tickets_checked", std::to_string(outcome->checked)},
                 {"tickets_changed", std::to_string(outcome->changed)}});
  return {};
}

void CalendarReloader::CheckCoverage() {
  const auto calendar = calendar_.Current();
  const sla::LocalDate today = calendar->LocalDateOf(clock_.Now());
  const int days = calendar->OfficialCoverageDaysLeft(today);
  coverage_days_.Set(days);
  if (days >= settings_.warn_days || last_warning_ == today) return;
  last_warning_ = today;
  logging::Warn(
      "the working calendar's official coverage ends soon: load next year's State "
      "Council holiday notice (docs/operations.md, \"Working calendar\")",
      {{"official_coverage_days", std::to_string(days)},
       {"last_official_year", std::to_string(calendar->LastOfficialYear())},
       {"files", settings_.spec}});
}

void InstallCalendarSighupHandler() {
  struct sigaction action {};
  action.sa_handler = OnSighup;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &action, nullptr);
}

}  // namespace gridcare::intake
