#include "gridcare/metrics/metrics_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <prometheus/counter.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "gridcare/testing/process.h"

namespace gridcare::metrics {
namespace {

constexpr char kLoopback[] = "127.0.0.1";

httplib::Client ClientFor(int port) {
  httplib::Client client(kLoopback, port);
  client.set_connection_timeout(std::chrono::seconds(2));
  client.set_read_timeout(std::chrono::seconds(2));
  return client;
}

TEST_CASE("MetricsServer serves /metrics, /healthz and /readyz") {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& counter = prometheus::BuildCounter()
                      .Name("gridcare_test_requests_total")
                      .Help("Test counter.")
                      .Register(*registry)
                      .Add({{"service", "metrics_test"}});
  counter.Increment(3);

  MetricsServer server(std::string(kLoopback) + ":0", registry);
  std::atomic<bool> kafka_ready{false};
  server.AddReadinessCheck("kafka", [&] { return kafka_ready.load(); });
  server.AddReadinessCheck("redis", [] { return true; });
  REQUIRE(server.Start().ok());
  REQUIRE(server.port() > 0);
  auto client = ClientFor(server.port());

  SECTION("/metrics has the registry, the process series and the Prometheus content type") {
    const auto response = client.Get("/metrics");
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK_THAT(response->body,
               Catch::Contains("gridcare_test_requests_total{service=\"metrics_test\"} 3"));
    CHECK_THAT(response->body, Catch::Contains("# TYPE gridcare_test_requests_total counter"));
    CHECK_THAT(response->body, Catch::Contains("process_resident_memory_bytes"));

    counter.Increment();
    const auto again = client.Get("/metrics");
    REQUIRE(again);
    CHECK_THAT(again->body,
               Catch::Contains("gridcare_test_requests_total{service=\"metrics_test\"} 4"));
  }

  SECTION("/healthz answers 200 regardless of readiness") {
    const auto response = client.Get("/healthz");
    REQUIRE(response);
    CHECK(response->status == 200);
  }

  SECTION("/readyz is 503 naming the failing check, then 200 once it passes") {
    auto response = client.Get("/readyz");
    REQUIRE(response);
    CHECK(response->status == 503);
    CHECK(response->get_header_value("Content-Type") == "application/json");
    CHECK(response->body == "{\"ready\":false,\"failing\":[\"kafka\"]}\n");

    kafka_ready = true;
    response = client.Get("/readyz");
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "{\"ready\":true,\"failing\":[]}\n");

    // Checks may be added while serving; a check that throws counts as failing.
    server.AddReadinessCheck("broken \"dep\"", []() -> bool { throw std::runtime_error("boom"); });
    response = client.Get("/readyz");
    REQUIRE(response);
    CHECK(response->status == 503);
    CHECK(response->body == "{\"ready\":false,\"failing\":[\"broken \\\"dep\\\"\"]}\n");
  }

  SECTION("/metrics carries readiness: gridcare_ready and one gridcare_ready_check per check") {
    auto response = client.Get("/metrics");
    REQUIRE(response);
    CHECK_THAT(response->body, Catch::Contains("# TYPE gridcare_ready gauge"));
    CHECK_THAT(response->body, Catch::Contains("\ngridcare_ready 0\n"));
    CHECK_THAT(response->body, Catch::Contains("gridcare_ready_check{check=\"kafka\"} 0"));
    CHECK_THAT(response->body, Catch::Contains("gridcare_ready_check{check=\"redis\"} 1"));

    kafka_ready = true;
    response = client.Get("/metrics");
    REQUIRE(response);
    CHECK_THAT(response->body, Catch::Contains("\ngridcare_ready 1\n"));
    CHECK_THAT(response->body, Catch::Contains("gridcare_ready_check{check=\"kafka\"} 1"));
  }

  SECTION("unknown paths are 404") {
    const auto response = client.Get("/nope");
    REQUIRE(response);
    CHECK(response->status == 404);
  }

  SECTION("Stop closes the port") {
    server.Stop();
    server.Stop();  // idempotent
    CHECK_FALSE(ClientFor(server.port()).Get("/healthz"));
  }
}

TEST_CASE("MetricsServer binds the exact port it is given") {
  const int port = testing::FreeLoopbackPort();
  MetricsServer server(std::string(kLoopback) + ":" + std::to_string(port),
                       std::make_shared<prometheus::Registry>());
  REQUIRE(server.Start().ok());
  CHECK(server.port() == port);
  const auto response = ClientFor(port).Get("/healthz");
  REQUIRE(response);
  CHECK(response->status == 200);
}

TEST_CASE("MetricsServer reports a port clash clearly") {
  auto registry = std::make_shared<prometheus::Registry>();
  MetricsServer first(std::string(kLoopback) + ":0", registry);
  REQUIRE(first.Start().ok());
  const std::string taken = std::string(kLoopback) + ":" + std::to_string(first.port());

  MetricsServer second(taken, registry);
  const auto status = second.Start();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kUnavailable);
  CHECK_THAT(status.error().message, Catch::Contains(taken));
  CHECK_THAT(status.error().message, Catch::Contains("port is taken"));
  CHECK(second.port() == 0);
  second.Stop();  // harmless after a failed Start

  // The first server is unaffected.
  const auto response = ClientFor(first.port()).Get("/healthz");
  REQUIRE(response);
  CHECK(response->status == 200);
}

TEST_CASE("MetricsServer refuses a port another program listens on") {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(fd, 1) == 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const int port = ntohs(address.sin_port);

  MetricsServer server(std::string(kLoopback) + ":" + std::to_string(port),
                       std::make_shared<prometheus::Registry>());
  const auto status = server.Start();
  close(fd);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kUnavailable);
}

TEST_CASE("MetricsServer rejects malformed addresses") {
  const auto address =
      GENERATE(as<std::string>{}, "9464", "127.0.0.1", ":9464", "127.0.0.1:", "127.0.0.1:http",
               "127.0.0.1:70000", "127.0.0.1:-1", "::1:9464");
  INFO(address);
  MetricsServer server(address, std::make_shared<prometheus::Registry>());
  const auto status = server.Start();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == core::ErrorKind::kInvalidArgument);
  CHECK_THAT(status.error().message, Catch::Contains("host:port"));
}

TEST_CASE("MetricsServer stops promptly right after starting") {
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    MetricsServer server(std::string(kLoopback) + ":0", std::make_shared<prometheus::Registry>());
    REQUIRE(server.Start().ok());
    server.Stop();
  }
  CHECK(std::chrono::steady_clock::now() - begin < std::chrono::seconds(3));
}

TEST_CASE("MetricsServer may only be started once") {
  MetricsServer server(std::string(kLoopback) + ":0", std::make_shared<prometheus::Registry>());
  REQUIRE(server.Start().ok());
  const auto again = server.Start();
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == core::ErrorKind::kFailedPrecondition);
}

}  // namespace
}  // namespace gridcare::metrics
