// analytics: KPIs and early warning (风险预警). Reads every topic into per-day figures (served as
// AnalyticsService over gRPC and as Prometheus gauges), watches each request category × area for
// surges against the same hours of past weeks, and raises risk-warning orders on
// gridcare.alert.v1 that the responsible supervisor acknowledges and closes. --rebuild derives
// every figure again from the log and compares. Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace analytics = gridcare::analytics;
  gridcare::service::Kit kit(analytics::kSpec);
  analytics::Settings s;
  auto& options = kit.options();
  options.Add("working-calendar", s.calendar_path,
              "Working calendar files (JSON), comma-separated, or a directory of them");
  options.Add("store-prefix", s.store_prefix, "Redis key prefix of the figures analytics keeps");
  options.Add("detect-interval", s.detect_interval,
              "How often every series is checked for surges (and warnings escalated)");
  options.Add("gauges-interval", s.gauges_interval, "How often the KPI gauges are refreshed");
  options.Add("handler-batch", s.handler_batch, "Events applied to Redis in one step")
      .Range(1, 5000);
  options
      .Add("surge-baseline-weeks", s.baseline_weeks,
           "Past weeks whose same hours make a series' baseline")
      .Range(1, 8);
  options.Add("surge-min-count", s.min_count, "Requests a window needs before it can be a surge")
      .Range(1, 1000);
  options.Add("surge-min-ratio", s.min_ratio, "A surge is at least this many times its baseline");
  options.Add("surge-dispersion", s.dispersion,
              "Day-to-day variation of counts beyond chance (variance = mu + dispersion x mu^2): "
              "the squared coefficient of variation of a series' daily totals; 0 = Poisson");
  options.Add("acknowledge-within", s.acknowledge_within,
              "Time the responsible supervisor has to acknowledge a risk warning");
  options.Add("escalate-every", s.escalate_every,
              "An unacknowledged warning climbs one rung every this long");
  options.Add("remonitor-for", s.remonitor_for,
              "How long a closed warning's series is watched for a recurrence");
  options.Add("responsible-role", s.responsible_role,
              "Staff role risk warnings are addressed to (notification's staff contacts)");
  options.Add("profile-deadline", s.profile_deadline, "Deadline of one customer count");
  options.Add("rebuild", s.rebuild,
              "Replay every topic from its earliest record into --rebuild-prefix, compare with "
              "the live figures and exit (0 equal, 3 different)");
  options.Add("rebuild-prefix", s.rebuild_prefix,
              "Redis key prefix the rebuild writes (wiped first; never the live prefix)");
  options.Add("rebuild-timeout", s.rebuild_timeout, "Longest a rebuild may read one topic");
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return analytics::Start(kit, s);
}
