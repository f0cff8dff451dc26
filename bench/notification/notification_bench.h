#pragma once
// gridcare-notification-bench's shared state and phases (issue 14's notification benchmark):
// notification_bench.cpp parses the options and runs the phases; service_run.cpp times the
// service from one published incident to the last notice the simulator accepted.

#include <memory>
#include <string>
#include <vector>

#include "audience.h"
#include "bench_support.h"
#include "gridcare/kafka/producer.h"
#include "simulator_control.h"

namespace gridcare::bench {

struct Options {
  std::string simulator;  // HOST:PORT of gridcare-provider-sim
  std::string bootstrap;
  std::string token_file;
  int notification_pid = 0;
  std::string notification_metrics;  // HOST:PORT of notification's /metrics
  std::string profile_target;        // HOST:PORT of profile's gRPC (the stream floor)
  std::string config_dir = GRIDCARE_SOURCE_DIR "/services/notification/config";
  std::string delivery_policy = GRIDCARE_SOURCE_DIR "/bench/notification/delivery-policy.json";
  int64_t customers = 1'000'000;
  uint64_t seed = 42;
  int max_in_flight = 64;
  int send_batch = 500;  // the service's --send-batch: the Kafka floor flushes as often
  bool raw_callbacks = true;
  bool raw_after = true;
  int etr_minutes = 120;
  int report_delay_ms = -1;  // the simulator's report delay for every provider; -1: its default
  double timeout_s = 300;
  double poll_ms = 20;
  std::vector<std::string> watch;  // NAME=PID
  std::string results_file;
};

/// What every phase needs.
struct Bench {
  Options options;
  std::string run_id;
  std::string simulator_host;
  int simulator_port = 0;
  std::string token;
  std::unique_ptr<SimulatorControl> simulator;
  std::unique_ptr<CpuMeter> meter;
  Results results;
};

/// The service run's figures.
struct ServiceRun {
  double publish_s = 0;         // Publish + Flush of the event
  double first_accepted_s = 0;  // publish to the first notice accepted
  double last_accepted_s = 0;   // publish to the expected count accepted (the figure)
  double queued_s = -1;         // publish to every notice queued (notification's metric)
  double reports_sent_s = -1;   // publish to every delivery report posted by the simulator
  double delivered_s = -1;      // publish to every report applied (notification's metric)
  SimulatorStats stats;         // after the run settled
  CpuMeter::Usage cpu;          // publish to the last accepted
  bool timed_out = false;
  double rate(int64_t notices) const {
    return last_accepted_s > 0 ? static_cast<double>(notices) / last_accepted_s : 0;
  }
};

/// Publishes a dispatch event notification ignores (a work order created), so that the incident's
/// publish later finds the producer connected and the topic's metadata known, as dispatch's
/// long-running producer would.
core::Status WarmDispatchTopic(const Bench& bench, kafka::KafkaProducer& producer);

/// Publishes `event` with ce_id `event_id` on gridcare.dispatch.v1 and follows it to the
/// simulator's accepted count reaching `expected`, then to the delivery reports applied.
core::Result<ServiceRun> RunService(Bench& bench, kafka::KafkaProducer& producer,
                                    const v1::DispatchEvent& event, const std::string& event_id,
                                    int64_t expected);

/// The Kafka floor: one "sent" event per notice (the service's own record, on a topic of the
/// bench's) published and flushed every `send_batch` records, as NoticeSender::Commit does.
/// Seconds for all of them.
core::Result<double> KafkaFloor(const Bench& bench, kafka::KafkaProducer& producer,
                                const Audience& audience);

/// The profile floor: `feeder_id`'s customers streamed through the service's own
/// GrpcCustomerDirectory from `bench.options.profile_target`, doing nothing with them. Seconds, and
/// the count in `customers`.
core::Result<double> ProfileStreamFloor(const Bench& bench, const std::string& feeder_id,
                                        int64_t& customers);

/// Peak and current resident memory of `pid` in MiB (VmHWM, VmRSS); -1 when unreadable.
std::pair<double, double> ResidentMiB(int pid);

}  // namespace gridcare::bench
