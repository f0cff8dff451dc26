// Against a real devbroker process: events round-trip with CloudEvents headers, a group resumes
// from its committed offset, redelivery is applied once, poison goes to the dead-letter topic while
// the stream keeps flowing, offsets are not stored until effects are durable, and the record
// reader (tools, --rebuild) reads every partition of a topic once, in offset order within each.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/dead_letter.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/record_reader.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/testing/servers.h"
#include "gridcare/v1/intake.pb.h"

namespace kafka = gridcare::kafka;
using gridcare::testing::DevBroker;
using gridcare::testing::WaitUntil;
using namespace std::chrono_literals;

namespace {

const std::string kTopic(kafka::kIntakeTopic);

// Collects what a handler saw, thread-safely.
struct Seen {
  std::mutex mutex;
  std::vector<kafka::ConsumedMessage> messages;
  std::map<std::string, int> applied_by_event_id;

  void Add(const kafka::ConsumedMessage& message) {
    std::lock_guard lock(mutex);
    messages.push_back(message);
    ++applied_by_event_id[std::string(message.Header("ce_id").value_or(""))];
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return messages.size();
  }
};

// A consumer loop on its own thread, stopped on destruction.
class RunningLoop {
 public:
  RunningLoop(const std::string& bootstrap, const std::string& group,
              std::vector<std::string> topics, kafka::MessageHandler& handler,
              kafka::EventPublisher& publisher, kafka::IdempotencyGuard* guard,
              const std::function<void(kafka::ConsumerSettings&)>& tune = nullptr)
      : metrics_(registry_, "test") {
    kafka::ConsumerSettings settings;
    settings.bootstrap_servers = bootstrap;
    settings.group_id = group;
    settings.client_id = group;
    settings.topics = std::move(topics);
    settings.max_batch_time = 50ms;
    settings.retry_initial_backoff = 10ms;
    settings.extra = {{"session.timeout.ms", "6000"}};
    if (tune) tune(settings);
    loop_ = std::make_unique<kafka::ConsumerLoop>(settings, handler, publisher, guard, metrics_,
                                                  clock_);
    auto status = loop_->Start();
    REQUIRE(status.ok());
    thread_ = std::thread([this] { loop_->Run(); });
  }
  ~RunningLoop() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    loop_->Stop();
    thread_.join();
  }
  prometheus::Registry& registry() { return registry_; }
  double Counter(const std::string& family, const std::string& label_value) {
    double total = 0;
    for (const auto& f : registry_.Collect()) {
      if (f.name != family) continue;
      for (const auto& metric : f.metric) {
        for (const auto& label : metric.label) {
          if (label.value == label_value) total += metric.counter.value;
        }
      }
    }
    return total;
  }

 private:
  gridcare::core::SystemClock clock_;
  prometheus::Registry registry_;
  gridcare::metrics::StageMetrics metrics_;
  std::unique_ptr<kafka::ConsumerLoop> loop_;
  std::thread thread_;
};

std::unique_ptr<kafka::KafkaProducer> MakeProducer(const DevBroker& broker) {
  auto producer =
      kafka::KafkaProducer::Create({broker.bootstrap_servers(), "test-producer", {}}, nullptr);
  REQUIRE(producer.ok());
  return std::move(producer).value();
}

kafka::OutgoingRecord TicketOpened(const std::string& ticket_id, const std::string& event_id) {
  gridcare::v1::IntakeEvent event;
  event.mutable_ticket_opened()->mutable_ticket()->set_ticket_id(ticket_id);
  kafka::EventMetadata metadata{
      event_id,  "gridcare.ticket.opened.v1",      "/gridcare/intake",
      ticket_id, std::chrono::system_clock::now(), kafka::NewTraceparent()};
  return kafka::MakeRecord(kTopic, ticket_id, metadata, event);
}

