#include "reply_requests.h"

#include <google/protobuf/util/time_util.h>

#include "gridcare/core/text.h"
#include "gridcare/core/utf8.h"

namespace gridcare::notification {
namespace {

constexpr size_t kMaxRequestIdBytes = 128;
constexpr size_t kMaxTextBytes = 4000;  // intake takes 4,000 code points: bytes are fewer
constexpr std::string_view kCasePrefix = "CC-";
constexpr std::string_view kCallerPrefix = "caller-";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

v1::Channel ChannelOf(const v1::StoredNotification& notice) {
  const int index = notice.channel_index();
  const std::string channel =
      index >= 0 && index < notice.channels_size() ? notice.channels(index) : std::string();
  if (channel == "wechat") return v1::CHANNEL_WECHAT;
  if (channel == "app_push") return v1::CHANNEL_MOBILE_APP;
  return v1::CHANNEL_SMS;  // sms, and voice calls answered by text
}

// What the request names, from the notice's template and subject.
void SetReference(const v1::StoredNotification& notice, v1::ServiceRequest& request) {
  const std::string& template_id = notice.template_id();
  const std::string& subject = notice.subject_id();
  if (StartsWith(template_id, "outage.") || StartsWith(template_id, "safety.")) {
    request.set_referenced_incident_id(subject);
    if (template_id == "outage.restored") request.set_explicit_type(v1::REQUEST_TYPE_FAULT_REPAIR);
  } else if (StartsWith(template_id, "ticket.") || StartsWith(template_id, "appointment.") ||
             StartsWith(template_id, "application.")) {
    request.set_referenced_ticket_id(subject);
  } else if (StartsWith(template_id, "complaint.") && StartsWith(subject, kCasePrefix)) {
    request.set_referenced_ticket_id(subject.substr(kCasePrefix.size()));
  }
}

}  // namespace

core::Result<std::optional<v1::ServiceRequest>> RequestForReply(
    const v1::StoredNotification& notice, const ReplyFacts& reply) {
  if (notice.recipient_kind() != v1::RECIPIENT_KIND_CUSTOMER) {
    return std::optional<v1::ServiceRequest>();
  }
  const std::string request_id = "reply-" + reply.provider + "-" + reply.reply_id;
  if (reply.provider.empty() || reply.reply_id.empty() || request_id.size() > kMaxRequestIdBytes ||
      !core::IsPrintableAscii(request_id)) {
    return core::InvalidArgument(
        "reply: provider and reply id must make a request id of 1-128 "
        "printable ASCII characters");
  }
  v1::ServiceRequest request;
  request.set_request_id(request_id);
  request.set_channel(ChannelOf(notice));
  *request.mutable_received_at() =
      google::protobuf::util::TimeUtil::MillisecondsToTimestamp(reply.received_at_ms);
  if (StartsWith(notice.recipient_id(), kCallerPrefix)) {
    request.mutable_customer()->set_phone(reply.from);
  } else {
    request.mutable_customer()->set_customer_id(notice.recipient_id());
  }
  request.set_text(std::string(core::TruncateUtf8(reply.text, kMaxTextBytes)));
  request.set_language(notice.language());
  request.set_channel_reference(reply.provider + ":" + reply.reply_id);
  SetReference(notice, request);
  return std::optional<v1::ServiceRequest>(std::move(request));
}

std::string RequestKey(const v1::ServiceRequest& request) {
  return request.customer().customer_id().empty() ? request.request_id()
                                                  : request.customer().customer_id();
}

}  // namespace gridcare::notification
