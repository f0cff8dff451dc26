#pragma once

#include <grpcpp/support/status.h>

#include "gridcare/core/error.h"

namespace gridcare::rpc {

/// Translates a domain error at the server edge. Each core::ErrorKind has its own gRPC code, so
/// FromGrpcStatus(ToGrpcStatus(e)) keeps the kind and the message.
grpc::Status ToGrpcStatus(const core::Error& error);

/// Translates a failed call at the client edge. UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED
/// and CANCELLED become retryable kinds; codes with no kind of their own (e.g. UNAUTHENTICATED,
/// DATA_LOSS) keep their code name as a message prefix. An OK status is a caller bug and maps to
/// kInternal.
core::Error FromGrpcStatus(const grpc::Status& status);

/// Canonical upper-case name of a code ("OK", "NOT_FOUND"), as used in the grpc_code label.
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace gridcare::rpc
