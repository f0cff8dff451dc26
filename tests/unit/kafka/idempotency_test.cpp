#include "gridcare/kafka/idempotency.h"

#include <catch2/catch.hpp>

#include "gridcare/kafka/publisher.h"

namespace kafka = gridcare::kafka;

TEST_CASE("the in-memory guard remembers ids and forgets the oldest beyond capacity") {
  kafka::InMemoryIdempotencyGuard guard(3);
  CHECK_FALSE(*guard.Seen("a"));
  REQUIRE(guard.Remember({"a", "b", "c"}).ok());
  CHECK(*guard.Seen("a"));
  CHECK(*guard.Seen("c"));
  REQUIRE(guard.Remember({"c", "d"}).ok());  // "c" again is not stored twice; "d" evicts "a"
  CHECK_FALSE(*guard.Seen("a"));
  CHECK(*guard.Seen("b"));
  CHECK(*guard.Seen("c"));
  CHECK(*guard.Seen("d"));
}

TEST_CASE("the recording publisher keeps records and can simulate delivery failure") {
  kafka::RecordingPublisher publisher;
  REQUIRE(publisher.Publish({"topic-a", "k", "v", {}}).ok());
  REQUIRE(publisher.Publish({"topic-b", "k", "v", {}}).ok());
  CHECK_FALSE(publisher.Publish({"", "k", "v", {}}).ok());
  CHECK(publisher.records().size() == 2);
  CHECK(publisher.RecordsOn("topic-a").size() == 1);
  publisher.FailNextFlushes(1);
  auto failed = publisher.Flush(std::chrono::milliseconds(1));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().Retryable());
  CHECK(publisher.Flush(std::chrono::milliseconds(1)).ok());
}
