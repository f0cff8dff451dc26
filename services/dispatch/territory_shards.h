#pragma once

// The territories one dispatch instance owns (consumer group `dispatch-territory` on
// kafka::kDispatchTerritoryTopic): one Dispatcher per partition of the territory topic, each over
// its own keys in the store ("dispatch:t<N>:"). When Kafka gives this instance a partition (start,
// scale up or down, another instance gone), the partition's dispatcher is built and loads its
// state before the first record is handled; when Kafka takes it away (after the consumer loop
// committed what was handled), the dispatcher is retired — it finishes the input in progress and
// never touches the store again — and dropped. The console sees every territory this instance
// owns. docs/services/dispatch.md, "Scaling out by territory".

#include <atomic>
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
#include "territory_peers.h"

namespace gridcare::dispatch {

/// Thread-safe: records arrive on the consumer thread, ticks and roster updates on periodic
/// threads, console calls on server threads.
class TerritoryShards final : public kafka::MessageHandler, public DispatchConsole {
 public:
  /// A territory partition's own store.
  using StoreFactory = std::function<std::unique_ptr<DispatchStore>(int32_t partition)>;

  /// `partitions`: the territory topic's partition count. `peers` reaches the instances that own
  /// the other territories (null: console actions there are refused). Everything passed in must
  /// outlive this object; `metrics` and `peers` may be null.
  TerritoryShards(int32_t partitions, StoreFactory make_store, kafka::EventPublisher& publisher,
                  TopologyDirectory& topology, const core::Clock& clock, DispatchSettings settings,
                  DispatchMetrics* metrics, TerritoryPeers* peers = nullptr);
  ~TerritoryShards() override;

  // The territory topic. Records carry kOriginTopicHeader (territory_router.h).
  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override;
  /// Each partition's records in the batch, in order: runs of tickets decided together
  /// (Dispatcher::OnTicketsOpened), crew reports one at a time between them.
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override;
  void OnPartitionsAssigned(std::span<const kafka::TopicPartition> partitions) override;
  void OnPartitionsRevoked(std::span<const kafka::TopicPartition> partitions) override;

  /// Every owned territory's tick (and the claim of one whose claim failed); goes on past a
  /// failing one and returns the first error.
  core::Result<int> Tick();
  /// The roster for every owned territory, and for those assigned later.
  void UpdateRoster(const std::vector<v1::Crew>& crews);
  /// True when every owned territory's state is loaded (also when none is owned yet).
  bool ready() const;
  /// The owned partitions, in order.
  std::vector<int32_t> owned() const;

  // DispatchConsole over every territory: the owned ones from their dispatchers, the others (owned
  // by other instances) read from the store (their committed open incidents and work orders;
  // an incident read so carries no ticket ids). An action in a territory another instance owns is
  // forwarded to it through `peers`.
  std::vector<v1::Incident> OpenIncidents(
      const v1::ListOpenIncidentsRequest& request) const override;
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override;
  std::vector<v1::CrewStatusView> Crews() const override;
  std::optional<v1::Incident> Incident(std::string_view incident_id) const override;
  /// NOT_FOUND when no territory has the work order open; in a territory another instance owns,
  /// the owner's answer (UNAVAILABLE when it cannot be reached or without `peers`).
  core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) override;
  /// The outage goes to its feeder's territory: INVALID_ARGUMENT without scope.feeder_id; in a
  /// territory another instance owns, the owner's answer (as AssignByHand).
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override;
  /// Appointment work: in the territory that holds the visit (or the application of the ticket),
  /// forwarded to its owner as AssignByHand is.
  core::Result<v1::WorkOrder> MoveAppointment(const v1::MoveAppointmentRequest& request) override;
  core::Result<v1::WorkOrder> RecordDocumentCheck(
      const v1::RecordDocumentCheckRequest& request) override;

  /// The same console, but its actions run only in the territories this instance owns (UNAVAILABLE
  /// elsewhere): what a call forwarded by another instance uses, so it is never forwarded again.
  DispatchConsole& owned_only() { return owned_only_; }

 private:
  /// The console of owned_only().
  class OwnedOnly final : public DispatchConsole {
   public:
    explicit OwnedOnly(TerritoryShards& shards) : shards_(shards) {}
    std::vector<v1::Incident> OpenIncidents(
        const v1::ListOpenIncidentsRequest& request) const override {
      return shards_.OpenIncidents(request);
    }
    std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const override {
      return shards_.WorkOrders(request);
    }
    std::vector<v1::CrewStatusView> Crews() const override { return shards_.Crews(); }
    std::optional<v1::Incident> Incident(std::string_view incident_id) const override {
      return shards_.Incident(incident_id);
    }
    core::Result<v1::WorkOrder> AssignByHand(const v1::AssignWorkOrderRequest& request) override {
      return shards_.Assign(request, false);
    }
    core::Result<v1::PlannedOutage> RegisterPlannedOutage(v1::PlannedOutage outage) override {
      return shards_.Register(std::move(outage), false);
    }
    core::Result<v1::WorkOrder> MoveAppointment(
        const v1::MoveAppointmentRequest& request) override {
      return shards_.Move(request, false);
    }
    core::Result<v1::WorkOrder> RecordDocumentCheck(
        const v1::RecordDocumentCheckRequest& request) override {
      return shards_.CheckDocuments(request, false);
    }

   private:
    TerritoryShards& shards_;
  };
  /// A territory another instance owns, as the store holds it.
  struct OtherTerritory {
    int32_t partition = 0;
    OpenWork work;
  };
  struct Shard {
    int32_t partition = 0;
    std::atomic<bool> claimed{false};  // TerritoryPeers::Claim succeeded
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
  std::vector<OtherTerritory> OtherTerritories() const;
  void ReportOwned();
  /// Claims the shard's territory through `peers_` (once it succeeded); the error when it fails.
  core::Status Claim(Shard& shard);
  /// The console actions; `forward`: an action in another instance's territory goes there.
  core::Result<v1::WorkOrder> Assign(const v1::AssignWorkOrderRequest& request, bool forward);
  core::Result<v1::WorkOrder> Move(const v1::MoveAppointmentRequest& request, bool forward);
  core::Result<v1::WorkOrder> CheckDocuments(const v1::RecordDocumentCheckRequest& request,
                                             bool forward);
  core::Result<v1::PlannedOutage> Register(v1::PlannedOutage outage, bool forward);
  /// Counts a forwarded action's outcome.
  template <typename T>
  core::Result<T> CountForwarded(core::Result<T> outcome);

  int32_t partitions_;
  StoreFactory make_store_;
  kafka::EventPublisher& publisher_;
  TopologyDirectory& topology_;
  const core::Clock& clock_;
  DispatchSettings settings_;
  DispatchMetrics* metrics_;
  TerritoryPeers* peers_;
  OwnedOnly owned_only_{*this};

  mutable std::shared_mutex mutex_;
  std::map<int32_t, std::shared_ptr<Shard>> shards_;
  std::optional<std::vector<v1::Crew>> roster_;
};

}  // namespace gridcare::dispatch
