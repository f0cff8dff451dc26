// repair-crew: the crews and their field state. Keeps each crew's job queue in step with dispatch
// (gridcare.dispatch.v1), serves the crew app (CrewService over gRPC), and publishes every field
// step on gridcare.crew.v1 before it tells the app OK.
#include <cstdint>
#include <thread>

#include "crew_core.h"
#include "crew_grpc_service.h"
#include "crew_metrics.h"
#include "dispatch_handler.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/service/kit.h"
#include "gridcare/synth/utility.h"
#include "redis_crew_store.h"
#include "roster_seed.h"

int main(int argc, char** argv) {
  namespace crew = gridcare::repair_crew;
  using namespace std::chrono_literals;
  gridcare::service::Kit kit(
      {"repair-crew",
       "GridCare repair-crew service: the crews (roster from the synthetic utility), their "
       "position, availability and job queue. Follows dispatch's assignments, reassignments and "
       "cancellations from gridcare.dispatch.v1, serves the crew app (CrewService over gRPC: "
       "accept, decline, en route, on site, complete, location, availability) and publishes each "
       "step on gridcare.crew.v1 before answering OK.",
       {.kafka = true, .redis = true, .grpc_server = true},
       // Each crew call waits for its event's acknowledgement: send at once rather than linger.
       {{"linger.ms", "0"}}});
  int64_t roster_seed = 42;
  int64_t roster_customers = 2000;
  crew::CrewCoreSettings settings;
  std::chrono::milliseconds relay_interval = 2s;
  std::chrono::seconds fleet_metrics_interval = 15s;
  std::chrono::seconds finished_job_retention = std::chrono::hours(24 * 7);
  std::chrono::seconds seed_patience = 60s;
  kit.options()
      .Add("roster-seed", roster_seed,
           "Seed of the synthetic utility whose crews this installation has (dispatch must use the "
           "same)")
      .Range(0, INT64_MAX);
  kit.options()
      .Add("roster-customers", roster_customers,
           "Customers of the synthetic utility; with the seed it fixes depots and crews")
      .Range(1, gridcare::synth::kMaxCustomers);
  kit.options().Add("ack-timeout", settings.ack_timeout,
                    "Longest wait for Kafka to acknowledge one crew event (never beyond the "
                    "caller's deadline)");
  kit.options().Add("relay-interval", relay_interval,
                    "How often saved but unacknowledged crew events are published again");
  kit.options().Add("fleet-metrics-interval", fleet_metrics_interval,
                    "How often the fleet gauges (crews by availability, open jobs, stale crews, "
                    "pending events) are recomputed");
  kit.options().Add("finished-job-retention", finished_job_retention,
                    "How long completed and cancelled jobs stay readable in Redis");
  kit.options().Add("seed-patience", seed_patience,
                    "How long start-up waits for Redis to take the roster before giving up");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;

  auto utility = gridcare::synth::Utility::Create(
      {.seed = static_cast<uint64_t>(roster_seed), .customers = roster_customers});
  if (!utility) {
    gridcare::logging::Error("cannot build the roster; fix --roster-seed / --roster-customers",
                             {{"error", utility.error().ToString()}});
    return 2;
  }
  const auto initial = crew::InitialCrews(utility->crews(), kit.clock().Now());

  crew::RedisCrewStore store(kit.redis(), finished_job_retention);
  // Crews already stored keep their live state; only new ones start at their depot. Redis may come
  // up after us, so keep trying for a while before failing start-up.
  const auto give_up = std::chrono::steady_clock::now() + seed_patience;
  while (true) {
    auto created = store.SeedCrews(initial);
    if (created) {
      gridcare::logging::Info("roster ready", {{"crews", initial.size()},
                                               {"new_crews", *created},
                                               {"roster_seed", roster_seed},
                                               {"roster_customers", roster_customers}});
      break;
    }
    if (std::chrono::steady_clock::now() >= give_up || kit.shutdown_signal().Requested()) {
      gridcare::logging::Error("cannot write the roster to Redis; check --redis-address",
                               {{"error", created.error().ToString()}});
      return 1;
    }
    gridcare::logging::Warn("Redis did not take the roster yet; retrying",
                            {{"error", created.error().ToString()}});
    std::this_thread::sleep_for(1s);
  }

  crew::CrewMetrics metrics(kit.registry());
  kit.stage_metrics().PreInitialise({}, {std::string(gridcare::kafka::kCrewTopic)});
  crew::KafkaAckedPublisher publisher(kit.producer());
  crew::CrewCore core(store, publisher, kit.ids(), kit.clock(), &metrics, crew::CrewIds(initial),
                      settings);
  crew::CrewGrpcService grpc_service(core);
  crew::DispatchHandler dispatch(store, &metrics);
  kit.AddGrpcService(&grpc_service);
  kit.AddConsumer({std::string(gridcare::kafka::kDispatchTopic)}, dispatch);
  // Events saved with a change whose call failed before Kafka acknowledged them (broker down,
  // caller gone) go out here, so they are not left waiting for the app to repeat the call.
  kit.AddWorker("event-relay", [&](gridcare::core::ShutdownSignal& stopping) {
    auto next_fleet = std::chrono::steady_clock::now();
    while (!stopping.WaitFor(relay_interval)) {
      auto relayed = core.RelayAll(std::chrono::steady_clock::now() + 10s);
      if (!relayed) {
        gridcare::logging::Warn("relaying saved crew events failed; retrying",
                                {{"error", relayed.error().ToString()}});
      } else if (*relayed > 0) {
        gridcare::logging::Info("relayed saved crew events", {{"events", *relayed}});
      }
      if (std::chrono::steady_clock::now() < next_fleet) continue;
      next_fleet = std::chrono::steady_clock::now() + fleet_metrics_interval;
      if (auto fleet = core.Fleet()) {
        metrics.SetFleet(*fleet);
      } else {
        gridcare::logging::Warn("cannot read the fleet for its gauges",
                                {{"error", fleet.error().ToString()}});
      }
    }
  });
  return kit.Run();
}
