// EffectsSum (services/analytics/effects_sum.h): a batch's counters, series hours and texts summed
// before they become writes; what is not summed kept per event, in order.

#include "effects_sum.h"

#include <catch2/catch.hpp>
#include <string>

namespace gridcare::analytics {
namespace {

Dimensions In(const std::string& district) {
  Dimensions dims;
  dims.district = district;
  dims.channel = "wechat";
  return dims;
}

TEST_CASE("counters of the same day metric and dimensions are summed") {
  Effects a;
  a.counters.push_back({100, metric::kTickets, 1, In("天河区")});
  a.counters.push_back({100, metric::kContacts, 2, In("天河区")});
  Effects b;
  b.counters.push_back({100, metric::kTickets, 3, In("天河区")});
  b.counters.push_back({100, metric::kTickets, 1, In("越秀区")});
  b.counters.push_back({101, metric::kTickets, 1, In("天河区")});
  Dimensions other_channel = In("天河区");
  other_channel.channel = "hotline_agent";
  b.counters.push_back({100, metric::kTickets, 5, other_channel});
  EffectsSum sum;
  sum.Add(a);
  sum.Add(b);
  const auto& counters = sum.counters();
  REQUIRE(counters.size() == 5);
  const Dimensions tianhe = In("天河区");
  const Dimensions yuexiu = In("越秀区");
  CHECK(counters.at({100, metric::kTickets, &tianhe}) == 4);
  CHECK(counters.at({100, metric::kContacts, &tianhe}) == 2);
  CHECK(counters.at({100, metric::kTickets, &yuexiu}) == 1);
  CHECK(counters.at({101, metric::kTickets, &tianhe}) == 1);
  CHECK(counters.at({100, metric::kTickets, &other_channel}) == 5);
}

TEST_CASE("series hours are counted and the earliest hour is kept") {
  Effects a;
  a.series.push_back({"complaint/billing", "天河区", 500});
  a.series.push_back({"complaint/billing", "天河区", 498});
  Effects b;
  b.series.push_back({"complaint/billing", "天河区", 500});
  b.series.push_back({"complaint/billing", "越秀区", 500});
  EffectsSum sum;
  CHECK_FALSE(sum.first_hour().has_value());
  sum.Add(a);
  sum.Add(b);
  CHECK(sum.first_hour() == 498);
  CHECK(sum.series().size() == 3);
  CHECK(sum.series().at({"complaint/billing", "天河区", 500}) == 2);
  CHECK(sum.series().at({"complaint/billing", "越秀区", 500}) == 1);
}

TEST_CASE("texts count each term once per text and keep the texts in order") {
  Effects a;
  a.texts.push_back({"fault_repair", "天河区", 100, "T-1", "停电停电了"});
  a.texts.push_back({"fault_repair", "天河区", 100, "T-2", "又停电 outage"});
  Effects b;
  b.texts.push_back({"fault_repair", "天河区", 101, "T-3", "停电"});
  EffectsSum sum;
  sum.Add(a);
  sum.Add(b);
  REQUIRE(sum.texts().size() == 2);
  const auto& day = sum.texts().at({"天河区", 100});
  CHECK(day.count == 2);
  CHECK(day.terms.at("停电") == 2);  // twice in T-1's text, counted once for it
  CHECK(day.terms.at("outage") == 1);
  REQUIRE(day.latest.size() == 2);
  CHECK(day.latest[0]->ticket_id == "T-1");
  CHECK(day.latest[1]->ticket_id == "T-2");
  CHECK(sum.texts().at({"天河区", 101}).count == 1);
}

TEST_CASE("every event is kept in order for what is not summed") {
  Effects a;
  a.closed_incidents.push_back("I-1");
  Effects b;
  b.outage_days.push_back("天河区|100");
  EffectsSum sum;
  sum.Add(a);
  sum.Add(b);
  REQUIRE(sum.events().size() == 2);
  CHECK(sum.events()[0] == &a);
  CHECK(sum.events()[1] == &b);
  CHECK(sum.counters().empty());
}

}  // namespace
}  // namespace gridcare::analytics
