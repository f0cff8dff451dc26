#pragma once

// CaseDesk over FakeCaseStore, kafka::RecordingPublisher and a core::FakeClock at T0, with the
// shipped configuration (rules_fixture.h); the published records read back as events.

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "case_desk.h"
#include "fake_case_store.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topics.h"
#include "rules_fixture.h"

namespace gridcare::complaint::test {

inline constexpr std::string_view kTraceparent =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// A published record, read back.
struct Published {
  kafka::OutgoingRecord record;
  kafka::EventMetadata meta;
  v1::ComplaintEvent event;
};

inline std::vector<Published> Read(const std::vector<kafka::OutgoingRecord>& records) {
  std::vector<Published> out;
  for (const auto& record : records) {
    Published p;
    p.record = record;
    auto meta = kafka::ParseMetadata(record.headers);
    REQUIRE(meta.ok());
    p.meta = *meta;
    REQUIRE(p.event.ParseFromString(record.value));
    out.push_back(std::move(p));
  }
  return out;
}

inline std::vector<std::string> CeIds(const std::vector<Published>& published) {
  std::vector<std::string> ids;
  for (const auto& p : published) ids.push_back(p.meta.id);
  return ids;
}

inline std::vector<std::string> Types(const std::vector<Published>& published) {
  std::vector<std::string> types;
  for (const auto& p : published) types.push_back(p.meta.type);
  return types;
}

struct Harness {
  explicit Harness(Rules r = Rules()) : rules(std::move(r)) { Restart(); }

  /// A new CaseDesk over the same store (a restarted service), with a fresh publisher.
  void Restart() {
    desk.reset();
    publisher = std::make_unique<kafka::RecordingPublisher>();
    desk = std::make_unique<CaseDesk>(store, *publisher, clock, Calendar(), *rules);
  }

  /// Records published since the last Drain.
  std::vector<Published> Drain() {
    auto records = publisher->records();
    publisher->Clear();
    return Read(records);
  }

  core::Status Open(const v1::Ticket& ticket, const std::string& event_id = "evt-1",
                    const OpenFacts& facts = Facts()) {
    return desk->OnTicketOpened(ticket, facts, event_id, kTraceparent);
  }

  /// Opens ticket `ticket_id` (billing complaint from 文乐区 unless `text` says otherwise).
  std::string OpenCase(const std::string& ticket_id, const std::string& text = "这个月电费太高了",
                       v1::RequestType type = v1::REQUEST_TYPE_COMPLAINT) {
    const auto status = Open(MakeTicket(type, text, ticket_id), "evt-" + ticket_id);
    INFO((status.ok() ? std::string() : status.error().ToString()));
    REQUIRE(status.ok());
    return CaseIdForTicket(ticket_id);
  }

  v1::StoredCase Stored(const std::string& case_id) {
    auto loaded = store.Load(case_id);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->has_value());
    return **loaded;
  }

  core::Result<v1::ComplaintCase> Take(const std::string& case_id, const std::string& by,
                                       const std::string& request_id) {
    const auto request = TakeReq(by, request_id);
    return desk->Act(case_id, request_id, "take",
                     [&](v1::StoredCase s, core::TimePoint now, const CalendarBook&) {
                       return rules->Take(std::move(s), request, now);
                     });
  }

  core::Result<v1::ComplaintCase> Contact(const std::string& case_id, const std::string& by,
                                          const std::string& request_id) {
    const auto request = ContactReq(by, request_id);
    return desk->Act(case_id, request_id, "contact",
                     [&](v1::StoredCase s, core::TimePoint now, const CalendarBook&) {
                       return rules->Contact(std::move(s), request, now);
                     });
  }

  core::Result<v1::ComplaintCase> Return(const std::string& case_id, const std::string& by,
                                         const std::string& request_id) {
    const auto request = ReturnReq(by, request_id);
    return desk->Act(case_id, request_id, "return",
                     [&](v1::StoredCase s, core::TimePoint now, const CalendarBook&) {
                       return rules->Return(std::move(s), request, now);
                     });
  }

  core::FakeClock clock{T0()};
  FakeCaseStore store;
  Rules rules;
  std::unique_ptr<kafka::RecordingPublisher> publisher;
  std::unique_ptr<CaseDesk> desk;
};

}  // namespace gridcare::complaint::test
