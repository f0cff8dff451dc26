// gridcare-synth: writes a synthetic utility (supply network, repair crews and, on request,
// customers) as JSON Lines, for tests, demos and benchmarks. Everything is a pure function of
// --seed and --customers (and the rates): the same flags give byte-identical files.
//
// Customers stream through CustomerSink objects: a JSONL file (--write-customers) and/or Redis
// through the profile service's bulk path (--load-redis).
//
// `gridcare-synth history` writes a request history instead (libs/synth history.h): weeks of
// contacts of the utility's districts with seasonality, holidays, storms and injected surges, and
// their ground truth beside them (history_output.h); with --publish it also publishes the requests
// on gridcare.requests.v1 (history_publish.h), --end-now moving them to end in the last week.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "gridcare/synth/history.h"
#include "gridcare/synth/sink.h"
#include "gridcare/synth/utility.h"
#include "history_output.h"
#include "history_publish.h"
#include "jsonl.h"
#include "profile_sink.h"

namespace {

using gridcare::synth::CustomerSink;
using Clock = std::chrono::steady_clock;

struct Settings {
  gridcare::synth::UtilitySpec spec;
  std::string out_dir = "synth-out";
  bool write_customers = false;
  std::string load_redis;  // host:port; empty = do not load
  int load_batch = 1000;
  int load_connections = 2;
  bool count_customers = false;
  bool progress = false;
  bool no_progress = false;
};

// The history mode's options.
struct HistorySettings {
  int weeks = 8;
  int districts = 0;  // 0: the utility's districts (callers are its customers)
  double volume = 1;
  int surges = 30;
  int first_surge_week = 4;
  double min_series_rate = 0;
  double min_hours = 12;
  double max_hours = 48;
  int storms = 4;
  int holidays = 2;
  std::string publish;  // bootstrap servers: also publish on gridcare.requests.v1
  bool end_now = false;
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// 1234567 -> "1,234,567"
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A one-line bar redrawn in place on stderr, at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled) : label_(std::move(label)), enabled_(enabled) {}

  void Update(int64_t done, int64_t total) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int kWidth = 30;
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1;
    const int filled = static_cast<int>(fraction * kWidth);
    const double elapsed = Seconds(now - start_);
    const double eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
    std::fprintf(stderr, "\r%s [%s%s] %3d%%  %s / %s  %.1f s  ETA %.1f s   ", label_.c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(kWidth - filled), '.').c_str(),
                 static_cast<int>(fraction * 100), Grouped(done).c_str(), Grouped(total).c_str(),
                 elapsed, eta);
    if (done >= total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string label_;
  bool enabled_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
};

// Counts what went by, for the summary. Sharers follow their phone's owner directly (same
// transformer area, next indices), so a run of equal primary phones is one shared group.
class TallySink final : public CustomerSink {
 public:
  gridcare::core::Status Write(const gridcare::v1::Customer& customer) override {
    ++total_;
    ++by_class_[static_cast<size_t>(customer.area_class()) % 4];
    ++by_type_[static_cast<size_t>(customer.account_type()) % 5];
    for (const int tag : customer.tags()) ++by_tag_[static_cast<size_t>(tag) % 6];
    const auto& phone = customer.phones(0);
    if (phone == previous_phone_) {
      shared_ += run_ == 1 ? 2 : 1;
      ++run_;
    } else {
      previous_phone_ = phone;
      run_ = 1;
    }
    return {};
  }

  int64_t total() const { return total_; }
  int64_t by_class(gridcare::v1::AreaClass c) const { return by_class_[static_cast<size_t>(c)]; }
  int64_t by_type(gridcare::v1::AccountType t) const { return by_type_[static_cast<size_t>(t)]; }
  int64_t by_tag(gridcare::v1::CustomerTag t) const { return by_tag_[static_cast<size_t>(t)]; }
  int64_t shared_phone_accounts() const { return shared_; }

 private:
  int64_t total_ = 0;
  std::array<int64_t, 4> by_class_{};
  std::array<int64_t, 5> by_type_{};
  std::array<int64_t, 6> by_tag_{};
  std::string previous_phone_;
  int64_t run_ = 0;
  int64_t shared_ = 0;
};

