// TopicRouter and DecodeEvent: the one place where services' consumers route records by topic,
// parse them and dead-letter what cannot be used, with reasons from the one list.
#include "gridcare/kafka/topic_router.h"

#include <catch2/catch.hpp>
#include <set>

#include "gridcare/kafka/dead_letter_reasons.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace kafka = gridcare::kafka;
namespace v1 = gridcare::v1;
using Disposition = kafka::HandleResult::Disposition;

namespace {

kafka::ConsumedMessage Record(std::string_view topic, std::string value) {
  kafka::ConsumedMessage message;
  message.topic = std::string(topic);
  message.value = std::move(value);
  return message;
}

/// Counts what it is handed; answers batches for as many records as it is offered.
class CountingHandler final : public kafka::MessageHandler {
 public:
  kafka::HandleResult Handle(const kafka::ConsumedMessage&) override {
    ++handled;
    return kafka::HandleResult::Done();
  }
  std::vector<kafka::HandleResult> HandleBatch(
      std::span<const kafka::ConsumedMessage> messages) override {
    batches.push_back(messages.size());
    return std::vector<kafka::HandleResult>(messages.size());
  }
  int handled = 0;
  std::vector<size_t> batches;
};

std::string CrewOnSite() {
  v1::CrewEvent event;
  event.mutable_on_site()->set_crew_id("CREW-A");
  return event.SerializeAsString();
}

}  // namespace

TEST_CASE("every dead-letter reason has its own stable code") {
  std::set<std::string_view> codes;
  for (const auto reason : kafka::kAllDeadLetterReasons) {
    const auto code = kafka::ReasonCode(reason);
    CHECK_FALSE(code.empty());
    CHECK(code.find(' ') == std::string_view::npos);
    codes.insert(code);
  }
  CHECK(codes.size() == std::size(kafka::kAllDeadLetterReasons));
  CHECK(kafka::ReasonCode(kafka::DeadLetterReason::kMalformedProtobuf) == "malformed_protobuf");
  CHECK(kafka::ReasonCode(kafka::DeadLetterReason::kHandlerException) == "handler_exception");
  CHECK(kafka::HandleResult::DeadLetter(kafka::DeadLetterReason::kUnknownCrew, "x").reason ==
        "unknown_crew");
}

TEST_CASE("DecodeEvent parses, and dead-letters garbage, wrong topics and unknown cases") {
  v1::CrewEvent event;
  CHECK_FALSE(kafka::DecodeEvent(Record(kafka::kCrewTopic, CrewOnSite()), event).has_value());
  CHECK(event.on_site().crew_id() == "CREW-A");

  const auto garbage = kafka::DecodeEvent(Record(kafka::kCrewTopic, "\xff\xff\xff"), event);
  REQUIRE(garbage.has_value());
  CHECK(garbage->disposition == Disposition::kDeadLetter);
  CHECK(garbage->reason == "malformed_protobuf");
  CHECK(garbage->detail.find("gridcare.v1.CrewEvent") != std::string::npos);

  // An empty value parses as an event with no case: only consumers that need one refuse it.
  CHECK_FALSE(kafka::DecodeEvent(Record(kafka::kCrewTopic, ""), event).has_value());
  const auto empty =
      kafka::DecodeEvent(Record(kafka::kCrewTopic, ""), event, {.require_known_case = true});
  REQUIRE(empty.has_value());
  CHECK(empty->reason == "unknown_event");

  const auto elsewhere = kafka::DecodeEvent(Record(kafka::kIntakeTopic, CrewOnSite()), event,
                                            {.expected_topic = kafka::kCrewTopic});
  REQUIRE(elsewhere.has_value());
  CHECK(elsewhere->reason == "unexpected_topic");
  CHECK(elsewhere->detail.find(std::string(kafka::kIntakeTopic)) != std::string::npos);
}

TEST_CASE("the router hands each topic to its handler and dead-letters other topics") {
  CountingHandler intake;
  std::vector<std::string> crews_seen;
  kafka::TopicRouter router("dispatch");
  router.Route(kafka::kIntakeTopic, intake)
      .On<v1::CrewEvent>(kafka::kCrewTopic,
                         [&](const v1::CrewEvent& event, const kafka::ConsumedMessage&) {
                           crews_seen.push_back(event.on_site().crew_id());
                           return kafka::HandleResult::Done();
                         });
  CHECK(router.topics() ==
        std::vector<std::string>{std::string(kafka::kCrewTopic), std::string(kafka::kIntakeTopic)});

  CHECK(router.Handle(Record(kafka::kIntakeTopic, "")).disposition == Disposition::kDone);
  CHECK(intake.handled == 1);
  CHECK(router.Handle(Record(kafka::kCrewTopic, CrewOnSite())).disposition == Disposition::kDone);
  CHECK(crews_seen == std::vector<std::string>{"CREW-A"});

  const auto garbage = router.Handle(Record(kafka::kCrewTopic, "\xff\xff"));
  CHECK(garbage.reason == "malformed_protobuf");
  CHECK(crews_seen.size() == 1);

  const auto other = router.Handle(Record(kafka::kAlertTopic, ""));
  CHECK(other.disposition == Disposition::kDeadLetter);
  CHECK(other.reason == "unexpected_topic");
  CHECK(other.detail == "dispatch does not consume gridcare.alert.v1");
  CHECK_THROWS(router.Route(kafka::kIntakeTopic, intake));
}

TEST_CASE("the router offers a handler the leading run of its own topic as a batch") {
  CountingHandler intake;
  kafka::TopicRouter router("intake");
  router.Route(kafka::kIntakeTopic, intake)
      .On<v1::CrewEvent>(kafka::kCrewTopic,
                         [](const v1::CrewEvent&, const kafka::ConsumedMessage&) {
                           return kafka::HandleResult::Done();
                         });
  const std::vector<kafka::ConsumedMessage> mixed = {
      Record(kafka::kIntakeTopic, ""), Record(kafka::kIntakeTopic, ""),
      Record(kafka::kCrewTopic, CrewOnSite()), Record(kafka::kIntakeTopic, "")};
  CHECK(router.HandleBatch(mixed).size() == 2);
  CHECK(intake.batches == std::vector<size_t>{2});
  // Typed routes and unknown topics decide one record at a time, through Handle.
  CHECK(router.HandleBatch(std::span(mixed).subspan(2, 1)).empty());
  CHECK(router.HandleBatch({}).empty());
}
