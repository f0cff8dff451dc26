// WritePlan (services/analytics/store_writes.h): a batch's Redis writes merged, emitted in an
// order whose effect equals running them one by one.

#include "store_writes.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace gridcare::analytics {
namespace {

using Quad = std::vector<std::string>;

// The entries as quadruples; a list push's values follow its quadruple as one more entry.
std::vector<Quad> Quads(const WritePlan& plan) {
  std::vector<std::string> args;
  plan.AppendTo(args);
  std::vector<Quad> out;
  size_t i = 0;
  while (i + 4 <= args.size()) {
    out.push_back({args[i], args[i + 1], args[i + 2], args[i + 3]});
    const bool push = args[i] == "lpush";
    const size_t values = push ? std::stoul(args[i + 2]) : 0;
    i += 4;
    if (push) {
      REQUIRE(i + values <= args.size());
      out.push_back(Quad(args.begin() + static_cast<std::ptrdiff_t>(i),
                         args.begin() + static_cast<std::ptrdiff_t>(i + values)));
      i += values;
    }
  }
  REQUIRE(i == args.size());
  return out;
}

TEST_CASE("increments to one field are summed and expiries set once") {
  WritePlan plan;
  CHECK(plan.empty());
  plan.HIncrBy("k", "tickets", 1);
  plan.HIncrBy("k", "tickets", 2);
  plan.HIncrBy("k", "contacts", 1);
  plan.PExpire("k", 100);
  plan.PExpire("k", 200);
  CHECK_FALSE(plan.empty());
  const auto quads = Quads(plan);
  REQUIRE(quads.size() == 3);
  CHECK(quads[0] == Quad{"hincrby", "k", "contacts", "1"});
  CHECK(quads[1] == Quad{"hincrby", "k", "tickets", "3"});
  CHECK(quads[2] == Quad{"pexpire", "k", "200", ""});  // the last one wins, after the writes
}

TEST_CASE("a later write to a key wins and minimums keep the smallest") {
  WritePlan plan;
  plan.Set("t:1", "first", 10);
  plan.Set("t:1", "second", 20);
  plan.HSet("w", "a", "x");
  plan.HSet("w", "a", "y");
  plan.HMin("m", "since", 50);
  plan.HMin("m", "since", 40);
  plan.HMin("m", "since", 45);
  const auto quads = Quads(plan);
  REQUIRE(quads.size() == 3);
  CHECK(quads[0] == Quad{"set", "t:1", "second", "20"});
  CHECK(quads[1] == Quad{"hset", "w", "a", "y"});
  CHECK(quads[2] == Quad{"hmin", "m", "since", "40"});
}

TEST_CASE("a list keeps only what its cap would keep in push order") {
  WritePlan plan;
  for (int i = 0; i < 25; ++i) plan.LPush("ex", "v" + std::to_string(i), 10);
  const auto quads = Quads(plan);
  REQUIRE(quads.size() == 2);  // one push of the last ten, in push order (the last: the head)
  CHECK(quads[0] == Quad{"lpush", "ex", "10", "10"});
  CHECK(quads[1] == Quad{"v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24"});
}

TEST_CASE("a list under its cap is pushed whole in one command") {
  WritePlan plan;
  plan.LPush("ex", "a", 50);
  plan.LPush("ex", "b", 50);
  plan.PExpire("ex", 9);
  const auto quads = Quads(plan);
  REQUIRE(quads.size() == 3);
  CHECK(quads[0] == Quad{"lpush", "ex", "2", "50"});
  CHECK(quads[1] == Quad{"a", "b"});
  CHECK(quads[2] == Quad{"pexpire", "ex", "9", ""});
}

TEST_CASE("set members are added once and incidents are closed after every addition") {
  WritePlan plan;
  plan.Close("p:incarea:I1", "I1", "p:inc:");
  plan.SAdd("p:inc:A", "I1");
  plan.SAdd("p:inc:A", "I1");
  plan.SAdd("p:incarea:I1", "A");
  const auto quads = Quads(plan);
  REQUIRE(quads.size() == 3);
  CHECK(quads[0][0] == "sadd");
  CHECK(quads[1][0] == "sadd");
  CHECK(quads[2] == Quad{"close", "p:incarea:I1", "I1", "p:inc:"});
}

}  // namespace
}  // namespace gridcare::analytics
