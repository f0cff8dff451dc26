// gridcare-intake-decision-bench: intake's decisions alone, in process: the ceiling under
// bench/intake's end-to-end figure.
//
// Sends bench/intake's realistic request mix (the same records, parsed from their Kafka value as
// the service does) straight to IntakeCore, with the real classifier, knowledge base, urging and
// priority rules, working calendar and service-time standards, but with no I/O at all: customers
// come from an in-memory index of the synthetic utility, tickets go to InMemoryTicketStore and
// events to a publisher that only serializes and counts them. What remains is the CPU intake
// spends deciding: parsing, validation, classification, knowledge-base matching, clocks,
// building and serializing the ticket, its timeline step, its record and its events.
//
// No Redis, profile service or broker can make the service faster than this, so
// requests/s x cores here bounds what intake can reach end to end on this machine.
#include <time.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"
#include "gridcare/config/files.h"
#include "gridcare/config/install_paths.h"
#include "gridcare/core/clock.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/standards.h"
#include "in_memory_ticket_store.h"
#include "intake_core.h"
#include "intake_requests.h"

namespace gridcare::bench {
namespace {

// The profile service's answers from memory: by customer id, by any of a customer's phones (a
// shared phone is ambiguous, as there) and by meter number.
class IndexedProfileDirectory final : public intake::ProfileDirectory {
 public:
  explicit IndexedProfileDirectory(const synth::Utility& utility) {
    utility.ForEachCustomer([this](int64_t, const v1::Customer& customer) {
      const auto index = customers_.size();
      customers_.push_back(customer);
      by_id_[customer.customer_id()] = index;
      by_meter_[customer.meter_number()] = index;
      for (const auto& phone : customer.phones()) by_phone_[phone].push_back(index);
    });
  }

  core::Result<intake::Identification> Identify(const v1::CustomerReference& reference) override {
    intake::Identification out;
    const std::vector<size_t>* matches = nullptr;
    std::vector<size_t> single;
    auto find_one = [&](const std::unordered_map<std::string, size_t>& map,
                        const std::string& key) {
      if (auto it = map.find(key); it != map.end()) single.push_back(it->second);
      matches = &single;
    };
    switch (reference.identity_case()) {
      case v1::CustomerReference::kCustomerId:
        find_one(by_id_, reference.customer_id());
        break;
      case v1::CustomerReference::kMeterNumber:
        find_one(by_meter_, reference.meter_number());
        break;
      case v1::CustomerReference::kPhone:
        if (auto it = by_phone_.find(reference.phone()); it != by_phone_.end()) {
          matches = &it->second;
        }
        break;
      default:
        break;
    }
    if (matches == nullptr || matches->empty()) return out;
    if (matches->size() == 1) {
      out.status = intake::Identification::Status::kIdentified;
      out.customer = customers_[matches->front()];
      return out;
    }
    out.status = intake::Identification::Status::kAmbiguous;
    for (const size_t index : *matches)
      out.candidate_ids.push_back(customers_[index].customer_id());
    return out;
  }

 private:
  std::vector<v1::Customer> customers_;
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_meter_;
  std::unordered_map<std::string, std::vector<size_t>> by_phone_;
};

// Serializing happens in MakeRecord, before Publish: this keeps only the count.
class CountingPublisher final : public kafka::EventPublisher {
 public:
  core::Status Publish(kafka::OutgoingRecord record) override {
    bytes_ += record.value.size();
    ++records_;
    return {};
  }
  core::Status Flush(std::chrono::milliseconds) override { return {}; }
  int64_t records() const { return records_; }
  int64_t bytes() const { return bytes_; }