// The sinks customers are written to.
gridcare::core::Result<std::vector<std::unique_ptr<CustomerSink>>> MakeSinks(
    const Settings& settings) {
  std::vector<std::unique_ptr<CustomerSink>> sinks;
  if (settings.write_customers) {
    sinks.push_back(std::make_unique<gridcare::synth_tool::JsonlCustomerSink>(
        std::filesystem::path(settings.out_dir) / "customers.jsonl"));
  }
  if (!settings.load_redis.empty()) {
    auto address = gridcare::redis::ParseAddress(settings.load_redis);
    if (!address) return address.error();
    gridcare::redis::RedisSettings redis;
    redis.host = address->host;
    redis.port = address->port;
    redis.command_timeout = std::chrono::seconds(10);  // large pipelined batches
    redis.pool_size = static_cast<size_t>(settings.load_connections);
    if (const char* password = std::getenv("GRIDCARE_REDIS_PASSWORD")) redis.password = password;
    auto client = gridcare::redis::RedisClient::Create(redis);
    if (!client) return client.error();
    if (auto ping = (*client)->Ping(); !ping) return ping.error();
    sinks.push_back(std::make_unique<gridcare::synth_tool::ProfileStoreSink>(
        std::move(client).value(), static_cast<size_t>(settings.load_batch),
        settings.load_connections));
  }
  return sinks;
}

std::string Percent(int64_t part, int64_t whole) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f%%",
                whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0);
  return buffer;
}

void PrintSummary(const gridcare::synth::Utility& utility, const TallySink* tally,
                  double network_seconds, double customer_seconds, double total_seconds) {
  using gridcare::v1::AreaClass;
  const auto& net = utility.network();
  constexpr std::array<AreaClass, 3> kClasses = {gridcare::v1::AREA_CLASS_URBAN,
                                                 gridcare::v1::AREA_CLASS_RURAL,
                                                 gridcare::v1::AREA_CLASS_REMOTE};
  struct Row {
    const char* label;
    std::array<int64_t, 4> counts{};  // indexed by AreaClass
  };
  std::array<Row, 7> rows = {{{"districts"},
                              {"substations"},
                              {"feeders"},
                              {"transformer areas"},
                              {"customers"},
                              {"depots"},
                              {"crews"}}};
  for (const auto& d : net.districts()) ++rows[0].counts[d.area_class];
  for (const auto& s : net.substations()) {
    ++rows[1].counts[s.area_class];
    rows[4].counts[s.area_class] += s.customers.size();
  }
  for (const auto& f : net.feeders()) ++rows[2].counts[f.area_class];
  for (const auto& t : net.transformers()) ++rows[3].counts[t.area_class];
  for (const auto& depot : utility.roster().depots) {
    ++rows[5].counts[depot.area_class];
    rows[6].counts[depot.area_class] += depot.crews.size();
  }
  std::printf("\n%-18s %12s %12s %12s %12s\n", "", "urban", "rural", "remote", "total");
  for (const auto& row : rows) {
    int64_t total = 0;
    std::printf("%-18s", row.label);
    for (const auto c : kClasses) {
      std::printf(" %12s", Grouped(row.counts[c]).c_str());
      total += row.counts[c];
    }
    std::printf(" %12s\n", Grouped(total).c_str());
  }
  if (tally != nullptr && tally->total() > 0) {
    const auto n = tally->total();
    const auto line = [n](const char* label, int64_t count) {
      std::printf("  %-22s %12s  %7s\n", label, Grouped(count).c_str(), Percent(count, n).c_str());
    };
    std::printf("\naccounts\n");
    line("residential", tally->by_type(gridcare::v1::ACCOUNT_TYPE_RESIDENTIAL));
    line("commercial", tally->by_type(gridcare::v1::ACCOUNT_TYPE_COMMERCIAL));
    line("industrial", tally->by_type(gridcare::v1::ACCOUNT_TYPE_INDUSTRIAL));
    line("agricultural", tally->by_type(gridcare::v1::ACCOUNT_TYPE_AGRICULTURAL));
    std::printf("tags\n");
    line("important", tally->by_tag(gridcare::v1::CUSTOMER_TAG_IMPORTANT));
    line("life-support", tally->by_tag(gridcare::v1::CUSTOMER_TAG_LIFE_SUPPORT));
    line("sensitive", tally->by_tag(gridcare::v1::CUSTOMER_TAG_SENSITIVE));
    std::printf("phones\n");
    line("sharing a phone", tally->shared_phone_accounts());
    std::printf(
        "\nelapsed: network %.2f s, customers %.2f s (%s/s), total %.2f s\n", network_seconds,
        customer_seconds,
        Grouped(static_cast<int64_t>(static_cast<double>(n) / std::max(customer_seconds, 1e-9)))
            .c_str(),
        total_seconds);
  } else {
    std::printf(
        "\n(customers not generated: add --write-customers)\nelapsed: network %.2f s, "
        "total %.2f s\n",
        network_seconds, total_seconds);
  }
}

