// The territories one dispatch instance owns: hand-over when Kafka moves a partition (the new
// owner loads the territory's state before its first record; the old one never touches it again),
// crew reports acted on only where the work order lives, batches per partition, the console over
// every owned territory.
#include "territory_shards.h"

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dispatcher_fixture.h"
#include "territory.h"
#include "territory_router.h"

namespace gridcare::dispatch {
namespace {

using namespace test;

constexpr int32_t kPartitions = 4;

/// Forwards to one territory's in-memory store and counts every call, across instances.
class TrackedStore final : public DispatchStore {
 public:
  /// `fail_loads`: while true, Load fails (a Redis that does not answer).
  TrackedStore(InMemoryDispatchStore& inner, int& calls, const bool& fail_loads)
      : inner_(inner), calls_(calls), fail_loads_(fail_loads) {}
  core::Status Commit(const DispatchBatch& batch) override {
    ++calls_;
    return inner_.Commit(batch);
  }
  core::Status CommitAll(std::span<const DispatchBatch> batches) override {
    ++calls_;
    return inner_.CommitAll(batches);
  }
  core::Result<DispatchSnapshot> Load() override {
    ++calls_;
    if (fail_loads_) return core::Unavailable("redis down");
    return inner_.Load();
  }
  core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) override {
    ++calls_;
    return inner_.Outbox(outbox_id);
  }
  core::Result<std::vector<std::string>> PendingOutboxes() override {
    ++calls_;
    return inner_.PendingOutboxes();
  }
  core::Status ForgetPending(const std::vector<std::string>& outbox_ids) override {
    ++calls_;
    return inner_.ForgetPending(outbox_ids);
  }
  core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) override {
    ++calls_;
    return inner_.DueTimers(now_ms, limit);
  }

 private:
  InMemoryDispatchStore& inner_;
  int& calls_;
  const bool& fail_loads_;
};

/// TerritoryPeers in memory: one instance's link to the registry of owners the cluster shares.
class PeerLink final : public TerritoryPeers {
 public:
  explicit PeerLink(std::map<int32_t, TerritoryShards*>& owners) : owners_(owners) {}
  void Bind(TerritoryShards* self) { self_ = self; }

  core::Status Claim(int32_t partition) override {
    if (fail_claims) return core::Unavailable("redis down");
    owners_[partition] = self_;
    return core::Status::Ok();
  }
  core::Result<v1::WorkOrder> AssignByHand(int32_t partition,
                                           const v1::AssignWorkOrderRequest& request) override {
    ++forwarded;
    auto owner = Owner(partition);
    if (!owner) return owner.error();
    return (*owner)->owned_only().AssignByHand(request);
  }
  core::Result<v1::PlannedOutage> RegisterPlannedOutage(int32_t partition,
                                                        const v1::PlannedOutage& outage) override {
    ++forwarded;
    auto owner = Owner(partition);
    if (!owner) return owner.error();
    return (*owner)->owned_only().RegisterPlannedOutage(outage);
  }
  core::Result<v1::WorkOrder> MoveAppointment(int32_t partition,
                                              const v1::MoveAppointmentRequest& request) override {
    ++forwarded;
    auto owner = Owner(partition);
    if (!owner) return owner.error();
    return (*owner)->owned_only().MoveAppointment(request);
  }
  core::Result<v1::WorkOrder> RecordDocumentCheck(
      int32_t partition, const v1::RecordDocumentCheckRequest& request) override {
    ++forwarded;
    auto owner = Owner(partition);
    if (!owner) return owner.error();
    return (*owner)->owned_only().RecordDocumentCheck(request);
  }

  bool fail_claims = false;
  int forwarded = 0;

 private:
  core::Result<TerritoryShards*> Owner(int32_t partition) const {
    const auto found = owners_.find(partition);
    if (found == owners_.end() || found->second == self_) return core::Unavailable("moving");
    return found->second;
  }
  std::map<int32_t, TerritoryShards*>& owners_;
  TerritoryShards* self_ = nullptr;
};

