// dispatch: from "my power is out" to a crew on site. Correlates fault tickets (calls and smart-
// meter last gasps) into incidents on the supply topology, assigns repair crews, keeps the arrival
// and restoration clocks with their reminder and overdue alarms, follows the crews' reports to
// restoration, and serves the dispatch console over gRPC and HTTP. Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace dispatch = gridcare::dispatch;
  gridcare::service::Kit kit(dispatch::kSpec);
  dispatch::Settings s;
  auto& options = kit.options();
  options.Add("correlation-rules", s.correlation_path,
              "Correlation thresholds (JSON, see docs/services/dispatch-correlation.md); empty = "
              "defaults");
  options.Add("working-calendar", s.calendar_path,
              "Working calendar files (JSON), comma-separated, or a directory of them: the stage "
              "clocks of appointment work count working days by it (read at start-up)");
  options.Add("appointment-booking-notice", s.appointment_booking_notice,
              "The earliest visit offered to a customer is this long from now (the crew's "
              "notice); 0..48h");
  options.Add("appointment-rebook-lead", s.appointment_rebook_lead,
              "A booked visit whose crew holds fault work this long before the visit is booked "
              "again with another crew (fault repair outranks appointments); 0..24h");
  options.Add("appointment-reminder-before", s.appointment_reminder_before,
              "Crew and customer are reminded this long before a booked visit; 0 = no reminder, "
              "at most 72h");
  options.Add("service-standards", s.standards_path,
              "Service-time standards (JSON; default: the installed copy, in share/gridcare beside "
              "bin/ or in "
              "$GRIDCARE_CONFIG_DIR)");
  options
      .Add("crew-service-target", s.crew_target, "gRPC target of the repair-crew service (roster)")
      .HostPort()
      .Required();
  options
      .Add("console-listen-address", s.console_address,
           "Where the web console (HTTP) listens; port 0 picks a free one")
      .HostPort(true);
  options.Add("advertise-host", s.advertise_host,
              "Host name or IP where the other dispatch instances reach this one's gRPC server, to "
              "run console actions in the territories it owns (in Kubernetes: the pod IP); empty = "
              "the host of --grpc-listen-address, or this machine's name when that listens on "
              "every interface");
  options.Add("profile-deadline", s.profile_deadline, "Deadline of each profile lookup");
  options.Add("peer-deadline", s.peer_deadline,
              "Deadline of a console action forwarded to the dispatch instance that owns its "
              "territory");
  options.Add("crew-deadline", s.crew_deadline, "Deadline of each roster request");
  options.Add("tick-interval", s.tick_interval,
              "How often clocks, queued jobs and crew reassignment are checked");
  options.Add("roster-refresh", s.roster_refresh,
              "How often the roster is fetched from the repair-crew service");
  options
      .Add("ticket-batch", s.ticket_batch,
           "Intake tickets decided together, from what the consumer has already fetched: each "
           "decided as if alone, then every change written in one MULTI/EXEC and redeliveries "
           "found with one MGET. 1 decides them one at a time")
      .Range(1, 1000);
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(dispatch::BuildApp(kit, s));
}