CLI::App* AddHistoryCommand(CLI::App& app, HistorySettings& h) {
  auto* cmd = app.add_subcommand(
      "history",
      "Write a request history instead of the utility: --weeks of contacts (zh-CN/en texts, 12 "
      "request categories) in the utility's districts (callers are its customers; --seed and "
      "--customers choose the utility) with daily and weekly seasonality, holidays, storms and "
      "injected surges (sizes 2..6x, sudden or ramping). Writes to --out: requests.jsonl "
      "(gridcare.v1.ServiceRequest per line, time order, as published on gridcare.requests.v1), "
      "history-labels.jsonl (category, district and the surge or storm behind each request) and "
      "history-truth.json (the ground truth). With --publish the requests also go on "
      "gridcare.requests.v1 through the platform (intake opens tickets, answers questions, "
      "complaint and dispatch act on them): for a demonstration platform, not a real one.");
  cmd->fallthrough();
  cmd->add_option("--weeks", h.weeks, "Weeks of history (from Monday 2026-03-02 local)")
      ->capture_default_str()
      ->check(CLI::Range(1, 104));
  cmd->add_option("--districts", h.districts,
                  "Use this many generic districts (DIST-001..) without customers instead of the "
                  "utility's (0)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--volume", h.volume,
                  "Scale of every category's rate (1: ~21 contacts an hour in a district of "
                  "average size)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  cmd->add_option("--surges", h.surges, "Injected surges (at most one per category x district)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100'000));
  cmd->add_option(
         "--first-surge-week", h.first_surge_week,
         "Surges start in this week (0-based) or later; earlier weeks are a clean baseline")
      ->capture_default_str()
      ->check(CLI::Range(0, 103));
  cmd->add_option("--min-series-rate", h.min_series_rate,
                  "Only series with at least this many contacts an hour (weekly mean) get surges")
      ->capture_default_str();
  cmd->add_option("--min-surge-hours", h.min_hours, "Shortest surge")->capture_default_str();
  cmd->add_option("--max-surge-hours", h.max_hours, "Longest surge")->capture_default_str();
  cmd->add_option("--storms", h.storms, "Storms (fault-repair bursts explained by an incident)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000));
  cmd->add_option("--holidays", h.holidays, "Single-day holidays at half volume")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000));
  cmd->add_option("--publish", h.publish,
                  "Kafka bootstrap servers: also publish every request on gridcare.requests.v1 "
                  "(ce_id = request id, received_at as generated, or moved by --end-now)");
  cmd->add_flag("--end-now", h.end_now,
                "With --publish: move the history by whole weeks so that it ends within the last "
                "week (weekdays and hours stay), so it is the baseline of the present");
  return cmd;
}

