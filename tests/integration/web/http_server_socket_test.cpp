// JsonHttpServer over the loopback interface: what Handle answers in process is what a client
// gets, with the headers every page relies on.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "gridcare/v1/complaint.pb.h"
#include "gridcare/web/http_server.h"

namespace gridcare::web {
namespace {

constexpr char kLoopback[] = "127.0.0.1";

const StaticAsset* FindPage(std::string_view path) {
  static constexpr StaticAsset kPage{"text/html; charset=utf-8", "<!doctype html><p>页面</p>\n"};
  return path == "/" || path == "/index.html" ? &kPage : nullptr;
}

httplib::Client ClientFor(int port) {
  httplib::Client client(kLoopback, port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(5));
  return client;
}

TEST_CASE("JsonHttpServer serves routes and assets on a port it picked", "[web][socket]") {
  JsonHttpServer server({.name = "socket test page"}, LookupIn(FindPage));
  server.Post(R"(/api/cases/([^/]+)/take)", [](const HttpRequest& r) {
    v1::TakeCaseRequest body;
    if (auto parsed = r.ParseBody(&body); !parsed) return HttpReply::Error(parsed.error());
    body.set_case_id(r.path_params.at(0));
    return HttpReply::Json(body);
  });
  server.Get("/api/echo", [](const HttpRequest& r) {
    v1::GetCaseRequest body;
    body.set_case_id(r.Query("id"));
    return HttpReply::Json(body);
  });
  REQUIRE(server.port() == 0);
  REQUIRE(server.Start(std::string(kLoopback) + ":0").ok());
  REQUIRE(server.port() > 0);
  auto client = ClientFor(server.port());

  auto page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body == "<!doctype html><p>页面</p>\n");
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(page->get_header_value("Content-Security-Policy") ==
        "default-src 'self'; img-src 'self' data:; style-src 'self'");

  auto echoed = client.Get("/api/echo?id=CC-%E6%B5%8B");
  REQUIRE(echoed);
  CHECK(echoed->status == 200);
  CHECK(echoed->body == R"({"case_id":"CC-测"})");
  CHECK(echoed->get_header_value("Cache-Control") == "no-store");

  auto taken = client.Post("/api/cases/CC-1/take", R"({"request_id":"r-9"})", "application/json");
  REQUIRE(taken);
  CHECK(taken->status == 200);
  CHECK(taken->body == R"({"request_id":"r-9","case_id":"CC-1"})");

  auto refused = client.Post("/api/cases/CC-1/take", R"({"by":"x"})", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->get_header_value("Content-Type") == "application/json; charset=utf-8");

  auto not_allowed = client.Delete("/api/echo");
  REQUIRE(not_allowed);
  CHECK(not_allowed->status == 405);
  CHECK(not_allowed->get_header_value("Allow") == "GET");

  auto oversized =
      client.Post("/api/cases/CC-1/take", std::string(100 * 1024, ' '), "application/json");
  REQUIRE(oversized);
  CHECK(oversized->status == 413);

  // The port is ours: a second server cannot take it.
  JsonHttpServer second({.name = "second page"});
  auto clash = second.Start(std::string(kLoopback) + ":" + std::to_string(server.port()));
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().kind == core::ErrorKind::kUnavailable);
  CHECK(clash.error().message.find("for the second page") != std::string::npos);

  auto again = server.Start(std::string(kLoopback) + ":0");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == core::ErrorKind::kFailedPrecondition);

  server.Stop();
  server.Stop();  // idempotent
  CHECK_FALSE(ClientFor(server.port()).Get("/"));
}

TEST_CASE("a connection is closed after keep_alive_max_requests answers", "[web][socket]") {
  const auto closed_after = [](std::size_t max_requests) {
    JsonHttpServer server({.name = "keep-alive page", .keep_alive_max_requests = max_requests});
    server.Get("/api/ping", [](const HttpRequest&) { return HttpReply::JsonText("{}"); });
    REQUIRE(server.Start("127.0.0.1:0").ok());
    auto client = ClientFor(server.port());
    client.set_keep_alive(true);
    for (std::size_t i = 1; i <= 40; ++i) {
      auto got = client.Get("/api/ping");
      REQUIRE(got);
      REQUIRE(got->status == 200);
      if (got->get_header_value("Connection") == "close") return i;
    }
    return std::size_t{0};
  };
  CHECK(closed_after(3) == 3);
  CHECK(closed_after(20) == 20);
  CHECK(closed_after(1000) == 0);
}

TEST_CASE("a malformed listen address is INVALID_ARGUMENT naming the server", "[web][socket]") {
  JsonHttpServer server({.name = "department desk"});
  auto started = server.Start("localhost");
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(started.error().message.starts_with("department desk listen address \"localhost\" "));
  server.Stop();  // never started: nothing to do
}

}  // namespace
}  // namespace gridcare::web
