// repair-crew: the crews and their field state. Keeps each crew's job queue in step with dispatch
// (gridcare.dispatch.v1), serves the crew app (CrewService over gRPC), and publishes every field
// step on gridcare.crew.v1 before it tells the app OK. Wiring: app.h.
#include <cstdint>

#include "app.h"
#include "gridcare/synth/utility.h"

int main(int argc, char** argv) {
  namespace crew = gridcare::repair_crew;
  gridcare::service::Kit kit(crew::kSpec);
  crew::Settings s;
  auto& options = kit.options();
  options
      .Add("roster-seed", s.roster_seed,
           "Seed of the synthetic utility whose crews this installation has (dispatch must use the "
           "same)")
      .Range(0, INT64_MAX);
  options
      .Add("roster-customers", s.roster_customers,
           "Customers of the synthetic utility; with the seed it fixes depots and crews")
      .Range(1, gridcare::synth::kMaxCustomers);
  options
      .Add("max-jobs-per-crew", s.dispatch.limits.max_jobs_per_crew,
           "Open jobs a crew may hold before repair-crew refuses further automatic assignments "
           "to it (a JobDeclined, and dispatch reassigns); a dispatcher's own choice is always "
           "taken. Same default as dispatch's own limit")
      .Range(1, 1000);
  options.Add("ack-timeout", s.core.ack_timeout,
              "Longest wait for Kafka to acknowledge one crew event (never beyond the caller's "
              "deadline)");
  options.Add("relay-interval", s.relay_interval,
              "How often saved but unacknowledged crew events are published again");
  options.Add("fleet-metrics-interval", s.fleet_metrics_interval,
              "How often the fleet gauges (crews by availability, open jobs, stale crews, pending "
              "events) are recomputed");
  options.Add("finished-job-retention", s.finished_job_retention,
              "How long completed and cancelled jobs stay readable in Redis");
  options.Add("seed-patience", s.seed_patience,
              "How long start-up waits for Redis to take the roster before giving up");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(crew::BuildApp(kit, s));
}
