// Protobuf JSON as the pages read and write it, request bodies refused with the field named, and
// the HTTP status of each error kind.
#include "gridcare/web/json_http.h"

#include <catch2/catch.hpp>
#include <string>

#include "gridcare/v1/complaint.pb.h"

namespace gridcare::web {
namespace {

using core::ErrorKind;

/// The message of ParseJsonInto's error for `body` parsed as `Message` ("" when it parsed).
template <typename Message>
std::string ParseError(const std::string& body) {
  Message message;
  auto status = ParseJsonInto(body, &message);
  if (status.ok()) return "";
  CHECK(status.error().kind == ErrorKind::kInvalidArgument);
  return status.error().message;
}

TEST_CASE("each error kind maps to its HTTP status", "[web][json]") {
  CHECK(HttpStatusFor(ErrorKind::kInvalidArgument) == 400);
  CHECK(HttpStatusFor(ErrorKind::kNotFound) == 404);
  CHECK(HttpStatusFor(ErrorKind::kAlreadyExists) == 409);
  CHECK(HttpStatusFor(ErrorKind::kFailedPrecondition) == 412);
  CHECK(HttpStatusFor(ErrorKind::kPermissionDenied) == 403);
  CHECK(HttpStatusFor(ErrorKind::kResourceExhausted) == 429);
  CHECK(HttpStatusFor(ErrorKind::kUnavailable) == 503);
  CHECK(HttpStatusFor(ErrorKind::kDeadlineExceeded) == 503);
  CHECK(HttpStatusFor(ErrorKind::kInternal) == 500);
}

TEST_CASE("MessageToJson prints snake_case names, enum names and every primitive field",
          "[web][json]") {
  v1::PauseCaseRequest request;
  request.set_case_id("CC-1");
  request.set_reason(v1::PAUSE_REASON_WAITING_ON_CUSTOMER);
  CHECK(MessageToJson(request) ==
        R"({"request_id":"","case_id":"CC-1","reason":"PAUSE_REASON_WAITING_ON_CUSTOMER",)"
        R"("note":""})");
  v1::ComplaintCase c;
  c.set_reopen_count(0);
  c.mutable_opened_at()->set_seconds(1795483200);  // 2026-11-24T01:20:00Z
  const std::string json = MessageToJson(c);
  CHECK(json.find(R"("reopen_count":0)") != std::string::npos);
  CHECK(json.find(R"("opened_at":"2026-11-24T01:20:00Z")") != std::string::npos);
  CHECK(json.find(R"("closed_at")") == std::string::npos);  // unset messages are left out
  CHECK(json.find(R"("state":"CASE_STATE_UNSPECIFIED")") != std::string::npos);
}

TEST_CASE("ParseJsonInto reads snake_case and lowerCamelCase, nested messages and enums",
          "[web][json]") {
  v1::RecordReplyRequest reply;
  REQUIRE(ParseJsonInto(R"({"request_id":"r-1","reply":{"caseId":"CC-1","cause_code":"other",
      "by":{"kind":"KIND_DEPARTMENT","id":"mkt-01"},"reply":{"zh_cn":"已处理","en":"Done"},
      "at":"2026-11-24T01:20:00Z"}})",
                        &reply)
              .ok());
  CHECK(reply.request_id() == "r-1");
  CHECK(reply.reply().case_id() == "CC-1");
  CHECK(reply.reply().by().kind() == v1::Actor::KIND_DEPARTMENT);
  CHECK(reply.reply().reply().zh_cn() == "已处理");
  CHECK(reply.reply().at().seconds() == 1795483200);

  v1::RequestCoordinationRequest coordinate;
  REQUIRE(ParseJsonInto(R"({"parts":[{"department_id":"metering","due_working_days":"3"},
      {"department_id":"operations","due_working_days":null}],"by":null})",
                        &coordinate)
              .ok());
  REQUIRE(coordinate.parts_size() == 2);
  CHECK(coordinate.parts(0).due_working_days() == 3);
  CHECK(coordinate.parts(1).due_working_days() == 0);
  CHECK_FALSE(coordinate.has_by());

  v1::TakeCaseRequest take;
  take.set_case_id("left over");
  REQUIRE(ParseJsonInto("  \n", &take).ok());  // an empty body is an empty object
  CHECK(take.case_id().empty());               // and the message was cleared first
}

