#include "gridcare/core/error.h"

namespace gridcare::core {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorKind::kNotFound:
      return "NOT_FOUND";
    case ErrorKind::kAlreadyExists:
      return "ALREADY_EXISTS";
    case ErrorKind::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorKind::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorKind::kUnavailable:
      return "UNAVAILABLE";
    case ErrorKind::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case ErrorKind::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorKind::kInternal:
      return "INTERNAL";
  }
  return "UNKNOWN";
}

}  // namespace gridcare::core
