#include "territory_shards.h"

#include <algorithm>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "gridcare/kafka/event_decoding.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "territory.h"
#include "territory_router.h"

namespace gridcare::dispatch {
namespace {

std::string PartitionList(std::span<const kafka::TopicPartition> partitions) {
  std::string out;
  for (const auto& partition : partitions) {
    out += (out.empty() ? "" : ",") + std::to_string(partition.partition);
  }
  return out;
}

}  // namespace

TerritoryShards::TerritoryShards(int32_t partitions, StoreFactory make_store,
                                 kafka::EventPublisher& publisher, TopologyDirectory& topology,
                                 const core::Clock& clock, DispatchSettings settings,
                                 DispatchMetrics* metrics, TerritoryPeers* peers)
    : partitions_(partitions),
      make_store_(std::move(make_store)),
      publisher_(publisher),
      topology_(topology),
      clock_(clock),
      settings_(std::move(settings)),
      metrics_(metrics),
      peers_(peers) {}

TerritoryShards::~TerritoryShards() = default;

std::shared_ptr<TerritoryShards::Shard> TerritoryShards::Find(int32_t partition) const {
  std::shared_lock lock(mutex_);
  const auto found = shards_.find(partition);
  return found == shards_.end() ? nullptr : found->second;
}

std::vector<std::shared_ptr<TerritoryShards::Shard>> TerritoryShards::All() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<Shard>> all;
  all.reserve(shards_.size());
  for (const auto& [partition, shard] : shards_) all.push_back(shard);
  return all;
}

std::vector<int32_t> TerritoryShards::owned() const {
  std::shared_lock lock(mutex_);
  std::vector<int32_t> partitions;
  for (const auto& [partition, shard] : shards_) partitions.push_back(partition);
  return partitions;
}

bool TerritoryShards::ready() const {
  return std::ranges::all_of(All(),
                             [](const auto& shard) { return shard->dispatcher->recovered(); });
}

// ---- hand-over -------------------------------------------------------------------------------

std::shared_ptr<TerritoryShards::Shard> TerritoryShards::Build(int32_t partition) {
  auto shard = std::make_shared<Shard>();
  shard->partition = partition;
  shard->store = make_store_(partition);
  DispatchSettings settings = settings_;
  settings.territory_partition = partition;
  shard->dispatcher = std::make_unique<Dispatcher>(*shard->store, publisher_, topology_, clock_,
                                                   std::move(settings), metrics_);
  shard->intake = std::make_unique<IntakeEventHandler>(*shard->dispatcher);
  return shard;
}

void TerritoryShards::OnPartitionsAssigned(std::span<const kafka::TopicPartition> partitions) {
  std::optional<std::vector<v1::Crew>> roster;
  {
    std::shared_lock lock(mutex_);
    roster = roster_;
  }
  for (const auto& given : partitions) {
    if (Find(given.partition)) continue;
    auto shard = Build(given.partition);
    if (roster) shard->dispatcher->UpdateRoster(*roster);
    // Loaded before the first record; when the store does not answer, the first record retries
    // the load (the dispatcher stays unrecovered and not ready).
    if (auto status = shard->dispatcher->Recover(); !status) {
      logging::Warn(
          "territory state not loaded yet; its first record retries",
          {{"partition", std::to_string(given.partition)}, {"error", status.error().ToString()}});
    }
    // Claimed once loaded (a failed claim is retried by the next tick): from then on the other
    // instances forward this territory's console actions here.
    if (shard->dispatcher->recovered()) {
      if (auto claimed = Claim(*shard); !claimed) {
        logging::Warn("territory not claimed yet; the next tick retries",
                      {{"partition", std::to_string(given.partition)},
                       {"error", claimed.error().ToString()}});
      }
    }
    std::unique_lock lock(mutex_);
    shards_.emplace(given.partition, std::move(shard));
  }
  logging::Info("territories assigned", {{"partitions", PartitionList(partitions)}});
  ReportOwned();
}

void TerritoryShards::OnPartitionsRevoked(std::span<const kafka::TopicPartition> partitions) {
  for (const auto& taken : partitions) {
    std::shared_ptr<Shard> shard;
    {
      std::unique_lock lock(mutex_);
      const auto found = shards_.find(taken.partition);
      if (found == shards_.end()) continue;
      shard = std::move(found->second);
      shards_.erase(found);
    }
    // Waits for a tick or console action in progress; afterwards it refuses everything.
    shard->dispatcher->Retire();
    if (metrics_) metrics_->ForgetTerritory(taken.partition);
  }
  logging::Info("territories revoked", {{"partitions", PartitionList(partitions)}});
  ReportOwned();
}