/// Redis (one in-memory store per territory partition, and the owners' claims) and Kafka shared
/// by several instances.
struct Cluster {
  core::FakeClock clock{T0()};
  std::map<int32_t, InMemoryDispatchStore> stores;
  std::map<int32_t, int> store_calls;
  std::map<int32_t, bool> load_fails;
  kafka::RecordingPublisher publisher;
  FakeTopologyDirectory topology;
  std::map<int32_t, TerritoryShards*> owners;  // as claimed
  std::vector<std::unique_ptr<PeerLink>> links;

  Cluster() {
    for (int32_t p = 0; p < kPartitions; ++p) {
      stores[p];
      store_calls[p] = 0;
      load_fails[p] = false;
    }
  }

  /// An instance; with `link`, it claims its territories and forwards console actions through it.
  std::unique_ptr<TerritoryShards> Instance(PeerLink* link = nullptr) {
    auto shards = std::make_unique<TerritoryShards>(
        kPartitions,
        [this](int32_t partition) -> std::unique_ptr<DispatchStore> {
          return std::make_unique<TrackedStore>(stores.at(partition), store_calls.at(partition),
                                                load_fails.at(partition));
        },
        publisher, topology, clock, DefaultSettings(), nullptr, link);
    if (link) link->Bind(shards.get());
    shards->UpdateRoster({MakeCrew("CREW-1", 1, clock.Now()), MakeCrew("CREW-2", 2, clock.Now())});
    return shards;
  }
  PeerLink& NewLink() { return *links.emplace_back(std::make_unique<PeerLink>(owners)); }
};

std::vector<kafka::TopicPartition> Partitions(std::vector<int32_t> numbers) {
  std::vector<kafka::TopicPartition> out;
  for (const int32_t n : numbers) {
    out.push_back({std::string(kafka::kDispatchTerritoryTopic), n});
  }
  return out;
}

/// A feeder name whose territory is on `partition`.
std::string FeederOn(int32_t partition) {
  for (int i = 1;; ++i) {
    std::string feeder = "F" + std::to_string(i);
    if (TerritoryPartition("feeder:" + feeder, kPartitions) == partition) return feeder;
  }
}

/// A record on the territory topic as the router writes it.
kafka::ConsumedMessage TerritoryRecord(std::string_view origin, const std::string& value,
                                       int32_t partition, const std::string& ce_id) {
  kafka::ConsumedMessage message;
  message.topic = std::string(kafka::kDispatchTerritoryTopic);
  message.partition = partition;
  message.value = value;
  message.headers = {{"ce_id", ce_id},
                     {"traceparent", kTraceparent},
                     {std::string(kOriginTopicHeader), std::string(origin)}};
  return message;
}

kafka::ConsumedMessage TicketRecord(const v1::Ticket& ticket) {
  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  return TerritoryRecord(kafka::kIntakeTopic, event.SerializeAsString(),
                         TerritoryPartition(TerritoryOf(ticket), kPartitions),
                         "evt-" + ticket.ticket_id());
}

void RequireDone(const kafka::HandleResult& result) {
  INFO(result.reason << ": " << result.detail);
  REQUIRE(result.disposition == Disposition::kDone);
}

