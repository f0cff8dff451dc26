#include "health.h"

#include <catch2/catch.hpp>

namespace ops = gridcare::ops;
using gridcare::rpc::HealthStatus;

TEST_CASE("a service that is live ready and serving is ok") {
  ops::HealthAnswers answers{"intake", "127.0.0.1:9", "127.0.0.1:5"};
  answers.healthz = ops::HttpAnswer{200, "ok\n"};
  answers.readyz = ops::HttpAnswer{200, R"({"ready":true,"failing":[]})"};
  answers.grpc = HealthStatus::kServing;
  const auto row = ops::ToHealthRow(answers);
  CHECK(row.ok);
  CHECK(row.live == "yes");
  CHECK(row.ready == "yes");
  CHECK(row.grpc == "serving");
  CHECK(row.detail.empty());
}

TEST_CASE("a failing readiness check is named") {
  ops::HealthAnswers answers{"dispatch", "127.0.0.1:9", ""};
  answers.healthz = ops::HttpAnswer{200, "ok\n"};
  answers.readyz =
      ops::HttpAnswer{503, R"({"ready":false,"failing":["redis","kafka-consumer-0"]})"};
  const auto row = ops::ToHealthRow(answers);
  CHECK_FALSE(row.ok);
  CHECK(row.ready == "no");
  CHECK(row.grpc == "-");
  CHECK(row.detail == "/readyz failing: redis, kafka-consumer-0");
}

TEST_CASE("an unreachable service says where it was looked for") {
  ops::HealthAnswers answers{"complaint", "127.0.0.1:9", "127.0.0.1:5"};
  answers.healthz = gridcare::core::Unavailable("Connection");
  answers.readyz = gridcare::core::Unavailable("Connection");
  answers.grpc = gridcare::core::Unavailable("failed to connect");
  const auto row = ops::ToHealthRow(answers);
  CHECK_FALSE(row.ok);
  CHECK(row.live == "no");
  CHECK(row.grpc == "unreachable");
  CHECK(row.detail ==
        "metrics 127.0.0.1:9: Connection; gRPC 127.0.0.1:5: UNAVAILABLE: failed to connect");
}

TEST_CASE("gRPC not serving makes a ready service not ok") {
  ops::HealthAnswers answers{"profile", "", "127.0.0.1:5"};
  answers.grpc = HealthStatus::kNotServing;
  const auto row = ops::ToHealthRow(answers);
  CHECK_FALSE(row.ok);
  CHECK(row.live == "-");
  CHECK(row.detail == "gRPC 127.0.0.1:5: not_serving");
  const auto json = ops::HealthJson({row});
  CHECK(json[0]["ok"] == false);
  CHECK(json[0]["grpc"] == "not_serving");
}