core::Status TerritoryShards::Claim(Shard& shard) {
  if (!peers_ || shard.claimed) return core::Status::Ok();
  auto claimed = peers_->Claim(shard.partition);
  if (claimed) shard.claimed = true;
  return claimed;
}

void TerritoryShards::ReportOwned() {
  if (metrics_) metrics_->SetTerritoriesOwned(owned().size());
}

// ---- records ---------------------------------------------------------------------------------

kafka::HandleResult TerritoryShards::Handle(const kafka::ConsumedMessage& message) {
  const auto shard = Find(message.partition);
  if (!shard) {
    return kafka::HandleResult::Retry(
        "territory_not_owned",
        "partition " + std::to_string(message.partition) + " is not assigned to this instance");
  }
  const auto origin = message.Header(kOriginTopicHeader).value_or("");
  if (origin == kafka::kIntakeTopic) return shard->intake->Handle(message);
  if (origin == kafka::kCrewTopic) return HandleCrewReport(*shard, message);
  return kafka::HandleResult::DeadLetter(
      kafka::DeadLetterReason::kUnexpectedTopic,
      "a territory record must name its origin topic (" + std::string(kOriginTopicHeader) +
          ") as " + std::string(kafka::kIntakeTopic) + " or " + std::string(kafka::kCrewTopic));
}

kafka::HandleResult TerritoryShards::HandleCrewReport(Shard& shard,
                                                      const kafka::ConsumedMessage& message) {
  v1::CrewEvent event;
  if (auto poison = kafka::DecodeEvent(message, event, {.require_known_case = true})) {
    return *poison;
  }
  if (!shard.dispatcher->Concerns(event)) {
    if (metrics_) metrics_->Routed("other_territory");
    return kafka::HandleResult::Done();
  }
  return shard.dispatcher->OnCrewEvent(event, kafka::SourceEventId(message),
                                       message.Header("traceparent").value_or(""));
}

std::vector<kafka::HandleResult> TerritoryShards::HandleBatch(
    std::span<const kafka::ConsumedMessage> messages) {
  // A poll batch interleaves the partitions (librdkafka hands out what each fetch brought), so the
  // records are taken per partition, each partition's in order: runs of tickets decided together,
  // crew reports one at a time between them. The results returned are the prefix of `messages` up
  // to the first record not decided (a record its territory could not decide now): records of
  // other partitions decided beyond that point come again and find their outboxes (a redelivery:
  // the same events republished, nothing changed).
  std::map<int32_t, std::vector<size_t>> by_partition;
  for (size_t i = 0; i < messages.size(); ++i) by_partition[messages[i].partition].push_back(i);
  std::vector<kafka::HandleResult> results(messages.size());
  // Territories share nothing but thread-safe edges (store connections, producer, profile
  // lookups), so they decide at the same time: their round trips to Redis and the profile service
  // overlap instead of adding up. Each writes only its own records' results.
  std::vector<std::future<size_t>> decisions;
  decisions.reserve(by_partition.size());
  for (const auto& entry : by_partition) {
    const std::vector<size_t>& indices = entry.second;
    decisions.push_back(std::async(std::launch::async, [this, messages, &indices, &results] {
      return DecidePartition(messages, indices, results);
    }));
  }
  size_t stop = messages.size();
  size_t group = 0;
  for (const auto& [partition, indices] : by_partition) {
    const size_t decided = decisions[group++].get();
    if (decided < indices.size()) stop = std::min(stop, indices[decided]);
  }
  results.resize(stop);
  return results;
}

size_t TerritoryShards::DecidePartition(std::span<const kafka::ConsumedMessage> messages,
                                        const std::vector<size_t>& indices,
                                        std::vector<kafka::HandleResult>& results) {
  const auto shard = Find(messages[indices.front()].partition);
  if (!shard) return 0;
  const auto is_ticket = [&](size_t k) {
    return messages[indices[k]].Header(kOriginTopicHeader).value_or("") == kafka::kIntakeTopic;
  };
  size_t next = 0;
  while (next < indices.size()) {
    if (!is_ticket(next)) {
      auto result = Handle(messages[indices[next]]);
      if (result.disposition != kafka::HandleResult::Disposition::kDone) return next;
      results[indices[next++]] = std::move(result);
      continue;
    }
    std::vector<kafka::ConsumedMessage> run;
    for (size_t k = next; k < indices.size() && is_ticket(k); ++k) {
      run.push_back(messages[indices[k]]);
    }
    const auto decided = shard->intake->HandleBatch(run);
    for (size_t k = 0; k < decided.size() && k < run.size(); ++k) {
      results[indices[next + k]] = decided[k];
    }
    if (decided.size() < run.size()) return next + decided.size();
    next += run.size();
  }
  return next;
}

