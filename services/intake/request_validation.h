#pragma once

#include <optional>
#include <string>

#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {

/// Why a request was refused, in a form both edges can express: a gRPC status on Submit, a
/// RequestRejected event on Kafka.
struct Rejection {
  v1::RejectionReason reason = v1::REJECTION_REASON_UNSPECIFIED;
  std::string field;   // offending field, when there is one
  std::string detail;  // operator-facing; never personal data
};

struct ValidationLimits {
  size_t max_text_code_points = 4000;
  size_t max_request_id_length = 128;
  int max_attachments = 10;
};

/// Checks what intake needs before anything else happens: ids, enums, sizes, UTF-8, meter signals.
/// Pure. Nothing when the request is acceptable.
std::optional<Rejection> ValidateRequest(const v1::ServiceRequest& request,
                                         const ValidationLimits& limits = {});
/// The customer's preferred appointment window (service applications): both ends or neither;
/// the end after the start.
std::optional<Rejection> ValidatePreferredWindow(const v1::ServiceRequest& request);

/// The customer-facing sentence for a rejection, in both languages.
v1::LocalizedText CustomerMessageFor(const Rejection& rejection);

/// A stable fingerprint of what a channel said (not when it was published), so a retried request
/// id with different content is told apart from a true retry.
std::string RequestFingerprint(const v1::ServiceRequest& request);

}  // namespace gridcare::intake