TEST_CASE("a territory moved to another instance keeps its incidents and its redeliveries",
          "[territory][handover]") {
  Cluster cluster;
  auto first = cluster.Instance();
  first->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  REQUIRE(first->ready());
  const auto ticket = FaultTicket("t1", "c1", "F1", "T1", cluster.clock.Now());
  const int32_t home = TerritoryPartition("feeder:F1", kPartitions);
  RequireDone(first->Handle(TicketRecord(ticket)));
  const auto published = cluster.publisher.RecordsOn(kafka::kDispatchTopic);
  REQUIRE(Count(Decode(published), ce::kIncidentOpened) == 1);
  REQUIRE(first->OpenIncidents({}).size() == 1);

  first->OnPartitionsRevoked(Partitions({home}));
  // Still shown (read from the store), no longer handled.
  CHECK(first->OpenIncidents({}).size() == 1);
  CHECK(first->WorkOrders({}).size() == 1);
  CHECK(first->Handle(TicketRecord(ticket)).disposition == Disposition::kRetry);

  auto second = cluster.Instance();
  second->OnPartitionsAssigned(Partitions({home}));
  REQUIRE(second->ready());
  CHECK(second->owned() == std::vector<int32_t>{home});
  const auto incidents = second->OpenIncidents({});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].incident_id() == "INC-S-t1");
  REQUIRE(second->WorkOrders({}).size() == 1);

  // The same record again (the first owner had not committed its offset): same events, nothing new.
  cluster.publisher.Clear();
  RequireDone(second->Handle(TicketRecord(ticket)));
  const auto again = cluster.publisher.RecordsOn(kafka::kDispatchTopic);
  REQUIRE(again.size() == published.size());
  for (size_t i = 0; i < again.size(); ++i) {
    CHECK(HeaderOr(again[i].headers, "ce_id") == HeaderOr(published[i].headers, "ce_id"));
  }
  CHECK(second->OpenIncidents({}).size() == 1);
}

TEST_CASE("a revoked territory's dispatcher never touches its store again",
          "[territory][handover]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  RequireDone(instance->Handle(TicketRecord(FaultTicket("t1", "c1", "F1", "T1", T0()))));
  REQUIRE(instance->Tick().ok());
  instance->OnPartitionsRevoked(Partitions({0, 1, 2, 3}));
  const auto calls = cluster.store_calls;
  cluster.clock.Advance(std::chrono::hours(3));  // alarms would be due
  auto ticked = instance->Tick();
  REQUIRE(ticked.ok());
  CHECK(*ticked == 0);
  CHECK(instance->owned().empty());
  CHECK(instance->ready());
  CHECK(cluster.store_calls == calls);
}

TEST_CASE("a retired dispatcher refuses every input", "[territory][handover]") {
  Harness h;
  h.d().UpdateRoster({MakeCrew("CREW-1", 1, h.Now())});
  h.Call(FaultTicket("t1", "c1", "F1", "T1", h.Now()));
  h.d().Retire();
  const int commits = h.store.commits;
  CHECK(h.Handle(FaultTicket("t2", "c2", "F2", "T9", h.Now())).disposition == Disposition::kRetry);
  CHECK(h.Crew(Accepted("CREW-1", "WO-S-t1"), "crew-1").disposition == Disposition::kRetry);
  CHECK_FALSE(h.d().Tick().ok());
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-1");
  CHECK(h.d().AssignByHand(request).error().kind == core::ErrorKind::kUnavailable);
  CHECK_FALSE(h.d().recovered());
  CHECK(h.store.commits == commits);
}

TEST_CASE("a crew report acts only in the territory that holds the work order",
          "[territory][crews]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  RequireDone(instance->Handle(TicketRecord(FaultTicket("t1", "c1", "F1", "T1", T0()))));
  const auto orders = instance->WorkOrders({});
  REQUIRE(orders.size() == 1);
  const std::string crew = orders[0].crew_id();
  REQUIRE_FALSE(crew.empty());
  cluster.publisher.Clear();
  const auto report = EnRoute(crew, orders[0].work_order_id()).SerializeAsString();
  for (int32_t p = 0; p < kPartitions; ++p) {
    RequireDone(instance->Handle(TerritoryRecord(kafka::kCrewTopic, report, p, "crew-evt-1")));
  }
  const auto events = Decode(cluster.publisher.RecordsOn(kafka::kDispatchTopic));
  CHECK(Count(events, ce::kIncidentUpdated) == 1);
  CHECK(instance->WorkOrders({})[0].state() == v1::WORK_ORDER_STATE_EN_ROUTE);

  // Positions reach every territory's roster.
  const auto position = LocationReported(crew, 5).SerializeAsString();
  for (int32_t p = 0; p < kPartitions; ++p) {
    RequireDone(instance->Handle(TerritoryRecord(kafka::kCrewTopic, position, p, "crew-evt-2")));
  }
  for (const auto& view : instance->Crews()) {
    if (view.crew_id() == crew) CHECK(view.position().latitude() == Approx(kLat + 5 * kKm));
  }
}

