#include "notification_id.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace gridcare::notification {
namespace {

// Expected values computed independently (a few lines of Python implementing the documented
// scheme: two FNV-1a 64 lanes over 8-byte little-endian length + bytes per field). If one of
// these changes, every stored de-duplication key changes with it: do not update them lightly.
TEST_CASE("Notification ids are fixed strings that never change between builds") {
  CHECK(NotificationId("0190a4c2-7d1e-7b3a-9c2f-3e5d8a1b2c4d", "C-000123", "outage.started") ==
        "N-5ead88089c4e45ad6317b154f3b60d4e");
  CHECK(NotificationId("", "", "") == "N-81d23fd7003c2305b09303591b13ce02");
  CHECK(NotificationId("ab", "c", "t") == "N-47d78ac854aabc594e3798393d0a4460");
  CHECK(NotificationId("事件", "客户", "模板") == "N-c10753a4e170d97cd81d82567d90b913");
}

TEST_CASE("A notification id is N- and 32 lowercase hex digits") {
  const std::string id = NotificationId("event-1", "C-1", "ticket.opened");
  REQUIRE(id.size() == 34);
  CHECK(id.substr(0, 2) == "N-");
  for (const char c : id.substr(2)) {
    CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
  }
}

TEST_CASE("The same fields always give the same id") {
  CHECK(NotificationId("e", "r", "t") == NotificationId("e", "r", "t"));
  const std::string event = "event-42";
  CHECK(NotificationId(event, "C-9", "x") == NotificationId(std::string_view(event), "C-9", "x"));
}

TEST_CASE("Moving characters between fields gives a different id") {
  CHECK(NotificationId("ab", "c", "t") != NotificationId("a", "bc", "t"));
  CHECK(NotificationId("a", "bc", "t") != NotificationId("a", "b", "ct"));
  CHECK(NotificationId("", "x", "t") != NotificationId("x", "", "t"));
  CHECK(NotificationId("x", "", "") != NotificationId("", "", "x"));
  CHECK(NotificationId("e", "r", "t") != NotificationId("r", "e", "t"));
  CHECK(NotificationId("e", "r", "t") != NotificationId("t", "r", "e"));
}

TEST_CASE("Changing any one field changes the id") {
  const std::string base = NotificationId("event-1", "C-1", "outage.started");
  CHECK(NotificationId("event-2", "C-1", "outage.started") != base);
  CHECK(NotificationId("event-1", "C-2", "outage.started") != base);
  CHECK(NotificationId("event-1", "C-1", "outage.restored") != base);
}

TEST_CASE("Ten thousand sequential recipients get distinct ids in both halves") {
  std::set<std::string> ids;
  std::set<std::string> highs;
  std::set<std::string> lows;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = NotificationId("incident-7-opened", "C-" + std::to_string(i), "outage");
    ids.insert(id);
    highs.insert(id.substr(2, 16));
    lows.insert(id.substr(18, 16));
  }
  CHECK(ids.size() == 10000);
  CHECK(highs.size() == 10000);
  CHECK(lows.size() == 10000);
}

}  // namespace
}  // namespace gridcare::notification