// Java's murmur2 partitioner, written from the published algorithm, to prove that our producer
// places keys where a Java channel adapter would.
int32_t JavaMurmur2Partition(const std::string& key, int32_t partitions) {
  const uint32_t seed = 0x9747b28c, m = 0x5bd1e995;
  const int r = 24;
  const auto length = static_cast<uint32_t>(key.size());
  uint32_t h = seed ^ length;
  const auto* data = reinterpret_cast<const uint8_t*>(key.data());
  const uint32_t blocks = length / 4;
  for (uint32_t i = 0; i < blocks; ++i) {
    uint32_t k = data[i * 4] | (data[i * 4 + 1] << 8) | (data[i * 4 + 2] << 16) |
                 (static_cast<uint32_t>(data[i * 4 + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const uint8_t* tail = data + blocks * 4;
  switch (length % 4) {
    case 3:
      h ^= tail[2] << 16;
      [[fallthrough]];
    case 2:
      h ^= tail[1] << 8;
      [[fallthrough]];
    case 1:
      h ^= tail[0];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>((h & 0x7fffffff) % static_cast<uint32_t>(partitions));
}

// Takes batches, but answers for no more than `answered` messages of each; the loop sends the
// rest through Handle, where the first attempt at every `flaky`-th message fails.
class PrefixBatchHandler final : public kafka::MessageHandler {
 public:
  PrefixBatchHandler(size_t answered, int flaky, int failures = 1)
      : answered_(answered), flaky_(flaky), failures_(failures) {}

  kafka::HandleResult Handle(const kafka::ConsumedMessage& message) override {
    const auto id = std::string(message.Header("ce_id").value_or(""));
    if (flaky_ > 0 && std::stoi(id.substr(id.rfind('-') + 1)) % flaky_ == 0) {
      std::lock_guard lock(mutex_);
      if (++failed_[id] <= failures_) return kafka::HandleResult::Retry("flaky", "not yet");
    }
    applied.Add(message);
    return kafka::HandleResult::Done();
  }

  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override {
    largest_batch = std::max(largest_batch.load(), messages.size());
    std::vector<kafka::HandleResult> results;
    for (size_t i = 0; i < std::min(answered_, messages.size()); ++i) {
      applied.Add(messages[i]);
      results.push_back(kafka::HandleResult::Done());
    }
    return results;
  }

  Seen applied;
  std::atomic<size_t> largest_batch{0};

 private:
  size_t answered_;
  int flaky_;
  int failures_;
  std::mutex mutex_;
  std::map<std::string, int> failed_;
};

// Publishes evt-0 .. evt-<count - 1>, keyed over `keys` tickets (so over several partitions).
void PublishNumbered(kafka::KafkaProducer& producer, int count, int keys) {
  for (int i = 0; i < count; ++i) {
    REQUIRE(
        producer.Publish(TicketOpened("T-" + std::to_string(i % keys), "evt-" + std::to_string(i)))
            .ok());
  }
  REQUIRE(producer.Flush(10s).ok());
}

// Every one of evt-0 .. evt-<count - 1> applied once, each partition's in offset order with no gap.
void CheckEachAppliedOnceInOrder(Seen& applied, int count) {
  std::lock_guard lock(applied.mutex);
  CHECK(applied.messages.size() == static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    CHECK(applied.applied_by_event_id["evt-" + std::to_string(i)] == 1);
  }
  std::map<int32_t, int64_t> last_offset;
  for (const auto& message : applied.messages) {
    auto [it, first] = last_offset.emplace(message.partition, message.offset);
    if (!first) {
      CHECK(message.offset == it->second + 1);
      it->second = message.offset;
    }
  }
}

}  // namespace

TEST_CASE("an event round-trips with its CloudEvents headers, on the Java client's partition") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  const std::string trace = kafka::NewTraceparent();
  gridcare::v1::IntakeEvent event;
  event.mutable_ticket_opened()->mutable_ticket()->set_ticket_id("GC-20261124-000001");
  event.mutable_ticket_opened()->mutable_ticket()->set_text("停电了，请尽快派人");
  kafka::EventMetadata metadata{"evt-roundtrip-1",
                                "gridcare.ticket.opened.v1",
                                "/gridcare/intake",
                                "GC-20261124-000001",
                                gridcare::core::FromUnixMillis(1'795'744'390'123),
                                trace};
  REQUIRE(
      producer
          ->PublishAndWait(kafka::MakeRecord(kTopic, "GC-20261124-000001", metadata, event), 10s)
          .ok());

  Seen seen;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
    seen.Add(m);
    return kafka::HandleResult::Done();
  });
  kafka::RecordingPublisher effects;
  RunningLoop loop(broker.bootstrap_servers(), "roundtrip", {kTopic}, handler, effects, nullptr);
  REQUIRE(WaitUntil([&] { return seen.size() == 1; }, 30s));

  const auto& message = seen.messages.front();
  CHECK(message.key == "GC-20261124-000001");
  CHECK(message.partition == JavaMurmur2Partition(message.key, 12));
  auto parsed = kafka::ParseMetadata(message.headers);
  REQUIRE(parsed.ok());
  CHECK(parsed->id == "evt-roundtrip-1");
  CHECK(parsed->type == "gridcare.ticket.opened.v1");
  CHECK(parsed->source == "/gridcare/intake");
  CHECK(parsed->subject == "GC-20261124-000001");
  CHECK(parsed->traceparent == trace);
  CHECK(gridcare::core::ToUnixMillis(parsed->time) == 1'795'744'390'123);
  CHECK(message.Header("content-type") == "application/protobuf");
  CHECK(message.Header("ce_specversion") == "1.0");
  gridcare::v1::IntakeEvent received;
  REQUIRE(received.ParseFromString(message.value));
  CHECK(received.ticket_opened().ticket().text() == "停电了，请尽快派人");
}

TEST_CASE("a consumer group resumes from its committed offset after a restart") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(producer->Publish(TicketOpened("T-" + std::to_string(i), "first-" + std::to_string(i)))
                .ok());
  }
  REQUIRE(producer->Flush(10s).ok());

  kafka::RecordingPublisher effects;
  Seen first;
  {
    kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
      first.Add(m);
      return kafka::HandleResult::Done();
    });
    RunningLoop loop(broker.bootstrap_servers(), "resume", {kTopic}, handler, effects, nullptr);
    REQUIRE(WaitUntil([&] { return first.size() == 10; }, 30s));
  }  // Stop() completes the batch and commits before leaving the group.

  for (int i = 0; i < 5; ++i) {
    REQUIRE(producer->Publish(TicketOpened("T-" + std::to_string(i), "second-" + std::to_string(i)))
                .ok());
  }
  REQUIRE(producer->Flush(10s).ok());

  Seen second;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
    second.Add(m);
    return kafka::HandleResult::Done();
  });
  RunningLoop loop(broker.bootstrap_servers(), "resume", {kTopic}, handler, effects, nullptr);
  REQUIRE(WaitUntil([&] { return second.size() >= 5; }, 30s));
  std::this_thread::sleep_for(500ms);  // anything replayed from before the commit would show now
  CHECK(second.size() == 5);
  for (const auto& m : second.messages) {
    CHECK_THAT(std::string(*m.Header("ce_id")), Catch::StartsWith("second-"));
  }
}

