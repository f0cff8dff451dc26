#include "keyword_bursts.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "gridcare/core/utf8.h"
#include "keyword_terms.h"

namespace gridcare::analytics {
namespace {

using Counts = std::map<std::string, int64_t>;

const KeywordSettings kDefaults;

// An area's past week: 100 texts a day over 7 days.
const Counts kWeek = {{"停电", 70}, {"电费", 140}, {"跳闸", 14}, {"抄表", 7}};
constexpr int kWeekDays = 7;
constexpr int64_t kWeekTexts = 700;

std::vector<std::string> TermsOf(const std::vector<TermBurst>& bursts) {
  std::vector<std::string> terms;
  for (const TermBurst& burst : bursts) terms.push_back(burst.term);
  return terms;
}

std::string Repeat(std::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

// ---- FindBursts ----

TEST_CASE("The default settings are the documented ones") {
  CHECK(kDefaults.min_count == 3);
  CHECK(kDefaults.alpha == 1e-4);
  CHECK(kDefaults.min_ratio == 3.0);
  CHECK(kDefaults.max_terms == 5);
  CHECK(kDefaults.prior == 0.5);
}

TEST_CASE("A term whose share of the texts rises bursts") {
  const Counts today = {{"停电", 40}, {"电费", 20}, {"跳闸", 2}};
  const auto bursts = FindBursts(today, kWeek, kWeekDays, 100, kWeekTexts, kDefaults);
  REQUIRE(bursts.size() == 1);
  CHECK(bursts[0].term == "停电");
  CHECK(bursts[0].observed == 40);
  CHECK(bursts[0].expected == Approx(70.5 * 100 / 700));
  CHECK(bursts[0].ratio == Approx(40 / (70.5 * 100 / 700)));
  CHECK(bursts[0].p_value < 1e-8);
  CHECK(bursts[0].p_value > 0);
}

TEST_CASE("A term at its usual rate does not burst") {
  const Counts today = {{"停电", 10}, {"电费", 20}, {"跳闸", 2}, {"抄表", 1}};
  CHECK(FindBursts(today, kWeek, kWeekDays, 100, kWeekTexts, kDefaults).empty());
}

TEST_CASE("Counts below min_count never burst however surprising") {
  // Two texts with a term never seen before: p is small but two is not a hotspot.
  CHECK(FindBursts({{"冒烟", 2}}, kWeek, kWeekDays, 100, kWeekTexts, kDefaults).empty());
  KeywordSettings strict;
  strict.min_count = 5;
  CHECK(FindBursts({{"冒烟", 4}}, kWeek, kWeekDays, 100, kWeekTexts, strict).empty());
  CHECK(FindBursts({{"冒烟", 5}}, kWeek, kWeekDays, 100, kWeekTexts, strict).size() == 1);
}

TEST_CASE("A low count three times its expectation is not significant") {
  // Expected 6.5 * 100 / 700 = 0.93: three texts are a ratio of 3.2 but P(X >= 3) = 0.068.
  const Counts baseline = {{"电压", 6}};
  const auto none = FindBursts({{"电压", 3}}, baseline, kWeekDays, 100, kWeekTexts, kDefaults);
  CHECK(none.empty());
  KeywordSettings loose;
  loose.alpha = 0.1;
  const auto found = FindBursts({{"电压", 3}}, baseline, kWeekDays, 100, kWeekTexts, loose);
  REQUIRE(found.size() == 1);
  CHECK(found[0].p_value == Approx(0.0676430377).epsilon(1e-6));
}

TEST_CASE("A new term with no baseline gets the prior's small expected count") {
  const double mu = 0.5 * 100 / 700;
  const auto bursts = FindBursts({{"冒烟", 3}}, kWeek, kWeekDays, 100, kWeekTexts, kDefaults);
  REQUIRE(bursts.size() == 1);
  CHECK(bursts[0].term == "冒烟");
  CHECK(bursts[0].expected == Approx(mu));
  CHECK(bursts[0].ratio == Approx(3 / mu));
  const double tail = 1 - std::exp(-mu) * (1 + mu + mu * mu / 2);
  CHECK(bursts[0].p_value == Approx(tail).epsilon(1e-9));
  // A stronger prior makes a first occurrence less surprising.
  KeywordSettings cautious;
  cautious.prior = 2;
  CHECK(FindBursts({{"冒烟", 3}}, kWeek, kWeekDays, 100, kWeekTexts, cautious).empty());
}

TEST_CASE("A prior of zero floors the expected count") {
  KeywordSettings no_prior;
  no_prior.prior = 0;
  const auto bursts = FindBursts({{"冒烟", 3}}, kWeek, kWeekDays, 100, kWeekTexts, no_prior);
  REQUIRE(bursts.size() == 1);
  CHECK(bursts[0].expected == 1e-6);
  CHECK(bursts[0].ratio == Approx(3e6));
  CHECK(std::isfinite(bursts[0].p_value));
}

TEST_CASE("A busy day is not a burst of every term") {
  // Four times the usual volume with the usual mix.
  const Counts busy = {{"停电", 40}, {"电费", 80}, {"跳闸", 8}, {"抄表", 4}};
  CHECK(FindBursts(busy, kWeek, kWeekDays, 400, kWeekTexts, kDefaults).empty());
  // The same counts on a day of usual volume would be bursts: the scaling is what holds them.
  CHECK(TermsOf(FindBursts(busy, kWeek, kWeekDays, 100, kWeekTexts, kDefaults)) ==
        std::vector<std::string>{"电费", "停电"});
}

TEST_CASE("A surge on a busy day still bursts") {
  const Counts busy = {{"停电", 40}, {"电费", 80}, {"跳闸", 60}, {"抄表", 4}};
  const auto bursts = FindBursts(busy, kWeek, kWeekDays, 452, kWeekTexts, kDefaults);
  REQUIRE(bursts.size() == 1);
  CHECK(bursts[0].term == "跳闸");
  CHECK(bursts[0].expected == Approx(14.5 * 452 / 700));
}

TEST_CASE("The expected count scales with the baseline volume not its window count") {
  // Same rate over 28 days as over 7: same expectation.
  const Counts month = {{"停电", 280}};
  const auto week = FindBursts({{"停电", 40}}, kWeek, kWeekDays, 100, kWeekTexts, kDefaults);
  const auto four = FindBursts({{"停电", 40}}, month, 28, 100, 2800, kDefaults);
  REQUIRE(week.size() == 1);
  REQUIRE(four.size() == 1);
  CHECK(four[0].expected == Approx(280.5 * 100 / 2800));
  CHECK(four[0].expected < week[0].expected);  // the prior weighs less against more history
}

TEST_CASE("A quiet area's history counts as one text per window") {
  // No texts in 7 days, then 6 about one outage: expected 0.5 * 6 / 7.
  const Counts today = {{"停电", 6}, {"家停", 3}};
  const auto bursts = FindBursts(today, {}, kWeekDays, 6, 0, kDefaults);
  REQUIRE(bursts.size() == 1);
  CHECK(bursts[0].term == "停电");
  CHECK(bursts[0].expected == Approx(3.0 / 7));
  CHECK(bursts[0].p_value == Approx(5.9689039627e-06).epsilon(1e-6));
}

TEST_CASE("Without a baseline window or texts nothing bursts") {
  const Counts today = {{"停电", 500}};
  CHECK(FindBursts(today, {}, 0, 500, 0, kDefaults).empty());
  CHECK(FindBursts(today, kWeek, 0, 500, kWeekTexts, kDefaults).empty());
  CHECK(FindBursts(today, kWeek, kWeekDays, 0, kWeekTexts, kDefaults).empty());
  CHECK(FindBursts({}, kWeek, kWeekDays, 100, kWeekTexts, kDefaults).empty());
  CHECK(FindBursts({{"停电", 0}, {"跳闸", -3}}, {}, kWeekDays, 100, kWeekTexts, kDefaults).empty());
}

TEST_CASE("min_ratio keeps large but unremarkable rises out") {
  // 160 where 100 were expected: p = 2e-8, but only 1.6 times as many.
  const Counts baseline = {{"停电", 1000}};
  const auto none = FindBursts({{"停电", 160}}, baseline, 10, 1000, 10000, kDefaults);
  CHECK(none.empty());
  KeywordSettings gentle;
  gentle.min_ratio = 1.5;
  const auto found = FindBursts({{"停电", 160}}, baseline, 10, 1000, 10000, gentle);
  REQUIRE(found.size() == 1);
  CHECK(found[0].ratio == Approx(160 / 100.05));
  CHECK(found[0].p_value == Approx(2.11476e-08).epsilon(1e-4));
}

TEST_CASE("Bursts are ordered by p-value") {
  // 1000 past texts over 10 windows, 100 today: a new term expects 0.05, 停电 expects 10.05.
  const Counts baseline = {{"停电", 100}};
  const Counts today = {{"甲乙", 5}, {"丙丁", 10}, {"停电", 50}, {"戊己", 3}, {"乙甲", 5}};
  const auto bursts = FindBursts(today, baseline, 10, 100, 1000, kDefaults);
  // p: 丙丁 2.6e-20, 停电 2.3e-19, 乙甲 = 甲乙 2.5e-9 (tied: by term), 戊己 2.0e-5.
  CHECK(TermsOf(bursts) == std::vector<std::string>{"丙丁", "停电", "乙甲", "甲乙", "戊己"});
  for (size_t i = 1; i < bursts.size(); ++i) CHECK(bursts[i - 1].p_value <= bursts[i].p_value);
}

TEST_CASE("Ties in p-value are broken by ratio then count") {
  // Tails this far out underflow to 0: the ratio, then the count, decides.
  KeywordSettings settings;
  settings.prior = 1;
  const Counts baseline = {{"bbb", 1}};  // expects (1 + 1) * 2 = 4; a new term expects 2
  const Counts today = {{"aaa", 800}, {"bbb", 2000}, {"ccc", 1000}};
  const auto bursts = FindBursts(today, baseline, 10, 2000, 1000, settings);
  REQUIRE(bursts.size() == 3);
  for (const TermBurst& burst : bursts) REQUIRE(burst.p_value == 0);
  // bbb and ccc: ratio 500 (bbb counted more), aaa: ratio 400.
  CHECK(TermsOf(bursts) == std::vector<std::string>{"bbb", "ccc", "aaa"});
}

TEST_CASE("max_terms keeps the strongest bursts") {
  Counts today;
  const std::vector<std::string> names = {"aaa", "bbb", "ccc", "ddd", "eee", "fff", "ggg", "hhh"};
  for (size_t i = 0; i < names.size(); ++i) today[names[i]] = static_cast<int64_t>(3 + i);
  const auto five = FindBursts(today, {}, 10, 100, 1000, kDefaults);
  CHECK(TermsOf(five) == std::vector<std::string>{"hhh", "ggg", "fff", "eee", "ddd"});
  KeywordSettings settings;
  settings.max_terms = 8;
  CHECK(FindBursts(today, {}, 10, 100, 1000, settings).size() == 8);
  settings.max_terms = 1;
  CHECK(TermsOf(FindBursts(today, {}, 10, 100, 1000, settings)) == std::vector<std::string>{"hhh"});
  settings.max_terms = 0;
  CHECK(FindBursts(today, {}, 10, 100, 1000, settings).empty());
  settings.max_terms = -1;
  CHECK(FindBursts(today, {}, 10, 100, 1000, settings).empty());
}

// ---- MaskedExcerpt and PickExamples ----

TEST_CASE("An excerpt masks phone numbers") {
  CHECK(MaskedExcerpt("停电了，请回电13812345678") == "停电了，请回电138****5678");
  CHECK(MaskedExcerpt("Power cut, call me on +86 138 1234 5678") ==
        "Power cut, call me on +86 138 **** 5678");
  // Short numbers (amounts, dates, 10kV) stay readable.
  CHECK(MaskedExcerpt("10kV线路2026-11-24跳闸，电费300元") == "10kV线路2026-11-24跳闸，电费300元");
}

TEST_CASE("An excerpt is cut on a code-point boundary with an ellipsis") {
  const std::string sixty = Repeat("电", 60);
  CHECK(MaskedExcerpt(sixty) == sixty);
  const std::string cut = MaskedExcerpt(Repeat("电", 100));
  CHECK(cut == Repeat("电", 59) + "…");
  CHECK(core::IsValidUtf8(cut));
  CHECK(core::CountCodePoints(cut) == kExampleCodePoints);
  CHECK(MaskedExcerpt(Repeat("电", 61)) == Repeat("电", 59) + "…");
  // Four-byte code points are never split.
  const std::string emoji = MaskedExcerpt(Repeat("😡", 70));
  CHECK(emoji == Repeat("😡", 59) + "…");
  CHECK(MaskedExcerpt("abcdefghij", 5) == "abcd…");
  CHECK(MaskedExcerpt("abcdefghij", 1) == "…");
  CHECK(MaskedExcerpt("abcdefghij", 0).empty());
  CHECK(MaskedExcerpt("", 5).empty());
}

TEST_CASE("An excerpt masks before it cuts so no digits of a number are left bare") {
  // Cut first, the number would be left as "138123", too short to mask.
  const std::string prefix = Repeat("停电", 26) + "，";  // 53 code points
  const std::string excerpt = MaskedExcerpt(prefix + "13812345678");
  CHECK(excerpt == prefix + "138***…");
  CHECK(excerpt.find("138123") == std::string::npos);
}

TEST_CASE("An excerpt collapses white space and drops a space before the ellipsis") {
  CHECK(MaskedExcerpt("  停电\n\n 跳闸\t\r\n") == "停电 跳闸");
  CHECK(MaskedExcerpt("停电\u3000\u3000跳闸\x01!") == "停电 跳闸 !");
  CHECK(MaskedExcerpt("abcde fghij", 7) == "abcde…");
}

TEST_CASE("An excerpt replaces invalid UTF-8") {
  const std::string excerpt = MaskedExcerpt("停电\xff\xfe跳闸");
  CHECK(core::IsValidUtf8(excerpt));
  CHECK(excerpt == "停电\uFFFD\uFFFD跳闸");
  std::string garbage;
  uint32_t state = 777;
  for (int i = 0; i < 5000; ++i) {
    state = state * 1103515245U + 12345U;
    garbage.push_back(static_cast<char>(state >> 16));
  }
  for (size_t cut = 0; cut < 80; ++cut) {
    const std::string shown = MaskedExcerpt(garbage.substr(cut * 7), cut);
    CHECK(core::IsValidUtf8(shown));
    CHECK(core::CountCodePoints(shown) <= cut);
  }
}

TEST_CASE("PickExamples takes the tickets that hold the term in the order given") {
  const std::vector<ExampleTicket> tickets = {
      {"T1", "停电了，家里没电"}, {"T2", "电费太高"}, {"T3", "又停電了"}, {"T4", "停 电"},
      {"T5", "小区停电"},
  };
  const auto two = PickExamples(tickets, "停电", 2);
  REQUIRE(two.size() == 2);
  CHECK(two[0].ticket_id == "T1");
  CHECK(two[0].text == "停电了，家里没电");
  CHECK(two[1].ticket_id == "T3");
  CHECK(two[1].text == "又停電了");  // matched as folded, shown as written
  const auto all = PickExamples(tickets, "停电", 10);
  REQUIRE(all.size() == 3);
  CHECK(all[2].ticket_id == "T5");
  CHECK(PickExamples(tickets, "停电", 0).empty());
  CHECK(PickExamples(tickets, "冒烟").empty());
  CHECK(PickExamples({}, "停电").empty());
}

TEST_CASE("PickExamples masks and shortens the example texts") {
  const std::vector<ExampleTicket> tickets = {
      {"T1", "跳闸了，我的电话13812345678，户号0012345678"},
      {"T2", "BILLING error, call 020-12345678 " + Repeat("please ", 20)},
  };
  const auto trip = PickExamples(tickets, "跳闸");
  REQUIRE(trip.size() == 1);
  CHECK(trip[0].text == "跳闸了，我的电话138****5678，户号******5678");
  const auto billing = PickExamples(tickets, "billing", 3, 30);
  REQUIRE(billing.size() == 1);
  CHECK(billing[0].text == "BILLING error, call 020-****5…");
  CHECK(core::CountCodePoints(billing[0].text) == 30);
}

TEST_CASE("PickExamples skips repeated tickets and repeated texts") {
  const std::vector<ExampleTicket> tickets = {
      {"T1", "停电三小时"},     {"T1", "停电四小时"},  // the same ticket again
      {"T2", "停电三小时"},                            // another call with the same words
      {"T3", "  停电三小时\n"},                        // the same once white space is trimmed
      {"T4", "停电五小时"},
  };
  const auto examples = PickExamples(tickets, "停电", 5);
  REQUIRE(examples.size() == 2);
  CHECK(examples[0].ticket_id == "T1");
  CHECK(examples[1].ticket_id == "T4");
}

// ---- Together ----

TEST_CASE("Texts counted into terms show a hotspot with masked examples") {
  const std::vector<std::string> usual = {"请问电费怎么交", "电费账单有误", "停电了什么时候来电",
                                          "抄表数据不对", "Please check my billing"};
  Counts baseline;
  int64_t baseline_total = 0;
  for (int day = 0; day < 7; ++day) {
    for (int i = 0; i < 20; ++i) {
      AddTermCounts(usual[i % usual.size()], baseline);
      ++baseline_total;
    }
  }
  Counts today;
  std::vector<ExampleTicket> tickets;
  for (int i = 0; i < 20; ++i) {
    const std::string text =
        i < 8 ? "小区变压器冒烟，电话1391234567" + std::to_string(i % 10) : usual[i % usual.size()];
    AddTermCounts(text, today);
    tickets.push_back({"T" + std::to_string(i), text});
  }
  const auto bursts = FindBursts(today, baseline, 7, 20, baseline_total, kDefaults);
  REQUIRE(bursts.size() == 5);
  for (const TermBurst& burst : bursts) {
    CHECK(burst.observed == 8);
    CHECK(burst.expected == Approx(0.5 * 20 / 140));
  }
  // All six bigrams of 小区变压器冒烟 tie; the five kept are the first by term.
  CHECK(TermsOf(bursts) == std::vector<std::string>{"冒烟", "区变", "压器", "变压", "器冒"});
  const auto examples = PickExamples(tickets, bursts[0].term);
  REQUIRE(examples.size() == 3);
  CHECK(examples[0].ticket_id == "T0");
  CHECK(examples[0].text == "小区变压器冒烟，电话139****5670");
}

}  // namespace
}  // namespace gridcare::analytics
