#include "fan_out.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <span>
#include <utility>

#include "gridcare/logging/log.h"
#include "notification_events.h"

namespace gridcare::notification {
namespace {

constexpr size_t kBatchSize = 500;

bool HasAnyTag(const v1::Customer& customer, const std::vector<v1::CustomerTag>& tags) {
  if (tags.empty()) return true;
  return std::any_of(customer.tags().begin(), customer.tags().end(), [&](int tag) {
    return std::find(tags.begin(), tags.end(), static_cast<v1::CustomerTag>(tag)) != tags.end();
  });
}

// The throttle memo: "<event id>\n<state before the event>\n<state after it>", so the event
// applied again (redelivery) is judged against the state before it, not against itself.
std::string EncodeMemo(const std::string& event_id, const ThrottleState& before,
                       const ThrottleState& after) {
  return event_id + "\n" + before.Encode() + "\n" + after.Encode();
}

// The state to judge `event_id` against: the state before it when the memo was written by that
// same event, else the latest. An unreadable memo counts as no sends.
ThrottleState ThrottleBefore(const std::optional<std::string>& memo, const std::string& event_id) {
  if (!memo) return {};
  const std::string& text = *memo;
  const size_t first = text.find('\n');
  if (first == std::string::npos) return {};
  const size_t second = text.find('\n', first + 1);
  if (second == std::string::npos) return {};
  const bool same_event = text.substr(0, first) == event_id;
  auto decoded = ThrottleState::Decode(same_event ? text.substr(first + 1, second - first - 1)
                                                  : text.substr(second + 1));
  return decoded ? std::move(*decoded) : ThrottleState{};
}

bool SameAudience(const Recipients& a, const Recipients& b) {
  return a.kind == Recipients::Kind::kSupply && b.kind == Recipients::Kind::kSupply &&
         a.feeder_ids == b.feeder_ids && a.transformer_ids == b.transformer_ids;
}

std::string PhoneKey(const v1::Customer& customer) {
  return customer.phones().empty() || customer.phones(0).empty()
             ? "account:" + customer.customer_id()
             : customer.phones(0);
}

double Seconds(std::chrono::steady_clock::duration duration) {
  return static_cast<double>(std::chrono::round<std::chrono::milliseconds>(duration).count()) /
         1000.0;
}

}  // namespace

std::string TicketMemoKey(const std::string& ticket_id) { return "ticket:" + ticket_id; }
std::string RequesterMemoKey(const std::string& request_id) { return "requester:" + request_id; }
std::string WithdrawalMemoKey(const std::string& subject_id, const std::string& template_id) {
  return "withdrawn:" + subject_id + ":" + template_id;
}

/// Notices and suppressions of one event, stored and published kBatchSize at a time. A full
/// batch is stored in the background while the caller plans the next one (one store at a time,
/// in order), so planning overlaps the Redis and Kafka round trips of a large fan-out.
class FanOut::Batch {
 public:
  using Suppressions = std::vector<std::pair<v1::NotificationSuppressed, std::string>>;

  Batch(FanOut& owner, std::string traceparent)
      : owner_(owner), traceparent_(std::move(traceparent)) {}
  ~Batch() {
    if (pending_.valid()) pending_.wait();
  }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  core::Status Add(NoticePlan plan, const std::string& recipient_id) {
    if (plan.suppressed) {
      if (owner_.metrics_ != nullptr) owner_.metrics_->Suppressed(plan.suppressed->reason());
      suppressed_.push_back({std::move(*plan.suppressed), recipient_id});
    }
    if (plan.record) records_.push_back(std::move(*plan.record));
    if (records_.size() + suppressed_.size() >= kBatchSize) return Hand();
    return {};
  }

  /// Everything added so far stored and published (or the first error).
  core::Status Flush() {
    if (auto status = Wait(); !status) return status;
    auto status = Store(records_, suppressed_);
    records_.clear();
    suppressed_.clear();
    return status;
  }

  /// Valid after Flush.
  int64_t recipients() const { return recipients_; }
  /// How long the planning waited for the previous batch's store (the store is the bottleneck
  /// when this is most of the fan-out's time).
  std::chrono::steady_clock::duration waited() const { return waited_; }