TEST_CASE("a redelivered event is applied once") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  // The same event twice (a producer-side retry or a replay), then another event.
  REQUIRE(producer->Publish(TicketOpened("T-1", "evt-dup")).ok());
  REQUIRE(producer->Publish(TicketOpened("T-1", "evt-dup")).ok());
  REQUIRE(producer->Publish(TicketOpened("T-1", "evt-other")).ok());
  REQUIRE(producer->Flush(10s).ok());

  kafka::InMemoryIdempotencyGuard guard;
  kafka::RecordingPublisher effects;
  Seen applied;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
    applied.Add(m);
    return kafka::HandleResult::Done();
  });
  RunningLoop loop(broker.bootstrap_servers(), "dedupe", {kTopic}, handler, effects, &guard);
  REQUIRE(WaitUntil([&] { return applied.size() >= 2; }, 30s));
  REQUIRE(WaitUntil([&] { return loop.Counter("gridcare_events_duplicate_total", kTopic) == 1; }));
  std::this_thread::sleep_for(300ms);
  CHECK(applied.applied_by_event_id["evt-dup"] == 1);
  CHECK(applied.applied_by_event_id["evt-other"] == 1);

  // Publishing the first one again later (a replay from a dead-letter tool) changes nothing.
  REQUIRE(producer->PublishAndWait(TicketOpened("T-1", "evt-dup"), 10s).ok());
  REQUIRE(WaitUntil([&] { return loop.Counter("gridcare_events_duplicate_total", kTopic) == 2; }));
  CHECK(applied.applied_by_event_id["evt-dup"] == 1);
}

