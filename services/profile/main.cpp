// profile: the shared customer profile (360° view) over gRPC, stored in Redis, with history
// counters kept current from the intake, dispatch and complaint topics. Wiring: app.h.
#include "app.h"

int main(int argc, char** argv) {
  namespace profile = gridcare::profile;
  gridcare::service::Kit kit(profile::kSpec);
  profile::Settings settings;
  kit.options()
      .Add("sensitive-complaint-threshold", settings.rules.sensitive_complaint_threshold,
           "Complaints within the complaint window that tag a customer sensitive (0 = never)")
      .Range(0, 100);
  kit.options()
      .Add("complaint-window-days", settings.complaint_window_days,
           "Days a complaint counts toward complaints_last_30_days and the sensitive rule")
      .Range(1, 365);
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  return kit.Run(profile::BuildApp(kit, settings));
}
