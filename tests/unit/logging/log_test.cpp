#include "gridcare/logging/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gridcare/core/clock.h"

namespace gridcare::logging {
namespace {

using nlohmann::json;

const core::TimePoint kTime = core::FromUnixMillis(1795485190123);  // 2026-11-24T01:53:10.123Z

std::string Line(std::string_view message, std::initializer_list<Field> fields = {}) {
  return FormatLine(kTime, Level::kInfo, "intake", message,
                    std::span<const Field>(fields.begin(), fields.size()));
}

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST_CASE("a line has ts, level, service, msg, then the fields in order") {
  CHECK(Line("ticket opened", {{"ticket_id", "T-1"},
                               {"attempt", 3},
                               {"ratio", 0.5},
                               {"urgent", true},
                               {"sent", false}}) ==
        R"({"ts":"2026-11-24T01:53:10.123Z","level":"info","service":"intake",)"
        R"("msg":"ticket opened","ticket_id":"T-1","attempt":3,"ratio":0.5,"urgent":true,)"
        R"("sent":false})");
  CHECK(FormatLine(kTime, Level::kError, "dispatch", "x", {}) ==
        R"({"ts":"2026-11-24T01:53:10.123Z","level":"error","service":"dispatch","msg":"x"})");
}

TEST_CASE("field values of every integer width and string flavour") {
  const std::string owned = "owned";
  const std::string_view view = "view";
  const auto parsed = json::parse(Line("m", {{"i8", static_cast<int8_t>(-8)},
                                             {"u16", static_cast<uint16_t>(65535)},
                                             {"i32", -2147483647 - 1},
                                             {"u32", 4294967295u},
                                             {"i64min", std::numeric_limits<int64_t>::min()},
                                             {"i64max", std::numeric_limits<int64_t>::max()},
                                             {"size", size_t{42}},
                                             {"u64max", std::numeric_limits<uint64_t>::max()},
                                             {"f", 1.5f},
                                             {"tiny", 1e-300},
                                             {"big", 1e300},
                                             {"neg_zero", -0.0},
                                             {"nan", std::nan("")},
                                             {"inf", std::numeric_limits<double>::infinity()},
                                             {"literal", "lit"},
                                             {"owned", owned},
                                             {"view", view},
                                             {"temp", std::string("temp")}}));
  CHECK(parsed["i8"] == -8);
  CHECK(parsed["u16"] == 65535);
  CHECK(parsed["i32"] == -2147483648LL);
  CHECK(parsed["u32"] == 4294967295LL);
  CHECK(parsed["i64min"] == std::numeric_limits<int64_t>::min());
  CHECK(parsed["i64max"] == std::numeric_limits<int64_t>::max());
  CHECK(parsed["size"] == 42);
  CHECK(parsed["u64max"].get<double>() == Approx(1.8446744073709552e19));
  CHECK(parsed["f"] == 1.5);
  CHECK(parsed["tiny"] == 1e-300);
  CHECK(parsed["big"] == 1e300);
  CHECK(parsed["neg_zero"] == 0.0);
  CHECK(parsed["nan"].is_null());
  CHECK(parsed["inf"].is_null());
  CHECK(parsed["literal"] == "lit");
  CHECK(parsed["owned"] == "owned");
  CHECK(parsed["view"] == "view");
  CHECK(parsed["temp"] == "temp");
}

TEST_CASE("fields cannot overwrite the line's own keys") {
  const std::string line =
      Line("real", {{"msg", "fake"}, {"level", "debug"}, {"ts", 0}, {"service", "x"}});
  const auto parsed = json::parse(line);
  CHECK(parsed["msg"] == "real");
  CHECK(parsed["level"] == "info");
  CHECK(parsed["service"] == "intake");
  CHECK(parsed["_msg"] == "fake");
  CHECK(parsed["_level"] == "debug");
  CHECK(parsed["_ts"] == 0);
  CHECK(parsed["_service"] == "x");
}

TEST_CASE("JSON string escaping, exactly") {
  struct Case {
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"say \"hi\"", R"("say \"hi\"")"},
      {"C:\\path", R"("C:\\path")"},
      {"a/b", R"("a/b")"},
      {"line1\nline2\r\n", R"("line1\nline2\r\n")"},
      {"tab\there", R"("tab\there")"},
      {"\b\f", R"("\b\f")"},
      {std::string("nul\0byte", 8), R"("nul\u0000byte")"},
      {"\x01\x1f\x7f", R"("\u0001\u001f\u007f")"},
      {"客户投诉：停电", R"("客户投诉：停电")"},
      {"emoji 😀", R"("emoji 😀")"},
      {"sep\u2028par\u2029", R"("sep\u2028par\u2029")"},
      {"\xff", "\"\xEF\xBF\xBD\""},
      {"ok\xc3", "\"ok\xEF\xBF\xBD\""},
  };
  for (const auto& row : cases) {
    INFO(row.input);
    CHECK(Quoted(row.input) == row.expected);
  }
}

TEST_CASE("every valid UTF-8 string round-trips through a JSON parser") {
  std::vector<std::string> inputs = {"",
                                     "ascii",
                                     "\"quoted\" and \\backslashed\\",
                                     "供电所：10kV 线路跳闸，预计 2 小时恢复",
                                     "mixed 中文 English ∑ 😀 \u00e9",
                                     "\u2028\u2029",
                                     "\x7f",
                                     "\U0010FFFF",
                                     "\uFFFD"};
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls += static_cast<char>(c);
  inputs.push_back(all_controls);
  std::string all_ascii;
  for (int c = 0; c < 0x80; ++c) all_ascii += static_cast<char>(c);
  inputs.push_back(all_ascii);
  for (const auto& input : inputs) {
    INFO(Quoted(input));
    const std::string line = Line(input, {{input.empty() ? "empty" : input, input}});
    CHECK(line.find('\n') == std::string::npos);
    const auto parsed = json::parse(line);
    CHECK(parsed["msg"].get<std::string>() == input);
    CHECK(parsed[input.empty() ? "empty" : input].get<std::string>() == input);
  }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and the line stays valid JSON") {
  const std::string kFffd = "\xEF\xBF\xBD";
  struct Case {
    const char* what;
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"lone continuation byte", "a\x80z", "a" + kFffd + "z"},
      {"invalid lead byte", "\xff\xfe", kFffd + kFffd},
      {"truncated 2-byte at end", "end\xc3", "end" + kFffd},
      {"truncated 3-byte", "\xe4\xb8z", kFffd + kFffd + "z"},
      {"truncated 4-byte", "\xf0\x9f\x98", kFffd + kFffd + kFffd},
      {"overlong slash", "\xc0\xaf", kFffd + kFffd},
      {"overlong 3-byte", "\xe0\x80\xaf", kFffd + kFffd + kFffd},
      {"UTF-16 surrogate", "\xed\xa0\x80", kFffd + kFffd + kFffd},
      {"above U+10FFFF", "\xf4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
      {"valid around invalid", "张\xff三", "张" + kFffd + "三"},
  };
  for (const auto& row : cases) {
    INFO(row.what);
    const std::string line = Line(row.input, {{"k\xff", row.input}});
    const auto parsed = json::parse(line);  // throws on invalid UTF-8
    CHECK(parsed["msg"].get<std::string>() == row.expected);
    CHECK(parsed["k" + kFffd].get<std::string>() == row.expected);
  }
}

TEST_CASE("ParseLevel and LevelName") {
  CHECK(ParseLevel("debug") == Level::kDebug);
  CHECK(ParseLevel("INFO") == Level::kInfo);
  CHECK(ParseLevel("warn") == Level::kWarn);
  CHECK(ParseLevel("Warning") == Level::kWarn);
  CHECK(ParseLevel("error") == Level::kError);
  CHECK(ParseLevel("") == std::nullopt);
  CHECK(ParseLevel("fatal") == std::nullopt);
  for (const Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    CHECK(ParseLevel(LevelName(level)) == level);
  }
}

TEST_CASE("a Logger writes only levels at or above its own") {
  auto sink = std::make_shared<MemorySink>();
  const core::FakeClock clock(kTime);
  Logger logger("complaint", Level::kWarn, sink, &clock);
  logger.Debug("d");
  logger.Info("i");
  logger.Warn("w", {{"n", 1}});
  logger.Error("e");
  logger.Log(Level::kInfo, "i2");
  REQUIRE(sink->Lines().size() == 2);
  CHECK(
      sink->Lines()[0] ==
      R"({"ts":"2026-11-24T01:53:10.123Z","level":"warn","service":"complaint","msg":"w","n":1})");
  CHECK(json::parse(sink->Lines()[1])["level"] == "error");
  CHECK_FALSE(logger.Enabled(Level::kInfo));
  logger.SetLevel(Level::kDebug);
  CHECK(logger.level() == Level::kDebug);
  logger.Debug("d2");
  CHECK(sink->Lines().size() == 3);
}

TEST_CASE("Log takes fields built at run time as a span") {
  auto sink = std::make_shared<MemorySink>();
  Logger logger("intake", Level::kInfo, sink);
  const std::vector<std::string> names = {"a", "b"};
  std::vector<Field> fields;
  for (size_t i = 0; i < names.size(); ++i) fields.push_back({names[i], static_cast<int>(i)});
  logger.Log(Level::kInfo, "settings", fields);
  const auto parsed = json::parse(sink->Lines().at(0));
  CHECK(parsed["a"] == 0);
  CHECK(parsed["b"] == 1);
}

TEST_CASE("the process-wide logger: Init, levels and the free functions") {
  auto sink = std::make_shared<MemorySink>();
  const core::FakeClock clock(kTime);
  Init("notification", Level::kInfo, sink, &clock);
  Debug("hidden");
  Info("shown", {{"k", "v"}});
  Warn("w");
  Error("e");
  Log(Level::kDebug, "hidden too");
  CHECK_FALSE(Enabled(Level::kDebug));
  SetLevel(Level::kDebug);
  CHECK(Enabled(Level::kDebug));
  Debug("now shown");
  const auto lines = sink->Lines();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == R"({"ts":"2026-11-24T01:53:10.123Z","level":"info","service":"notification",)"
                    R"("msg":"shown","k":"v"})");
  CHECK(json::parse(lines[3])["msg"] == "now shown");
  CHECK(Default().service() == "notification");