 private:
  // Stores the batch in hand in the background, after the previous one.
  core::Status Hand() {
    if (auto status = Wait(); !status) return status;
    pending_ = std::async(std::launch::async, [this, records = std::move(records_),
                                               suppressed = std::move(suppressed_)] {
      return Store(records, suppressed);
    });
    records_.clear();
    suppressed_.clear();
    return {};
  }

  core::Status Wait() {
    if (!pending_.valid()) return {};
    const auto started = std::chrono::steady_clock::now();
    auto status = pending_.get();
    waited_ += std::chrono::steady_clock::now() - started;
    return status;
  }

  core::Status Store(const std::vector<v1::StoredNotification>& records,
                     const Suppressions& suppressed) {
    const core::TimePoint now = owner_.clock_.Now();
    if (!records.empty()) {
      auto created = owner_.store_.Enqueue(records);
      if (!created) return created.error();
      for (size_t i = 0; i < records.size() && i < created->size(); ++i) {
        if (!(*created)[i]) continue;  // stored before: a redelivery
        const auto& n = records[i];
        if (auto status = owner_.publisher_.Publish(
                NotificationRecord(QueuedEvent(n), n.notification_id(), n.recipient_id(), "queued",
                                   now, traceparent_));
            !status) {
          return status;
        }
        if (owner_.metrics_ != nullptr) owner_.metrics_->Queued(n.message_class());
        ++owner_.queued_total_;
      }
      recipients_ += static_cast<int64_t>(records.size());
    }
    for (const auto& [notice, recipient_id] : suppressed) {
      if (auto status = owner_.publisher_.Publish(
              NotificationRecord(SuppressedEvent(notice), notice.notification_id(), recipient_id,
                                 "suppressed", now, traceparent_));
          !status) {
        return status;
      }
    }
    return {};
  }