// ---- periodic work ---------------------------------------------------------------------------

core::Result<int> TerritoryShards::Tick() {
  int published = 0;
  std::optional<core::Error> first_error;
  const auto keep_first = [&first_error](const Shard& shard, const core::Error& error) {
    if (!first_error) {
      first_error =
          core::Error{error.kind, "territory partition " + std::to_string(shard.partition) + ": " +
                                      error.message};
    }
  };
  for (const auto& shard : All()) {
    auto ticked = shard->dispatcher->Tick();
    if (ticked) {
      published += *ticked;
    } else {
      keep_first(*shard, ticked.error());
    }
    if (!shard->dispatcher->recovered()) continue;
    if (auto claimed = Claim(*shard); !claimed) keep_first(*shard, claimed.error());
  }
  if (first_error) return *first_error;
  return published;
}

void TerritoryShards::UpdateRoster(const std::vector<v1::Crew>& crews) {
  {
    std::unique_lock lock(mutex_);
    roster_ = crews;
  }
  for (const auto& shard : All()) shard->dispatcher->UpdateRoster(crews);
}

// ---- the console -----------------------------------------------------------------------------

std::vector<TerritoryShards::OtherTerritory> TerritoryShards::OtherTerritories() const {
  const auto mine = owned();
  std::vector<OtherTerritory> others;
  for (int32_t partition = 0; partition < partitions_; ++partition) {
    if (std::ranges::binary_search(mine, partition)) continue;
    auto work = make_store_(partition)->LoadOpenWork();
    if (!work) {
      logging::Warn("console: a territory owned elsewhere cannot be read",
                    {{"partition", std::to_string(partition)}, {"error", work.error().ToString()}});
      continue;
    }
    others.push_back({partition, std::move(*work)});
  }
  return others;
}

std::vector<v1::Incident> TerritoryShards::OpenIncidents(
    const v1::ListOpenIncidentsRequest& request) const {
  std::vector<v1::Incident> out;
  const auto take = [&out](std::vector<v1::Incident> incidents) {
    std::move(incidents.begin(), incidents.end(), std::back_inserter(out));
  };
  for (const auto& shard : All()) take(shard->dispatcher->OpenIncidents(request));
  for (const auto& other : OtherTerritories()) {
    take(SelectOpenIncidents(other.work.incidents, request, clock_.Now()));
  }
  std::stable_sort(out.begin(), out.end(), IncidentBefore);
  return out;
}

std::vector<v1::WorkOrder> TerritoryShards::WorkOrders(
    const v1::ListWorkOrdersRequest& request) const {
  std::vector<v1::WorkOrder> out;
  const auto take = [&out](std::vector<v1::WorkOrder> orders) {
    std::move(orders.begin(), orders.end(), std::back_inserter(out));
  };
  for (const auto& shard : All()) take(shard->dispatcher->WorkOrders(request));
  for (const auto& other : OtherTerritories())
    take(SelectWorkOrders(other.work.work_orders, request));
  std::stable_sort(out.begin(), out.end(), WorkOrderBefore);
  return out;
}

std::vector<v1::CrewStatusView> TerritoryShards::Crews() const {
  std::map<std::string, v1::Crew> roster;
  {
    std::shared_lock lock(mutex_);
    if (roster_) {
      for (const auto& crew : *roster_) roster.emplace(crew.crew_id(), crew);
    }
  }
  std::vector<std::vector<v1::CrewStatusView>> per_territory;
  for (const auto& shard : All()) per_territory.push_back(shard->dispatcher->Crews());
  for (const auto& other : OtherTerritories()) {
    per_territory.push_back(CrewViews(roster, other.work.work_orders));
  }
  return MergeCrewViews(per_territory);
}

std::optional<v1::Incident> TerritoryShards::Incident(std::string_view incident_id) const {
  for (const auto& shard : All()) {
    if (auto incident = shard->dispatcher->Incident(incident_id)) return incident;
  }
  for (auto& other : OtherTerritories()) {
    const auto found = other.work.incidents.find(std::string(incident_id));
    if (found != other.work.incidents.end()) return std::move(found->second);
  }
  return std::nullopt;
}

core::Result<v1::WorkOrder> TerritoryShards::AssignByHand(
    const v1::AssignWorkOrderRequest& request) {
  return Assign(request, true);
}

