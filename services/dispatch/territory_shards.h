#pragma once

// The territories one dispatch instance owns (consumer group `dispatch-territory` on
// kafka::kDispatchTerritoryTopic): one Dispatcher per partition of the territory topic, each over
// its own keys in the store ("dispatch:t<N>:"). When Kafka gives this instance a partition (start,
// scale up or down, another instance gone), the partition's dispatcher is built and loads its
// state before the first record is handled; when Kafka takes it away (after the consumer loop
// committed what was handled), the dispatcher is retired — it finishes the input in progress and
// never touches the store again — and dropped. The console sees every territory this instance
// owns. docs/services/dispatch.md, "Scaling out by territory".

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <vector>

#include "dispatch_console.h"
#include "dispatcher.h"
#include "event_handlers.h"
#include "gridcare/kafka/consumer.h"

namespace gridcare::dispatch {

/// Thread-safe: records arrive on the consumer thread, ticks and roster updates on periodic
/// threads, console calls on server threads.
class TerritoryShards final : public kafka::MessageHandler, public DispatchConsole {
 public:
  /// A territory partition's own store.
  using StoreFactory = std::function<std::unique_ptr<DispatchStore>(int32_t partition)>;

  /// `partitions`: the territory topic's partition count. Everything passed in must outlive this
  /// object; `metrics` may be null.
  TerritoryShards(int32_t partitions, StoreFactory make_store, kafka::EventPublisher& publisher,
                  TopologyDirectory& topology, const core::Clock& clock, DispatchSettings settings,
                  DispatchMetrics* metrics);
  ~TerritoryShards() override;

  // The territory topic. Records carry kOriginTopicHeader (territory_router.h).
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  /// Each partition's records in the batch, in order: runs of tickets decided together
  /// (Dispatcher::OnTicketsOpened), crew reports one at a time between them.
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;
  void OnPartitionsAssigned(std::span<const kafka::TopicPartition> partitions) override;
  void OnPartitionsRevoked(std::span<const kafka::TopicPartition> partitions) override;

  /// Every owned territory's tick; goes on past a failing one and returns the first error.
  core::Result<int> Tick();
  /// The roster for every owned territory, and for those assigned later.
  void UpdateRoster(const std::vector<v1::Crew>& crews);
  /// True when every owned territory's state is loaded (also when none is owned yet).
  bool ready() const;
  /// The owned partitions, in order.
  std::vector<int32_t> owned() const;

  // DispatchConsole over every territory: the owned ones from their dispatchers, the others (owned
  // by other instances) read from the store (their committed open incidents and work orders;
  // an incident read so carries no ticket ids). Actions only in owned territories.
  std::vector<v1::Incident> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) const override;
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override;
  std::vector<v1::CrewStatusView> Crews() const override;
  std::optional<v1::Incident> Incident(std::string_view incident_id) const override;
  /// NOT_FOUND when no territory has the work order open; UNAVAILABLE when another instance owns
  /// its territory.
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) override;
  /// The outage goes to its feeder's territory: INVALID_ARGUMENT without scope.feeder_id,
  /// UNAVAILABLE when another instance owns that territory.
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override;

 private:
  struct Shard {
    int32_t partition = 0;
    std::unique_ptr<DispatchStore> store;
    std::unique_ptr<Dispatcher> dispatcher;
    std::unique_ptr<IntakeEventHandler> intake;
  };
  std::shared_ptr<Shard> Find(int32_t partition) const;
  std::vector<std::shared_ptr<Shard>> All() const;
  std::shared_ptr<Shard> Build(int32_t partition);
  kafka::HandleResult HandleCrewReport(Shard& shard, const kafka::ConsumedMessage& message);
  /// Decides the records of one partition (`indices` into `messages`, in order) into `results`;
  /// returns how many of them, in order, are done (the rest go through the loop's Handle).
  size_t DecidePartition(std::span<const kafka::ConsumedMessage> messages,
                         const std::vector<size_t>& indices,
                         std::vector<kafka::HandleResult>& results);
  /// The committed open work of every territory this instance does not own (one that cannot be
  /// read is left out, with a warning).
  std::vector<OpenWork> OtherTerritories() const;
  void ReportOwned();

  int32_t partitions_;
  StoreFactory make_store_;
  kafka::EventPublisher& publisher_;
  TopologyDirectory& topology_;
  const core::Clock& clock_;
  DispatchSettings settings_;
  DispatchMetrics* metrics_;

  mutable std::shared_mutex mutex_;
  std::map<int32_t, std::shared_ptr<Shard>> shards_;
  std::optional<std::vector<v1::Crew>> roster_;
};

}  // namespace gridcare::dispatch
