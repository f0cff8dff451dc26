#include "app.h"

#include <thread>

#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/synth/utility.h"
#include "roster_seed.h"

namespace gridcare::repair_crew {

const service::ServiceSpec kSpec{
    "repair-crew",
    "GridCare repair-crew service: the crews (roster from the synthetic utility), their "
    "position, availability and job queue. Follows dispatch's assignments, reassignments and "
    "cancellations from gridcare.dispatch.v1 (refusing an automatic assignment to a crew already "
    "at --max-jobs-per-crew open jobs), serves the crew app (CrewService over gRPC: "
    "accept, decline, en route, on site, complete, location, availability) and publishes each "
    "step on gridcare.crew.v1 before answering OK.",
    {.kafka = true, .redis = true, .grpc_server = true},
    // Each crew call waits for its event's acknowledgement: send at once rather than linger.
    {{"linger.ms", "0"}}};

App::App(service::Kit& kit, const Settings& settings, const std::vector<v1::Crew>& initial)
    : store_(kit.redis(), settings.finished_job_retention),
      metrics_(kit.registry()),
      publisher_(kit.producer()),
      core_(store_, publisher_, kit.ids(), kit.clock(), &metrics_, CrewIds(initial), settings.core),
      grpc_service_(core_),
      dispatch_(store_, kit.clock(), &metrics_, settings.dispatch,
                // A refusal is published as soon as it is saved, waiting at most one ack timeout
                // (the event-relay task below retries it when Kafka does not answer in time).
                [this, ack_timeout = settings.core.ack_timeout](const std::string& crew_id) {
                  return core_.Relay(crew_id, std::chrono::steady_clock::now() + ack_timeout);
                }) {
  kit.stage_metrics().PreInitialise({}, {std::string(kafka::kCrewTopic)});
  kit.AddGrpcService(&grpc_service_);
  kit.AddConsumer({std::string(kafka::kDispatchTopic)}, dispatch_);
  // Events saved with a change whose call failed before Kafka acknowledged them (broker down,
  // caller gone, or the dispatch consumer's refusals Kafka did not acknowledge at once) go out
  // here, so they are not left waiting for the app to repeat the call.
  kit.AddPeriodic({"event-relay", settings.relay_interval, [this]() -> core::Status {
                     auto relayed = core_.RelayAll(std::chrono::steady_clock::now() +
                                                   std::chrono::seconds(10));
                     if (!relayed) return relayed.error();
                     if (*relayed > 0)
                       logging::Info("relayed saved crew events", {{"events", *relayed}});
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"fleet-metrics", settings.fleet_metrics_interval,
                   [this]() -> core::Status {
                     auto fleet = core_.Fleet();
                     if (!fleet) return fleet.error();
                     metrics_.SetFleet(*fleet);
                     return core::Status::Ok();
                   },
                   /*run_at_start=*/true});
}

core::Status App::SeedRoster(const std::vector<v1::Crew>& initial, std::chrono::seconds patience,
                             const core::ShutdownSignal& shutdown) {
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (true) {
    auto created = store_.SeedCrews(initial);
    if (created) {
      logging::Info("roster ready", {{"crews", initial.size()}, {"new_crews", *created}});
      return core::Status::Ok();
    }
    if (std::chrono::steady_clock::now() >= give_up || shutdown.Requested()) {
      return core::Unavailable("cannot write the roster to Redis; check --redis-address: " +
                               created.error().ToString());
    }
    logging::Warn("Redis did not take the roster yet; retrying",
                  {{"error", created.error().ToString()}});
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  if (auto valid = Validate(settings.dispatch.limits); !valid) return valid.error();
  auto utility = synth::Utility::Create({.seed = static_cast<uint64_t>(settings.roster_seed),
                                         .customers = settings.roster_customers});
  if (!utility) {
    return core::InvalidArgument(
        "cannot build the roster; fix --roster-seed / --roster-customers: " +
        utility.error().ToString());
  }
  const auto initial = InitialCrews(utility->crews(), kit.clock().Now());
  auto app = std::make_unique<App>(kit, settings, initial);
  if (auto seeded = app->SeedRoster(initial, settings.seed_patience, kit.shutdown_signal());
      !seeded) {
    return seeded.error();
  }
  return app;
}

}  // namespace gridcare::repair_crew