int RunHistory(const HistorySettings& h, const gridcare::synth::Utility& utility,
               const std::filesystem::path& out) {
  const auto started = Clock::now();
  const auto seed = utility.spec().seed;
  auto spec = gridcare::synth::DefaultHistorySpec(
      {.seed = seed, .weeks = h.weeks, .districts = h.districts, .volume = h.volume},
      h.districts > 0 ? nullptr : &utility);
  gridcare::synth::AddRandomEvents(spec, {.surges = h.surges,
                                          .min_hours = h.min_hours,
                                          .max_hours = std::max(h.max_hours, h.min_hours),
                                          .first_surge_week = h.first_surge_week,
                                          .min_series_rate = h.min_series_rate,
                                          .storms = h.storms,
                                          .holidays = h.holidays});
  auto history = gridcare::synth::GenerateHistory(spec);
  if (!history) {
    std::cerr << "gridcare-synth: " << history.error().ToString() << "\n";
    return 2;
  }
  const auto files =
      gridcare::synth_tool::WriteHistory(*history, seed, h.districts > 0 ? nullptr : &utility, out);
  if (!files) {
    std::cerr << "gridcare-synth: " << files.error().ToString() << "\n";
    return 1;
  }
  std::printf("gridcare-synth history: seed %" PRIu64
              ", %d weeks, %zu categories x %zu districts "
              "-> %s\n",
              seed, h.weeks, history->categories.size(), history->districts.size(),
              out.string().c_str());
  std::printf(
      "  requests.jsonl        %s lines\n  history-labels.jsonl  %s lines\n"
      "  history-truth.json    %zu surges, %zu storms, %zu holidays\n",
      Grouped(files->requests).c_str(), Grouped(files->requests).c_str(), history->surges.size(),
      history->storms.size(), history->holidays.size());
  if (!h.publish.empty()) {
    const auto shift =
        h.end_now ? gridcare::synth_tool::ShiftToNow(*history, std::chrono::system_clock::now())
                  : std::chrono::milliseconds(0);
    auto published = gridcare::synth_tool::PublishHistory(
        *history, seed, h.districts > 0 ? nullptr : &utility, h.publish, shift);
    if (!published) {
      std::cerr << "gridcare-synth: publishing: " << published.error().ToString() << "\n";
      return 1;
    }
    std::printf("  published %s requests on gridcare.requests.v1 (moved by %lld weeks)\n",
                Grouped(*published).c_str(),
                static_cast<long long>(shift / std::chrono::hours(24 * 7)));
  }
  std::printf("elapsed %.2f s\n", Seconds(Clock::now() - started));
  return 0;
}

