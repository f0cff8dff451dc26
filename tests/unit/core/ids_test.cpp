#include "gridcare/core/ids.h"

#include <catch2/catch.hpp>
#include <set>

using namespace gridcare::core;

TEST_CASE("UUIDv7 ids are canonical, versioned, unique and ordered by time") {
  FakeClock clock(FromUnixMillis(1'795'485'190'123));  // 2026-11-24T01:53:10.123Z
  UuidV7Generator ids(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 20'000; ++i) {
    const auto id = ids.NewId();
    REQUIRE(IsCanonicalUuid(id));
    CHECK(id[14] == '7');
    CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
    seen.insert(id);
  }
  CHECK(seen.size() == 20'000);
  // The first 48 bits are the millisecond timestamp.
  const auto id = ids.NewId();
  CHECK(id.substr(0, 8) + id.substr(9, 4) == "01a20b41c7eb");
  const auto earlier = id;
  clock.Advance(std::chrono::milliseconds(1));
  CHECK(ids.NewId() > earlier);
}

TEST_CASE("sequential ids are predictable for tests") {
  SequentialIdGenerator ids("T");
  CHECK(ids.NewId() == "T-000001");
  CHECK(ids.NewId() == "T-000002");
}

TEST_CASE("canonical UUID check") {
  CHECK(IsCanonicalUuid("0192f1a2-0000-7000-8000-000000000001"));
  CHECK(IsCanonicalUuid("0192F1A2-0000-7000-8000-00000000000A"));
  CHECK_FALSE(IsCanonicalUuid(""));
  CHECK_FALSE(IsCanonicalUuid("0192f1a2-0000-7000-8000-00000000000"));
  CHECK_FALSE(IsCanonicalUuid("0192f1a2_0000-7000-8000-000000000001"));
  CHECK_FALSE(IsCanonicalUuid("0192f1a2-0000-7000-8000-00000000000g"));
}