TEST_CASE("a territory record without its origin is a dead letter", "[territory]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0}));
  auto record = TerritoryRecord("gridcare.other.v1", "", 0, "x");
  CHECK(instance->Handle(record).disposition == Disposition::kDeadLetter);
  CHECK(instance->Handle(TerritoryRecord(kafka::kCrewTopic, "\xff", 0, "y")).disposition ==
        Disposition::kDeadLetter);
}

TEST_CASE("a poll batch is decided per partition across interleaved records",
          "[territory][batch]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  const std::string a = FeederOn(0);
  const std::string b = FeederOn(1);
  const std::vector<kafka::ConsumedMessage> batch = {
      TicketRecord(FaultTicket("t1", "c1", a, "TA", T0())),
      TicketRecord(FaultTicket("t2", "c2", b, "TC", T0())),
      TicketRecord(FaultTicket("t3", "c3", a, "TB", T0())),
  };
  const auto results = instance->HandleBatch(batch);
  REQUIRE(results.size() == 3);
  for (const auto& result : results) RequireDone(result);
  CHECK(instance->OpenIncidents({}).size() == 3);

  // Crew reports between tickets are handled in their turn.
  const auto report =
      TerritoryRecord(kafka::kCrewTopic, LocationReported("CREW-1", 1).SerializeAsString(), 0, "c");
  const std::vector<kafka::ConsumedMessage> mixed = {
      TicketRecord(FaultTicket("t4", "c4", b, "TD", T0())), report,
      TicketRecord(FaultTicket("t5", "c5", b, "TE", T0()))};
  const auto all = instance->HandleBatch(mixed);
  REQUIRE(all.size() == 3);
  for (const auto& result : all) RequireDone(result);
  CHECK(instance->OpenIncidents({}).size() == 5);

  // A record its partition cannot take (not owned here) ends the prefix; records of other
  // partitions decided beyond it come again and change nothing the second time.
  instance->OnPartitionsRevoked(Partitions({0}));
  const std::vector<kafka::ConsumedMessage> stopped = {
      TicketRecord(FaultTicket("t6", "c6", b, "TF", T0())),
      TicketRecord(FaultTicket("t7", "c7", a, "TG", T0())),
      TicketRecord(FaultTicket("t8", "c8", b, "TH", T0()))};
  const auto partial = instance->HandleBatch(stopped);
  REQUIRE(partial.size() == 1);
  cluster.publisher.Clear();
  const auto again = instance->HandleBatch(std::span(stopped).subspan(2));
  REQUIRE(again.size() == 1);
  RequireDone(again[0]);
  const auto republished = Decode(cluster.publisher.RecordsOn(kafka::kDispatchTopic));
  CHECK(Count(republished, ce::kIncidentOpened) == 1);  // t8's, the same event again
  CHECK(instance->OpenIncidents({}).size() >= 5);
}

v1::PlannedOutage Outage(const std::string& feeder) {
  v1::PlannedOutage outage;
  outage.mutable_scope()->set_feeder_id(feeder);
  *outage.mutable_starts_at() = sla::ToTimestamp(T0() + std::chrono::hours(1));
  *outage.mutable_ends_at() = sla::ToTimestamp(T0() + std::chrono::hours(3));
  outage.mutable_reason()->set_zh_cn("线路检修");
  outage.mutable_reason()->set_en("Line maintenance");
  return outage;
}

TEST_CASE("a planned outage goes to its feeder's territory", "[territory][console]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0}));
  REQUIRE(instance->RegisterPlannedOutage(Outage(FeederOn(0))).ok());
  CHECK(instance->RegisterPlannedOutage(Outage(FeederOn(1))).error().kind ==
        core::ErrorKind::kUnavailable);
  v1::PlannedOutage transformer_only = Outage("");
  transformer_only.mutable_scope()->set_transformer_id("T1");
  CHECK(instance->RegisterPlannedOutage(transformer_only).error().kind ==
        core::ErrorKind::kInvalidArgument);
}

