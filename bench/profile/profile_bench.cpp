// gridcare-profile-bench: the profile service's figures on a real Redis and a running service.
//
//  1. Bulk load: streams a synthetic utility into Redis through RedisProfileStore::BulkLoad (the
//     service's own bulk path). A producer thread generates batches ahead of the loader, so
//     generation stays off the loader's path; the loader's waits for batches are reported.
//  2. Lookups: an asynchronous gRPC client keeps --in-flight calls outstanding against
//     ProfileService.GetCustomer for uniformly random customers, then a shorter run mixing in
//     LookupByPhone. Every latency is kept and sorted for the percentiles.
//  3. The gRPC ceiling: the same client against an in-process ProfileService whose GetCustomer
//     answers a prebuilt record without touching Redis (callback API, as the service's lookups).
//     It is what gRPC alone delivers on this machine with these cores shared by client and
//     server: no real lookup can beat it, so it says how far the goal is from the transport.
//
// Prints a table; with --results also writes the figures as key=value lines for scripts.
// Exits 1 when any call failed (NOT_FOUND included) or a lookup answered the wrong customer.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "gridcare/core/clock.h"
#include "gridcare/redis/client.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/profile.grpc.pb.h"
#include "redis_profile_store.h"

namespace gridcare::bench {
namespace {

struct Options {
  std::string redis_address;
  std::string profile_target;
  int64_t customers = 1'000'000;
  uint64_t seed = 42;
  double duration_s = 20;
  double warmup_s = 2;
  double mixed_duration_s = 5;
  double phone_share = 0.2;
  int in_flight = 32;
  int batch = 1000;
  int load_threads = 2;
  double ceiling_duration_s = 5;
  int call_timeout_ms = 10'000;
  bool skip_load = false;
  std::vector<std::string> watch;  // NAME=PID
  std::string results_file;
};

// ------------------------------------------------------------------------------------------------
// Redis INFO

core::Result<std::map<std::string, std::string>> Info(redis::RedisClient& redis,
                                                      const std::string& section) {
  auto reply = redis.Command({"INFO", section});
  if (!reply) return reply.error();
  std::map<std::string, std::string> fields;
  std::istringstream lines(reply->str());
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    fields[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return fields;
}

core::Result<int64_t> InfoInteger(redis::RedisClient& redis, const std::string& section,
                                  const std::string& field) {
  auto fields = Info(redis, section);
  if (!fields) return fields.error();
  const auto it = fields->find(field);
  if (it == fields->end()) return core::Internal("INFO " + section + " has no " + field);
  return std::stoll(it->second);
}

core::Result<int64_t> DbSize(redis::RedisClient& redis) {
  auto reply = redis.Command({"DBSIZE"});
  if (!reply) return reply.error();
  return reply->integer();
}

// ------------------------------------------------------------------------------------------------
// Bulk load

// Bounded hand-over of batches from the generator to the loaders.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}

  // False when the queue was closed (a loader failed): stop producing.
  bool Push(std::vector<v1::Customer> batch) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [this] { return closed_ || batches_.size() < capacity_; });
    if (closed_) return false;
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }

  // Nothing once closed and drained. Adds the time spent waiting to `waited_s`.
  std::optional<std::vector<v1::Customer>> Pop(double& waited_s) {
    std::unique_lock lock(mutex_);
    if (batches_.empty() && !closed_) {
      const auto started = SteadyClock::now();
      not_empty_.wait(lock, [this] { return closed_ || !batches_.empty(); });
      waited_s += SecondsBetween(started, SteadyClock::now());
    }
    if (batches_.empty()) return std::nullopt;
    auto batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return batch;
  }

  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::vector<v1::Customer>> batches_;
  bool closed_ = false;
};

struct LoadReport {
  int64_t profiles = 0;
  double wall_s = 0;
  double busy_s = 0;     // inside BulkLoad, summed over loader threads
  double starved_s = 0;  // loaders waiting for the generator, summed over loader threads
  int64_t payload_bytes = 0;
  int64_t wire_bytes = 0;  // INFO stats total_net_input_bytes delta: what Redis received
  int64_t used_memory_before = 0;
  int64_t used_memory_after = 0;
  int64_t keys_before = 0;
  int64_t keys_after = 0;
  int64_t aof_rewrites = 0;
  std::optional<core::Error> error;
  CpuMeter::Usage cpu;
};