  FanOut& owner_;
  std::string traceparent_;
  std::vector<v1::StoredNotification> records_;
  Suppressions suppressed_;
  int64_t recipients_ = 0;
  std::chrono::steady_clock::duration waited_{};
  std::future<core::Status> pending_;  // the batch being stored in the background
};

FanOut::FanOut(DeliveryStore& store, CustomerDirectory& customers, const StaffDirectory& staff,
               const RecipientPlanner& planner, kafka::EventPublisher& publisher,
               const core::Clock& clock, const ThrottleSettings& throttle,
               NotificationMetrics* metrics)
    : store_(store),
      customers_(customers),
      staff_(staff),
      planner_(planner),
      publisher_(publisher),
      clock_(clock),
      throttle_(throttle),
      metrics_(metrics) {}

core::Status FanOut::Notify(const std::vector<NotificationIntent>& intents,
                            const std::string& source_event_id, const std::string& traceparent) {
  for (size_t i = 0; i < intents.size();) {
    if (intents[i].recipients.kind != Recipients::Kind::kSupply) {
      if (auto status = NotifyOne(intents[i], source_event_id, traceparent); !status) {
        return status;
      }
      ++i;
      continue;
    }
    // Consecutive intents to the same supply area (an outage notice to everyone, the safety call
    // to life-support customers) share one pass over the profile stream.
    size_t end = i + 1;
    while (end < intents.size() && SameAudience(intents[i].recipients, intents[end].recipients)) {
      ++end;
    }
    std::span<const NotificationIntent> group(intents.data() + i, end - i);
    if (auto status = NotifySupply(group, source_event_id, traceparent); !status) return status;
    i = end;
  }
  return {};
}

NoticeRequest FanOut::RequestFor(const NotificationIntent& intent,
                                 const std::string& source_event_id) {
  NoticeRequest request;
  // An intent that names what it is about (an appointment's booking) is one notice whichever
  // event carries it: its key stands for the event id in the notification id.
  const std::string& source = intent.source_key.empty() ? source_event_id : intent.source_key;
  request.source_event_id =
      intent.discriminator.empty() ? source : source + "/" + intent.discriminator;
  request.template_id = intent.template_id;
  request.subject_id = intent.subject_id;
  request.values = &intent.values;
  request.proactive = intent.proactive;
  request.not_before = intent.not_before;
  request.restoration_expected_at = intent.restoration_expected_at;
  return request;
}

core::Status FanOut::NotifyOne(const NotificationIntent& intent, const std::string& source_event_id,
                               const std::string& traceparent) {
  NoticeRequest request = RequestFor(intent, source_event_id);
  Batch batch(*this, traceparent);
  auto resolved = Resolve(intent.recipients);
  if (!resolved) return resolved.error();
  std::optional<Recipient>& recipient = *resolved;
  if (!recipient) {
    if (metrics_ != nullptr) metrics_->Suppressed("unknown_recipient");
    logging::Warn("notice for an unknown recipient not sent",
                  {{"template", intent.template_id}, {"subject", intent.subject_id}});
    return {};
  }
  const std::string memo_key = "throttle:" + recipient->id + ":" + intent.subject_id;
  auto memo = store_.GetMemo(memo_key);
  if (!memo) return memo.error();
  const ThrottleState before = ThrottleBefore(*memo, request.source_event_id);
  const PlaceholderValues values = WithRecipientValues(intent, *recipient);
  request.values = &values;
  auto plan = planner_.Plan(request, *recipient, before, clock_.Now());
  if (!plan) return plan.error();
  std::optional<ThrottleState> after = plan->throttle;
  if (auto status = batch.Add(std::move(*plan), recipient->id); !status) return status;
  if (auto status = batch.Flush(); !status) return status;
  if (after) {
    return store_.PutMemo(memo_key, EncodeMemo(request.source_event_id, before, *after),
                          throttle_.window * 2);
  }
  return {};
}

core::Result<std::optional<Recipient>> FanOut::Resolve(const Recipients& recipients) {
  std::optional<Recipient> recipient;
  // Each kind names its recipient by one field only.
  std::string customer_id =
      recipients.kind == Recipients::Kind::kCustomer ? recipients.customer_id : "";
  std::string request_id =
      recipients.kind == Recipients::Kind::kRequester ? recipients.request_id : "";
  if (recipients.kind == Recipients::Kind::kTicket) {
    // ticket id → "c:<customer id>" or "r:<request id>", kept from intake's ticket_opened.
    auto ticket = store_.GetMemo(TicketMemoKey(recipients.ticket_id));
    if (!ticket) return ticket.error();
    if (!ticket->has_value()) return recipient;
    const std::string& owner = **ticket;
    if (owner.rfind("c:", 0) == 0) customer_id = owner.substr(2);
    if (owner.rfind("r:", 0) == 0) request_id = owner.substr(2);
  }
  switch (recipients.kind) {
    case Recipients::Kind::kCustomer:
    case Recipients::Kind::kTicket:
    case Recipients::Kind::kRequester:
      if (!customer_id.empty()) {
        auto customer = customers_.Get(customer_id);
        if (!customer) return customer.error();
        if (customer->has_value()) recipient = CustomerRecipient(**customer);
      } else if (!request_id.empty()) {
        auto phone = store_.GetMemo(RequesterMemoKey(request_id));
        if (!phone) return phone.error();
        if (phone->has_value() && !(*phone)->empty()) recipient = CallerRecipient(**phone);
      }
      break;
    case Recipients::Kind::kStaff:
      recipient = staff_.Find(recipients.staff_id);
      if (recipient && recipient->display_name.empty()) {
        recipient->display_name = recipients.staff_display_name;
      }
      break;
    case Recipients::Kind::kSupply:
      break;
  }
  if (recipient && recipients.language != v1::LANGUAGE_UNSPECIFIED &&
      recipient->language == v1::LANGUAGE_UNSPECIFIED) {
    recipient->language = recipients.language;
  }
  return recipient;
}

PlaceholderValues FanOut::WithRecipientValues(const NotificationIntent& intent,
                                              const Recipient& recipient,
                                              const v1::Customer* customer) const {
  PlaceholderValues values = intent.values;
  if (recipient.kind == v1::RECIPIENT_KIND_STAFF) {
    if (values.Find("staff_name") == nullptr) {
      values.SetText("staff_name",
                     recipient.display_name.empty() ? recipient.id : recipient.display_name);
    }
    return values;
  }
  if (values.Find("address") == nullptr && !recipient.postal_address.empty()) {
    values.SetAddress("address", recipient.postal_address);
  }
  if (values.Find("area") == nullptr) {
    std::string area = recipient.locality;
    if (area.empty() && customer != nullptr) area = customer->supply().transformer_id();
    if (!area.empty()) values.SetText("area", area);
  }
  return values;
}

/// One intent of a supply fan-out: its request, throttle state and the numbers it reached.
struct FanOut::SupplyIntent {
  const NotificationIntent* intent = nullptr;
  NoticeRequest request;
  std::string memo_key;
  ThrottleState before;
  std::optional<ThrottleState> after;
  std::set<std::string> reached;  // phone numbers (or accounts without one) already planned
  int64_t planned = 0;
};

core::Status FanOut::NotifySupply(std::span<const NotificationIntent> group,
                                  const std::string& source_event_id,
                                  const std::string& traceparent) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<SupplyIntent> planned(group.size());
  for (size_t i = 0; i < group.size(); ++i) {
    SupplyIntent& one = planned[i];
    one.intent = &group[i];
    one.request = RequestFor(group[i], source_event_id);
    // The whole audience shares one throttle state (every member receives the same sequence).
    one.memo_key = "throttle:fanout:" + group[i].subject_id;
    auto memo = store_.GetMemo(one.memo_key);
    if (!memo) return memo.error();
    one.before = ThrottleBefore(*memo, one.request.source_event_id);
  }
  const Recipients& audience = group.front().recipients;
  std::vector<std::pair<std::string, std::string>> scopes;  // (feeder, transformer)
  for (const auto& transformer : audience.transformer_ids) scopes.emplace_back("", transformer);
  if (scopes.empty()) {
    for (const auto& feeder : audience.feeder_ids) scopes.emplace_back(feeder, "");
  }
  Batch batch(*this, traceparent);
  const core::TimePoint now = clock_.Now();
  for (const auto& [feeder, transformer] : scopes) {
    auto status = customers_.ForEachOnSupply(
        feeder, transformer, [&](const std::vector<v1::Customer>& customers) -> core::Status {
          for (const auto& customer : customers) {
            for (SupplyIntent& one : planned) {
              if (auto added = PlanForCustomer(one, customer, now, batch); !added) return added;
            }
          }
          return {};
        });
    if (!status) return status;
  }
  if (auto status = batch.Flush(); !status) return status;
  std::string templates;
  for (const SupplyIntent& one : planned) {
    if (metrics_ != nullptr) metrics_->FanOutRecipients(one.planned);
    templates += (templates.empty() ? "" : ",") + one.intent->template_id;
    if (!one.after) continue;
    if (auto status = store_.PutMemo(
            one.memo_key, EncodeMemo(one.request.source_event_id, one.before, *one.after),
            throttle_.window * 2);
        !status) {
      return status;
    }
  }
  logging::Info("fan-out stored", {{"templates", templates},
                                   {"subject", group.front().subject_id},
                                   {"recipients", batch.recipients()},
                                   {"seconds", Seconds(std::chrono::steady_clock::now() - started)},
                                   {"waited_for_store_seconds", Seconds(batch.waited())}});
  return {};
}

core::Status FanOut::PlanForCustomer(SupplyIntent& one, const v1::Customer& customer,
                                     core::TimePoint now, Batch& batch) {
  const Recipients& audience = one.intent->recipients;
  if (!HasAnyTag(customer, audience.only_tags)) return {};
  if (!audience.except_tags.empty() && HasAnyTag(customer, audience.except_tags)) return {};
  if (!one.reached.insert(PhoneKey(customer)).second) return {};  // one notice per phone number
  const Recipient recipient = CustomerRecipient(customer);
  const PlaceholderValues values = WithRecipientValues(*one.intent, recipient, &customer);
  NoticeRequest request = one.request;
  request.values = &values;
  auto plan = planner_.Plan(request, recipient, one.before, now);
  if (!plan) {
    // One customer's notice that cannot be written does not hold up the others.
    if (metrics_ != nullptr) metrics_->Suppressed("unwritable");
    logging::Warn("notice not written for one recipient",
                  {{"template", one.intent->template_id}, {"error", plan.error().message}});
    return {};
  }
  if (!one.after && plan->throttle) one.after = plan->throttle;
  if (plan->record) ++one.planned;
  return batch.Add(std::move(*plan), customer.customer_id());
}

}  // namespace gridcare::notification
