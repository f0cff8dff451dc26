#include "app.h"

namespace gridcare::profile {
namespace {

HistoryRules WithWindow(HistoryRules rules, int complaint_window_days) {
  rules.complaint_window = std::chrono::hours(24 * complaint_window_days);
  return rules;
}

}  // namespace

const service::ServiceSpec kSpec{
    "profile",
    "GridCare profile service: the shared customer profile (account, contacts, address, area "
    "class, supply topology, tags, history counters) served over gRPC (ProfileService) from "
    "Redis, with history kept current from the intake, dispatch and complaint topics.",
    {.kafka = true, .redis = true, .grpc_server = true}};

App::App(service::Kit& kit, const Settings& settings)
    : store_(kit.redis(), kit.clock(), WithWindow(settings.rules, settings.complaint_window_days)),
      grpc_service_(store_),
      history_(store_) {
  kit.AddGrpcService(&grpc_service_);
  kit.AddConsumer(history_.topics(), history_);
}

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  return std::make_unique<App>(kit, settings);
}

}  // namespace gridcare::profile
