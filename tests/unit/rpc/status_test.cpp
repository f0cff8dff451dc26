#include "gridcare/rpc/status.h"

#include <catch2/catch.hpp>
#include <tuple>

namespace gridcare::rpc {
namespace {

using core::ErrorKind;

TEST_CASE("Every error kind has its own gRPC code and survives the round trip") {
  const auto [kind, code] = GENERATE(table<ErrorKind, grpc::StatusCode>({
      {ErrorKind::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
      {ErrorKind::kNotFound, grpc::StatusCode::NOT_FOUND},
      {ErrorKind::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
      {ErrorKind::kFailedPrecondition, grpc::StatusCode::FAILED_PRECONDITION},
      {ErrorKind::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
      {ErrorKind::kUnavailable, grpc::StatusCode::UNAVAILABLE},
      {ErrorKind::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
      {ErrorKind::kResourceExhausted, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {ErrorKind::kInternal, grpc::StatusCode::INTERNAL},
  }));
  INFO(core::ErrorKindName(kind));
  const core::Error error{kind, "ticket T-1 is closed"};
  const grpc::Status status = ToGrpcStatus(error);
  CHECK(status.error_code() == code);
  CHECK(status.error_message() == "ticket T-1 is closed");

  const core::Error back = FromGrpcStatus(status);
  CHECK(back.kind == kind);
  CHECK(back.message == "ticket T-1 is closed");
  CHECK(back.Retryable() == error.Retryable());
}

TEST_CASE("gRPC codes map to error kinds, keeping retryability") {
  const auto [code, kind, retryable] = GENERATE(table<grpc::StatusCode, ErrorKind, bool>({
      {grpc::StatusCode::CANCELLED, ErrorKind::kUnavailable, true},
      {grpc::StatusCode::UNKNOWN, ErrorKind::kInternal, false},
      {grpc::StatusCode::INVALID_ARGUMENT, ErrorKind::kInvalidArgument, false},
      {grpc::StatusCode::DEADLINE_EXCEEDED, ErrorKind::kDeadlineExceeded, true},
      {grpc::StatusCode::NOT_FOUND, ErrorKind::kNotFound, false},
      {grpc::StatusCode::ALREADY_EXISTS, ErrorKind::kAlreadyExists, false},
      {grpc::StatusCode::PERMISSION_DENIED, ErrorKind::kPermissionDenied, false},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, ErrorKind::kResourceExhausted, true},
      {grpc::StatusCode::FAILED_PRECONDITION, ErrorKind::kFailedPrecondition, false},
      {grpc::StatusCode::ABORTED, ErrorKind::kFailedPrecondition, false},
      {grpc::StatusCode::OUT_OF_RANGE, ErrorKind::kInvalidArgument, false},
      {grpc::StatusCode::UNIMPLEMENTED, ErrorKind::kInternal, false},
      {grpc::StatusCode::INTERNAL, ErrorKind::kInternal, false},
      {grpc::StatusCode::UNAVAILABLE, ErrorKind::kUnavailable, true},
      {grpc::StatusCode::DATA_LOSS, ErrorKind::kInternal, false},
      {grpc::StatusCode::UNAUTHENTICATED, ErrorKind::kPermissionDenied, false},
  }));
  INFO(StatusCodeName(code));
  const core::Error error = FromGrpcStatus(grpc::Status(code, "details"));
  CHECK(error.kind == kind);
  CHECK(error.Retryable() == retryable);
  CHECK_THAT(error.message, Catch::Contains("details"));
}

TEST_CASE("Codes sharing a kind keep their name in the message") {
  CHECK(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token")).message ==
        "UNAUTHENTICATED: no token");
  CHECK(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "")).message == "UNAVAILABLE");
  CHECK(FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "no ticket")).message ==
        "no ticket");
}

TEST_CASE("An OK status is not an error") {
  const core::Error error = FromGrpcStatus(grpc::Status::OK);
  CHECK(error.kind == ErrorKind::kInternal);
  CHECK_FALSE(error.Retryable());
}

TEST_CASE("StatusCodeName gives the canonical names used in grpc_code") {
  CHECK(std::string(StatusCodeName(grpc::StatusCode::OK)) == "OK");
  CHECK(std::string(StatusCodeName(grpc::StatusCode::NOT_FOUND)) == "NOT_FOUND");
  CHECK(std::string(StatusCodeName(grpc::StatusCode::DEADLINE_EXCEEDED)) == "DEADLINE_EXCEEDED");
  CHECK(std::string(StatusCodeName(grpc::StatusCode::UNAUTHENTICATED)) == "UNAUTHENTICATED");
  CHECK(std::string(StatusCodeName(static_cast<grpc::StatusCode>(99))) == "UNKNOWN");
}

}  // namespace
}  // namespace gridcare::rpc
