// Shared by intake's unit tests: IntakeCore wired to in-memory collaborators (FakeProfileDirectory,
// InMemoryTicketStore, RecordingPublisher, FakeClock) and the shipped configuration files.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fake_profile_directory.h"
#include "gridcare/core/clock.h"
#include "gridcare/kafka/message.h"
#include "gridcare/kafka/publisher.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/v1/intake.pb.h"
#include "gridcare/v1/profile.pb.h"
#include "gridcare/v1/request.pb.h"
#include "in_memory_ticket_store.h"
#include "intake_core.h"
#include "request_batch.h"

namespace gridcare::intake::testing {

using namespace std::chrono_literals;

/// Tuesday 2026-11-24 10:00 in Beijing (02:00 UTC): an ordinary working day.
inline core::TimePoint StartTime() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 24} + hours{2};
}

inline std::string SourcePath(const char* relative) {
  return std::string(GRIDCARE_SOURCE_DIR) + "/" + relative;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The shipped classifier rules, loaded once.
inline const Classifier& RealClassifier() {
  static const Classifier classifier = [] {
    auto loaded = Classifier::FromFile(SourcePath("services/intake/config/classifier.json"));
    if (!loaded.ok()) throw std::runtime_error(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return classifier;
}

/// The shipped knowledge base, loaded once.
inline const KnowledgeBase& RealKnowledgeBase() {
  static const KnowledgeBase knowledge = [] {
    auto loaded = KnowledgeBase::FromFile(SourcePath("services/intake/config/knowledge_base.json"));
    if (!loaded.ok()) throw std::runtime_error(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return knowledge;
}

/// The shipped 2026 working calendar, loaded once.
inline const sla::WorkingCalendar& RealCalendar() {
  static const sla::WorkingCalendar calendar = [] {
    auto loaded = sla::WorkingCalendar::FromJson(
        ReadText(SourcePath("libs/sla/config/calendar-cn-2026.json")));
    if (!loaded.ok()) throw std::runtime_error(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return calendar;
}

inline v1::Customer MakeCustomer(const std::string& id, v1::AreaClass area = v1::AREA_CLASS_URBAN) {
  v1::Customer customer;
  customer.set_customer_id(id);
  customer.set_account_type(v1::ACCOUNT_TYPE_RESIDENTIAL);
  customer.add_phones("1380000" + id.substr(id.size() > 4 ? id.size() - 4 : 0));
  customer.set_preferred_language(v1::LANGUAGE_ZH_CN);
  customer.mutable_address()->set_full_text("榕州市文乐区古港横路 " + id + " 号");
  customer.set_area_class(area);
  customer.mutable_supply()->set_substation_id("SUB-1");
  customer.mutable_supply()->set_feeder_id("FDR-1");
  customer.mutable_supply()->set_transformer_id("TX-" + id);
  customer.set_meter_number("MTR-" + id);
  customer.set_tenant_id("tenant-a");
  return customer;
}

inline v1::ServiceRequest MakeRequest(const std::string& id, v1::Channel channel,
                                      const std::string& text) {
  v1::ServiceRequest request;
  request.set_request_id(id);
  request.set_channel(channel);
  request.set_text(text);
  request.set_language(v1::LANGUAGE_ZH_CN);
  request.mutable_received_at()->set_seconds(1'795'000'000);
  return request;
}

inline std::optional<std::string> HeaderOf(const kafka::OutgoingRecord& record,
                                           std::string_view name) {
  auto value = kafka::FindHeader(record.headers, name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

inline v1::IntakeEvent ParseIntakeEvent(const kafka::OutgoingRecord& record) {
  v1::IntakeEvent event;
  REQUIRE(event.ParseFromString(record.value));
  return event;
}

/// IntakeCore over in-memory collaborators and the real configuration. Built with
/// GRIDCARE_INTAKE_TESTS_THROUGH_BATCHER, Submit goes through a RequestBatcher (a batch of one,
/// as the Kafka path decides it) over the same collaborators; Track always asks the core.
struct Harness {
  FakeProfileDirectory profiles;
  InMemoryTicketStore store;
  kafka::RecordingPublisher publisher;
  core::FakeClock clock{StartTime()};
  IntakeCore core;
  RequestBatcher batcher;

  explicit Harness(IntakeRules rules = {})
      : core(profiles, store, publisher, RealClassifier(), RealKnowledgeBase(), RealCalendar(),
             rules, clock),
        batcher(profiles, store, publisher, RealClassifier(), RealKnowledgeBase(), RealCalendar(),
                rules, clock) {}

  core::Result<SubmitResult> Submit(const v1::ServiceRequest& request) {
#ifdef GRIDCARE_INTAKE_TESTS_THROUGH_BATCHER
    auto outcome = batcher.Submit({&request});
    if (outcome.done == 1) return std::move(outcome.results.front());
    return *outcome.error;
#else
    return core.Submit(request);
#endif
  }

  /// Submits and requires a response (not a rejection, not an error).
  v1::SubmitResponse Accept(const v1::ServiceRequest& request) {
    auto result = Submit(request);
    if (!result.ok()) FAIL("Submit failed: " << result.error().ToString());
    if (auto* rejection = std::get_if<Rejection>(&*result)) {
      FAIL("rejected: " << v1::RejectionReason_Name(rejection->reason)
                        << " field=" << rejection->field << " detail=" << rejection->detail);
    }
    return std::get<v1::SubmitResponse>(*result);
  }

  /// Submits and requires a rejection.
  Rejection Refuse(const v1::ServiceRequest& request) {
    auto result = Submit(request);
    if (!result.ok()) FAIL("Submit failed: " << result.error().ToString());
    if (auto* response = std::get_if<v1::SubmitResponse>(&*result)) {
      FAIL("accepted: " << v1::SubmitResponse::Outcome_Name(response->outcome())
                        << " ticket=" << response->ticket_id());
    }
    return std::get<Rejection>(*result);
  }

  std::vector<kafka::OutgoingRecord> IntakeRecords() const {
    return publisher.RecordsOn(kafka::kIntakeTopic);
  }
};

inline int64_t SecondsBetween(const google::protobuf::Timestamp& from,
                              const google::protobuf::Timestamp& to) {
  return to.seconds() - from.seconds();
}

inline const v1::ServiceClock* FindClock(const v1::Ticket& ticket, v1::ServiceClock::Kind kind) {
  for (const auto& clock : ticket.clocks()) {
    if (clock.kind() == kind) return &clock;
  }
  return nullptr;
}

}  // namespace gridcare::intake::testing