TEST_CASE("the console assigns by hand in the territory of the work order",
          "[territory][console]") {
  Cluster cluster;
  auto instance = cluster.Instance();
  instance->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  RequireDone(instance->Handle(TicketRecord(FaultTicket("t1", "c1", "F1", "T1", T0()))));
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-2");
  auto assigned = instance->AssignByHand(request);
  REQUIRE(assigned.ok());
  CHECK(assigned->crew_id() == "CREW-2");
  request.set_work_order_id("WO-nope");
  CHECK(instance->AssignByHand(request).error().kind == core::ErrorKind::kNotFound);
  CHECK(instance->Incident("INC-S-t1").has_value());
  CHECK_FALSE(instance->Incident("INC-nope").has_value());
}

TEST_CASE("the console shows the territories other instances own and acts only in its own",
          "[territory][console]") {
  Cluster cluster;
  auto owner = cluster.Instance();
  owner->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  RequireDone(owner->Handle(TicketRecord(FaultTicket("t1", "c1", "F1", "T1", T0()))));
  const int32_t home = TerritoryPartition("feeder:F1", kPartitions);
  owner->OnPartitionsRevoked(Partitions({home}));
  auto other = cluster.Instance();
  other->OnPartitionsAssigned(Partitions({home}));
  // `owner` now owns every territory but F1's.
  const auto incidents = owner->OpenIncidents({});
  REQUIRE(incidents.size() == 1);
  CHECK(incidents[0].incident_id() == "INC-S-t1");
  v1::ListOpenIncidentsRequest by_feeder;
  by_feeder.set_feeder_id("F2");
  CHECK(owner->OpenIncidents(by_feeder).empty());
  REQUIRE(owner->WorkOrders({}).size() == 1);
  const std::string crew = owner->WorkOrders({})[0].crew_id();
  bool shown = false;
  for (const auto& view : owner->Crews()) {
    if (view.crew_id() != crew) continue;
    shown = true;
    CHECK(view.status() == "assigned");
    CHECK(Strings(view.work_order_ids()) == std::vector<std::string>{"WO-S-t1"});
  }
  CHECK(shown);
  CHECK(owner->Incident("INC-S-t1").has_value());
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-2");
  CHECK(owner->AssignByHand(request).error().kind == core::ErrorKind::kUnavailable);
  CHECK(other->AssignByHand(request).ok());
}

/// Two linked instances: `first` owned every territory and placed t1 on feeder F1, then F1's
/// territory (`home`) was revoked from it; `second` owns `home` once Take() runs.
struct HandOver {
  HandOver()
      : first_link(cluster.NewLink()),
        second_link(cluster.NewLink()),
        first(cluster.Instance(&first_link)),
        second(cluster.Instance(&second_link)) {
    first->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
    RequireDone(first->Handle(TicketRecord(FaultTicket("t1", "c1", "F1", "T1", T0()))));
    first->OnPartitionsRevoked(Partitions({home}));
  }
  void Take() { second->OnPartitionsAssigned(Partitions({home})); }

  Cluster cluster;
  PeerLink& first_link;
  PeerLink& second_link;
  std::unique_ptr<TerritoryShards> first;
  std::unique_ptr<TerritoryShards> second;
  const int32_t home = TerritoryPartition("feeder:F1", kPartitions);
};

