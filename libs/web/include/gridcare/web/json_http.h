#pragma once

// Protobuf JSON as GridCare's web pages read and write it, and typed errors as HTTP answers.
// Pure functions: no server, no I/O. Thread-safe.

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "gridcare/core/error.h"

namespace gridcare::web {

/// HTTP status for an error kind: 400 invalid argument, 404 not found, 409 already exists,
/// 412 failed precondition, 403 permission denied, 429 resource exhausted, 503 unavailable or
/// deadline exceeded, 500 internal.
int HttpStatusFor(core::ErrorKind kind);

/// `message` as protobuf JSON the pages read: snake_case (proto) field names, enums by name,
/// RFC 3339 timestamps, int64 as strings, every primitive field printed (also when 0, "" or
/// false); unset sub-messages are left out.
std::string MessageToJson(const google::protobuf::Message& message);

/// Parses a JSON request body into `message` (cleared first). Field names may be snake_case or
/// lowerCamelCase; null means "not given". INVALID_ARGUMENT naming the message type and what is
/// wrong, with the field's path, e.g.
///   request body (gridcare.v1.PauseCaseRequest): unknown key "resaon" (known: request_id, ...)
///   request body (gridcare.v1.PauseCaseRequest): "reason" must be one of PAUSE_REASON_..., got "x"
///   request body (gridcare.v1.RecordReplyRequest): "reply.by" must be an object, got string
///   request body (gridcare.v1.TakeCaseRequest): not valid JSON: <parser message>
/// An empty body is an empty object.
core::Status ParseJsonInto(std::string_view json, google::protobuf::Message* message);

/// The error body every GridCare page understands:
///   {"error":{"code":"FAILED_PRECONDITION","message":"..."}}
/// (code = core::ErrorKindName). Valid JSON whatever the message holds.
std::string ErrorJson(const core::Error& error);

}  // namespace gridcare::web
