#include "app.h"

#include <unistd.h>

#include <algorithm>
#include <array>

#include "console/console_assets.h"
#include "gridcare/config/install_paths.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/rpc/client.h"
#include "gridcare/service/config_file.h"
#include "gridcare/service/working_calendar_files.h"
#include "redis_dispatch_store.h"

namespace gridcare::dispatch {
const service::ServiceSpec kSpec{
    "dispatch",
    "GridCare dispatch service: correlates fault tickets and smart-meter last gasps into "
    "transformer and feeder incidents, honours planned outages, assigns repair crews, keeps "
    "the arrival and restoration clocks (reminders, overdue ladder), follows crew reports to "
    "restoration and serves the dispatch console (DispatchConsoleService over gRPC and a web "
    "console over HTTP). Scales out by territory: each instance owns the feeders of the "
    "partitions of gridcare.dispatch.territory.v1 that Kafka assigns it.",
    {.kafka = true, .redis = true, .grpc_server = true, .profile_client = true}};

Settings::Settings()
    : standards_path(config::InstalledConfigPath("sla/service-standards.json")),
      calendar_path(config::InstalledConfigPath("sla/calendar-cn-2026.json")) {}

std::string AdvertisedAddress(const Settings& settings, const std::string& grpc_listen_address,
                              int bound_port) {
  std::array<char, 256> name{};
  const std::string machine =
      gethostname(name.data(), name.size() - 1) == 0 ? std::string(name.data()) : "localhost";
  return PeerAddress(settings.advertise_host, grpc_listen_address, machine, bound_port);
}

core::Result<DispatchSettings> LoadDispatchSettings(const Settings& settings) {
  DispatchSettings loaded;
  auto standards = service::LoadConfigFile("service-standards", settings.standards_path,
                                           sla::ServiceStandards::FromJson);
  if (!standards) return standards.error();
  loaded.standards = *standards;
  auto correlation =
      service::LoadOptionalConfigFile("correlation-rules", settings.correlation_path,
                                      CorrelationSettings{}, CorrelationSettings::FromJson);
  if (!correlation) return correlation.error();
  loaded.correlation = *correlation;
  auto calendar = service::LoadWorkingCalendar(settings.calendar_path);
  if (!calendar) {
    return service::ConfigFileError("working-calendar", settings.calendar_path, calendar.error());
  }
  loaded.calendar = std::move(*calendar);
  using std::chrono::duration_cast;
  using std::chrono::minutes;
  loaded.applications.booking_notice = duration_cast<minutes>(settings.appointment_booking_notice);
  loaded.applications.rebook_lead = duration_cast<minutes>(settings.appointment_rebook_lead);
  loaded.applications.reminder_before =
      duration_cast<minutes>(settings.appointment_reminder_before);
  if (auto status = Validate(loaded.applications); !status) {
    return core::InvalidArgument("appointment settings: " + status.error().message);
  }
  return loaded;
}

App::App(service::Kit& kit, const Settings& settings, const DispatchSettings& dispatch,
         int32_t territory_partitions, std::unique_ptr<kafka::KafkaProducer> router_producer)
    : topology_(rpc::MakeChannel(kit.settings().profile_service_target), settings.profile_deadline),
      crews_(rpc::MakeChannel(settings.crew_target), settings.crew_deadline),
      metrics_(kit.registry()),
      peers_(
          kit.redis(),
          [&kit, settings] {
            return AdvertisedAddress(settings, kit.settings().grpc_listen_address, kit.grpc_port());
          },
          settings.peer_deadline),
      territories_(
          territory_partitions,
          [&redis = kit.redis(), this](int32_t partition) -> std::unique_ptr<DispatchStore> {
            auto store = std::make_unique<RedisDispatchStore>(
                redis, "dispatch:t" + std::to_string(partition) + ":");
            // Writes only while this instance's claim stands (GrpcTerritoryPeers::OwnerKey).
            store->FenceOn([this] { return peers_.self_address(); });
            return store;
          },
          kit.producer(), topology_, kit.clock(), dispatch, &metrics_, &peers_),
      console_grpc_(territories_, territories_.owned_only()),
      console_http_(territories_, kit.clock(), web::LookupIn(FindConsoleAsset)),
      router_producer_(std::move(router_producer)),
      territory_router_(*router_producer_, territory_partitions, &metrics_) {
  kit.AddGrpcService(&console_grpc_);
  kit.AddServer(
      {"web console",
       [this, address = settings.console_address] { return console_http_.Start(address); },
       [this] { console_http_.Stop(); }});
  // Stage 1 (group `dispatch`): tickets and crew reports to their territories.
  router_.Route(kafka::kIntakeTopic, territory_router_).Route(kafka::kCrewTopic, territory_router_);
  kit.AddConsumer(router_.topics(), router_, false, nullptr, router_producer_.get());
  // Stage 2 (group `dispatch-territory`): the territories Kafka gives this instance. No generic
  // idempotency guard: every input's outbox, keyed by its event id, already makes a redelivery
  // republish the same events and change nothing.
  // A poll batch holds every owned partition's records interleaved; each territory decides its
  // share together, so the batch is --ticket-batch per partition (one store transaction each).
  kit.AddConsumer(
      {std::string(kafka::kDispatchTerritoryTopic)}, territories_, false,
      [batch = static_cast<size_t>(settings.ticket_batch) *
               static_cast<size_t>(territory_partitions)](kafka::ConsumerSettings& consumer) {
        consumer.group_id += "-territory";
        consumer.max_handler_batch = batch;
        consumer.max_batch_messages = std::max(consumer.max_batch_messages, batch);
      });
  kit.AddReadinessCheck("dispatch_state", [this] { return territories_.ready(); });
  kit.AddPeriodic({"dispatch-tick", settings.tick_interval, [this]() -> core::Status {
                     auto published = territories_.Tick();
                     if (!published) return published.error();
                     return core::Status::Ok();
                   }});
  kit.AddPeriodic({"roster-refresh", settings.roster_refresh, [this]() -> core::Status {
                     auto roster = crews_.ListCrews();
                     if (!roster) return roster.error();
                     territories_.UpdateRoster(*roster);
                     return core::Status::Ok();
                   }});
}

core::Status App::Start() {
  if (auto roster = crews_.ListCrews()) {
    territories_.UpdateRoster(*roster);
    logging::Info("roster loaded", {{"crews", std::to_string(roster->size())}});
  } else {
    logging::Warn("roster not available yet; jobs queue until it is",
                  {{"error", roster.error().ToString()}});
  }
  return core::Status::Ok();
}

namespace {

/// The territory topic's partition count, waiting a little for a broker that is starting.
core::Result<int32_t> TerritoryPartitions(service::Kit& kit) {
  const std::string topic(kafka::kDispatchTerritoryTopic);
  auto partitions = kit.producer().PartitionCount(topic, std::chrono::seconds(10));
  if (!partitions && partitions.error().kind == core::ErrorKind::kNotFound) {
    return core::NotFound("Kafka has no topic " + topic +
                          ": create dispatch's topics first (gridcare topics ensure)");
  }
  return partitions;
}

/// State written before dispatch owned territories (keys `dispatch:journal` …) is not read any
/// more: say so loudly rather than silently starting empty.
void WarnAboutUnpartitionedState(redis::RedisClient& redis) {
  auto length = redis.Command({"LLEN", "dispatch:journal"});
  if (length && length->integer() > 0) {
    logging::Warn(
        "Redis holds dispatch state from before territories (dispatch:journal and friends); it "
        "is not loaded: finish or re-register those incidents (docs/services/dispatch.md)",
        {{"journal_entries", std::to_string(length->integer())}});
  }
}

}  // namespace

core::Result<std::unique_ptr<App>> BuildApp(service::Kit& kit, const Settings& settings) {
  auto dispatch = LoadDispatchSettings(settings);
  if (!dispatch) return dispatch.error();
  auto partitions = TerritoryPartitions(kit);
  if (!partitions) return partitions.error();
  logging::Info("territory topic", {{"partitions", std::to_string(*partitions)}});
  WarnAboutUnpartitionedState(kit.redis());
  auto router_producer = kit.NewProducer("-router");
  if (!router_producer) return router_producer.error();
  auto app = std::make_unique<App>(kit, settings, *dispatch, *partitions,
                                   std::move(router_producer).value());
  if (auto started = app->Start(); !started) return started.error();
  return app;
}

}  // namespace gridcare::dispatch
