#pragma once

// The dispatch service's composition root: main.cpp declares the options and calls BuildApp; tests
// build the same object graph with it.

#include <chrono>
#include <memory>
#include <string>

#include "console_grpc_service.h"
#include "console_http.h"
#include "dispatch_metrics.h"
#include "gridcare/kafka/topic_router.h"
#include "gridcare/service/kit.h"
#include "grpc_crew_directory.h"
#include "grpc_territory_peers.h"
#include "grpc_topology_directory.h"
#include "territory_router.h"
#include "territory_shards.h"

namespace gridcare::dispatch {

extern const service::ServiceSpec kSpec;

/// Dispatch's own settings (main.cpp declares them as options). The service standards default to
/// the installed copy (config::InstalledConfigPath).
struct Settings {
  Settings();
  std::string correlation_path;  // empty: built-in correlation thresholds
  std::string standards_path;
  /// Working calendar files (holidays, 调休) for the stage clocks of appointment work; read at
  /// start-up (a new calendar takes a restart here; intake reloads its own on change).
  std::string calendar_path;
  /// Appointment work (application_plan.h): a booked visit whose crew is on fault work this long
  /// before it is booked again; crew and customer are reminded this long before it.
  std::chrono::seconds appointment_booking_notice{2 * 3600};
  std::chrono::seconds appointment_rebook_lead{2 * 3600};
  std::chrono::seconds appointment_reminder_before{24 * 3600};
  std::string crew_target;
  std::string console_address = "127.0.0.1:8088";
  std::chrono::milliseconds profile_deadline{1000};
  std::chrono::milliseconds crew_deadline{3000};
  std::chrono::milliseconds tick_interval{2000};
  std::chrono::milliseconds roster_refresh{15'000};
  int ticket_batch = 500;  // intake tickets decided together (OnTicketsOpened); 1: one at a time
  /// Where the other dispatch instances reach this one's gRPC server (empty: the gRPC listen
  /// address's host, or this machine's name when it listens on every interface).
  std::string advertise_host;
  std::chrono::milliseconds peer_deadline{5000};  // of a console action forwarded to its owner
};

/// The address the other dispatch instances forward console actions to ("host:port",
/// "[v6]:port"). `bound_port`: the gRPC server's port once it runs.
std::string AdvertisedAddress(const Settings& settings, const std::string& grpc_listen_address,
                              int bound_port);

/// Loads the files the settings name into DispatchSettings. INVALID_ARGUMENT naming the flag and
/// the file when one cannot be read or is wrong.
core::Result<DispatchSettings> LoadDispatchSettings(const Settings& settings);

/// Dispatch's objects; registered with the kit, alive until the kit has stopped. Two consumers:
/// the territory router (group `dispatch`: intake's and the crews' topics → the territory topic)
/// and the territories this instance owns (group `dispatch-territory`), each a Dispatcher over its
/// own Redis keys, loaded when Kafka assigns its partition.
class App {
 public:
  /// `territory_partitions`: the territory topic's partition count.
  /// `router_producer`: the territory router's own producer (its flushes then wait only for its
  /// own records, not for the territories' events).
  App(service::Kit& kit, const Settings& settings, const DispatchSettings& dispatch,
      int32_t territory_partitions, std::unique_ptr<kafka::KafkaProducer> router_producer);
  /// Loads the roster (a missing roster only queues jobs until it comes); territories load their
  /// state when Kafka assigns them.
  core::Status Start();

 private:
  GrpcTopologyDirectory topology_;
  GrpcCrewDirectory crews_;
  DispatchMetrics metrics_;
  GrpcTerritoryPeers peers_;
  TerritoryShards territories_;
  ConsoleGrpcService console_grpc_;
  ConsoleHttpServer console_http_;
  std::unique_ptr<kafka::KafkaProducer> router_producer_;
  TerritoryRouter territory_router_;
  kafka::TopicRouter router_{"dispatch"};
};

/// Loads the settings' files, asks Kafka for the territory topic's partition count, builds the
/// App and registers it with `kit` (after kit.Init). NOT_FOUND when the territory topic does not
/// exist (create the topics first: `gridcare topics ensure`).
core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings);

}  // namespace gridcare::dispatch