core::Result<v1::PlannedOutage> TerritoryShards::RegisterPlannedOutage(v1::PlannedOutage outage) {
  return Register(std::move(outage), true);
}

core::Result<v1::WorkOrder> TerritoryShards::MoveAppointment(
    const v1::MoveAppointmentRequest& request) {
  return Move(request, true);
}

core::Result<v1::WorkOrder> TerritoryShards::RecordDocumentCheck(
    const v1::RecordDocumentCheckRequest& request) {
  return CheckDocuments(request, true);
}

core::Result<v1::WorkOrder> TerritoryShards::Move(const v1::MoveAppointmentRequest& request,
                                                  bool forward) {
  if (request.work_order_id().empty()) return core::InvalidArgument("work_order_id is required");
  for (const auto& shard : All()) {
    if (shard->dispatcher->HasOpenWorkOrder(request.work_order_id())) {
      return shard->dispatcher->MoveAppointment(request);
    }
  }
  for (const auto& other : OtherTerritories()) {
    if (!other.work.work_orders.contains(request.work_order_id())) continue;
    if (forward && peers_) {
      return CountForwarded(peers_->MoveAppointment(other.partition, request));
    }
    return core::Unavailable("work order " + request.work_order_id() +
                             " is in territory partition " + std::to_string(other.partition) +
                             ", which another dispatch instance owns (it is moving): retry");
  }
  return core::NotFound("no open work order " + request.work_order_id());
}

core::Result<v1::WorkOrder> TerritoryShards::CheckDocuments(
    const v1::RecordDocumentCheckRequest& request, bool forward) {
  if (request.ticket_id().empty()) return core::InvalidArgument("ticket_id is required");
  for (const auto& shard : All()) {
    if (shard->dispatcher->HasOpenApplication(request.ticket_id())) {
      return shard->dispatcher->RecordDocumentCheck(request);
    }
  }
  for (const auto& other : OtherTerritories()) {
    for (const auto& [id, order] : other.work.work_orders) {
      if (order.application().ticket_id() != request.ticket_id()) continue;
      if (forward && peers_) {
        return CountForwarded(peers_->RecordDocumentCheck(other.partition, request));
      }
      return core::Unavailable("the application of ticket " + request.ticket_id() +
                               " is in territory partition " + std::to_string(other.partition) +
                               ", which another dispatch instance owns (it is moving): retry");
    }
  }
  return core::NotFound("no open application with ticket " + request.ticket_id());
}

template <typename T>
core::Result<T> TerritoryShards::CountForwarded(core::Result<T> outcome) {
  if (metrics_) metrics_->Forwarded(outcome ? "OK" : core::ErrorKindName(outcome.error().kind));
  return outcome;
}

core::Result<v1::WorkOrder> TerritoryShards::Assign(const v1::AssignWorkOrderRequest& request,
                                                    bool forward) {
  if (request.work_order_id().empty()) return core::InvalidArgument("work_order_id is required");
  for (const auto& shard : All()) {
    if (shard->dispatcher->HasOpenWorkOrder(request.work_order_id())) {
      return shard->dispatcher->AssignByHand(request);
    }
  }
  for (const auto& other : OtherTerritories()) {
    if (!other.work.work_orders.contains(request.work_order_id())) continue;
    if (forward && peers_) return CountForwarded(peers_->AssignByHand(other.partition, request));
    return core::Unavailable(
        "work order " + request.work_order_id() + " is in territory partition " +
        std::to_string(other.partition) + ", which another dispatch instance owns" +
        (forward ? ": assign it on that instance's console" : " (it is moving): retry"));
  }
  return core::NotFound("no open work order " + request.work_order_id());
}

core::Result<v1::PlannedOutage> TerritoryShards::Register(v1::PlannedOutage outage, bool forward) {
  if (outage.scope().feeder_id().empty()) {
    return core::InvalidArgument(
        "scope.feeder_id is required: dispatch keeps a feeder's calls and outages together");
  }
  const int32_t partition = TerritoryPartition(TerritoryOf(outage.scope()), partitions_);
  if (const auto shard = Find(partition)) {
    return shard->dispatcher->RegisterPlannedOutage(std::move(outage));
  }
  if (forward && peers_) return CountForwarded(peers_->RegisterPlannedOutage(partition, outage));
  return core::Unavailable("feeder " + outage.scope().feeder_id() + " is in territory partition " +
                           std::to_string(partition) + ", which another dispatch instance owns" +
                           (forward ? ": use its console" : " (it is moving): retry"));
}

}  // namespace gridcare::dispatch