LoadReport BulkLoad(const synth::Utility& utility, redis::RedisClient& redis,
                    const Options& options, CpuMeter& meter) {
  LoadReport report;
  auto fail = [&report](const core::Error& error) {
    report.error = error;
    return report;
  };
  // BulkLoad assumes the records are new; a second load into the same database would also make
  // the memory figure meaningless.
  auto exists = redis.Exists(profile::keys::Customer(utility.CustomerId(0)));
  if (!exists) return fail(exists.error());
  if (*exists) {
    return fail(core::FailedPrecondition(
        "this utility is already loaded in --redis; load it into an empty database (FLUSHALL)"));
  }
  auto memory = InfoInteger(redis, "memory", "used_memory");
  auto input = InfoInteger(redis, "stats", "total_net_input_bytes");
  auto rewrites = InfoInteger(redis, "persistence", "aof_rewrites");
  auto keys = DbSize(redis);
  if (!memory) return fail(memory.error());
  if (!input) return fail(input.error());
  if (!rewrites) return fail(rewrites.error());
  if (!keys) return fail(keys.error());
  report.used_memory_before = *memory;
  report.keys_before = *keys;

  core::SystemClock clock;
  profile::RedisProfileStore store(redis, clock, profile::HistoryRules{});
  BatchQueue queue(16);
  std::atomic<int64_t> payload_bytes{0};
  std::atomic<int64_t> loaded{0};
  std::mutex error_mutex;

  meter.Start();
  const auto started = SteadyClock::now();
  std::thread producer([&] {
    const size_t batch_size = static_cast<size_t>(options.batch);
    std::vector<v1::Customer> batch;
    batch.reserve(batch_size);
    bool open = true;
    int64_t bytes = 0;
    utility.ForEachCustomer([&](int64_t, const v1::Customer& customer) {
      if (!open) return;  // a loader failed: skip the rest cheaply
      bytes += static_cast<int64_t>(customer.ByteSizeLong());
      batch.push_back(customer);
      if (batch.size() == batch_size) {
        open = queue.Push(std::move(batch));
        batch = std::vector<v1::Customer>();
        batch.reserve(batch_size);
      }
    });
    if (open && !batch.empty()) queue.Push(std::move(batch));
    payload_bytes = bytes;
    queue.Close();
  });
  std::vector<std::thread> loaders;
  std::vector<double> busy(options.load_threads, 0);
  std::vector<double> starved(options.load_threads, 0);
  for (int t = 0; t < options.load_threads; ++t) {
    loaders.emplace_back([&, t] {
      while (auto batch = queue.Pop(starved[t])) {
        const auto call_started = SteadyClock::now();
        auto status = store.BulkLoad(*batch);
        busy[t] += SecondsBetween(call_started, SteadyClock::now());
        if (!status) {
          std::lock_guard lock(error_mutex);
          if (!report.error) report.error = status.error();
          queue.Close();
          return;
        }
        loaded += static_cast<int64_t>(batch->size());
      }
    });
  }
  for (auto& loader : loaders) loader.join();
  producer.join();
  report.wall_s = SecondsBetween(started, SteadyClock::now());
  report.cpu = meter.Stop();
  report.profiles = loaded;
  report.payload_bytes = payload_bytes;
  for (int t = 0; t < options.load_threads; ++t) {
    report.busy_s += busy[t];
    report.starved_s += starved[t];
  }
  if (report.error) return report;

  memory = InfoInteger(redis, "memory", "used_memory");
  auto input_after = InfoInteger(redis, "stats", "total_net_input_bytes");
  auto rewrites_after = InfoInteger(redis, "persistence", "aof_rewrites");
  keys = DbSize(redis);
  if (!memory) return fail(memory.error());
  if (!input_after) return fail(input_after.error());
  if (!rewrites_after) return fail(rewrites_after.error());
  if (!keys) return fail(keys.error());
  report.used_memory_after = *memory;
  report.wire_bytes = *input_after - *input;
  report.aof_rewrites = *rewrites_after - *rewrites;
  report.keys_after = *keys;
  if (report.profiles != utility.customer_count()) {
    return fail(core::Internal("loaded " + std::to_string(report.profiles) + " of " +
                               std::to_string(utility.customer_count()) + " customers"));
  }
  return report;
}

