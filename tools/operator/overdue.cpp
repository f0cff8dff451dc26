#include "overdue.h"

#include <algorithm>
#include <optional>
#include <set>

#include "gridcare/sla/clocks.h"
#include "views.h"

namespace gridcare::ops {
namespace {

using Clocks = google::protobuf::RepeatedPtrField<v1::ServiceClock>;

void AddClocks(const Clocks& clocks, const OverdueRow& subject, core::TimePoint now,
               core::TimePoint horizon, std::vector<OverdueRow>& out) {
  for (const auto& clock : clocks) {
    if (clock.has_met_at() || !clock.has_due_at()) continue;
    const auto due = sla::FromTimestamp(clock.due_at());
    if (due > horizon) continue;
    OverdueRow row = subject;
    row.clock = ClockKindWord(clock.kind());
    row.due_at = due;
    row.late = std::chrono::duration_cast<std::chrono::seconds>(now - due);
    out.push_back(std::move(row));
  }
}

std::optional<core::TimePoint> EarliestOpenClock(const v1::ComplaintCase& c) {
  std::optional<core::TimePoint> earliest;
  for (const auto& clock : c.clocks()) {
    if (clock.has_met_at() || !clock.has_due_at()) continue;
    const auto due = sla::FromTimestamp(clock.due_at());
    if (!earliest || due < *earliest) earliest = due;
  }
  return earliest;
}

std::string LateText(std::chrono::seconds late) {
  return late.count() >= 0 ? DurationText(late) + " late" : "due in " + DurationText(late);
}

}  // namespace

std::vector<OverdueRow> OverdueRows(const std::vector<v1::Incident>& incidents,
                                    const std::vector<v1::WorkOrder>& work_orders,
                                    const std::vector<v1::ComplaintCase>& cases,
                                    core::TimePoint now, std::chrono::seconds within) {
  const auto horizon = now + within;
  std::vector<OverdueRow> out;
  std::set<std::string> incident_ids;
  for (const auto& incident : incidents) {
    incident_ids.insert(incident.incident_id());
    OverdueRow subject{"incident", incident.incident_id()};
    subject.state = EnumWord(v1::IncidentState_Name(incident.state()), "INCIDENT_STATE_");
    subject.owner = incident.crew_id();
    subject.priority = EnumWord(v1::Priority_Name(incident.priority()), "PRIORITY_");
    AddClocks(incident.clocks(), subject, now, horizon, out);
  }
  for (const auto& order : work_orders) {
    if (!order.incident_id().empty() && incident_ids.contains(order.incident_id())) continue;
    OverdueRow subject{"work_order", order.work_order_id()};
    subject.state = EnumWord(v1::WorkOrderState_Name(order.state()), "WORK_ORDER_STATE_");
    subject.owner = order.crew_id();
    subject.priority = EnumWord(v1::Priority_Name(order.priority()), "PRIORITY_");
    AddClocks(order.clocks(), subject, now, horizon, out);
  }
  for (const auto& c : cases) {
    if (c.state() == v1::CASE_STATE_CLOSED) continue;
    OverdueRow subject{"complaint_case", c.case_id()};
    subject.state = EnumWord(v1::CaseState_Name(c.state()), "CASE_STATE_");
    subject.owner = c.handler_id().empty() ? c.department_id() : c.handler_id();
    subject.priority = EnumWord(v1::Priority_Name(c.priority()), "PRIORITY_");
    AddClocks(c.clocks(), subject, now, horizon, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const OverdueRow& a, const OverdueRow& b) {
    if (a.late != b.late) return a.late > b.late;
    if (a.id != b.id) return a.id < b.id;
    return a.clock < b.clock;
  });
  return out;
}

bool MoreCasesMayBeDue(const std::vector<v1::ComplaintCase>& page, core::TimePoint now,
                       std::chrono::seconds within) {
  if (page.empty()) return false;
  const auto earliest = EarliestOpenClock(page.back());
  return earliest && *earliest <= now + within;
}

Table OverdueTable(const std::vector<OverdueRow>& rows) {
  Table table({{"late", "LATE", 14},
               {"subject", "SUBJECT", 14},
               {"id", "ID", 36},
               {"clock", "CLOCK", 22},
               {"due_at", "DUE", 20},
               {"state", "STATE", 14},
               {"owner", "OWNER", 28},
               {"priority", "PRIORITY", 8}});
  for (const auto& row : rows) {
    table.AddRow({LateText(row.late), row.subject, row.id, row.clock, TimeText(row.due_at),
                  TextOrNull(row.state), TextOrNull(row.owner), TextOrNull(row.priority)});
  }
  return table;
}

nlohmann::json OverdueJson(const std::vector<OverdueRow>& rows) {
  auto out = nlohmann::json::array();
  for (const auto& row : rows) {
    out.push_back({{"subject", row.subject},
                   {"id", row.id},
                   {"clock", row.clock},
                   {"due_at", TimeText(row.due_at)},
                   {"seconds_late", row.late.count()},
                   {"overdue", row.late.count() > 0},
                   {"state", row.state},
                   {"owner", row.owner},
                   {"priority", row.priority}});
  }
  return out;
}

}  // namespace gridcare::ops
