#pragma once

// `gridcare overdue`: every service clock that has run out or is about to, across dispatch
// (incidents, work orders) and complaint (cases), in one list sorted by how late. Pure: no I/O.
// Thread-safe.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "table.h"

namespace gridcare::ops {

struct OverdueRow {
  std::string subject;  // "incident", "work_order" or "complaint_case"
  std::string id;
  std::string clock;  // ClockKindWord: "arrival", "complaint_reply", …
  core::TimePoint due_at;
  std::chrono::seconds late{0};  // now - due_at: positive when overdue, negative when due soon
  std::string state;             // the subject's state word
  std::string owner;             // crew id, or department id / handler id
  std::string priority;
};

/// The clocks, not met, of `incidents`, `work_orders` and `cases` that are due before
/// now + `within`, most late first (then by id and clock). Work orders of a listed incident are
/// left out: dispatch copies the incident's clocks onto them, so they would appear twice.
/// Closed cases are left out.
std::vector<OverdueRow> OverdueRows(const std::vector<v1::Incident>& incidents,
                                    const std::vector<v1::WorkOrder>& work_orders,
                                    const std::vector<v1::ComplaintCase>& cases,
                                    core::TimePoint now, std::chrono::seconds within);

/// Whether a page of cases (ordered by the clock that runs out first, as ListCases answers) may
/// still hold a clock due before now + `within`: false once its last case's earliest open clock
/// is later, so the caller can stop paging.
bool MoreCasesMayBeDue(const std::vector<v1::ComplaintCase>& page, core::TimePoint now,
                       std::chrono::seconds within);

Table OverdueTable(const std::vector<OverdueRow>& rows);
nlohmann::json OverdueJson(const std::vector<OverdueRow>& rows);

}  // namespace gridcare::ops