// ------------------------------------------------------------------------------------------------
// Lookups

enum class Method { kGetCustomer = 0, kLookupByPhone = 1 };
constexpr int kMethods = 2;
constexpr const char* kMethodNames[kMethods] = {"GetCustomer", "LookupByPhone"};

struct Call {
  Method method = Method::kGetCustomer;
  int64_t index = 0;
  SteadyClock::time_point started;
  grpc::ClientContext context;
  grpc::Status status;
  v1::GetCustomerRequest get_request;
  v1::Customer customer;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Customer>> get_reader;
  v1::LookupByPhoneRequest phone_request;
  v1::LookupByPhoneResponse phone_response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<v1::LookupByPhoneResponse>> phone_reader;
};

struct LookupReport {
  std::string name;
  double measured_s = 0;
  int64_t completed = 0;  // OK calls completed inside the measured window
  LatencySummary all;
  LatencySummary by_method[kMethods];
  // Over the whole run, warm-up and drain included.
  int64_t calls = 0;
  std::map<int, int64_t> failures;  // non-OK calls by grpc status code
  std::map<int, std::string> first_failure;
  int64_t empty_phone = 0;  // LookupByPhone of a loaded customer's phone that found nobody
  int64_t wrong_customer = 0;
  CpuMeter::Usage cpu;

  int64_t failed() const {
    int64_t total = empty_phone + wrong_customer;
    for (const auto& [code, count] : failures) total += count;
    return total;
  }
  int64_t not_found() const {
    const auto it = failures.find(grpc::NOT_FOUND);
    return empty_phone + (it == failures.end() ? 0 : it->second);
  }
  double qps() const { return measured_s > 0 ? static_cast<double>(completed) / measured_s : 0; }
};

class LookupRunner {
 public:
  LookupRunner(const synth::Utility& utility, v1::ProfileService::Stub& stub,
               const Options& options)
      : utility_(utility), stub_(stub), options_(options) {}

