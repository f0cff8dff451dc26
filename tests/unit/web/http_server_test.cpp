// JsonHttpServer's routing, in process (Handle): routes with path parameters, 405 and 404, the
// page's assets, a failing handler, query parameters.
#include "gridcare/web/http_server.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "gridcare/v1/complaint.pb.h"

namespace gridcare::web::test {
const StaticAsset* FindTestAsset(std::string_view path);
}  // namespace gridcare::web::test

namespace gridcare::web {
namespace {

HttpRequest Req(std::string method, std::string path, std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.body = std::move(body);
  return request;
}

TEST_CASE("routes get their path parameters, replies carry JSON and no-store", "[web][http]") {
  JsonHttpServer server({.name = "test page"}, LookupIn(test::FindTestAsset));
  server.Get(R"(/api/things/([^/]+))", [](const HttpRequest& r) {
    v1::GetCaseRequest body;
    body.set_case_id(r.path_params.at(0));
    return HttpReply::Json(body);
  });
  server.Post(R"(/api/things/([^/]+)/(take|pause))", [](const HttpRequest& r) {
    v1::TakeCaseRequest body;
    if (auto parsed = r.ParseBody(&body); !parsed) return HttpReply::Error(parsed.error());
    return HttpReply::JsonText("{\"id\":\"" + r.path_params.at(0) + "\",\"action\":\"" +
                               r.path_params.at(1) + "\",\"request_id\":\"" + body.request_id() +
                               "\"}");
  });

  auto got = server.Handle(Req("GET", "/api/things/CC-7"));
  CHECK(got.status == 200);
  CHECK(got.content_type == "application/json; charset=utf-8");
  CHECK(got.body == R"({"case_id":"CC-7"})");
  CHECK(got.Header("cache-control") == "no-store");

  auto head = server.Handle(Req("HEAD", "/api/things/CC-7"));
  CHECK(head.status == 200);

  auto posted = server.Handle(Req("POST", "/api/things/CC-7/pause", R"({"request_id":"r1"})"));
  CHECK(posted.status == 200);
  CHECK(posted.body == R"({"id":"CC-7","action":"pause","request_id":"r1"})");

  auto bad = server.Handle(Req("POST", "/api/things/CC-7/take", R"({"request_id":1})"));
  CHECK(bad.status == 400);
  CHECK(
      bad.body ==
      R"({"error":{"code":"INVALID_ARGUMENT","message":"request body (gridcare.v1.TakeCaseRequest): \"request_id\" must be a string, got 1"}})"
      "\n");

  auto wrong_method = server.Handle(Req("POST", "/api/things/CC-7"));
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.Header("Allow") == "GET");
  CHECK(
      wrong_method.body ==
      R"x({"error":{"code":"METHOD_NOT_ALLOWED","message":"POST is not allowed on /api/things/CC-7 (allowed: GET)"}})x"
      "\n");

  auto unknown = server.Handle(Req("GET", "/api/things/CC-7/extra/parts"));
  CHECK(unknown.status == 404);
  CHECK(unknown.body ==
        R"({"error":{"code":"NOT_FOUND","message":"no API route /api/things/CC-7/extra/parts"}})"
        "\n");
  CHECK(server.Handle(Req("POST", "/index.html")).status == 404);
}

TEST_CASE("other GET paths are the page's assets", "[web][http]") {
  JsonHttpServer server({.name = "test page"}, LookupIn(test::FindTestAsset));
  auto page = server.Handle(Req("GET", "/"));
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.find("投诉工作台") != std::string::npos);
  CHECK(page.Header("Cache-Control") == "no-cache");
  auto script = server.Handle(Req("GET", "/sub/app.js"));
  CHECK(script.status == 200);
  CHECK(script.content_type == "text/javascript; charset=utf-8");
  auto missing = server.Handle(Req("GET", "/README.md"));
  CHECK(missing.status == 404);
  CHECK(missing.content_type == "text/plain; charset=utf-8");
  CHECK(missing.body == "not found\n");

  JsonHttpServer bare({.name = "api only"});
  CHECK(bare.Handle(Req("GET", "/")).status == 404);
}

TEST_CASE("a handler that throws answers 500 without the exception's text", "[web][http]") {
  JsonHttpServer server({.name = "test page"});
  server.Get("/api/boom",
             [](const HttpRequest&) -> HttpReply { throw std::runtime_error("secret detail"); });
  auto reply = server.Handle(Req("GET", "/api/boom"));
  CHECK(reply.status == 500);
  CHECK(reply.body ==
        R"({"error":{"code":"INTERNAL","message":"the test page failed to answer /api/boom"}})"
        "\n");
}

TEST_CASE("HttpReply::Error uses the error kind's status", "[web][http]") {
  auto reply = HttpReply::Error(core::FailedPrecondition("case CC-1 is paused"));
  CHECK(reply.status == 412);
  CHECK(reply.body == R"({"error":{"code":"FAILED_PRECONDITION","message":"case CC-1 is paused"}})"
                      "\n");
}

TEST_CASE("query parameters: the first value, or every value with commas split", "[web][http]") {
  HttpRequest request = Req("GET", "/api/cases");
  request.query = {{"state", "CASE_STATE_ROUTED,CASE_STATE_CONTACTED"},
                   {"state", "CASE_STATE_REOPENED"},
                   {"state", ""},
                   {"department", "marketing"}};
  CHECK(request.Query("department") == "marketing");
  CHECK(request.Query("nothing").empty());
  CHECK(request.QueryList("state") == std::vector<std::string>{"CASE_STATE_ROUTED",
                                                               "CASE_STATE_CONTACTED",
                                                               "CASE_STATE_REOPENED"});
  CHECK(request.QueryList("nothing").empty());
}

TEST_CASE("PUT and DELETE routes are routed like GET and POST", "[web][http]") {
  JsonHttpServer server({.name = "test api"});
  server.Put(R"(/api/knobs/([^/]+))", [](const HttpRequest& r) {
    return HttpReply::JsonText("{\"put\":\"" + r.path_params.at(0) + "\"}");
  });
  server.Delete("/api/knobs", [](const HttpRequest&) { return HttpReply::JsonText("{}", 204); });
  CHECK(server.Handle(Req("PUT", "/api/knobs/a")).body == R"({"put":"a"})");
  CHECK(server.Handle(Req("DELETE", "/api/knobs")).status == 204);
  auto wrong = server.Handle(Req("GET", "/api/knobs/a"));
  CHECK(wrong.status == 405);
  CHECK(wrong.Header("Allow") == "PUT");
  CHECK(server.Handle(Req("POST", "/api/knobs")).Header("Allow") == "DELETE");
}

TEST_CASE("request headers are found whatever their case", "[web][http]") {
  HttpRequest request = Req("POST", "/api/x");
  request.headers = {{"Authorization", "Bearer t"}, {"X-Twice", "first"}, {"x-twice", "second"}};
  CHECK(request.Header("authorization") == "Bearer t");
  CHECK(request.Header("AUTHORIZATION") == "Bearer t");
  CHECK(request.Header("x-twice") == "first");
  CHECK(request.Header("Authorizatio").empty());
  CHECK(request.Header("Content-Type").empty());
}

}  // namespace
}  // namespace gridcare::web