TEST_CASE("a malformed message lands in the dead-letter topic while the next good one flows") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  kafka::OutgoingRecord poison{
      kTopic, "T-9", std::string("\xff\xff\xff\x01not protobuf", 16), {{"ce_id", "evt-poison"}}};
  REQUIRE(producer->Publish(poison).ok());
  REQUIRE(producer->Publish(TicketOpened("T-9", "evt-good")).ok());  // same key: same partition
  REQUIRE(producer->Flush(10s).ok());

  Seen good;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
    gridcare::v1::IntakeEvent event;
    if (!event.ParseFromString(m.value)) {
      return kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kMalformedProtobuf,
                                             "cannot parse IntakeEvent");
    }
    good.Add(m);
    return kafka::HandleResult::Done();
  });
  RunningLoop loop(broker.bootstrap_servers(), "intake", {kTopic}, handler, *producer, nullptr);
  REQUIRE(WaitUntil([&] { return good.size() == 1; }, 30s));
  CHECK(*good.messages.front().Header("ce_id") == "evt-good");
  REQUIRE(WaitUntil([&] {
    return loop.Counter("gridcare_events_dead_lettered_total", "malformed_protobuf") == 1;
  }));

  Seen parked;
  kafka::FunctionHandler dlq_reader([&](const kafka::ConsumedMessage& m) {
    parked.Add(m);
    return kafka::HandleResult::Done();
  });
  kafka::RecordingPublisher unused;
  RunningLoop reader(broker.bootstrap_servers(), "dlq-reader", {kafka::DeadLetterTopic("intake")},
                     dlq_reader, unused, nullptr);
  REQUIRE(WaitUntil([&] { return parked.size() == 1; }, 30s));
  const auto& letter = parked.messages.front();
  CHECK(letter.key == "T-9");
  CHECK(letter.value == poison.value);
  CHECK(letter.Header(kafka::kDeadLetterReason) == "malformed_protobuf");
  CHECK(letter.Header(kafka::kDeadLetterDetail) == "cannot parse IntakeEvent");
  CHECK(letter.Header(kafka::kDeadLetterSourceTopic) == kTopic);
  CHECK(letter.Header(kafka::kDeadLetterConsumerGroup) == "intake");
  CHECK(letter.Header("ce_id") == "evt-poison");
}

TEST_CASE("a retryable failure is retried with backoff and applied once it clears") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  REQUIRE(producer->PublishAndWait(TicketOpened("T-2", "evt-retry"), 10s).ok());

  std::atomic<int> attempts{0};
  kafka::RecordingPublisher effects;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage&) {
    if (++attempts < 3) return kafka::HandleResult::Retry("redis_unavailable", "simulated");
    return kafka::HandleResult::Done();
  });
  RunningLoop loop(broker.bootstrap_servers(), "retry", {kTopic}, handler, effects, nullptr);
  REQUIRE(WaitUntil([&] { return attempts.load() == 3; }, 30s));
  std::this_thread::sleep_for(300ms);
  CHECK(attempts.load() == 3);
  CHECK(loop.Counter("gridcare_events_failed_total", "redis_unavailable") == 2);
}

TEST_CASE("offsets are not stored until effects are durable: a failed flush replays the batch") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  REQUIRE(producer->PublishAndWait(TicketOpened("T-3", "evt-flush"), 10s).ok());

  kafka::RecordingPublisher effects;
  effects.FailNextFlushes(1);  // the first batch's effects never become durable
  Seen applied;
  kafka::FunctionHandler handler([&](const kafka::ConsumedMessage& m) {
    applied.Add(m);
    return kafka::HandleResult::Done();
  });
  RunningLoop loop(broker.bootstrap_servers(), "flush", {kTopic}, handler, effects, nullptr);
  REQUIRE(WaitUntil([&] { return applied.size() == 2; }, 30s));
  std::this_thread::sleep_for(300ms);
  CHECK(applied.size() == 2);  // handled, replayed once, then stored
  CHECK(loop.Counter("gridcare_events_failed_total", "publish_flush_failed") == 1);
}