  LookupReport Run(const std::string& name, double duration_s, double phone_share, uint64_t seed,
                   CpuMeter& meter) {
    LookupReport report;
    report.name = name;
    std::vector<int64_t> latencies;
    std::vector<int64_t> method_latencies[kMethods];
    latencies.reserve(static_cast<size_t>(duration_s * 20'000));
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<int64_t> pick(0, utility_.customer_count() - 1);
    std::bernoulli_distribution by_phone(phone_share);
    grpc::CompletionQueue queue;

    auto start_call = [&] {
      auto call = std::make_unique<Call>();
      call->index = pick(random);
      call->method = by_phone(random) ? Method::kLookupByPhone : Method::kGetCustomer;
      rpc::SetDeadline(call->context, std::chrono::milliseconds(options_.call_timeout_ms));
      call->started = SteadyClock::now();
      if (call->method == Method::kGetCustomer) {
        call->get_request.set_customer_id(utility_.CustomerId(call->index));
        call->get_reader = stub_.AsyncGetCustomer(&call->context, call->get_request, &queue);
        call->get_reader->Finish(&call->customer, &call->status, call.get());
      } else {
        call->phone_request.set_phone(utility_.PrimaryPhone(call->index));
        call->phone_reader = stub_.AsyncLookupByPhone(&call->context, call->phone_request, &queue);
        call->phone_reader->Finish(&call->phone_response, &call->status, call.get());
      }
      call.release();  // owned by the completion queue until its tag comes back
    };

    const auto started = SteadyClock::now();
    const auto measure_from = started + std::chrono::duration_cast<SteadyClock::duration>(
                                            std::chrono::duration<double>(options_.warmup_s));
    const auto measure_until = measure_from + std::chrono::duration_cast<SteadyClock::duration>(
                                                  std::chrono::duration<double>(duration_s));
    bool measuring = false;
    int outstanding = 0;
    for (; outstanding < options_.in_flight; ++outstanding) start_call();
    while (outstanding > 0) {
      void* tag = nullptr;
      bool ok = false;
      if (!queue.Next(&tag, &ok)) break;
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      --outstanding;
      const auto now = SteadyClock::now();
      if (!measuring && now >= measure_from) {
        measuring = true;
        meter.Start();
      }
      ++report.calls;
      const bool in_window = now >= measure_from && now < measure_until;
      if (Check(*call, report) && in_window) {
        const int64_t micros =
            std::chrono::duration_cast<std::chrono::microseconds>(now - call->started).count();
        latencies.push_back(micros);
        method_latencies[static_cast<int>(call->method)].push_back(micros);
        ++report.completed;
      }
      if (now < measure_until) {
        start_call();
        ++outstanding;
      } else if (outstanding + 1 == options_.in_flight) {
        report.cpu = meter.Stop();  // the first call after the window: before the drain
      }
    }
    queue.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) delete static_cast<Call*>(tag);

    report.measured_s = duration_s;
    report.all = Summarize(latencies);
    for (int m = 0; m < kMethods; ++m) report.by_method[m] = Summarize(method_latencies[m]);
    return report;
  }

 private:
  // True when the call succeeded with the right customer; otherwise counts the failure.
  bool Check(const Call& call, LookupReport& report) const {
    if (!call.status.ok()) {
      const int code = call.status.error_code();
      ++report.failures[code];
      if (!report.first_failure.count(code)) {
        report.first_failure[code] = std::string(kMethodNames[static_cast<int>(call.method)]) +
                                     ": " + call.status.error_message();
      }
      return false;
    }
    const std::string id = utility_.CustomerId(call.index);
    if (call.method == Method::kGetCustomer) {
      if (call.customer.customer_id() != id) {
        ++report.wrong_customer;
        return false;
      }
      return true;
    }
    if (call.phone_response.customers().empty()) {
      ++report.empty_phone;
      return false;
    }
    for (const auto& customer : call.phone_response.customers()) {
      if (customer.customer_id() == id) return true;
    }
    ++report.wrong_customer;
    return false;
  }

  const synth::Utility& utility_;
  v1::ProfileService::Stub& stub_;
  const Options& options_;
};

// ------------------------------------------------------------------------------------------------
// The gRPC ceiling: GetCustomer with no store behind it

// Answers every GetCustomer with a real profile's bytes under the requested id, so responses have
// the size of real ones and the runner's checks pass, with no Redis round trip.
class NoStoreProfileService final : public v1::ProfileService::CallbackService {
 public:
  explicit NoStoreProfileService(v1::Customer record) : record_(std::move(record)) {}