TEST_CASE("ParseJsonInto names what is wrong and where", "[web][json]") {
  const std::string pause = "request body (gridcare.v1.PauseCaseRequest): ";
  CHECK(ParseError<v1::PauseCaseRequest>(R"({"resaon":"x"})") ==
        pause + R"(unknown key "resaon" (known: request_id, case_id, reason, note, by))");
  CHECK(
      ParseError<v1::PauseCaseRequest>(R"({"reason":"PAUSE_REASON_LUNCH"})") ==
      pause +
          R"("reason" must be one of PAUSE_REASON_UNSPECIFIED, PAUSE_REASON_CUSTOMER_UNREACHABLE, )"
          R"(PAUSE_REASON_WAITING_ON_CUSTOMER, got "PAUSE_REASON_LUNCH")");
  CHECK(ParseError<v1::PauseCaseRequest>(R"({"by":"mkt-01"})") ==
        pause + R"("by" must be an object, got "mkt-01")");
  CHECK(ParseError<v1::PauseCaseRequest>(R"({"by":{"id":7}})") ==
        pause + R"("by.id" must be a string, got 7)");
  CHECK(ParseError<v1::PauseCaseRequest>(R"({"by":{"name":"x"}})") ==
        pause + R"(by: unknown key "name" (known: kind, id, display_name))");
  CHECK(ParseError<v1::PauseCaseRequest>(R"({"note":"a","note":"b"})") ==
        pause + R"(key "note" given more than once)");
  CHECK(ParseError<v1::PauseCaseRequest>("[1]") == pause + "expected an object, got array");
  CHECK(ParseError<v1::PauseCaseRequest>("{\"note\":").starts_with(pause + "not valid JSON: "));

  const std::string coordinate = "request body (gridcare.v1.RequestCoordinationRequest): ";
  CHECK(ParseError<v1::RequestCoordinationRequest>(R"({"parts":{"department_id":"x"}})") ==
        coordinate + R"("parts" must be an array, got {"department_id":"x"})");
  CHECK(
      ParseError<v1::RequestCoordinationRequest>(
          R"({"parts":[{"department_id":"x"},{"due_working_days":2.5}]})") ==
      coordinate +
          R"("parts[1].due_working_days" must be an integer in -2147483648..2147483647, got 2.5)");
  CHECK(ParseError<v1::RequestCoordinationRequest>(R"({"parts":[{"due_working_days":"many"}]})")
            .starts_with(coordinate));  // protobuf's own check of a quoted integer

  const std::string visit = "request body (gridcare.v1.RecordReturnVisitRequest): ";
  CHECK(ParseError<v1::RecordReturnVisitRequest>(R"({"visit":{"resolved":"yes"}})") ==
        visit + R"("visit.resolved" must be true or false, got "yes")");
  CHECK(
      ParseError<v1::RecordReturnVisitRequest>(R"({"visit":{"visited_at":1795483200}})") ==
      visit +
          R"("visit.visited_at" must be an RFC 3339 time such as "2026-11-24T09:30:00Z", got 1795483200)");
  CHECK(ParseError<v1::RecordReturnVisitRequest>(R"({"visit":{"visited_at":"yesterday"}})")
            .starts_with(visit));
}

TEST_CASE("ErrorJson is valid JSON whatever the message holds", "[web][json]") {
  CHECK(
      ErrorJson(core::FailedPrecondition("case \"CC-1\" is paused\n\\ resume it")) ==
      R"({"error":{"code":"FAILED_PRECONDITION","message":"case \"CC-1\" is paused\n\\ resume it"}})"
      "\n");
  CHECK(ErrorJson(core::NotFound("没有案件")) ==
        R"({"error":{"code":"NOT_FOUND","message":"没有案件"}})"
        "\n");
}

}  // namespace
}  // namespace gridcare::web
