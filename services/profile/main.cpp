// profile: the shared customer profile (360° view) over gRPC, stored in Redis, with history
// counters kept current from the intake, dispatch and complaint topics.
#include "gridcare/kafka/topics.h"
#include "gridcare/service/kit.h"
#include "history_handler.h"
#include "profile_grpc_service.h"
#include "redis_profile_store.h"

int main(int argc, char** argv) {
  gridcare::service::Kit kit(
      {"profile",
       "GridCare profile service: the shared customer profile (account, contacts, address, area "
       "class, supply topology, tags, history counters) served over gRPC (ProfileService) from "
       "Redis, with history kept current from the intake, dispatch and complaint topics.",
       {.kafka = true, .redis = true, .grpc_server = true}});

  gridcare::profile::HistoryRules rules;
  int complaint_window_days = 30;
  kit.options()
      .Add("sensitive-complaint-threshold", rules.sensitive_complaint_threshold,
           "Complaints within the complaint window that tag a customer sensitive (0 = never)")
      .Range(0, 100);
  kit.options()
      .Add("complaint-window-days", complaint_window_days,
           "Days a complaint counts toward complaints_last_30_days and the sensitive rule")
      .Range(1, 365);
  if (auto exit_code = kit.Init(argc, argv)) return *exit_code;
  rules.complaint_window = std::chrono::hours(24 * complaint_window_days);

  gridcare::profile::RedisProfileStore store(kit.redis(), kit.clock(), rules);
  gridcare::profile::ProfileGrpcService grpc_service(store);
  gridcare::profile::HistoryHandler history(store);
  kit.AddGrpcService(&grpc_service);
  kit.AddConsumer({std::string(gridcare::kafka::kIntakeTopic),
                   std::string(gridcare::kafka::kDispatchTopic),
                   std::string(gridcare::kafka::kComplaintTopic)},
                  history);
  return kit.Run();
}
