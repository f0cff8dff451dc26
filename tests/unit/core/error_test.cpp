#include "gridcare/core/error.h"

#include <catch2/catch.hpp>

using namespace gridcare::core;

TEST_CASE("only environment failures are retryable") {
  CHECK(Error{ErrorKind::kUnavailable, ""}.Retryable());
  CHECK(Error{ErrorKind::kDeadlineExceeded, ""}.Retryable());
  CHECK(Error{ErrorKind::kResourceExhausted, ""}.Retryable());
  for (auto kind :
       {ErrorKind::kInvalidArgument, ErrorKind::kNotFound, ErrorKind::kAlreadyExists,
        ErrorKind::kFailedPrecondition, ErrorKind::kPermissionDenied, ErrorKind::kInternal}) {
    CHECK_FALSE(Error{kind, ""}.Retryable());
  }
  CHECK(NotFound("customer C1").ToString() == "NOT_FOUND: customer C1");
}

TEST_CASE("Result holds a value or an error") {
  Result<int> good = 42;
  REQUIRE(good.ok());
  CHECK(*good == 42);
  Result<int> bad = InvalidArgument("field 'text' is too long");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::kInvalidArgument);
  Result<std::string> moved = std::string("x");
  CHECK(std::move(moved).value() == "x");
}

TEST_CASE("Status is OK by default") {
  Status ok;
  CHECK(ok.ok());
  Status failed = Unavailable("redis down");
  CHECK_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
}
