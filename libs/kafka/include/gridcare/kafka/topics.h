#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gridcare::kafka {

/// Topic names: one topic per producing service, versioned. See docs/events.md.
inline constexpr std::string_view kRequestsTopic = "gridcare.requests.v1";
inline constexpr std::string_view kIntakeTopic = "gridcare.intake.v1";
inline constexpr std::string_view kDispatchTopic = "gridcare.dispatch.v1";
inline constexpr std::string_view kCrewTopic = "gridcare.crew.v1";
inline constexpr std::string_view kComplaintTopic = "gridcare.complaint.v1";
inline constexpr std::string_view kNotificationTopic = "gridcare.notification.v1";
inline constexpr std::string_view kAlertTopic = "gridcare.alert.v1";
/// Dispatch's own repartition topic: fault tickets keyed by their territory (substation) and crew
/// reports, so each dispatch instance owns whole territories (docs/services/dispatch.md).
inline constexpr std::string_view kDispatchTerritoryTopic = "gridcare.dispatch.territory.v1";

/// Consumer groups, one per consuming service (dispatch has two: `dispatch` routes intake's
/// tickets and the crews' reports to territories, `dispatch-territory` decides them). Each has its
/// own dead-letter topic.
inline constexpr std::string_view kConsumerGroups[] = {
    "profile",     "intake",    "dispatch",     "dispatch-territory",
    "repair-crew", "complaint", "notification", "analytics"};

/// "gridcare.dlq.<group>.v1": where a consumer group parks what it cannot process.
std::string DeadLetterTopic(std::string_view consumer_group);

struct TopicSpec {
  std::string name;
  int partitions;
  /// Retention the production chart asks for (the devbroker ignores it). Dead-letter topics keep
  /// 7 days, as long as the consumers' processed-id records, so a replay is never mistaken for new.
  int retention_hours;
};

/// Every topic GridCare uses, with the partition counts the devbroker and the Helm chart create.
/// Partition counts bound consumer parallelism: requests and intake carry the most traffic.
std::vector<TopicSpec> AllTopics();

}  // namespace gridcare::kafka