 private:
  std::atomic<int64_t> records_{0};
  std::atomic<int64_t> bytes_{0};
};

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename T>
T LoadOrExit(core::Result<T> loaded, const char* what) {
  if (!loaded) {
    std::fprintf(stderr, "intake-decision-bench: cannot load %s: %s\n", what,
                 loaded.error().ToString().c_str());
    std::exit(2);
  }
  return std::move(loaded).value();
}

int Main(int argc, char** argv) {
  int64_t requests = 100'000;
  int64_t customers = 2'000;
  uint64_t seed = 42;
  int threads = 1;
  std::string results_file;
  CLI::App app{
      "gridcare-intake-decision-bench: IntakeCore alone, in process, over bench/intake's request "
      "mix, with in-memory customers, tickets and publisher (no Redis, gRPC or Kafka). Prints "
      "requests/s and CPU per request: the ceiling under the end-to-end intake figure."};
  app.add_option("--requests", requests, "Requests to decide (after 10% as much warm-up)")
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}))
      ->capture_default_str();
  app.add_option("--customers", customers, "Customers of the synthetic utility")
      ->check(CLI::Range(int64_t{1}, synth::kMaxCustomers))
      ->capture_default_str();
  app.add_option("--seed", seed, "Seed of the synthetic utility and the mix")
      ->capture_default_str();
  app.add_option("--threads", threads,
                 "Threads submitting at once (one IntakeCore, as the service)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--results", results_file, "Also write the figures as key=value lines");
  CLI11_PARSE(app, argc, argv);

  synth::UtilitySpec spec;
  spec.seed = seed;
  spec.customers = customers;
  const auto utility = LoadOrExit(synth::Utility::Create(spec), "the synthetic utility");
  IndexedProfileDirectory profiles(utility);
  intake::InMemoryTicketStore store;
  CountingPublisher publisher;
  using config::InstalledConfigPath;
  using config::ReadTextFile;
  const auto classifier =
      LoadOrExit(intake::Classifier::FromFile(InstalledConfigPath("intake/classifier.json")),
                 "the classifier rules");
  const auto knowledge =
      LoadOrExit(intake::KnowledgeBase::FromFile(InstalledConfigPath("intake/knowledge_base.json")),
                 "the knowledge base");
  const auto calendar = LoadOrExit(
      sla::WorkingCalendar::FromJson(LoadOrExit(
          ReadTextFile(InstalledConfigPath("sla/calendar-cn-2026.json")), "the calendar")),
      "the calendar");
  intake::IntakeRules rules;
  rules.standards = LoadOrExit(sla::ServiceStandards::FromJson(LoadOrExit(
                                   ReadTextFile(InstalledConfigPath("sla/service-standards.json")),
                                   "the service-time standards")),
                               "the service-time standards");
  core::SystemClock clock;
  intake::IntakeCore core(profiles, store, publisher, classifier, knowledge, calendar, rules,
                          clock);

  // Records are made before the clock starts: the mix generator is the bench's cost, not intake's.
  RequestFactory factory(utility, seed ^ 0x5eedULL, RunId());
  const int64_t warmup = std::max<int64_t>(1, requests / 10);
  std::vector<std::string> values;
  values.reserve(static_cast<size_t>(warmup + requests));
  for (int64_t i = 0; i < warmup + requests; ++i) {
    values.push_back(factory.Make(i < warmup ? 0 : 1, i).value);
  }

  std::atomic<int64_t> failures{0};
  auto decide = [&](int64_t begin, int64_t end, int64_t stride) {
    for (int64_t i = begin; i < end; i += stride) {
      v1::RequestEvent event;
      if (!event.ParseFromString(values[static_cast<size_t>(i)]) ||
          !core.Submit(event.submitted())) {
        ++failures;
      }
    }
  };
  decide(0, warmup, 1);
  const int64_t published_before = publisher.records();

  const double cpu_before = ProcessCpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(decide, warmup + t, warmup + requests, threads);
  }
  for (auto& worker : workers) worker.join();
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double cpu_s = ProcessCpuSeconds() - cpu_before;

  const auto count = static_cast<double>(requests);
  const double rate = count / wall_s;
  const double cpu_us = 1e6 * cpu_s / count;
  const int64_t events = publisher.records() - published_before;
  std::printf(
      "gridcare-intake-decision-bench: %s requests over %s customers, %d thread%s, %u hardware "
      "threads\n",
      Thousands(count).c_str(), Thousands(static_cast<double>(customers)).c_str(), threads,
      threads == 1 ? "" : "s", std::thread::hardware_concurrency());
  std::printf("  decided        %s requests/s (%.2f s wall)\n", Thousands(rate).c_str(), wall_s);
  std::printf("  CPU            %.1f us per request -> %s requests/s per busy core\n", cpu_us,
              Thousands(1e6 / cpu_us).c_str());
  std::printf(
      "  events         %.2f per request, %.0f B each on average\n",
      static_cast<double>(events) / count,
      events > 0 ? static_cast<double>(publisher.bytes()) / static_cast<double>(publisher.records())
                 : 0.0);
  std::printf("  failures       %lld\n", static_cast<long long>(failures.load()));
  if (!results_file.empty()) {
    Results results;
    results.Add("decision.requests_per_s", rate);
    results.Add("decision.cpu_us_per_request", cpu_us);
    results.Add("decision.threads", static_cast<int64_t>(threads));
    results.Add("decision.failures", failures.load());
    if (!results.Write(results_file)) {
      std::fprintf(stderr, "intake-decision-bench: cannot write %s\n", results_file.c_str());
      return 1;
    }
  }
  return failures.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