TEST_CASE("a console action in another instance's territory runs on the instance that owns it",
          "[territory][console][forward]") {
  HandOver h;
  h.Take();
  auto& [cluster, first_link, second_link, first, second, home] = h;
  CHECK(cluster.owners.at(home) == second.get());
  CHECK(cluster.owners.at((home + 1) % kPartitions) == first.get());

  // Assigned on `first`'s console, done by `second`, which owns F1's territory.
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-2");
  request.set_dispatcher_id("D-7");
  auto assigned = first->AssignByHand(request);
  REQUIRE(assigned.ok());
  CHECK(assigned->crew_id() == "CREW-2");
  CHECK(first_link.forwarded == 1);
  REQUIRE(second->WorkOrders({}).size() == 1);
  CHECK(second->WorkOrders({})[0].crew_id() == "CREW-2");
  // The owner's own errors come back unchanged.
  request.set_crew_id("CREW-NOPE");
  CHECK(first->AssignByHand(request).error().kind == core::ErrorKind::kNotFound);
  CHECK(first_link.forwarded == 2);
  // An unknown work order is not forwarded anywhere.
  request.set_work_order_id("WO-nope");
  CHECK(first->AssignByHand(request).error().kind == core::ErrorKind::kNotFound);
  CHECK(first_link.forwarded == 2);

  // A planned outage on F1's feeder, registered on `first`, lands in `second`'s territory; one on
  // `first`'s own territory is not forwarded.
  REQUIRE(first->RegisterPlannedOutage(Outage("F1")).ok());
  CHECK(first_link.forwarded == 3);
  REQUIRE(first->RegisterPlannedOutage(Outage(FeederOn((home + 1) % kPartitions))).ok());
  CHECK(first_link.forwarded == 3);
  auto in_home = cluster.stores.at(home).Load();
  REQUIRE(in_home.ok());
  CHECK(in_home->planned_outages.size() == 1);
  CHECK(second_link.forwarded == 0);
}

TEST_CASE("appointment actions in another instance's territory run on its owner",
          "[territory][console][forward][appointments]") {
  Cluster cluster;
  auto& first_link = cluster.NewLink();
  auto& second_link = cluster.NewLink();
  auto first = cluster.Instance(&first_link);
  auto second = cluster.Instance(&second_link);
  const int32_t home = TerritoryPartition("feeder:F1", kPartitions);
  first->OnPartitionsAssigned(Partitions({0, 1, 2, 3}));
  v1::Ticket application = FaultTicket("GC-A1", "c1", "F1", "T1", T0());
  application.set_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
  application.set_application_kind(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION);
  RequireDone(first->Handle(TicketRecord(application)));
  first->OnPartitionsRevoked(Partitions({home}));
  second->OnPartitionsAssigned(Partitions({home}));

  // The clerk's check, recorded on `first`'s console, is done by `second`.
  v1::RecordDocumentCheckRequest check;
  check.set_ticket_id("GC-A1");
  check.set_complete(true);
  auto checked = first->RecordDocumentCheck(check);
  REQUIRE(checked.ok());
  CHECK(checked->application().stage() == v1::APPLICATION_STAGE_DOCUMENTS_CHECKED);
  CHECK(first_link.forwarded == 1);
  // A move of the (unbooked: no roster) visit comes back with the owner's own error.
  v1::MoveAppointmentRequest move;
  move.set_work_order_id("WO-A-GC-A1-1");
  *move.mutable_start() = sla::ToTimestamp(T0() + std::chrono::hours(20));
  CHECK(first->MoveAppointment(move).error().kind == core::ErrorKind::kInvalidArgument);
  CHECK(first_link.forwarded == 2);
  // Unknown ones are not forwarded anywhere.
  check.set_ticket_id("GC-NONE");
  CHECK(first->RecordDocumentCheck(check).error().kind == core::ErrorKind::kNotFound);
  move.set_work_order_id("WO-A-NONE-1");
  CHECK(first->MoveAppointment(move).error().kind == core::ErrorKind::kNotFound);
  CHECK(first_link.forwarded == 2);
  (void)second_link;
}

TEST_CASE("a forwarded console action is never forwarded again", "[territory][console][forward]") {
  HandOver h;
  auto& [cluster, first_link, second_link, first, second, home] = h;
  // F1's territory moved from `first` to `second`, but `second` has not claimed it yet: the
  // registry still names `first`, which no longer owns it.
  v1::AssignWorkOrderRequest request;
  request.set_work_order_id("WO-S-t1");
  request.set_crew_id("CREW-2");
  const auto moving = second->AssignByHand(request);  // forwarded to `first`
  REQUIRE_FALSE(moving.ok());
  CHECK(moving.error().kind == core::ErrorKind::kUnavailable);
  CHECK(second_link.forwarded == 1);
  CHECK(first_link.forwarded == 0);  // `first` answered; it did not forward again
  CHECK(first->owned_only().RegisterPlannedOutage(Outage("F1")).error().kind ==
        core::ErrorKind::kUnavailable);
  CHECK(first_link.forwarded == 0);
  // Once `second` owns and claims it, the same action succeeds.
  h.Take();
  CHECK(second->AssignByHand(request).ok());
  CHECK(second_link.forwarded == 1);
}

