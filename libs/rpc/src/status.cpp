#include "gridcare/rpc/status.h"

#include <string>
#include <utility>

namespace gridcare::rpc {
namespace {

using core::ErrorKind;

grpc::StatusCode CodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorKind::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case ErrorKind::kAlreadyExists:
      return grpc::StatusCode::ALREADY_EXISTS;
    case ErrorKind::kFailedPrecondition:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case ErrorKind::kPermissionDenied:
      return grpc::StatusCode::PERMISSION_DENIED;
    case ErrorKind::kUnavailable:
      return grpc::StatusCode::UNAVAILABLE;
    case ErrorKind::kDeadlineExceeded:
      return grpc::StatusCode::DEADLINE_EXCEEDED;
    case ErrorKind::kResourceExhausted:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case ErrorKind::kInternal:
      return grpc::StatusCode::INTERNAL;
  }
  return grpc::StatusCode::INTERNAL;
}

// The kind for a non-OK code. Codes that are not the image of a kind under CodeFor share a kind
// with another code; the comments say why each one lands where it does.
ErrorKind KindFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    // The request is outside the accepted range: same remedy as a bad argument.
    case grpc::StatusCode::OUT_OF_RANGE:
      return ErrorKind::kInvalidArgument;
    case grpc::StatusCode::NOT_FOUND:
      return ErrorKind::kNotFound;
    case grpc::StatusCode::ALREADY_EXISTS:
      return ErrorKind::kAlreadyExists;
    case grpc::StatusCode::FAILED_PRECONDITION:
    // A concurrency conflict. gRPC's guidance is to retry the whole read-modify-write, not the
    // single call, so it must not look retryable to a generic retry loop.
    case grpc::StatusCode::ABORTED:
      return ErrorKind::kFailedPrecondition;
    case grpc::StatusCode::PERMISSION_DENIED:
    // Missing or rejected credentials: nothing changes until configuration does.
    case grpc::StatusCode::UNAUTHENTICATED:
      return ErrorKind::kPermissionDenied;
    case grpc::StatusCode::UNAVAILABLE:
    // What a client sees when the server cancels calls in flight while shutting down, or a proxy
    // drops the stream: another replica can answer.
    case grpc::StatusCode::CANCELLED:
      return ErrorKind::kUnavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return ErrorKind::kDeadlineExceeded;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return ErrorKind::kResourceExhausted;
    // UNIMPLEMENTED is a client/server version mismatch, UNKNOWN an unhandled exception in the
    // peer, DATA_LOSS corruption: retrying helps none of them.
    default:
      return ErrorKind::kInternal;
  }
}

}  // namespace

grpc::Status ToGrpcStatus(const core::Error& error) { return {CodeFor(error.kind), error.message}; }

core::Error FromGrpcStatus(const grpc::Status& status) {
  const grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::OK) {
    return {ErrorKind::kInternal, "FromGrpcStatus called with an OK status"};
  }
  const ErrorKind kind = KindFor(code);
  std::string message = status.error_message();
  // Keep the code's name when the kind alone would lose it (or there is nothing else to say).
  if (message.empty()) {
    message = StatusCodeName(code);
  } else if (CodeFor(kind) != code) {
    message = StatusCodeName(code) + (": " + message);
  }
  return {kind, std::move(message)};
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::DO_NOT_USE:
      break;
  }
  return "UNKNOWN";
}

}  // namespace gridcare::rpc