// The options that describe the utility and where it goes.
void AddUtilityOptions(CLI::App& app, Settings& settings) {
  auto& spec = settings.spec;
  app.add_option("--seed", spec.seed, "Random seed")->capture_default_str();
  app.add_option("--customers", spec.customers, "Number of customer accounts (1..20,000,000)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, gridcare::synth::kMaxCustomers));
  app.add_option("--out", settings.out_dir, "Output directory (created if missing)")
      ->capture_default_str();
  app.add_flag("--write-customers", settings.write_customers, "Also write customers.jsonl");
  app.add_option("--load-redis", settings.load_redis,
                 "Load the customers into the profile service's Redis (HOST:PORT) through its "
                 "pipelined bulk path; password from GRIDCARE_REDIS_PASSWORD when set");
  app.add_option("--load-batch", settings.load_batch, "Customers per pipelined bulk-load batch")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app.add_option("--load-connections", settings.load_connections,
                 "Redis connections loading batches at once while generation goes on")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  app.add_flag("--count-customers", settings.count_customers,
               "Generate every customer for the summary (counts, timing) without writing them");
  app.add_option("--tenant", spec.tenant_id, "tenant_id put on every customer and crew");
  app.add_option("--important-rate", spec.important_rate, "Share of accounts tagged IMPORTANT")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--life-support-rate", spec.life_support_rate,
                 "Share of accounts tagged LIFE_SUPPORT")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--sensitive-rate", spec.sensitive_rate, "Share of accounts tagged SENSITIVE")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--shared-phone-rate", spec.shared_phone_rate,
                 "Approximate share of accounts whose primary phone another account also has")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--centre-lat", spec.centre.latitude, "Latitude of the city core")
      ->capture_default_str();
  app.add_option("--centre-lon", spec.centre.longitude, "Longitude of the city core")
      ->capture_default_str();
  auto* progress = app.add_flag("--progress", settings.progress,
                                "Show a progress bar on stderr (default: only when it is a TTY)");
  app.add_flag("--no-progress", settings.no_progress, "Never show a progress bar")
      ->excludes(progress);
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = Clock::now();
  Settings settings;
  auto& spec = settings.spec;
  spec.seed = 42;
  spec.customers = 2'000;
  CLI::App app{
      "gridcare-synth: generates a synthetic electric utility (substations, 10 kV feeders, "
      "transformer areas, repair crews, customers) as JSON Lines. The same flags always give "
      "byte-identical output.\n\nWrites to --out: network.jsonl (one object per district, depot, "
      "substation, feeder and transformer area, with a \"kind\"), crews.jsonl (protobuf JSON of "
      "gridcare.v1.Crew) and, with --write-customers, customers.jsonl (protobuf JSON of "
      "gridcare.v1.Customer).\n\nSubcommand `history` writes a request history with injected "
      "surges and its ground truth instead (see `gridcare-synth history --help`)."};
  AddUtilityOptions(app, settings);
  HistorySettings history_settings;
  const auto* history_command = AddHistoryCommand(app, history_settings);
  CLI11_PARSE(app, argc, argv);

  auto utility = gridcare::synth::Utility::Create(spec);
  if (!utility) {
    std::cerr << "gridcare-synth: " << utility.error().ToString() << "\n";
    return 2;
  }
  const double network_seconds = Seconds(Clock::now() - started);

  const std::filesystem::path out(settings.out_dir);
  std::error_code error;
  std::filesystem::create_directories(out, error);
  if (error) {
    std::cerr << "gridcare-synth: cannot create " << out << ": " << error.message() << "\n";
    return 1;
  }
  if (*history_command) return RunHistory(history_settings, *utility, out);
  const auto network_lines = gridcare::synth_tool::WriteNetwork(*utility, out / "network.jsonl");
  if (!network_lines) {
    std::cerr << "gridcare-synth: " << network_lines.error().ToString() << "\n";
    return 1;
  }
  const auto crew_lines = gridcare::synth_tool::WriteCrews(*utility, out / "crews.jsonl");
  if (!crew_lines) {
    std::cerr << "gridcare-synth: " << crew_lines.error().ToString() << "\n";
    return 1;
  }

  auto made_sinks = MakeSinks(settings);
  if (!made_sinks) {
    std::cerr << "gridcare-synth: cannot load into Redis " << settings.load_redis << ": "
              << made_sinks.error().ToString() << "\n";
    return 1;
  }
  auto sinks = std::move(made_sinks).value();
  TallySink tally;
  double customer_seconds = 0;
  if (!sinks.empty() || settings.count_customers) {
    std::vector<CustomerSink*> targets = {&tally};
    for (auto& sink : sinks) targets.push_back(sink.get());
    gridcare::synth::FanOutSink fan_out(std::move(targets));
    const bool show = !settings.no_progress && (settings.progress || isatty(STDERR_FILENO) == 1);
    ProgressBar bar("customers", show);
    const auto customers_started = Clock::now();
    const auto status = gridcare::synth::StreamCustomers(
        *utility, fan_out, [&bar](int64_t done, int64_t total) { bar.Update(done, total); });
    customer_seconds = Seconds(Clock::now() - customers_started);
    if (!status) {
      std::cerr << "\ngridcare-synth: " << status.error().ToString() << "\n";
      return 1;
    }
  }

  std::printf("gridcare-synth: seed %" PRIu64 ", %s customers -> %s\n", spec.seed,
              Grouped(spec.customers).c_str(), out.string().c_str());
  std::printf("  network.jsonl    %s lines\n  crews.jsonl      %s lines\n",
              Grouped(*network_lines).c_str(), Grouped(*crew_lines).c_str());
  if (settings.write_customers) {
    std::printf("  customers.jsonl  %s lines\n", Grouped(tally.total()).c_str());
  }
  if (!settings.load_redis.empty()) {
    std::printf("  loaded into Redis %s through the profile bulk path: %s customers\n",
                settings.load_redis.c_str(), Grouped(tally.total()).c_str());
  }
  PrintSummary(*utility, &tally, network_seconds, customer_seconds,
               Seconds(Clock::now() - started));
  return 0;
}
