#pragma once

// Internal to the case rules: one input's effects on one case under construction — the events it
// emits (ids derived from the input id), the timeline steps the desk shows, and the memory of
// applied inputs that makes a replay a no-op.

#include <string>
#include <string_view>

#include "case_rules.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/labels/labels.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

/// Inputs remembered per case for de-duplication (event ids, request ids).
inline constexpr int kAppliedMemory = 256;
/// Timeline steps kept per case (oldest dropped first).
inline constexpr int kTimelineMemory = 200;

using labels::Text;
v1::Actor SystemActor();

class CaseStep {
 public:
  CaseStep(v1::StoredCase stored, std::string input_id);

  /// The input was applied to this case before.
  bool Seen() const;
  v1::ComplaintCase& c() { return *stored_.mutable_complaint_case(); }
  const v1::ComplaintCase& c() const { return stored_.complaint_case(); }
  v1::StoredCase& stored() { return stored_; }

  /// Appends `event` (id "<input id>#<n>") and a timeline step; stamps updated_at.
  void Emit(v1::ComplaintEvent event, core::TimePoint at, v1::LocalizedText description,
            const v1::Actor& by);
  /// Emits with an explicit id (alarms: the alarm id).
  void EmitWithId(std::string event_id, v1::ComplaintEvent event, core::TimePoint at,
                  v1::LocalizedText description, const v1::Actor& by);
  /// A change with no event (counters): saved, nothing published.
  void Touch(core::TimePoint at);

  /// The change, remembering the input id when anything changed (unless `remember` is false:
  /// ticks, whose alarms are remembered by id instead).
  CaseChange Finish(bool remember = true) &&;
  /// The unchanged case (a replay).
  CaseChange Unchanged() &&;

 private:
  v1::StoredCase stored_;
  std::string input_id_;
  CaseChange change_;
  int emitted_ = 0;
  bool touched_ = false;
};

/// The case's current open clock of `kind`, or null.
v1::ServiceClock* OpenClock(v1::ComplaintCase& c, v1::ServiceClock::Kind kind);
/// Marks the clock of `kind` met at `at` (when it exists and is not met yet).
void MeetClock(v1::ComplaintCase& c, v1::ServiceClock::Kind kind, core::TimePoint at);

/// Before the reply: the department is working on it (routed, contacted or reopened).
bool Working(const v1::ComplaintCase& c);

/// FAILED_PRECONDITION "cannot <action> case <id> in state <STATE>".
core::Error WrongState(const v1::ComplaintCase& c, std::string_view action);

/// Starts a desk action: a CaseStep keyed by "desk:<request id>"; INVALID_ARGUMENT when the id is
/// missing.
core::Result<CaseStep> BeginDeskAction(v1::StoredCase stored, const std::string& request_id);

/// Short names for operator messages: "complaint", "case state CONTACTED".
std::string StateName(v1::CaseState state);

}  // namespace gridcare::complaint
