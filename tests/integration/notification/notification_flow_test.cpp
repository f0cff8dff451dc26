// Issue 14's integration test on real processes (notification_stack.h): redis-server, devbroker,
// the seed-42 utility of 2,000 customers in the profile store, the real profile, provider
// simulator and notification binaries. The test plays dispatch (and intake, for the callers) by
// publishing their events, and reads what reached the customers from the simulator's record.
//
// A feeder incident notifies every customer of the feeder's transformer areas once per phone
// number, callers and non-callers alike, then its ETR change and its restoration; a provider
// failing half its requests loses nothing; notification killed with SIGKILL in the middle of
// sending and started again sends nothing twice and leaves nothing unsent.

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notification_audience.h"
#include "notification_stack.h"

namespace gridcare::notification::testing {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;
using gridcare::testing::WaitUntil;

constexpr auto kPhaseTimeout = 60s;
// A notice due later than this after its phase began waits for the end of quiet hours.
constexpr int64_t kHeldAfterMs = 60'000;
constexpr int64_t kHourMs = 3'600'000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The fixture's feeder the tests notify: the one with the most customers among those with at most
// 400 (a few hundred recipients: enough for the fan-out to batch and the providers to be paced,
// few enough for a test of seconds) and with life-support customers (the safety message). In
// the seed-42 fixture: FDR-0001-03, 361 customers, one on life support.
std::string ChooseFeeder(const synth::Utility& utility) {
  std::map<std::string, std::pair<int, int>> counts;  // feeder → (customers, life support)
  utility.ForEachCustomer([&](int64_t, const v1::Customer& c) {
    auto& [customers, life_support] = counts[c.supply().feeder_id()];
    ++customers;
    life_support += IsLifeSupport(c) ? 1 : 0;
  });
  std::string chosen;
  int most = 0;
  for (const auto& [feeder, n] : counts) {
    if (n.first <= 400 && n.second > 0 && n.first > most) {
      chosen = feeder;
      most = n.first;
    }
  }
  return chosen;
}

// A feeder-level incident as dispatch publishes it.
v1::Incident FeederIncident(const std::string& id, const std::string& feeder,
                            v1::IncidentState state, std::optional<int64_t> etr_ms,
                            const std::vector<std::string>& ticket_ids) {
  v1::Incident incident;
  incident.set_incident_id(id);
  incident.set_level(v1::INCIDENT_LEVEL_FEEDER);
  incident.set_state(state);
  incident.mutable_supply()->set_feeder_id(feeder);
  for (const auto& ticket : ticket_ids) incident.add_ticket_ids(ticket);
  incident.set_call_count(static_cast<int32_t>(ticket_ids.size()));
  *incident.mutable_opened_at() = TimeUtil::MillisecondsToTimestamp(NowMs());
  if (etr_ms) {
    *incident.mutable_estimated_restoration_at() = TimeUtil::MillisecondsToTimestamp(*etr_ms);
  }
  incident.mutable_cause()->set_zh_cn("线路故障");
  incident.mutable_cause()->set_en("a line fault");
  return incident;
}

void PublishOpened(const NotificationStack& stack, const v1::Incident& incident) {
  v1::DispatchEvent event;
  *event.mutable_incident_opened()->mutable_incident() = incident;
  stack.PublishDispatch(incident.incident_id() + "-opened", "gridcare.incident.opened.v1", event,
                        incident.incident_id());
}

void PublishUpdated(const NotificationStack& stack, const v1::Incident& incident,
                    const std::string& change) {
  v1::DispatchEvent event;
  *event.mutable_incident_updated()->mutable_incident() = incident;
  event.mutable_incident_updated()->set_change(change);
  stack.PublishDispatch(incident.incident_id() + "-" + change, "gridcare.incident.updated.v1",
                        event, incident.incident_id());
}

void PublishRestored(const NotificationStack& stack, v1::Incident incident) {
  incident.set_state(v1::INCIDENT_STATE_RESTORED);
  *incident.mutable_restored_at() = TimeUtil::MillisecondsToTimestamp(NowMs());
  v1::DispatchEvent event;
  auto* restored = event.mutable_incident_restored();
  *restored->mutable_ticket_ids() = incident.ticket_ids();
  *restored->mutable_incident() = std::move(incident);
  stack.PublishDispatch(restored->incident().incident_id() + "-restored",
                        "gridcare.incident.restored.v1", event, restored->incident().incident_id());
}

// Callers: intake opened a fault-repair ticket for each (the customers with no quiet hours among
// the feeder's, so their ticket notice is sent at once whatever the time of day).
struct Callers {
  std::vector<std::string> ticket_ids;
  std::set<std::string> keys;  // their phone numbers
};

Callers OpenCallerTickets(const NotificationStack& stack, const Audience& audience, size_t count) {
  Callers callers;
  for (const auto& c : audience.customers()) {
    if (callers.ticket_ids.size() == count) break;
    if (c.quiet_hours().start_minute_of_day() != c.quiet_hours().end_minute_of_day()) continue;
    const std::string ticket_id = "GC-IT-" + c.customer_id();
    v1::IntakeEvent event;
    auto* ticket = event.mutable_ticket_opened()->mutable_ticket();
    ticket->set_ticket_id(ticket_id);
    ticket->set_request_id("REQ-IT-" + c.customer_id());
    ticket->set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
    ticket->set_state(v1::TICKET_STATE_OPEN);
    ticket->set_channel(v1::CHANNEL_HOTLINE_IVR);
    ticket->set_customer_id(c.customer_id());
    *ticket->mutable_supply() = c.supply();
    ticket->set_language(c.preferred_language());
    *ticket->mutable_opened_at() = TimeUtil::MillisecondsToTimestamp(NowMs());
    stack.PublishIntake("ticket-opened-" + ticket_id, event, ticket_id);
    callers.ticket_ids.push_back(ticket_id);
    callers.keys.insert(c.phones(0));
  }
  return callers;
}

// What one phase must reach: each key exactly one notice of `templates`.
struct Phase {
  std::set<std::string> templates;
  std::set<std::string> keys;
  /// Whether notices may wait for the end of their recipient's quiet hours (the restoration
  /// notice, which carries no estimate); the start and ETR notices never wait (WriteTestPolicy).
  bool may_wait_for_quiet_hours = false;
};

// Waits until the phase's notices are queued (one per key) and each one due now was sent; returns
// the queued ones (fewer on a timeout: the checks then say what is missing).
std::vector<v1::NotificationQueued> AwaitPhase(const NotificationStack& stack, const Phase& phase,
                                               int64_t began_ms) {
  std::vector<v1::NotificationQueued> queued;
  WaitUntil(
      [&] {
        queued.clear();
        std::set<std::string> sent;
        for (const auto& e : stack.Events()) {
          if (e.has_queued() && phase.templates.contains(e.queued().template_id())) {
            queued.push_back(e.queued());
          }
          if (e.has_sent()) sent.insert(e.sent().notification_id());
        }
        if (queued.size() < phase.keys.size()) return false;
        return std::all_of(queued.begin(), queued.end(), [&](const auto& q) {
          return TimeUtil::TimestampToMilliseconds(q.due_at()) > began_ms + kHeldAfterMs ||
                 sent.contains(q.notification_id());
        });
      },
      kPhaseTimeout);
  return queued;
}

// The phase's checks: one notice queued per key; those waiting for quiet hours only where they
// may, still queued and not sent; every other one exactly once in the simulator's record.
void CheckPhase(const NotificationStack& stack, const Audience& audience, const Phase& phase,
                int64_t began_ms) {
  const auto queued = AwaitPhase(stack, phase, began_ms);
  const int64_t observed_ms = NowMs();
  std::set<std::string> queued_keys;
  std::set<std::string> held_keys;
  std::vector<std::string> held_ids;
  for (const auto& q : queued) {
    const std::string key = audience.KeyOf(q.recipient_id());
    queued_keys.insert(key);
    const v1::Customer* customer = audience.Customer(q.recipient_id());
    REQUIRE(customer != nullptr);
    // Quiet at the start or at the end of the phase (the test may run across a window's edge).
    const bool quiet = InQuietHours(*customer, began_ms) || InQuietHours(*customer, observed_ms);
    const bool quiet_throughout =
        InQuietHours(*customer, began_ms) && InQuietHours(*customer, observed_ms);
    if (TimeUtil::TimestampToMilliseconds(q.due_at()) > began_ms + kHeldAfterMs) {
      INFO("held for quiet hours: " << q.recipient_id() << " " << q.template_id());
      CHECK(phase.may_wait_for_quiet_hours);
      CHECK(quiet);
      CHECK_FALSE(IsLifeSupport(*customer));
      held_keys.insert(key);
      held_ids.push_back(q.notification_id());
    } else if (phase.may_wait_for_quiet_hours && !IsLifeSupport(*customer)) {
      INFO("sent in quiet hours: " << q.recipient_id() << " " << q.template_id());
      CHECK_FALSE(quiet_throughout);
    }
  }
  INFO("templates " << *phase.templates.begin() << ": " << queued.size() << " queued, "
                    << held_keys.size() << " waiting for quiet hours to end");
  CHECK(queued.size() == phase.keys.size());
  CHECK(queued_keys == phase.keys);
  // A waiting notice is stored, queued and not sent.
  for (size_t i = 0; i < held_ids.size() && i < 3; ++i) {
    const Json notice = stack.Notice(held_ids[i]);
    REQUIRE(notice.is_object());
    CHECK(notice["state"] == "NOTIFICATION_STATE_QUEUED");
    CHECK(notice["reason"] == "held_for_quiet_hours");
  }
  std::set<std::string> sent_keys;
  std::set_difference(phase.keys.begin(), phase.keys.end(), held_keys.begin(), held_keys.end(),
                      std::inserter(sent_keys, sent_keys.end()));
  const Comparison record = Compare(stack.sim.Messages(), phase.templates, sent_keys, audience);
  INFO(Describe(record, sent_keys.size()));
  CHECK(record.exact());
}

// The start: the general notice with the estimate to everyone but life-support customers, who
// get the safety message (called first).
void CheckStart(const NotificationStack& stack, const Audience& audience, int64_t began_ms) {
  CheckPhase(stack, audience, {{"outage.started"}, audience.Keys(Who::kOthers)}, began_ms);
  CheckPhase(stack, audience, {{"safety.life_support_outage"}, audience.Keys(Who::kLifeSupport)},
             began_ms);
  // Nothing went out without the estimate.
  const Comparison none =
      Compare(stack.sim.Messages(), {"outage.started_no_etr", "safety.life_support_outage_no_etr"},
              {}, audience);
  CHECK(none.messages == 0);
}

// Every event notification published: none failed, none holds a phone number of the feeder; and
// no dead letter.
void CheckEvents(const NotificationStack& stack, const Audience& audience) {
  size_t failed = 0;
  for (const auto& e : stack.Events()) failed += e.has_failed() ? 1 : 0;
  CHECK(failed == 0);
  CHECK(stack.DeadLetters() == 0);
  const auto raw = stack.events->Matching(
      [](const kafka::ConsumedMessage& m) { return m.topic == kafka::kNotificationTopic; });
  size_t with_phone = 0;
  for (const auto& m : raw) {
    for (const auto& c : audience.customers()) {
      if (m.value.find(c.phones(0)) != std::string::npos) ++with_phone;
    }
  }
  CHECK(with_phone == 0);
}

// Repeats of an accepted client_message_id, over every customer provider.
int64_t DuplicatesAtSimulator(const NotificationStack& stack) {
  int64_t duplicates = 0;
  for (const auto& provider : kCustomerProviders) {
    const Json counters = stack.sim.Stats(provider);  // null before a provider's first request
    if (counters.is_object()) duplicates += counters.value("duplicates", int64_t{0});
  }
  return duplicates;
}

int64_t AcceptedBySimulator(const NotificationStack& stack) {
  const Json stats = stack.sim.GetJson("/control/stats");
  int64_t accepted = 0;
  for (const auto& counters : stats["providers"]) {
    accepted += counters.value("accepted", int64_t{0});
  }
  return accepted;
}

TEST_CASE(
    "a feeder incident notifies each phone of its transformer areas once: start then ETR "
    "then restoration",
    "[notification][integration]") {
  NotificationStack stack;
  const Audience audience(stack.base.utility, ChooseFeeder(stack.base.utility));
  // The feeder exercises every branch: hundreds of customers, some sharing a phone number, some
  // on life support.
  INFO("feeder " << audience.feeder_id() << ": " << audience.customers().size() << " customers, "
                 << audience.Keys(Who::kEveryone).size() << " phone numbers, "
                 << audience.Keys(Who::kLifeSupport).size() << " on life support");
  REQUIRE(audience.customers().size() >= 100);
  REQUIRE(audience.Keys(Who::kEveryone).size() < audience.customers().size());
  REQUIRE(!audience.Keys(Who::kLifeSupport).empty());
  const std::string id = "INC-IT-START-" + std::to_string(NowMs());
  const Callers callers = OpenCallerTickets(stack, audience, 3);
  REQUIRE(callers.ticket_ids.size() == 3);
  const auto& tickets = callers.ticket_ids;

  // Opened without an estimate: the start waits for it (the crew assignment brings it).
  int64_t began = NowMs();
  PublishOpened(stack, FeederIncident(id, audience.feeder_id(), v1::INCIDENT_STATE_OPEN,
                                      std::nullopt, tickets));
  v1::Incident incident = FeederIncident(id, audience.feeder_id(), v1::INCIDENT_STATE_ASSIGNED,
                                         began + 2 * kHourMs, tickets);
  PublishUpdated(stack, incident, "crew_assigned");
  CheckStart(stack, audience, began);
  // The callers heard of their tickets once each (and of the outage once, as everyone above).
  CheckPhase(stack, audience, {{"ticket.opened"}, callers.keys}, began);

  // The estimate moves by an hour (beyond the 30-minute margin): everyone hears it once.
  began = NowMs();
  incident.set_state(v1::INCIDENT_STATE_EN_ROUTE);
  *incident.mutable_estimated_restoration_at() =
      TimeUtil::MillisecondsToTimestamp(began + 3 * kHourMs);
  PublishUpdated(stack, incident, "crew_en_route");
  CheckPhase(stack, audience, {{"outage.etr_changed"}, audience.Keys(Who::kEveryone)}, began);

  // Restored: everyone hears it once; in their quiet hours it waits for the morning.
  began = NowMs();
  PublishRestored(stack, incident);
  CheckPhase(stack, audience, {{"outage.restored"}, audience.Keys(Who::kEveryone), true}, began);

  CheckEvents(stack, audience);
  CHECK(DuplicatesAtSimulator(stack) == 0);  // nothing was sent twice, even with the same id
  INFO(stack.NotificationLog());
  CHECK(stack.notification->Running());
}

TEST_CASE("a provider failing half its requests loses no notice", "[notification][integration]") {
  NotificationStack stack;
  const Audience audience(stack.base.utility, ChooseFeeder(stack.base.utility));
  // Every second request to the SMS gateway is answered 503 (deterministic: README, Faults).
  stack.sim.PutFaults(kSmsProvider, R"({"fail_ratio": 0.5})");
  const std::string id = "INC-IT-FAULTS-" + std::to_string(NowMs());
  const int64_t began = NowMs();
  PublishOpened(stack, FeederIncident(id, audience.feeder_id(), v1::INCIDENT_STATE_ASSIGNED,
                                      began + 2 * kHourMs, {}));
  CheckStart(stack, audience, began);

  const Json sms = stack.sim.Stats(kSmsProvider);
  INFO(sms.dump());
  CHECK(sms["failed_injected"].get<int64_t>() > 0);  // the retries happened
  // A refused request is not accepted: no retry repeated a message a provider had taken.
  CHECK(DuplicatesAtSimulator(stack) == 0);
  // No notice ended FAILED: each is SENT, or DELIVERED once its report came.
  for (const auto& e : stack.Events()) {
    if (!e.has_queued()) continue;
    const Json notice = stack.Notice(e.queued().notification_id());
    REQUIRE(notice.is_object());
    INFO(e.queued().recipient_id() << " " << notice.value("reason", ""));
    CHECK((notice["state"] == "NOTIFICATION_STATE_SENT" ||
           notice["state"] == "NOTIFICATION_STATE_DELIVERED"));
  }
  CheckEvents(stack, audience);
}

TEST_CASE(
    "notification killed mid-fan-out and started again sends nothing twice and nothing is "
    "left unsent",
    "[notification][integration]") {
  // Four requests in flight and a 2 s claim lease: a round claims 20 notices and sends them in
  // a few hundred milliseconds against the slowed providers below (the whole fan-out in about
  // 6 s).
  NotificationStack stack(
      {.notification_args = {"--max-in-flight", "4", "--send-batch", "20", "--send-lease", "2s"}});
  const Audience audience(stack.base.utility, ChooseFeeder(stack.base.utility));
  for (const auto& provider : kCustomerProviders) {
    stack.sim.PutFaults(provider, R"({"latency_ms": 50})");
  }
  const size_t expected =
      audience.Keys(Who::kOthers).size() + audience.Keys(Who::kLifeSupport).size();
  const std::string id = "INC-IT-RESTART-" + std::to_string(NowMs());
  const int64_t began = NowMs();
  PublishOpened(stack, FeederIncident(id, audience.feeder_id(), v1::INCIDENT_STATE_ASSIGNED,
                                      began + 2 * kHourMs, {}));

  // SIGKILL once a third was accepted: the round in hand dies with requests in flight (the
  // simulator decides before it answers, so some it accepted were never recorded as sent).
  REQUIRE(
      WaitUntil([&] { return AcceptedBySimulator(stack) * 3 >= static_cast<int64_t>(expected); },
                kPhaseTimeout));
  stack.notification->Kill();
  const int64_t at_kill = AcceptedBySimulator(stack);
  INFO("accepted when killed: " << at_kill << " of " << expected);
  REQUIRE(at_kill < static_cast<int64_t>(expected));

  // Same Redis, same consumer group, same callback port. The claims of the dead process come
  // back when their lease ends and are sent again with the same client_message_id: the
  // simulator answers a repeat "duplicate" (200, the first acceptance) and records nothing twice
  // — the designed de-duplication, so the simulator's `duplicates` may well be above 0.
  stack.StartNotification();
  CheckStart(stack, audience, began);
  CHECK(AcceptedBySimulator(stack) == static_cast<int64_t>(expected));  // one per client id
  INFO("repeats the simulator answered as duplicates: " << DuplicatesAtSimulator(stack));
  CHECK(static_cast<int64_t>(stack.sim.Messages().size()) == AcceptedBySimulator(stack));
  // Nothing left in the queue.
  CHECK(WaitUntil(
      [&] {
        size_t queued = 0;
        std::set<std::string> sent;
        for (const auto& e : stack.Events()) {
          if (e.has_queued()) ++queued;
          if (e.has_sent()) sent.insert(e.sent().notification_id());
        }
        return queued == expected && sent.size() == expected;
      },
      10s));
  CHECK(WaitUntil([&] { return stack.Api("/api/queue") == Json{{"queued", 0}}; }, 10s));
  // Every notice ends delivered: reports for sends the killed process never recorded are
  // applied to the queued record (it is recorded sent, then delivered) or to the re-send.
  std::set<std::string> delivered;
  WaitUntil(
      [&] {
        delivered.clear();
        for (const auto& e : stack.Events()) {
          if (e.has_delivered()) delivered.insert(e.delivered().notification_id());
        }
        return delivered.size() == expected;
      },
      60s);
  INFO("simulator stats: " << stack.sim.GetJson("/control/stats").dump());
  CHECK(delivered.size() == expected);
  CheckEvents(stack, audience);
}

}  // namespace
}  // namespace gridcare::notification::testing
