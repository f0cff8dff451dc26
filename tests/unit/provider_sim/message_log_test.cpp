// The message log: numbering across providers, de-duplication per provider, the record limit,
// paging, clearing; and the report queue's order.
#include "message_log.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "report_queue.h"

namespace gridcare::provider_sim {
namespace {

RecordedMessage Message(std::string provider, std::string client_id) {
  RecordedMessage message;
  message.provider = std::move(provider);
  message.client_message_id = std::move(client_id);
  message.to = "13812345678";
  message.text = "t";
  return message;
}

std::vector<uint64_t> Seqs(const std::vector<RecordedMessage>& messages) {
  std::vector<uint64_t> seqs;
  for (const auto& message : messages) seqs.push_back(message.seq);
  return seqs;
}

TEST_CASE("messages are numbered across providers in acceptance order", "[provider_sim][log]") {
  MessageLog log(10);
  CHECK(log.last_seq() == 0);
  CHECK(log.Append(Message("sms", "a")).provider_message_id == "sms-1");
  CHECK(log.Append(Message("wechat", "a")).provider_message_id == "wechat-2");
  const RecordedMessage& third = log.Append(Message("sms", "b"));
  CHECK(third.seq == 3);
  CHECK(third.provider_message_id == "sms-3");
  CHECK(log.size() == 3);
  CHECK(log.last_seq() == 3);
}

TEST_CASE("a client id repeats only within its provider", "[provider_sim][log]") {
  MessageLog log(10);
  log.Append(Message("sms", "a"));
  const RecordedMessage* found = log.FindDuplicate("sms", "a");
  REQUIRE(found != nullptr);
  CHECK(found->seq == 1);
  CHECK(log.FindDuplicate("wechat", "a") == nullptr);
  CHECK(log.FindDuplicate("sms", "b") == nullptr);
  CHECK(log.FindDuplicate("sm", "s\na") == nullptr);
}

TEST_CASE("beyond the limit the oldest messages and their de-duplication go",
          "[provider_sim][log]") {
  MessageLog log(3);
  for (const char* id : {"a", "b", "c", "d", "e"}) log.Append(Message("sms", id));
  CHECK(log.size() == 3);
  CHECK(log.dropped() == 2);
  CHECK(log.Find(2) == nullptr);
  REQUIRE(log.Find(3) != nullptr);
  CHECK(log.Find(3)->client_message_id == "c");
  CHECK(log.Find(6) == nullptr);
  CHECK(log.FindDuplicate("sms", "a") == nullptr);
  REQUIRE(log.FindDuplicate("sms", "e") != nullptr);
  CHECK(log.FindDuplicate("sms", "e")->seq == 5);
  CHECK(Seqs(log.After(0, "", 10)) == std::vector<uint64_t>{3, 4, 5});
  // A dropped message's id is accepted again as a new message.
  CHECK(log.Append(Message("sms", "a")).seq == 6);
  CHECK(log.FindDuplicate("sms", "a")->seq == 6);
}

TEST_CASE("messages are read in pages after a seq and per provider", "[provider_sim][log]") {
  MessageLog log(100);
  for (int i = 0; i < 6; ++i) log.Append(Message(i % 2 == 0 ? "sms" : "push", std::to_string(i)));
  CHECK(Seqs(log.After(0, "", 4)) == std::vector<uint64_t>{1, 2, 3, 4});
  CHECK(Seqs(log.After(4, "", 4)) == std::vector<uint64_t>{5, 6});
  CHECK(log.After(6, "", 4).empty());
  CHECK(log.After(600, "", 4).empty());
  CHECK(Seqs(log.After(0, "sms", 2)) == std::vector<uint64_t>{1, 3});
  CHECK(Seqs(log.After(3, "sms", 2)) == std::vector<uint64_t>{5});
  CHECK(Seqs(log.After(0, "push", 10)) == std::vector<uint64_t>{2, 4, 6});
  CHECK(log.After(0, "voice", 10).empty());
  CHECK(log.After(0, "", 0).empty());
}

TEST_CASE("clearing forgets messages and ids but numbering goes on", "[provider_sim][log]") {
  MessageLog log(100);
  log.Append(Message("sms", "a"));
  log.Append(Message("sms", "b"));
  log.Clear();
  CHECK(log.size() == 0);
  CHECK(log.FindDuplicate("sms", "a") == nullptr);
  CHECK(log.After(0, "", 10).empty());
  CHECK(log.Find(1) == nullptr);
  CHECK(log.Append(Message("sms", "a")).seq == 3);
  CHECK(Seqs(log.After(0, "", 10)) == std::vector<uint64_t>{3});
  CHECK(log.last_seq() == 3);
}

TEST_CASE("report states have their wire names", "[provider_sim][log]") {
  CHECK(std::string(ReportStateName(ReportState::kNone)) == "none");
  CHECK(std::string(ReportStateName(ReportState::kPending)) == "pending");
  CHECK(std::string(ReportStateName(ReportState::kSent)) == "sent");
  CHECK(std::string(ReportStateName(ReportState::kLost)) == "lost");
}

TEST_CASE("reports come out when due earliest first and ties by seq", "[provider_sim][reports]") {
  const auto t0 = core::FromUnixMillis(1'800'000'000'000);
  using std::chrono::milliseconds;
  ReportQueue queue;
  CHECK_FALSE(queue.NextDue().has_value());
  queue.Push({.seq = 3, .due = t0 + milliseconds(200)});
  queue.Push({.seq = 2, .due = t0 + milliseconds(100)});
  queue.Push({.seq = 1, .due = t0 + milliseconds(200)});
  queue.Push({.seq = 4, .due = t0 + milliseconds(300)});
  CHECK(queue.NextDue() == t0 + milliseconds(100));
  CHECK(queue.TakeDue(t0 + milliseconds(99), 10).empty());
  std::vector<uint64_t> seqs;
  for (const auto& report : queue.TakeDue(t0 + milliseconds(200), 2)) seqs.push_back(report.seq);
  CHECK(seqs == std::vector<uint64_t>{2, 1});
  seqs.clear();
  for (const auto& report : queue.TakeDue(t0 + milliseconds(200), 10)) seqs.push_back(report.seq);
  CHECK(seqs == std::vector<uint64_t>{3});
  CHECK(queue.size() == 1);
  queue.Clear();
  CHECK(queue.size() == 0);
  CHECK_FALSE(queue.NextDue().has_value());
}

}  // namespace
}  // namespace gridcare::provider_sim
