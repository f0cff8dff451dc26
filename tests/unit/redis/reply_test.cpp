#include "gridcare/redis/reply.h"

#include <catch2/catch.hpp>
#include <string>

namespace gridcare::redis {
namespace {

TEST_CASE("A default Reply is nil", "[redis][reply]") {
  const Reply reply;
  CHECK(reply.is_nil());
  CHECK(reply.type() == Reply::Type::kNil);
  CHECK(reply == Reply::Nil());
  CHECK(reply.integer() == 0);
  CHECK(reply.str().empty());
  CHECK(reply.elements().empty());
  CHECK_FALSE(reply.AsOptionalString().has_value());
}

TEST_CASE("Reply factories set exactly one kind of payload", "[redis][reply]") {
  const Reply integer = Reply::FromInteger(-42);
  CHECK(integer.is_integer());
  CHECK(integer.integer() == -42);

  const std::string binary("a\0b\xff", 4);
  const Reply string = Reply::FromString(binary);
  CHECK(string.is_string());
  CHECK(string.str() == binary);
  CHECK(string.str().size() == 4);
  CHECK(string.AsOptionalString() == binary);

  const Reply status = Reply::FromStatus("OK");
  CHECK(status.is_status());
  CHECK(status.IsOk());
  CHECK_FALSE(Reply::FromStatus("QUEUED").IsOk());
  CHECK_FALSE(Reply::FromString("OK").IsOk());  // a stored value "OK" is not a status
  CHECK_FALSE(status.AsOptionalString().has_value());

  const Reply error = Reply::FromError("ERR syntax error");
  CHECK(error.is_error());
  CHECK(error.str() == "ERR syntax error");
}

TEST_CASE("Array replies nest and compare by value", "[redis][reply]") {
  const Reply nested = Reply::FromArray(
      {Reply::FromInteger(1), Reply::Nil(),
       Reply::FromArray({Reply::FromString("国家电网"), Reply::FromError("WRONGTYPE x")})});
  REQUIRE(nested.is_array());
  REQUIRE(nested.elements().size() == 3);
  CHECK(nested.elements()[1].is_nil());
  CHECK(nested.elements()[2].elements()[0].str() == "国家电网");
  CHECK(nested.elements()[2].elements()[1].is_error());

  Reply copy = nested;
  CHECK(copy == nested);
  copy.mutable_elements()[0] = Reply::FromInteger(2);
  CHECK_FALSE(copy == nested);
  CHECK_FALSE(Reply::FromString("1") == Reply::FromStatus("1"));
}

TEST_CASE("ReplyTypeName names every type", "[redis][reply]") {
  CHECK(ReplyTypeName(Reply::Type::kNil) == "nil");
  CHECK(ReplyTypeName(Reply::Type::kInteger) == "integer");
  CHECK(ReplyTypeName(Reply::Type::kString) == "string");
  CHECK(ReplyTypeName(Reply::Type::kStatus) == "status");
  CHECK(ReplyTypeName(Reply::Type::kArray) == "array");
  CHECK(ReplyTypeName(Reply::Type::kError) == "error");
}

}  // namespace
}  // namespace gridcare::redis