TEST_CASE(
    "batches: every message is applied once and in partition order, whichever path takes it") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  constexpr int kEvents = 300;
  PublishNumbered(*producer, kEvents, 7);

  // Two messages of each batch answered by HandleBatch, the rest one by one; every 25th fails once
  // when it goes through Handle, and its partition's later messages must wait for it.
  PrefixBatchHandler handler(2, 25);
  kafka::RecordingPublisher effects;
  RunningLoop loop(broker.bootstrap_servers(), "batches", {kTopic}, handler, effects, nullptr,
                   [](kafka::ConsumerSettings& settings) { settings.max_handler_batch = 64; });
  REQUIRE(WaitUntil([&] { return handler.applied.size() >= kEvents; }, 60s));
  std::this_thread::sleep_for(300ms);

  CheckEachAppliedOnceInOrder(handler.applied, kEvents);
  CHECK(handler.largest_batch.load() > 1);
  CHECK(loop.Counter("gridcare_events_consumed_total", kTopic) == kEvents);  // each counted once
  // Some of the flaky ones came first in their batch and were answered by HandleBatch.
  const double retried = loop.Counter("gridcare_events_failed_total", "flaky");
  CHECK(retried >= 1);
  CHECK(retried <= kEvents / 25);
}

TEST_CASE("batches: a message that spends its retry budget gives back the rest of the batch") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  constexpr int kEvents = 120;
  PublishNumbered(*producer, kEvents, 5);

  // Every 40th message fails 6 times; with a 30 ms budget the loop rewinds its partition (and
  // gives back everything else in hand) before it succeeds.
  PrefixBatchHandler handler(0, 40, 6);  // every message through Handle
  kafka::RecordingPublisher effects;
  RunningLoop loop(broker.bootstrap_servers(), "rewinds", {kTopic}, handler, effects, nullptr,
                   [](kafka::ConsumerSettings& settings) {
                     settings.max_handler_batch = 50;
                     settings.retry_budget = 30ms;
                   });
  REQUIRE(WaitUntil([&] { return handler.applied.size() >= kEvents; }, 90s));
  std::this_thread::sleep_for(300ms);
  CheckEachAppliedOnceInOrder(handler.applied, kEvents);
}

TEST_CASE("the record reader reads every partition of a topic once and in offset order") {
  DevBroker broker;
  auto producer = MakeProducer(broker);
  constexpr int kCount = 300;
  for (int i = 0; i < kCount; ++i) {
    gridcare::v1::IntakeEvent event;
    event.mutable_ticket_opened()->mutable_ticket()->set_ticket_id("T-" + std::to_string(i));
    kafka::EventMetadata metadata{"evt-read-" + std::to_string(i),
                                  "gridcare.ticket.opened.v1",
                                  "/gridcare/intake",
                                  "T-" + std::to_string(i),
                                  gridcare::core::FromUnixMillis(1'795'744'390'123),
                                  ""};
    REQUIRE(producer->Publish(kafka::MakeRecord(kTopic, "T-" + std::to_string(i), metadata, event))
                .ok());
  }
  REQUIRE(producer->Flush(10s).ok());
  auto reader = kafka::KafkaRecordReader::Create(
      {.bootstrap_servers = broker.bootstrap_servers(), .client_id = "reader-test"});
  REQUIRE(reader.ok());
  std::map<std::string, int> seen;
  std::map<int32_t, int64_t> last_offset;
  std::set<int32_t> partitions;
  auto status = (*reader)->ReadAll(kTopic, 30s, [&](kafka::ConsumedMessage& message) {
    ++seen[std::string(message.Header("ce_id").value_or(""))];
    partitions.insert(message.partition);
    auto [it, first] = last_offset.emplace(message.partition, message.offset);
    if (!first) {
      CHECK(message.offset > it->second);
      it->second = message.offset;
    }
  });
  REQUIRE(status.ok());
  CHECK(seen.size() == static_cast<size_t>(kCount));
  for (const auto& [id, times] : seen) CHECK(times == 1);
  CHECK(partitions.size() > 6);  // 300 keys spread over the topic's 12 partitions
  // Read again: the same records (nothing was committed or consumed away).
  int again = 0;
  REQUIRE((*reader)->ReadAll(kTopic, 30s, [&](kafka::ConsumedMessage&) { ++again; }).ok());
  CHECK(again == kCount);
  auto missing =
      (*reader)->ReadAll("gridcare.no-such-topic.v1", 5s, [](kafka::ConsumedMessage&) {});
  CHECK(missing.error().kind == gridcare::core::ErrorKind::kNotFound);
}
