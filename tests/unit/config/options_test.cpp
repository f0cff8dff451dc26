#include "gridcare/config/options.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "test_env.h"

namespace gridcare::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Harness;

// A file holding `contents`, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    std::string pattern = (std::filesystem::temp_directory_path() / "gridcare-secret-XXXXXX");
    const int fd = ::mkstemp(pattern.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One row of a precedence table: what the flag and the environment say, and what should win.
struct PrecedenceCase {
  const char* what;
  std::vector<std::string> args;
  std::optional<std::string> env;
  std::string expected;  // formatted value, as Settings() shows it
  Source source;
};

// Runs every row against an option of type T whose default formats as `default_text`.
template <typename T>
void CheckPrecedence(T initial, const std::vector<PrecedenceCase>& cases) {
  for (const auto& row : cases) {
    INFO(row.what);
    Harness h;
    T target = initial;
    h.options.Add("sample-value", target, "A sample.");
    if (row.env) h.env["GRIDCARE_SAMPLE_VALUE"] = *row.env;
    REQUIRE(h.Parse(row.args) == std::nullopt);
    CHECK(h.err.str().empty());
    const auto settings = h.options.Settings();
    REQUIRE(settings.size() == 1);
    CHECK(settings[0].name == "sample-value");
    CHECK(settings[0].value == row.expected);
    CHECK(settings[0].source == row.source);
    CHECK(detail::FormatValue(target) == row.expected);
  }
}

TEST_CASE("flag wins over env, env over default, for every option type") {
  SECTION("string") {
    CheckPrecedence<std::string>(
        "dflt", {
                    {"nothing set", {}, std::nullopt, "dflt", Source::kDefault},
                    {"env only", {}, "from-env", "from-env", Source::kEnv},
                    {"flag only",
                     {"--sample-value", "from-flag"},
                     std::nullopt,
                     "from-flag",
                     Source::kFlag},
                    {"flag=value form",
                     {"--sample-value=from-flag"},
                     std::nullopt,
                     "from-flag",
                     Source::kFlag},
                    {"flag and env",
                     {"--sample-value", "from-flag"},
                     "from-env",
                     "from-flag",
                     Source::kFlag},
                    {"empty env counts as unset", {}, "", "dflt", Source::kDefault},
                    {"last flag wins",
                     {"--sample-value=a", "--sample-value=b"},
                     std::nullopt,
                     "b",
                     Source::kFlag},
                    {"explicit empty flag", {"--sample-value="}, "from-env", "", Source::kFlag},
                    {"UTF-8 value",
                     {"--sample-value", "国网客服"},
                     std::nullopt,
                     "国网客服",
                     Source::kFlag},
                });
  }
  SECTION("int") {
    CheckPrecedence<int>(
        7, {
               {"nothing set", {}, std::nullopt, "7", Source::kDefault},
               {"env only", {}, "42", "42", Source::kEnv},
               {"flag only", {"--sample-value=-3"}, std::nullopt, "-3", Source::kFlag},
               {"flag and env", {"--sample-value", "1"}, "2", "1", Source::kFlag},
           });
  }
  SECTION("int64") {
    CheckPrecedence<int64_t>(
        int64_t{7},
        {
            {"nothing set", {}, std::nullopt, "7", Source::kDefault},
            {"env beyond int", {}, "9000000000", "9000000000", Source::kEnv},
            {"flag and env", {"--sample-value", "-9000000000"}, "2", "-9000000000", Source::kFlag},
        });
  }
  SECTION("double") {
    CheckPrecedence<double>(0.25,
                            {
                                {"nothing set", {}, std::nullopt, "0.25", Source::kDefault},
                                {"env only", {}, "1.5", "1.5", Source::kEnv},
                                {"exponent", {"--sample-value=1e3"}, "2", "1000", Source::kFlag},
                            });
  }
  SECTION("bool") {
    CheckPrecedence<bool>(
        false,
        {
            {"nothing set", {}, std::nullopt, "false", Source::kDefault},
            {"bare flag", {"--sample-value"}, std::nullopt, "true", Source::kFlag},
            {"flag=false beats env", {"--sample-value=false"}, "true", "false", Source::kFlag},
            {"env true", {}, "true", "true", Source::kEnv},
            {"env 1", {}, "1", "true", Source::kEnv},
            {"env YES", {}, "YES", "true", Source::kEnv},
            {"env on", {}, "on", "true", Source::kEnv},
            {"env off", {}, "off", "false", Source::kEnv},
            {"env 0", {}, "0", "false", Source::kEnv},
        });
    CheckPrecedence<bool>(true, {
                                    {"default true", {}, std::nullopt, "true", Source::kDefault},
                                    {"env no", {}, "no", "false", Source::kEnv},
                                });
  }
  SECTION("milliseconds") {
    CheckPrecedence<milliseconds>(
        milliseconds(250),
        {
            {"nothing set", {}, std::nullopt, "250ms", Source::kDefault},
            {"env", {}, "5s", "5s", Source::kEnv},
            {"flag", {"--sample-value=1m30s"}, "5s", "1m30s", Source::kFlag},
            {"hours", {"--sample-value", "1h"}, std::nullopt, "1h", Source::kFlag},
        });
  }
  SECTION("seconds") {
    CheckPrecedence<seconds>(seconds(30),
                             {
                                 {"nothing set", {}, std::nullopt, "30s", Source::kDefault},
                                 {"env minutes", {}, "2m", "2m", Source::kEnv},
                                 {"ms that are whole seconds",
                                  {"--sample-value=3000ms"},
                                  std::nullopt,
                                  "3s",
                                  Source::kFlag},
                             });
  }
}

TEST_CASE("parsed values land in the bound variables") {
  Harness h;
  std::string text = "x";
  int count = 1;
  int64_t big = 2;
  double ratio = 0.5;
  bool enabled = false;
  milliseconds timeout(100);
  seconds window(60);
  h.options.Add("text", text, "t");
  h.options.Add("count", count, "c");
  h.options.Add("big", big, "b");
  h.options.Add("ratio", ratio, "r");
  h.options.Add("enabled", enabled, "e");
  h.options.Add("timeout", timeout, "t");
  h.options.Add("window", window, "w");
  h.env["GRIDCARE_COUNT"] = "12";
  h.env["GRIDCARE_WINDOW"] = "1h";
  REQUIRE(h.Parse({"--text", "hello", "--big=123456789012", "--ratio", "0.75", "--enabled",
                   "--timeout", "250ms"}) == std::nullopt);
  CHECK(text == "hello");
  CHECK(count == 12);
  CHECK(big == 123456789012);
  CHECK(ratio == 0.75);
  CHECK(enabled);
  CHECK(timeout == milliseconds(250));
  CHECK(window == seconds(3600));
}

TEST_CASE("a missing required option names the flag, the env var and an example") {
  Harness h;
  std::string servers;
  h.options.Add("kafka-bootstrap-servers", servers, "Brokers.")
      .HostPortList()
      .Required()
      .Example("127.0.0.1:9092");
  CHECK(h.Parse({}) == 2);
  CHECK(h.err.str() ==
        "intake: --kafka-bootstrap-servers is required (set the flag or "
        "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS, e.g. 127.0.0.1:9092)\n");
  CHECK(h.out.str().empty());
}

TEST_CASE("a required option is satisfied by the flag or by the env var") {
  for (const bool by_flag : {true, false}) {
    Harness h;
    std::string servers;
    h.options.Add("kafka-bootstrap-servers", servers, "Brokers.").HostPortList().Required();
    std::vector<std::string> args;
    if (by_flag) {
      args = {"--kafka-bootstrap-servers", "k1:9092,k2:9092"};
    } else {
      h.env["GRIDCARE_KAFKA_BOOTSTRAP_SERVERS"] = "k1:9092,k2:9092";
    }
    CHECK(h.Parse(args) == std::nullopt);
    CHECK(servers == "k1:9092,k2:9092");
  }
}

TEST_CASE("an empty env var does not satisfy a required option") {
  Harness h;
  std::string address;
  h.options.Add("redis-address", address, "Redis.").HostPort().Required();
  h.env["GRIDCARE_REDIS_ADDRESS"] = "";
  CHECK(h.Parse({}) == 2);
  CHECK_THAT(h.err.str(), Catch::Contains("--redis-address is required") &&
                              Catch::Contains("GRIDCARE_REDIS_ADDRESS"));
}

// Variables for the invalid-value table; declared before each Harness so they outlive it.
struct Targets {
  std::string text;
  int number = 10;
  int64_t big = 1;
  double ratio = 0.5;
  bool flag = false;
  milliseconds timeout{250};
  seconds window{60};
};

// One row of the invalid-value table: how to register, what is given, and what the error says.
struct InvalidCase {
  const char* what;
  std::function<void(Options&, Targets&)> add;
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  std::vector<std::string> expected;  // substrings of the single error line
};

TEST_CASE("invalid values are refused with a message naming the flag and env var") {
  const std::vector<InvalidCase> cases = {
      {"not a host:port",
       [](Options& o, Targets& t) { o.Add("metrics-listen-address", t.text, "m").HostPort(true); },
       {"--metrics-listen-address", "localhost"},
       {},
       {"intake: --metrics-listen-address=\"localhost\" is invalid: expected HOST:PORT",
        "the port is missing", "GRIDCARE_METRICS_LISTEN_ADDRESS", "e.g. 127.0.0.1:0"}},
      {"port out of range from env",
       [](Options& o, Targets& t) {
         o.Add("redis-address", t.text, "r").HostPort().Example("127.0.0.1:6379");
       },
       {},
       {{"GRIDCARE_REDIS_ADDRESS", "redis:70000"}},
       {"intake: GRIDCARE_REDIS_ADDRESS=\"redis:70000\" (for --redis-address) is invalid",
        "port in 1..65535", "(set the flag or GRIDCARE_REDIS_ADDRESS, e.g. 127.0.0.1:6379)"}},
      {"port zero not allowed",
       [](Options& o, Targets& t) { o.Add("redis-address", t.text, "r").HostPort(); },
       {"--redis-address=redis:0"},
       {},
       {"--redis-address=\"redis:0\"", "port in 1..65535", "GRIDCARE_REDIS_ADDRESS"}},
      {"bad broker in a list",
       [](Options& o, Targets& t) { o.Add("kafka-bootstrap-servers", t.text, "k").HostPortList(); },
       {"--kafka-bootstrap-servers", "k1:9092,k2"},
       {},
       {"--kafka-bootstrap-servers=\"k1:9092,k2\"", "\"k2\"", "port is missing",
        "GRIDCARE_KAFKA_BOOTSTRAP_SERVERS", "e.g. 127.0.0.1:9092"}},
      {"not one of",
       [](Options& o, Targets& t) {
         o.Add("log-level", t.text, "l").OneOf({"debug", "info", "warn", "error"});
       },
       {},
       {{"GRIDCARE_LOG_LEVEL", "verbose"}},
       {"GRIDCARE_LOG_LEVEL=\"verbose\" (for --log-level)",
        "must be one of: debug, info, warn, error", "e.g. debug"}},
      {"empty where NonEmpty",
       [](Options& o, Targets& t) { o.Add("kafka-client-id", t.text, "k").NonEmpty(); },
       {"--kafka-client-id="},
       {},
       {"--kafka-client-id=\"\" is invalid: must not be empty", "GRIDCARE_KAFKA_CLIENT_ID"}},
      {"int with junk",
       [](Options& o, Targets& t) { o.Add("batch-size", t.number, "b"); },
       {"--batch-size", "12abc"},
       {},
       {"--batch-size=\"12abc\" is invalid: expected a whole number", "GRIDCARE_BATCH_SIZE"}},
      {"int overflow",
       [](Options& o, Targets& t) { o.Add("batch-size", t.number, "b"); },
       {"--batch-size", "99999999999"},
       {},
       {"must be between -2147483648 and 2147483647", "GRIDCARE_BATCH_SIZE"}},
      {"int out of Range",
       [](Options& o, Targets& t) { o.Add("batch-size", t.number, "b").Range(1, 500); },
       {},
       {{"GRIDCARE_BATCH_SIZE", "0"}},
       {"GRIDCARE_BATCH_SIZE=\"0\" (for --batch-size) is invalid: must be between 1 and 500",
        "e.g. 10"}},
      {"int64 out of Range",
       [](Options& o, Targets& t) { o.Add("max-bytes", t.big, "b").Range(1, 1 << 20); },
       {"--max-bytes=2097152"},
       {},
       {"must be between 1 and 1048576", "GRIDCARE_MAX_BYTES"}},
      {"double not a number",
       [](Options& o, Targets& t) { o.Add("sample-ratio", t.ratio, "s"); },
       {"--sample-ratio", "half"},
       {},
       {"--sample-ratio=\"half\" is invalid: expected a number", "GRIDCARE_SAMPLE_RATIO"}},
      {"double not finite",
       [](Options& o, Targets& t) { o.Add("sample-ratio", t.ratio, "s"); },
       {"--sample-ratio", "inf"},
       {},
       {"expected a number"}},
      {"double out of Range",
       [](Options& o, Targets& t) { o.Add("sample-ratio", t.ratio, "s").Range(0.0, 1.0); },
       {"--sample-ratio", "1.5"},
       {},
       {"must be between 0 and 1", "GRIDCARE_SAMPLE_RATIO"}},
      {"bool from env",
       [](Options& o, Targets& t) { o.Add("dry-run", t.flag, "d"); },
       {},
       {{"GRIDCARE_DRY_RUN", "maybe"}},
       {"GRIDCARE_DRY_RUN=\"maybe\" (for --dry-run) is invalid: expected true or false"}},
      {"duration without unit",
       [](Options& o, Targets& t) { o.Add("poll-timeout", t.timeout, "p"); },
       {"--poll-timeout", "500"},
       {},
       {"--poll-timeout=\"500\" is invalid", "unit (ms, s, m or h) is missing",
        "GRIDCARE_POLL_TIMEOUT", "e.g. 250ms"}},
      {"duration out of Range",
       [](Options& o, Targets& t) {
         o.Add("poll-timeout", t.timeout, "p").Range(milliseconds(10), milliseconds(60000));
       },
       {"--poll-timeout", "2m"},
       {},
       {"must be between 10ms and 1m", "GRIDCARE_POLL_TIMEOUT"}},
      {"seconds with a fraction",
       [](Options& o, Targets& t) { o.Add("window", t.window, "w"); },
       {},
       {{"GRIDCARE_WINDOW", "1500ms"}},
       {"GRIDCARE_WINDOW=\"1500ms\" (for --window)", "whole number of seconds"}},
      {"control characters are escaped in the echo",
       [](Options& o, Targets& t) { o.Add("redis-address", t.text, "r").HostPort(); },
       {"--redis-address", "a\nb:1"},
       {},
       {"--redis-address=\"a\\x0ab:1\""}},
  };
  for (const auto& row : cases) {
    INFO(row.what);
    Targets targets;
    Harness h;
    row.add(h.options, targets);
    h.env = row.env;
    CHECK(h.Parse(row.args) == 2);
    const std::string err = h.err.str();
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    for (const auto& part : row.expected) CHECK_THAT(err, Catch::Contains(part));
  }
}

TEST_CASE("an invalid flag is reported even when the env var is valid") {
  Harness h;
  int workers = 1;
  h.options.Add("workers", workers, "w").Range(1, 64);
  h.env["GRIDCARE_WORKERS"] = "8";
  CHECK(h.Parse({"--workers=0"}) == 2);
  CHECK_THAT(h.err.str(), Catch::Contains("--workers=\"0\""));
  CHECK(workers == 1);
}

TEST_CASE("every problem is reported, one line each, in registration order") {
  Harness h;
  std::string servers;
  std::string level = "info";
  int workers = 1;
  h.options.Add("kafka-bootstrap-servers", servers, "k").HostPortList().Required();
  h.options.Add("log-level", level, "l").OneOf({"debug", "info"});
  h.options.Add("workers", workers, "w");
  h.env["GRIDCARE_LOG_LEVEL"] = "loud";
  CHECK(h.Parse({"--workers", "many"}) == 2);
  const std::string err = h.err.str();
  const auto first = err.find("--kafka-bootstrap-servers is required");
  const auto second = err.find("GRIDCARE_LOG_LEVEL=\"loud\"");
  const auto third = err.find("--workers=\"many\"");
  CHECK(first != std::string::npos);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(first < second);
  CHECK(second < third);
  CHECK(std::count(err.begin(), err.end(), '\n') == 3);
}

TEST_CASE("unknown flags, stray arguments and missing values are usage errors") {
  const std::vector<std::vector<std::string>> cases = {
      {"--bogus"}, {"stray"}, {"--log-level"}, {"--log-level", "info", "extra"}};
  for (const auto& args : cases) {
    Harness h;
    std::string level = "info";
    h.options.Add("log-level", level, "l");
    CHECK(h.Parse(args) == 2);
    CHECK_THAT(h.err.str(), Catch::StartsWith("intake: ") && Catch::Contains("intake --help"));
  }
}

TEST_CASE("help output lists every option with its env var and default, and exits 0") {
  Harness h("intake", "Turns channel requests into tickets.");
  std::string address = "127.0.0.1:9464";
  std::string servers;
  int workers = 4;
  bool dry_run = false;
  milliseconds timeout(250);
  Secret password;
  h.options.Add("metrics-listen-address", address, "Where metrics are served").HostPort(true);
  h.options.Add("kafka-bootstrap-servers", servers, "Kafka brokers")
      .HostPortList()
      .Required()
      .Example("127.0.0.1:9092");
  h.options.Add("workers", workers, "Worker threads").Range(1, 64);
  h.options.Add("dry-run", dry_run, "Do not publish");
  h.options.Add("poll-timeout", timeout, "How long a poll waits");
  h.options.Add("redis-password", password, "Redis password");
  h.env["GRIDCARE_REDIS_PASSWORD"] = "hunter2";

  CHECK(h.Parse({"--help"}) == 0);
  const std::string help = h.out.str();
  CHECK(h.err.str().empty());
  CHECK(help == h.options.Help());
  for (const char* part : {
           "Usage: intake [OPTIONS]",
           "Turns channel requests into tickets.",
           "  --metrics-listen-address HOST:PORT\n      Where metrics are served.\n"
           "      env: GRIDCARE_METRICS_LISTEN_ADDRESS; default: 127.0.0.1:9464\n",
           "  --kafka-bootstrap-servers HOST:PORT[,HOST:PORT...]\n",
           "env: GRIDCARE_KAFKA_BOOTSTRAP_SERVERS; required, e.g. 127.0.0.1:9092",
           "  --workers INT\n      Worker threads. Range 1..64.\n"
           "      env: GRIDCARE_WORKERS; default: 4\n",
           "  --dry-run\n",
           "env: GRIDCARE_DRY_RUN=true|false; default: false",
           "  --poll-timeout DURATION\n",
           "env: GRIDCARE_POLL_TIMEOUT; default: 250ms",
           "  --redis-password-file PATH\n",
           "env: GRIDCARE_REDIS_PASSWORD_FILE, or the value itself in GRIDCARE_REDIS_PASSWORD",
           "-h, --help",
           "--version",
       }) {
    CHECK_THAT(help, Catch::Contains(part));
  }
  CHECK_THAT(help, !Catch::Contains("hunter2"));
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 100);
}