TEST_CASE(
    "a territory is claimed once its state is loaded and a failed claim is retried by the tick",
    "[territory][console][forward]") {
  Cluster cluster;
  PeerLink& link = cluster.NewLink();
  link.fail_claims = true;
  auto instance = cluster.Instance(&link);
  instance->OnPartitionsAssigned(Partitions({0, 1}));
  CHECK(cluster.owners.empty());
  CHECK(instance->ready());
  CHECK_FALSE(instance->Tick().ok());  // says that the claims failed
  link.fail_claims = false;
  REQUIRE(instance->Tick().ok());
  CHECK(cluster.owners.size() == 2);
  CHECK(cluster.owners.at(0) == instance.get());
  CHECK(cluster.owners.at(1) == instance.get());

  // A territory whose state cannot be loaded is not claimed until it is.
  cluster.load_fails.at(2) = true;
  instance->OnPartitionsAssigned(Partitions({2}));
  CHECK_FALSE(cluster.owners.contains(2));
  CHECK_FALSE(instance->ready());
}

v1::CrewStatusView View(const std::string& crew, const std::string& status,
                        std::vector<std::string> orders = {}) {
  v1::CrewStatusView view;
  view.set_crew_id(crew);
  view.set_status(status);
  for (const auto& order : orders) view.add_work_order_ids(order);
  return view;
}

TEST_CASE("crew views of several territories merge into one per crew", "[territory][console]") {
  const auto merged = MergeCrewViews({
      {View("C1", "available"), View("C2", "off_shift"), View("C3", "assigned", {"WO-1"})},
      {View("C1", "en_route", {"WO-2"}), View("C2", "off_shift"), View("C3", "on_site", {"WO-3"})},
      {View("C1", "assigned", {"WO-4"}), View("C3", "available")},
  });
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].crew_id() == "C1");
  CHECK(merged[0].status() == "en_route");
  CHECK(Strings(merged[0].work_order_ids()) == std::vector<std::string>{"WO-2", "WO-4"});
  CHECK(merged[1].status() == "off_shift");
  CHECK(merged[2].status() == "on_site");
  CHECK(Strings(merged[2].work_order_ids()) == std::vector<std::string>{"WO-1", "WO-3"});
}

}  // namespace
}  // namespace gridcare::dispatch

namespace gridcare::dispatch {
namespace {

using namespace test;

TEST_CASE("a crew whose queue holds other territories' jobs counts them against its capacity",
          "[territory][crews]") {
  Harness h;
  v1::Crew near = MakeCrew("CREW-NEAR", 0.5, h.Now());
  for (const char* elsewhere : {"WO-S-x1", "WO-S-x2", "WO-S-x3"})
    near.add_work_order_ids(elsewhere);
  const v1::Crew far = MakeCrew("CREW-FAR", 8, h.Now());
  h.d().UpdateRoster({near, far});
  h.CallNow("t1", "c1");
  const auto orders = h.d().WorkOrders({});
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].crew_id() == "CREW-FAR");

  // Once repair-crew reports the queue emptied, the nearer crew is the better choice again.
  near.clear_work_order_ids();
  h.d().UpdateRoster({near, far});
  h.CallNow("t2", "c2", "F2", "T9");
  for (const auto& order : h.d().WorkOrders({})) {
    if (order.work_order_id() == "WO-S-t2") CHECK(order.crew_id() == "CREW-NEAR");
  }
}

}  // namespace
}  // namespace gridcare::dispatch
