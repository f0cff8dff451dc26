#include <chrono>
#include <utility>

#include "gridcare/core/text.h"
#include "trigger_support.h"

namespace gridcare::notification::triggers {

core::TimePoint ToTime(const google::protobuf::Timestamp& timestamp) {
  return core::TimePoint(std::chrono::duration_cast<core::Duration>(
      std::chrono::seconds(timestamp.seconds()) + std::chrono::nanoseconds(timestamp.nanos())));
}

bool IsUnset(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() == 0 && timestamp.nanos() == 0;
}

bool IsBlank(std::string_view text) { return core::TrimAsciiSpace(text).empty(); }

bool IsBlank(const v1::LocalizedText& text) { return IsBlank(text.zh_cn()) && IsBlank(text.en()); }

v1::LocalizedText RejectionReasonLabel(v1::RejectionReason reason) {
  switch (reason) {
    case v1::REJECTION_REASON_MISSING_FIELD:
      return Text("信息不完整", "some required information was missing");
    case v1::REJECTION_REASON_TEXT_TOO_LONG:
      return Text("描述内容过长", "the description was too long");
    case v1::REJECTION_REASON_UNKNOWN_CUSTOMER:
      return Text("未能核实您的用电户号", "we could not find your electricity account");
    case v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER:
      return Text("该号码对应多个用电户号，需要您确认具体户号",
                  "this number belongs to several accounts and we need to know which one");
    case v1::REJECTION_REASON_DUPLICATE_CONFLICT:
      return Text("重复提交的内容与首次不一致", "a repeated submission did not match the first");
    default:
      return Text("提交的信息有误", "some of the information given was not valid");
  }
}

v1::LocalizedText DepartmentLabel(v1::Department department) {
  switch (department) {
    case v1::DEPARTMENT_OPERATIONS:
      return Text("运检部", "the operations and maintenance department");
    case v1::DEPARTMENT_MARKETING:
      return Text("营销部", "the marketing department");
    case v1::DEPARTMENT_METERING:
      return Text("计量中心", "the metering centre");
    case v1::DEPARTMENT_CUSTOMER_SERVICE:
      return Text("客户服务中心", "the customer service centre");
    case v1::DEPARTMENT_CONSTRUCTION:
      return Text("建设部", "the construction department");
    case v1::DEPARTMENT_SAFETY_SUPERVISION:
      return Text("安全监察部", "the safety supervision department");
    default:
      return {};
  }
}

v1::LocalizedText DefaultOutageCause(v1::IncidentLevel level) {
  switch (level) {
    case v1::INCIDENT_LEVEL_FEEDER:
    case v1::INCIDENT_LEVEL_SUBSTATION:
      return Text("10千伏线路故障", "a fault on the 10 kV line");
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      return Text("台区供电设备故障", "a fault on the local transformer");
    default:
      return Text("供电设备故障", "a fault on the supply network");
  }
}

v1::LocalizedText DefaultPlannedWork() { return Text("电网检修", "maintenance work on the grid"); }

v1::LocalizedText ClockLabel(v1::ServiceClock::Kind kind) {
  switch (kind) {
    case v1::ServiceClock::KIND_COMPLAINT_CONTACT:
      return Text("联系客户", "contact");
    case v1::ServiceClock::KIND_COMPLAINT_REPLY:
      return Text("答复", "reply");
    default:
      return Text("办理", "handling");
  }
}

NotificationIntent NewIntent(Trigger trigger, std::string template_id, std::string subject_id,
                             Recipients recipients) {
  NotificationIntent intent;
  intent.trigger = std::string(TriggerName(trigger));
  intent.template_id = std::move(template_id);
  intent.subject_id = std::move(subject_id);
  intent.recipients = std::move(recipients);
  intent.discriminator = intent.trigger;
  return intent;
}

Recipients CustomerRecipient(std::string customer_id, v1::Language language) {
  Recipients r;
  r.kind = Recipients::Kind::kCustomer;
  r.customer_id = std::move(customer_id);
  r.language = language;
  return r;
}

Recipients RequesterRecipient(std::string request_id, v1::Language language) {
  Recipients r;
  r.kind = Recipients::Kind::kRequester;
  r.request_id = std::move(request_id);
  r.language = language;
  return r;
}

Recipients TicketRecipient(std::string ticket_id) {
  Recipients r;
  r.kind = Recipients::Kind::kTicket;
  r.ticket_id = std::move(ticket_id);
  return r;
}

Recipients StaffRecipient(std::string staff_id, std::string display_name) {
  Recipients r;
  r.kind = Recipients::Kind::kStaff;
  r.staff_id = std::move(staff_id);
  r.staff_display_name = std::move(display_name);
  return r;
}

}  // namespace gridcare::notification::triggers
