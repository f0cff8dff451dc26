#pragma once

// Internal to the notification triggers (trigger_*.cpp, dispatch_triggers.cpp,
// application_triggers.cpp, complaint_triggers.cpp): how event fields read in messages (labels in
// zh-CN and en), time conversion and the intent builder. Not part of the library's public surface.
// Pure; the labels are static data.

#include <algorithm>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/labels/labels.h"
#include "gridcare/v1/alert.pb.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/complaint.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"
#include "trigger_rules.h"

namespace gridcare::notification::triggers {

core::TimePoint ToTime(const google::protobuf::Timestamp& timestamp);
/// Unset, or set to the epoch: proto3 cannot tell them apart, and neither is a real time.
bool IsUnset(const google::protobuf::Timestamp& timestamp);

using labels::Text;
/// Both sides blank (ASCII space only).
bool IsBlank(const v1::LocalizedText& text);
bool IsBlank(std::string_view text);

using labels::ChannelLabel;      // 95598热线 / the 95598 hotline, …
using labels::RequestTypeLabel;  // 故障报修 / fault repair, …
/// What a rejection reason means to a customer, when intake's customer_message is blank.
v1::LocalizedText RejectionReasonLabel(v1::RejectionReason reason);
/// 营销部 / the marketing department, …; unspecified and unknown values: an empty text.
v1::LocalizedText DepartmentLabel(v1::Department department);
/// The cause an outage is announced with before the crew has found one, by level.
v1::LocalizedText DefaultOutageCause(v1::IncidentLevel level);
/// The work of a planned outage registered without a reason.
v1::LocalizedText DefaultPlannedWork();
/// 联系 / contact, 答复 / reply, …: the clock a complaint alarm is about.
v1::LocalizedText ClockLabel(v1::ServiceClock::Kind kind);

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// An intent of `trigger` with its settings' template (or `template_id` when given), the
/// discriminator set to the trigger name.
NotificationIntent NewIntent(Trigger trigger, std::string template_id, std::string subject_id,
                             Recipients recipients);

Recipients CustomerRecipient(std::string customer_id, v1::Language language);
Recipients RequesterRecipient(std::string request_id, v1::Language language);
Recipients TicketRecipient(std::string ticket_id);
Recipients StaffRecipient(std::string staff_id, std::string display_name);

/// appointment.booked / .rebooked / .reminder, application.clock_stopped / _resumed,
/// application.work_done for dispatch's service-application events (application_triggers.cpp);
/// nothing for other events. Needs no memo: the intents carry a source_key.
void OnApplicationEvent(const TriggerRules& rules, const v1::DispatchEvent& event,
                        core::TimePoint now, TriggerOutcome& out);

}  // namespace gridcare::notification::triggers