  grpc::ServerUnaryReactor* GetCustomer(grpc::CallbackServerContext* context,
                                        const v1::GetCustomerRequest* request,
                                        v1::Customer* response) override {
    *response = record_;
    response->set_customer_id(request->customer_id());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const v1::Customer record_;
};

// Starts the no-store service on a free loopback port; null when it cannot listen.
std::unique_ptr<grpc::Server> StartNoStoreServer(NoStoreProfileService& service, int& port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) return nullptr;
  return server;
}

// ------------------------------------------------------------------------------------------------
// Output

void PrintLoad(const LoadReport& load, const Options& options, Results& results) {
  constexpr double kMiB = 1024.0 * 1024.0;
  const double profiles = static_cast<double>(load.profiles);
  const double per_s = profiles / load.wall_s;
  const double busy_per_s = profiles / (load.busy_s / options.load_threads);
  const double memory_delta = static_cast<double>(load.used_memory_after - load.used_memory_before);
  const double keys_delta = static_cast<double>(load.keys_after - load.keys_before);
  std::printf("\nBulk load (RedisProfileStore::BulkLoad, batch %d, %d loader thread%s)\n",
              options.batch, options.load_threads, options.load_threads == 1 ? "" : "s");
  std::printf("  %-34s %14s\n", "profiles", Thousands(profiles).c_str());
  std::printf("  %-34s %14.2f s\n", "wall time", load.wall_s);
  std::printf("  %-34s %14s /s\n", "profiles/s (wall)", Thousands(per_s).c_str());
  std::printf("  %-34s %14s /s\n", "profiles/s (time inside BulkLoad)",
              Thousands(busy_per_s).c_str());
  std::printf("  %-34s %14.2f s\n", "loader waiting for generator", load.starved_s);
  std::printf("  %-34s %14.1f MiB/s  (%.1f MiB, %.0f B/profile)\n", "protobuf payload",
              static_cast<double>(load.payload_bytes) / kMiB / load.wall_s,
              static_cast<double>(load.payload_bytes) / kMiB,
              static_cast<double>(load.payload_bytes) / profiles);
  std::printf("  %-34s %14.1f MiB/s  (%.1f MiB, %.0f B/profile)\n", "sent to Redis (net input)",
              static_cast<double>(load.wire_bytes) / kMiB / load.wall_s,
              static_cast<double>(load.wire_bytes) / kMiB,
              static_cast<double>(load.wire_bytes) / profiles);
  std::printf("  %-34s %14.1f MiB -> %.1f MiB\n", "Redis used_memory",
              static_cast<double>(load.used_memory_before) / kMiB,
              static_cast<double>(load.used_memory_after) / kMiB);
  std::printf("  %-34s %14.0f B\n", "memory per profile", memory_delta / profiles);
  std::printf("  %-34s %14s  (%.2f per profile)\n", "keys added", Thousands(keys_delta).c_str(),
              keys_delta / profiles);
  std::printf("  %-34s %14lld\n", "AOF rewrites during the load",
              static_cast<long long>(load.aof_rewrites));
  std::printf("  %s\n", Describe(load.cpu).c_str());

  results.Add("load.profiles", load.profiles);
  results.Add("load.wall_s", load.wall_s);
  results.Add("load.profiles_per_s", per_s);
  results.Add("load.busy_profiles_per_s", busy_per_s);
  results.Add("load.starved_s", load.starved_s);
  results.Add("load.payload_mib_per_s",
              static_cast<double>(load.payload_bytes) / kMiB / load.wall_s);
  results.Add("load.wire_mib_per_s", static_cast<double>(load.wire_bytes) / kMiB / load.wall_s);
  results.Add("load.memory_per_profile_bytes", memory_delta / profiles);
  results.Add("load.used_memory_after_bytes", load.used_memory_after);
  results.Add("load.keys_per_profile", keys_delta / profiles);
  results.Add("load.aof_rewrites", load.aof_rewrites);
  results.Add("load.other_cores", load.cpu.others);
}

void PrintLookups(const LookupReport& run, const Options& options, const std::string& key,
                  Results& results) {
  std::printf("\nLookups: %s (%d in flight, %g s after %g s warm-up)\n", run.name.c_str(),
              options.in_flight, run.measured_s, options.warmup_s);
  std::printf("  %-14s %10s %10s %9s %9s %9s %9s %9s\n", "method", "calls", "QPS", "mean ms",
              "p50 ms", "p90 ms", "p99 ms", "max ms");
  auto row = [&run](const char* label, const LatencySummary& s) {
    std::printf("  %-14s %10s %10s %9.3f %9.3f %9.3f %9.3f %9.3f\n", label,
                Thousands(static_cast<double>(s.count)).c_str(),
                Thousands(static_cast<double>(s.count) / run.measured_s).c_str(), s.mean_ms,
                s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms);
  };
  int used_methods = 0;
  for (const auto& summary : run.by_method) used_methods += summary.count > 0 ? 1 : 0;
  if (used_methods > 1) {
    for (int m = 0; m < kMethods; ++m) row(kMethodNames[m], run.by_method[m]);
  }
  const char* label = "all";
  if (used_methods == 1) label = kMethodNames[run.by_method[0].count > 0 ? 0 : 1];
  row(label, run.all);
  std::printf("  calls issued %s; failed %s (NOT_FOUND/empty %s, wrong customer %s)\n",
              Thousands(static_cast<double>(run.calls)).c_str(),
              Thousands(static_cast<double>(run.failed())).c_str(),
              Thousands(static_cast<double>(run.not_found())).c_str(),
              Thousands(static_cast<double>(run.wrong_customer)).c_str());
  for (const auto& [code, count] : run.failures) {
    std::printf("    status %d x%lld, first: %s\n", code, static_cast<long long>(count),
                run.first_failure.at(code).c_str());
  }
  std::printf("  %s\n", Describe(run.cpu).c_str());

  results.Add(key + ".completed", run.completed);
  results.Add(key + ".qps", run.qps());
  results.Add(key + ".p50_ms", run.all.p50_ms);
  results.Add(key + ".p90_ms", run.all.p90_ms);
  results.Add(key + ".p99_ms", run.all.p99_ms);
  results.Add(key + ".max_ms", run.all.max_ms);
  results.Add(key + ".failed", run.failed());
  results.Add(key + ".not_found", run.not_found());
  results.Add(key + ".other_cores", run.cpu.others);
}

int Main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "gridcare-profile-bench: bulk-loads a synthetic utility into Redis through the profile "
      "service's bulk path (RedisProfileStore::BulkLoad), then measures gRPC lookups "
      "(ProfileService.GetCustomer, then mixed with LookupByPhone) against a running profile "
      "service that reads the same Redis. Prints the figures; exits 1 on any failed call."};
  app.add_option("--redis", options.redis_address, "Redis HOST:PORT the profile service uses")
      ->required();
  app.add_option("--profile-target", options.profile_target,
                 "gRPC target of the profile service (HOST:PORT)")
      ->required();
  app.add_option("--customers", options.customers, "Customers to generate and load")
      ->check(CLI::Range(int64_t{1}, synth::kMaxCustomers))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the synthetic utility")->capture_default_str();
  app.add_option("--duration", options.duration_s, "Seconds of the GetCustomer lookup run")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  app.add_option("--mixed-duration", options.mixed_duration_s,
                 "Seconds of the mixed GetCustomer/LookupByPhone run (0 skips it)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--phone-share", options.phone_share,
                 "Share of LookupByPhone calls in the mixed run")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "Seconds of calls before each measured run")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--in-flight", options.in_flight, "Outstanding gRPC calls")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--batch", options.batch, "Customers per BulkLoad call")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
  app.add_option("--load-threads", options.load_threads,
                 "Threads calling BulkLoad concurrently (one Redis connection each)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--ceiling-duration", options.ceiling_duration_s,
                 "Seconds of the gRPC-ceiling run: GetCustomer against an in-process service with "
                 "no store (0 skips it)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--call-timeout-ms", options.call_timeout_ms, "Deadline of each gRPC call")
      ->check(CLI::Range(1, 600'000))
      ->capture_default_str();
  app.add_flag("--skip-load", options.skip_load,
               "Only measure lookups: the same utility (--customers, --seed) is already loaded");
  app.add_option("--watch", options.watch,
                 "NAME=PID of a process whose CPU use to report per phase (repeatable)");
  app.add_option("--results", options.results_file,
                 "Also write the figures to this file as key=value lines");
  CLI11_PARSE(app, argc, argv);

  std::vector<Watched> watched = {{"bench", "/proc/self/stat"}};
  for (const auto& entry : options.watch) {
    const auto equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::fprintf(stderr, "profile-bench: --watch wants NAME=PID, not \"%s\"\n", entry.c_str());
      return 2;
    }
    watched.push_back({entry.substr(0, equals), "/proc/" + entry.substr(equals + 1) + "/stat"});
  }
  CpuMeter meter(watched);

  auto address = redis::ParseAddress(options.redis_address);
  if (!address) {
    std::fprintf(stderr, "profile-bench: --redis: %s\n", address.error().ToString().c_str());
    return 2;
  }
  redis::RedisSettings settings;
  settings.host = address->host;
  settings.port = address->port;
  settings.pool_size = static_cast<size_t>(std::max(2, options.load_threads));
  // A bulk pipeline chunk can wait behind an AOF rewrite's fork; do not fail the run on that.
  settings.command_timeout = std::chrono::seconds(10);
  auto redis = redis::RedisClient::Create(settings);
  if (!redis) {
    std::fprintf(stderr, "profile-bench: %s\n", redis.error().ToString().c_str());
    return 2;
  }
  if (auto ping = (*redis)->Ping(); !ping) {
    std::fprintf(stderr, "profile-bench: Redis at %s: %s\n", options.redis_address.c_str(),
                 ping.error().ToString().c_str());
    return 1;
  }

  synth::UtilitySpec spec;
  spec.seed = options.seed;
  spec.customers = options.customers;
  const auto generated = SteadyClock::now();
  auto utility = synth::Utility::Create(spec);
  if (!utility) {
    std::fprintf(stderr, "profile-bench: %s\n", utility.error().ToString().c_str());
    return 2;
  }
  std::printf("gridcare-profile-bench: %s customers (seed %llu), network built in %.2f s\n",
              Thousands(static_cast<double>(options.customers)).c_str(),
              static_cast<unsigned long long>(options.seed),
              SecondsBetween(generated, SteadyClock::now()));
  std::printf("  redis %s, profile service %s, %u hardware threads, loadavg %s\n",
              options.redis_address.c_str(), options.profile_target.c_str(),
              std::thread::hardware_concurrency(), LoadAverage().c_str());
  std::fflush(stdout);

  Results results;
  if (options.skip_load) {
    const int64_t last = utility->customer_count() - 1;
    for (const int64_t index : {int64_t{0}, last}) {
      auto exists = (*redis)->Exists(profile::keys::Customer(utility->CustomerId(index)));
      if (!exists || !*exists) {
        std::fprintf(stderr, "profile-bench: --skip-load, but customer %lld is not in Redis\n",
                     static_cast<long long>(index));
        return 1;
      }
    }
    std::printf("\nBulk load skipped (--skip-load): the utility is already in Redis\n");
  } else {
    const LoadReport load = BulkLoad(*utility, **redis, options, meter);
    if (load.error) {
      std::fprintf(stderr, "profile-bench: bulk load failed after %lld profiles: %s\n",
                   static_cast<long long>(load.profiles), load.error->ToString().c_str());
      return 1;
    }
    PrintLoad(load, options, results);
  }
  std::fflush(stdout);

  auto channel = rpc::MakeChannel(options.profile_target);
  if (!rpc::WaitForReady(channel, std::chrono::seconds(10))) {
    std::fprintf(stderr, "profile-bench: the profile service at %s is not reachable\n",
                 options.profile_target.c_str());
    return 1;
  }
  auto stub = v1::ProfileService::NewStub(channel);
  LookupRunner runner(*utility, *stub, options);
  const LookupReport get = runner.Run("GetCustomer, uniformly random customers", options.duration_s,
                                      0.0, options.seed + 1, meter);
  PrintLookups(get, options, "lookup", results);
  std::fflush(stdout);
  int64_t failed = get.failed();
  if (options.mixed_duration_s > 0) {
    char name[96];
    std::snprintf(name, sizeof name, "%.0f%% LookupByPhone (primary phone), rest GetCustomer",
                  options.phone_share * 100);
    const LookupReport mixed =
        runner.Run(name, options.mixed_duration_s, options.phone_share, options.seed + 2, meter);
    PrintLookups(mixed, options, "mixed", results);
    failed += mixed.failed();
  }
  if (options.ceiling_duration_s > 0) {
    NoStoreProfileService no_store(utility->CustomerAt(0));
    int port = 0;
    auto server = StartNoStoreServer(no_store, port);
    if (!server) {
      std::fprintf(stderr,
                   "profile-bench: cannot start the no-store gRPC server for the ceiling\n");
      return 1;
    }
    auto ceiling_channel = rpc::MakeChannel("127.0.0.1:" + std::to_string(port));
    auto ceiling_stub = v1::ProfileService::NewStub(ceiling_channel);
    LookupRunner ceiling_runner(*utility, *ceiling_stub, options);
    const LookupReport ceiling = ceiling_runner.Run(
        "gRPC ceiling: GetCustomer answered in process with no store (same client, same cores)",
        options.ceiling_duration_s, 0.0, options.seed + 3, meter);
    PrintLookups(ceiling, options, "ceiling", results);
    failed += ceiling.failed();
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }
  std::printf("\nloadavg at the end: %s\n", LoadAverage().c_str());
  results.Add("failed", failed);
  if (!options.results_file.empty() && !results.Write(options.results_file)) {
    std::fprintf(stderr, "profile-bench: cannot write %s\n", options.results_file.c_str());
    return 1;
  }
  if (failed > 0) {
    std::fprintf(stderr, "profile-bench: %lld calls failed\n", static_cast<long long>(failed));
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace gridcare::bench

int main(int argc, char** argv) { return gridcare::bench::Main(argc, argv); }
