// complaint: complaint, report, opinion, suggestion and praise cases from intake's tickets —
// routed to the owning department, clocks in working days with reminders and the supervision
// ladder, coordination, reply with root cause, return visit, reopen. Serves the department desk
// (ComplaintService over gRPC, the web desk over HTTP). Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace complaint = gridcare::complaint;
  gridcare::service::Kit kit(complaint::kSpec);
  complaint::Settings s;
  auto& options = kit.options();
  options.Add("departments", s.departments_path,
              "Department directory (JSON): departments, units, handlers, pool, coordinator");
  options.Add("routing-rules", s.routing_path,
              "Routing rules (JSON): which department owns a case");
  options.Add("complaint-policy", s.policy_path,
              "Reminders, supervision ladder, returns, attempts, causes (JSON)");
  options.Add("service-standards", s.standards_path, "Service-time limits (JSON)");
  options.Add("working-calendar", s.calendar_path,
              "Working calendar files (JSON), comma-separated, or a directory of them");
  options.Add("tick-interval", s.tick_interval, "How often due case clocks are checked");
  options.Add("relay-interval", s.relay_interval,
              "How often saved but unpublished case events are published again");
  options.Add("gauges-interval", s.gauges_interval, "How often the open-case gauges are refreshed");
  options.Add("clock-speed", s.clock_speed,
              "Case clocks run this many times faster than real time (1 = real; demonstrations)");
  options.Add(
      "clock-origin", s.clock_origin,
      "With --clock-speed: the instant (RFC 3339) the sped-up time counts from, so a restart "
      "continues the same timeline (empty: when the service starts)");
  options.Add("console-listen-address", s.desk_address,
              "Where the department desk (web page and JSON API over HTTP) listens; port 0 picks "
              "a free one");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(complaint::BuildApp(kit, s));
}