TEST_CASE("help output wins over missing required options, by long or short flag") {
  for (const char* flag : {"--help", "-h"}) {
    Harness h;
    std::string servers;
    h.options.Add("kafka-bootstrap-servers", servers, "k").Required();
    CHECK(h.Parse({flag}) == 0);
    CHECK(h.err.str().empty());
    CHECK_THAT(h.out.str(), Catch::Contains("--kafka-bootstrap-servers"));
  }
}

TEST_CASE("version output is the program and version, and exits 0") {
  Harness h;
  std::string servers;
  h.options.Add("kafka-bootstrap-servers", servers, "k").Required();
  h.options.SetVersion("1.2.3");
  CHECK(h.Parse({"--version"}) == 0);
  CHECK(h.out.str() == "intake 1.2.3\n");
}

TEST_CASE("the default version is the project version") {
  Harness h;
  CHECK(h.Parse({"--version"}) == 0);
  CHECK_THAT(h.out.str(), Catch::Matches("intake [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_CASE("secrets come from a file or an env var, never from a flag value") {
  const TempFile flag_file("from-flag-file\n");
  const TempFile env_file("from-env-file\r\n");
  struct Case {
    const char* what;
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string expected;
    Source source;
  };
  const std::vector<Case> cases = {
      {"unset", {}, {}, "", Source::kDefault},
      {"value env", {}, {{"GRIDCARE_REDIS_PASSWORD", "from-env"}}, "from-env", Source::kSecretEnv},
      {"file env",
       {},
       {{"GRIDCARE_REDIS_PASSWORD_FILE", env_file.path()}},
       "from-env-file",
       Source::kEnv},
      {"file env beats value env",
       {},
       {{"GRIDCARE_REDIS_PASSWORD_FILE", env_file.path()}, {"GRIDCARE_REDIS_PASSWORD", "v"}},
       "from-env-file",
       Source::kEnv},
      {"file flag beats both",
       {"--redis-password-file", flag_file.path()},
       {{"GRIDCARE_REDIS_PASSWORD_FILE", env_file.path()}, {"GRIDCARE_REDIS_PASSWORD", "v"}},
       "from-flag-file",
       Source::kFlag},
  };
  for (const auto& row : cases) {
    INFO(row.what);
    Harness h;
    Secret password;
    h.options.Add("redis-password", password, "Redis password");
    h.env = row.env;
    REQUIRE(h.Parse(row.args) == std::nullopt);
    CHECK(password.Reveal() == row.expected);
    const auto settings = h.options.Settings();
    CHECK(settings[0].name == "redis-password");
    CHECK(settings[0].value == (row.expected.empty() ? "" : "***"));
    CHECK(settings[0].source == row.source);
  }
}

TEST_CASE("a secret file keeps inner newlines and drops only trailing ones") {
  const TempFile file("line1\nline2\n\n");
  Harness h;
  Secret token;
  h.options.Add("api-token", token, "t");
  REQUIRE(h.Parse({"--api-token-file=" + file.path()}) == std::nullopt);
  CHECK(token.Reveal() == "line1\nline2");
}

TEST_CASE("the flag of a secret can also be named with its -file suffix") {
  Harness h;
  Secret token;
  h.options.Add("--api-token-file", token, "t");
  h.env["GRIDCARE_API_TOKEN"] = "abc";
  REQUIRE(h.Parse({}) == std::nullopt);
  CHECK(token.Reveal() == "abc");
}

TEST_CASE("secret errors name the flag and env vars but never the value") {
  SECTION("unreadable file") {
    Harness h;
    Secret password;
    h.options.Add("redis-password", password, "p");
    CHECK(h.Parse({"--redis-password-file", "/nonexistent/gridcare/pw"}) == 2);
    CHECK_THAT(h.err.str(),
               Catch::Contains("--redis-password-file=\"/nonexistent/gridcare/pw\" is invalid: "
                               "cannot be read: No such file or directory") &&
                   Catch::Contains("GRIDCARE_REDIS_PASSWORD_FILE") &&
                   Catch::Contains("GRIDCARE_REDIS_PASSWORD)"));
  }
  SECTION("required and missing") {
    Harness h;
    Secret password;
    h.options.Add("redis-password", password, "p").Required();
    CHECK(h.Parse({}) == 2);
    CHECK(h.err.str() ==
          "intake: --redis-password-file is required (set the flag, "
          "GRIDCARE_REDIS_PASSWORD_FILE or GRIDCARE_REDIS_PASSWORD)\n");
  }
  SECTION("empty file where NonEmpty") {
    const TempFile empty("\n");
    Harness h;
    Secret password;
    h.options.Add("redis-password", password, "p").NonEmpty();
    CHECK(h.Parse({"--redis-password-file", empty.path()}) == 2);
    CHECK_THAT(h.err.str(), Catch::Contains("must not be empty"));
  }
  SECTION("a value env var is never echoed, whatever else fails") {
    Harness h;
    Secret password;
    std::string address;
    h.options.Add("redis-password", password, "p").NonEmpty();
    h.options.Add("redis-address", address, "r").HostPort().Required();
    h.env["GRIDCARE_REDIS_PASSWORD"] = "hunter2";
    CHECK(h.Parse({"--redis-address", "no-port"}) == 2);
    CHECK(password.Reveal() == "hunter2");
    CHECK_THAT(h.err.str(), Catch::Contains("--redis-address") && !Catch::Contains("hunter2"));
    CHECK_THAT(h.options.Describe(),
               Catch::Contains("redis-password=***") && !Catch::Contains("hunter2"));
    CHECK_THAT(h.options.Help(), !Catch::Contains("hunter2"));
  }
  SECTION("the content of a secret file never shows up") {
    const TempFile file("s3cr3t-content");
    Harness h;
    Secret password;
    h.options.Add("redis-password", password, "p");
    h.env["GRIDCARE_REDIS_PASSWORD_FILE"] = file.path();
    REQUIRE(h.Parse({}) == std::nullopt);
    CHECK(password.Reveal() == "s3cr3t-content");
    CHECK_THAT(h.options.Describe(), !Catch::Contains("s3cr3t"));
    CHECK_THAT(h.options.Help(), !Catch::Contains("s3cr3t"));
  }
}

TEST_CASE("Describe lists effective settings with secrets redacted") {
  Harness h;
  std::string address = "127.0.0.1:9464";
  std::string group;
  int workers = 4;
  milliseconds timeout(250);
  bool dry_run = false;
  Secret password;
  Secret unset;
  h.options.Add("metrics-listen-address", address, "m");
  h.options.Add("consumer-group", group, "g");
  h.options.Add("workers", workers, "w");
  h.options.Add("poll-timeout", timeout, "p");
  h.options.Add("dry-run", dry_run, "d");
  h.options.Add("redis-password", password, "p");
  h.options.Add("api-token", unset, "t");
  h.env["GRIDCARE_REDIS_PASSWORD"] = "hunter2";
  h.env["GRIDCARE_WORKERS"] = "8";
  REQUIRE(h.Parse({"--poll-timeout=2s", "--consumer-group", "a b"}) == std::nullopt);
  CHECK(h.options.Describe() ==
        "metrics-listen-address=127.0.0.1:9464 consumer-group=\"a b\" workers=8 poll-timeout=2s "
        "dry-run=false redis-password=*** api-token=\"\"");
}

TEST_CASE("programming mistakes in registration throw std::logic_error") {
  Harness h;
  std::string a;
  std::string b;
  CHECK_THROWS_AS(h.options.Add("Bad_Name", a, "x"), std::logic_error);
  CHECK_THROWS_AS(h.options.Add("", a, "x"), std::logic_error);
  CHECK_THROWS_AS(h.options.Add("trailing-", a, "x"), std::logic_error);
  CHECK_THROWS_AS(h.options.Add("double--dash", a, "x"), std::logic_error);
  CHECK_THROWS_AS(h.options.Add("9lives", a, "x"), std::logic_error);
  CHECK_THROWS_AS(h.options.Add("help", a, "x"), std::logic_error);
  h.options.Add("kafka-client-id", a, "x");
  CHECK_THROWS_AS(h.options.Add("--kafka-client-id", b, "x"), std::logic_error);
  Secret s;
  h.options.Add("token", s, "x");
  CHECK_THROWS_AS(h.options.Add("token-file", b, "x"), std::logic_error);  // env var clash
  REQUIRE(h.Parse({}) == std::nullopt);
  CHECK_THROWS_AS(h.options.Add("later", b, "x"), std::logic_error);
  CHECK_THROWS_AS(h.Parse({}), std::logic_error);
}

TEST_CASE("Parse(argc, argv) skips the program name") {
  Harness h;
  int workers = 1;
  h.options.Add("workers", workers, "w");
  std::string program = "intake";
  std::string flag = "--workers=3";
  char* argv[] = {program.data(), flag.data(), nullptr};
  REQUIRE(h.options.Parse(2, argv) == std::nullopt);
  CHECK(workers == 3);
}

TEST_CASE("without an injected environment the real one is read") {
  Options options("intake", "d");
  std::ostringstream out;
  std::ostringstream err;
  options.SetOutput(out, err);
  int workers = 1;
  options.Add("config-test-workers", workers, "w");
  ::setenv("GRIDCARE_CONFIG_TEST_WORKERS", "5", 1);
  const auto result = options.Parse(std::vector<std::string>{});
  ::unsetenv("GRIDCARE_CONFIG_TEST_WORKERS");
  REQUIRE(result == std::nullopt);
  CHECK(workers == 5);
}

}  // namespace
}  // namespace gridcare::config