  auto second = std::make_shared<MemorySink>();
  Init("analytics", Level::kError, second, &clock);
  Warn("dropped");
  Error("kept");
  CHECK(sink->Lines().size() == 4);
  CHECK(second->Lines().size() == 1);
}

TEST_CASE("Init may replace the process-wide logger while other threads log") {
  auto sink = std::make_shared<MemorySink>();
  Init("intake", Level::kInfo, sink);
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&stop] {
      while (!stop.load()) Info("tick", {{"k", 1}});
    });
  }
  for (int i = 0; i < 200; ++i) Init(i % 2 == 0 ? "a" : "b", Level::kInfo, sink);
  stop.store(true);
  for (auto& writer : writers) writer.join();
  for (const auto& line : sink->Lines()) CHECK_NOTHROW(json::parse(line));
}

TEST_CASE("concurrent writers never interleave lines in the sink") {
  constexpr int kThreads = 8;
  constexpr int kLinesPerThread = 2000;
  auto sink = std::make_shared<MemorySink>();
  Logger logger("intake", Level::kInfo, sink);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, t] {
      for (int i = 0; i < kLinesPerThread; ++i) {
        logger.Info("tick", {{"thread", t}, {"i", i}, {"pad", std::string(100, 'x')}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto lines = sink->Lines();
  REQUIRE(lines.size() == size_t{kThreads} * kLinesPerThread);
  std::set<std::pair<int, int>> seen;
  for (const auto& line : lines) {
    const auto parsed = json::parse(line);
    seen.emplace(parsed["thread"].get<int>(), parsed["i"].get<int>());
  }
  CHECK(seen.size() == lines.size());
}

TEST_CASE("FdSink: many threads writing long lines to one file produce whole lines") {
  std::string path = (std::filesystem::temp_directory_path() / "gridcare-log-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  REQUIRE(fd >= 0);
  constexpr int kThreads = 4;
  constexpr int kLinesPerThread = 500;
  {
    auto sink = std::make_shared<FdSink>(fd);
    Logger logger("intake", Level::kInfo, sink);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&logger, t] {
        // Longer than PIPE_BUF, so atomicity comes from the sink, not from the kernel.
        const std::string big(8000, static_cast<char>('a' + t));
        for (int i = 0; i < kLinesPerThread; ++i) logger.Info(big, {{"i", i}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  ::close(fd);
  std::ifstream in(path);
  int count = 0;
  for (std::string line; std::getline(in, line); ++count) {
    const auto parsed = json::parse(line);
    const std::string msg = parsed["msg"].get<std::string>();
    REQUIRE(msg.size() == 8000);
    CHECK(msg.find_first_not_of(msg[0]) == std::string::npos);
  }
  CHECK(count == kThreads * kLinesPerThread);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gridcare::logging
