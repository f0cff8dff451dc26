#include "request_validation.h"

#include <cstdio>

#include "gridcare/core/text.h"

namespace gridcare::intake {
namespace {

Rejection Reject(v1::RejectionReason reason, std::string field, std::string detail) {
  return {reason, std::move(field), std::move(detail)};
}

}  // namespace

std::optional<Rejection> ValidateRequest(const v1::ServiceRequest& request,
                                         const ValidationLimits& limits) {
  using R = v1::RejectionReason;
  if (request.request_id().empty()) {
    return Reject(R::REJECTION_REASON_MISSING_FIELD, "request_id", "request_id is required");
  }
  if (request.request_id().size() > limits.max_request_id_length ||
      !core::IsPrintableAscii(request.request_id())) {
    return Reject(R::REJECTION_REASON_INVALID_FIELD, "request_id",
                  "request_id must be 1-128 printable ASCII characters");
  }
  if (!request.referenced_incident_id().empty() &&
      (request.referenced_incident_id().size() > limits.max_request_id_length ||
       !core::IsPrintableAscii(request.referenced_incident_id()))) {
    return Reject(R::REJECTION_REASON_INVALID_FIELD, "referenced_incident_id",
                  "referenced_incident_id must be 1-128 printable ASCII characters");
  }
  if (request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return Reject(R::REJECTION_REASON_MISSING_FIELD, "channel", "channel is required");
  }
  if (!v1::Channel_IsValid(request.channel())) {
    return Reject(R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "channel",
                  "unknown channel " + std::to_string(request.channel()));
  }
  if (!v1::RequestType_IsValid(request.explicit_type())) {
    return Reject(R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "explicit_type",
                  "unknown request type " + std::to_string(request.explicit_type()));
  }
  if (!v1::ServiceApplicationKind_IsValid(request.application_kind())) {
    return Reject(R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "application_kind",
                  "unknown application kind " + std::to_string(request.application_kind()));
  }
  if (!v1::Language_IsValid(request.language())) {
    return Reject(R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "language",
                  "unknown language " + std::to_string(request.language()));
  }
  if (!v1::MeterSignal_IsValid(request.meter_signal())) {
    return Reject(R::REJECTION_REASON_UNKNOWN_ENUM_VALUE, "meter_signal",
                  "unknown meter signal " + std::to_string(request.meter_signal()));
  }
  const bool from_meter = request.channel() == v1::CHANNEL_METER_HEAD_END;
  if (from_meter != (request.meter_signal() != v1::METER_SIGNAL_UNSPECIFIED)) {
    return Reject(R::REJECTION_REASON_INVALID_FIELD, "meter_signal",
                  "meter_signal is set exactly when the channel is METER_HEAD_END");
  }
  if (from_meter && request.customer().identity_case() != v1::CustomerReference::kMeterNumber) {
    return Reject(R::REJECTION_REASON_MISSING_FIELD, "customer.meter_number",
                  "head-end messages must name the meter");
  }
  for (const auto* field : {&request.text(), &request.location().full_text()}) {
    if (!core::IsValidUtf8(*field)) {
      return Reject(R::REJECTION_REASON_INVALID_UTF8,
                    field == &request.text() ? "text" : "location", "not valid UTF-8");
    }
  }
  if (core::CountCodePoints(request.text()) > limits.max_text_code_points) {
    return Reject(
        R::REJECTION_REASON_TEXT_TOO_LONG, "text",
        "text is longer than " + std::to_string(limits.max_text_code_points) + " characters");
  }
  if (core::CountCodePoints(request.location().full_text()) > 300) {
    return Reject(R::REJECTION_REASON_TEXT_TOO_LONG, "location.full_text",
                  "address is longer than 300 characters");
  }
  if (request.attachments_size() > limits.max_attachments) {
    return Reject(R::REJECTION_REASON_INVALID_FIELD, "attachments",
                  "at most " + std::to_string(limits.max_attachments) + " attachments");
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    if (request.attachments(i).uri().empty()) {
      return Reject(R::REJECTION_REASON_MISSING_FIELD, "attachments[" + std::to_string(i) + "].uri",
                    "attachment without uri");
    }
  }
  const bool identified =
      request.customer().identity_case() != v1::CustomerReference::IDENTITY_NOT_SET;
  if (!identified && request.text().empty() && request.location().full_text().empty()) {
    return Reject(R::REJECTION_REASON_MISSING_FIELD, "customer",
                  "a request needs a customer reference, a text or a location");
  }
  return ValidatePreferredWindow(request);
}

std::optional<Rejection> ValidatePreferredWindow(const v1::ServiceRequest& request) {
  using R = v1::RejectionReason;
  const bool has_start = request.has_preferred_appointment_start();
  if (has_start != request.has_preferred_appointment_end()) {
    return Reject(R::REJECTION_REASON_MISSING_FIELD,
                  has_start ? "preferred_appointment_end" : "preferred_appointment_start",
                  "a preferred appointment window needs both its start and its end");
  }
  if (has_start && request.preferred_appointment_end().seconds() <=
                       request.preferred_appointment_start().seconds()) {
    return Reject(R::REJECTION_REASON_INVALID_FIELD, "preferred_appointment_end",
                  "the preferred appointment window must end after it starts");
  }
  return std::nullopt;
}

v1::LocalizedText CustomerMessageFor(const Rejection& rejection) {
  v1::LocalizedText text;
  switch (rejection.reason) {
    case v1::REJECTION_REASON_UNKNOWN_CUSTOMER:
      text.set_zh_cn("未能找到您的用电户号，请核对户号或预留的手机号码后再试。");
      text.set_en("We could not find your account. Please check the account or phone number.");
      break;
    case v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER:
      text.set_zh_cn("该手机号码关联多个用电户号，请告诉我们是哪一户。");
      text.set_en("This phone number belongs to several accounts. Please tell us which one.");
      break;
    case v1::REJECTION_REASON_TEXT_TOO_LONG:
      text.set_zh_cn("内容过长，请精简后重新提交。");
      text.set_en("Your message is too long. Please shorten it and send it again.");
      break;
    case v1::REJECTION_REASON_DUPLICATE_CONFLICT:
      text.set_zh_cn("该请求编号已用于另一条不同的请求，请重新提交。");
      text.set_en("This request number was already used for a different request.");
      break;
    default:
      text.set_zh_cn("您的请求信息不完整或格式有误，请检查后重新提交。");
      text.set_en("Your request is incomplete or malformed. Please check it and send it again.");
      break;
  }
  return text;
}

std::string RequestFingerprint(const v1::ServiceRequest& request) {
  // What the customer said and who they are; not timestamps or attachments order.
  const std::string basis =
      std::to_string(request.channel()) + '\x1f' + request.customer().SerializeAsString() + '\x1f' +
      request.text() + '\x1f' + std::to_string(request.explicit_type()) + '\x1f' +
      std::to_string(request.application_kind()) + '\x1f' + request.location().full_text() +
      '\x1f' + std::to_string(request.meter_signal());
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : basis) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

}  // namespace gridcare::intake
