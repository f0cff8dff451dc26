#include "case_step.h"

#include <algorithm>
#include <utility>

#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {

v1::Actor SystemActor() {
  v1::Actor actor;
  actor.set_kind(v1::Actor::KIND_SYSTEM);
  return actor;
}

CaseStep::CaseStep(v1::StoredCase stored, std::string input_id)
    : stored_(std::move(stored)), input_id_(std::move(input_id)) {}

bool CaseStep::Seen() const {
  const auto& applied = stored_.applied();
  return std::find(applied.begin(), applied.end(), input_id_) != applied.end();
}

void CaseStep::Emit(v1::ComplaintEvent event, core::TimePoint at, v1::LocalizedText description,
                    const v1::Actor& by) {
  EmitWithId(input_id_ + "#" + std::to_string(emitted_), std::move(event), at,
             std::move(description), by);
}

void CaseStep::EmitWithId(std::string event_id, v1::ComplaintEvent event, core::TimePoint at,
                          v1::LocalizedText description, const v1::Actor& by) {
  ++emitted_;
  auto* timeline = c().mutable_timeline();
  v1::CaseStep step;
  *step.mutable_at() = sla::ToTimestamp(at);
  step.set_event_type(std::string(CaseEventType(event)));
  *step.mutable_description() = std::move(description);
  *step.mutable_by() = by;
  *timeline->Add() = std::move(step);
  if (timeline->size() > kTimelineMemory) {
    timeline->DeleteSubrange(0, timeline->size() - kTimelineMemory);
  }
  Touch(at);
  change_.events.push_back({std::move(event_id), std::move(event)});
}

void CaseStep::Touch(core::TimePoint at) {
  touched_ = true;
  *c().mutable_updated_at() = sla::ToTimestamp(at);
}

CaseChange CaseStep::Finish(bool remember) && {
  if (!touched_) return std::move(*this).Unchanged();
  auto* applied = stored_.mutable_applied();
  if (remember) applied->Add(std::string(input_id_));
  if (applied->size() > kAppliedMemory)
    applied->DeleteSubrange(0, applied->size() - kAppliedMemory);
  stored_.set_version(stored_.version() + 1);
  change_.stored = std::move(stored_);
  change_.changed = true;
  return std::move(change_);
}

CaseChange CaseStep::Unchanged() && {
  CaseChange change;
  change.stored = std::move(stored_);
  return change;
}

v1::ServiceClock* OpenClock(v1::ComplaintCase& c, v1::ServiceClock::Kind kind) {
  for (auto& clock : *c.mutable_clocks()) {
    if (clock.kind() == kind && !clock.has_met_at()) return &clock;
  }
  return nullptr;
}

void MeetClock(v1::ComplaintCase& c, v1::ServiceClock::Kind kind, core::TimePoint at) {
  if (auto* clock = OpenClock(c, kind)) *clock->mutable_met_at() = sla::ToTimestamp(at);
}

bool Working(const v1::ComplaintCase& c) {
  return c.state() == v1::CASE_STATE_ROUTED || c.state() == v1::CASE_STATE_CONTACTED ||
         c.state() == v1::CASE_STATE_REOPENED;
}

core::Error WrongState(const v1::ComplaintCase& c, std::string_view action) {
  return core::FailedPrecondition("cannot " + std::string(action) + " case " + c.case_id() +
                                  " in state " + StateName(c.state()));
}

core::Result<CaseStep> BeginDeskAction(v1::StoredCase stored, const std::string& request_id) {
  if (request_id.empty()) return core::InvalidArgument("request_id is required");
  return CaseStep(std::move(stored), "desk:" + request_id);
}

std::string StateName(v1::CaseState state) {
  std::string name = v1::CaseState_Name(state);
  constexpr std::string_view kPrefix = "CASE_STATE_";
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name;
}

}  // namespace gridcare::complaint
