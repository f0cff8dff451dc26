#include "intake_core.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/labels/labels.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::intake {
namespace {

using google::protobuf::util::TimeUtil;

constexpr const char* kSource = "/gridcare/intake";
constexpr const char* kTicketOpened = "gridcare.ticket.opened.v1";
constexpr const char* kContactAdded = "gridcare.ticket.contact_added.v1";
constexpr const char* kConsultationAnswered = "gridcare.consultation.answered.v1";
constexpr const char* kRequestRejected = "gridcare.request.rejected.v1";

google::protobuf::Timestamp ToTimestamp(core::TimePoint t) {
  return TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(t));
}

core::TimePoint FromTimestamp(const google::protobuf::Timestamp& t) {
  return core::FromUnixMillis(TimeUtil::TimestampToMilliseconds(t));
}

using labels::Text;

// How a request type reads to customers and agents on a timeline.
// The ticket's type as the customer reads it; an unclassified ticket waits for an agent.
v1::LocalizedText TypeLabel(v1::RequestType type) {
  if (type == v1::REQUEST_TYPE_UNSPECIFIED)
    return Text("待人工分类", "to be classified by an agent");
  return labels::RequestTypeLabel(type);
}

bool AllowsUnidentified(v1::RequestType type, const v1::ServiceRequest& request) {
  switch (type) {
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      // A downed line at an address can be repaired without knowing who called.
      return !request.location().full_text().empty();
    case v1::REQUEST_TYPE_CONSULTATION:
    case v1::REQUEST_TYPE_REPORT:
    case v1::REQUEST_TYPE_OPINION:
    case v1::REQUEST_TYPE_SUGGESTION:
    case v1::REQUEST_TYPE_PRAISE:
    case v1::REQUEST_TYPE_UNSPECIFIED:
      return true;
    default:
      return false;  // complaints, applications and urgings need to know whose matter it is
  }
}

std::string ArrivalPromise(v1::AreaClass area, const sla::ServiceStandards& standards,
                           bool english) {
  const auto count = std::to_string(sla::ArrivalLimit(area, standards).count());
  return english ? "a repair crew will be on site within " + count + " minutes"
                 : "抢修人员将在 " + count + " 分钟内到达现场";
}

v1::LocalizedText OpenedMessage(const v1::Ticket& ticket, const sla::ServiceStandards& standards) {
  const std::string& id = ticket.ticket_id();
  switch (ticket.type()) {
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      if (ticket.meter_signal() == v1::METER_SIGNAL_POWER_RESTORED) {
        return Text("智能电表报告已恢复供电，记录编号 " + id + "。",
                    "Your smart meter reported that power is back (record " + id + ").");
      }
      if (ticket.meter_signal() != v1::METER_SIGNAL_UNSPECIFIED) {
        return Text("智能电表报告停电，已自动生成抢修工单 " + id + "。",
                    "Your smart meter reported an outage; repair ticket " + id + " was opened.");
      }
      return Text("您的故障报修已受理，工单号 " + id + "，" +
                      ArrivalPromise(ticket.area_class(), standards, false) + "。",
                  "Your fault report was accepted as ticket " + id + "; " +
                      ArrivalPromise(ticket.area_class(), standards, true) + ".");
    case v1::REQUEST_TYPE_COMPLAINT:
      return Text("您的投诉已受理，工单号 " + id + "，我们将在 24 小时内与您联系。",
                  "Your complaint was registered as ticket " + id +
                      "; we will contact you within 24 hours.");
    case v1::REQUEST_TYPE_SERVICE_APPLICATION:
      return Text("您的业务申请已受理，工单号 " + id + "，请按清单准备资料，一次办结。",
                  "Your application was registered as ticket " + id +
                      "; please bring the listed documents so one visit is enough.");
    case v1::REQUEST_TYPE_PRAISE:
      return Text("感谢您的表扬，工单号 " + id + "。",
                  "Thank you for your praise (ticket " + id + ").");
    default:
      return Text("您的诉求已受理，工单号 " + id + "，我们会尽快处理并回复您。",
                  "Your request was registered as ticket " + id + "; we will reply soon.");
  }
}

// Where a working-day deadline counts days no official holiday notice covers yet, the timeline
// says so (customers and agents read it through Track).
void AppendProvisionalNote(const v1::Ticket& ticket, v1::LocalizedText& text) {
  for (const auto& clock : ticket.clocks()) {
    if (!clock.working_days() || !clock.provisional()) continue;
    const std::string due = sla::FormatLocalMinute(FromTimestamp(clock.due_at()));
    text.set_zh_cn(text.zh_cn() + "；办理期限暂定为 " + due +
                   "（北京时间，按法定节假日推算，国家公布放假安排后可能调整）");
    text.set_en(text.en() + "; provisional deadline " + due +
                " (Beijing time, estimated from the statutory holidays; it may move when the "
                "official holiday schedule is published)");
    return;
  }
}

}  // namespace

std::string IntakeEventId(const std::string& request_id, const std::string& discriminator) {
  return kafka::DeriveEventId("intake:" + request_id, discriminator);
}

struct IntakeCore::Context {
  const v1::ServiceRequest& request;
  std::string fingerprint;
  v1::IntakeRequestRecord record;
  Identification identity;
  v1::Classification classification;
  core::TimePoint now;
};

IntakeCore::IntakeCore(ProfileDirectory& profiles, TicketStore& store,
                       kafka::EventPublisher& publisher, const Classifier& classifier,
                       const KnowledgeBase& knowledge, sla::CalendarView calendar,
                       IntakeRules rules, const core::Clock& clock)
    : profiles_(profiles),
      store_(store),
      publisher_(publisher),
      classifier_(classifier),
      knowledge_(knowledge),
      calendar_(std::move(calendar)),
      rules_(std::move(rules)),
      clock_(clock) {}

core::Result<SubmitResult> IntakeCore::Submit(const v1::ServiceRequest& request) {
  Context context{request, RequestFingerprint(request), {}, {}, {}, clock_.Now()};
  if (auto rejection = ValidateRequest(request, rules_.limits)) {
    return Reject(context, *rejection);
  }
  auto record = store_.Reserve(request.request_id(), context.fingerprint, context.now);
  if (!record) return record.error();
  context.record = std::move(record).value();
  if (context.record.fingerprint() != context.fingerprint) {
    // The record stays as it is: the first request with this id keeps it.
    Rejection conflict{v1::REJECTION_REASON_DUPLICATE_CONFLICT, "request_id",
                       "request id reused with different content"};
    v1::IntakeEvent event;
    auto* rejected = event.mutable_request_rejected();
    rejected->set_request_id(request.request_id());
    rejected->set_channel(request.channel());
    rejected->set_reason(conflict.reason);
    rejected->set_field(conflict.field);
    rejected->set_detail(conflict.detail);
    *rejected->mutable_customer_message() = CustomerMessageFor(conflict);
    if (auto status = Emit(context, kRequestRejected, request.request_id(),
                           "conflict:" + context.fingerprint, std::move(event));
        !status) {
      return status.error();
    }
    return SubmitResult(std::move(conflict));
  }
  if (context.record.completed()) {
    // A channel retry or a redelivery: the same answer, and the same events again in case the
    // first attempt's never became durable (their ids are unchanged, so consumers drop copies).
    for (const auto& recorded : context.record.events()) {
      if (auto status = Publish(context, recorded); !status) return status.error();
      if (recorded.event().has_request_rejected()) {
        const auto& rejected = recorded.event().request_rejected();
        return SubmitResult(Rejection{rejected.reason(), rejected.field(), rejected.detail()});
      }
    }
    v1::SubmitResponse response = context.record.response();
    response.set_replayed(true);
    return SubmitResult(std::move(response));
  }
  return Decide(context);
}

core::Result<SubmitResult> IntakeCore::Decide(Context& context) {
  const auto& request = context.request;
  if (request.customer().identity_case() != v1::CustomerReference::IDENTITY_NOT_SET) {
    auto identity = profiles_.Identify(request.customer());
    if (!identity) return identity.error();
    context.identity = std::move(identity).value();
  }

  auto& classification = context.classification;
  const bool from_meter = request.channel() == v1::CHANNEL_METER_HEAD_END;
  if (from_meter) {
    classification.set_type(v1::REQUEST_TYPE_FAULT_REPAIR);
    classification.set_confidence(1.0);
    classification.set_from_channel(true);
    classification.add_matched_rules("channel:meter_head_end");
  } else if (request.explicit_type() != v1::REQUEST_TYPE_UNSPECIFIED) {
    classification.set_type(request.explicit_type());
    classification.set_application_kind(request.application_kind());
    classification.set_confidence(1.0);
    classification.set_from_channel(true);
    classification.add_matched_rules("channel:explicit_type");
  } else {
    classification = classifier_.Classify(request.text(), request.language());
    if (request.application_kind() != v1::SERVICE_APPLICATION_KIND_UNSPECIFIED &&
        classification.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION) {
      classification.set_application_kind(request.application_kind());
    }
  }
  const v1::RequestType type = classification.type();

  const auto status = context.identity.status;
  if (status != Identification::Status::kIdentified) {
    if (from_meter) {
      return Reject(context, {v1::REJECTION_REASON_UNKNOWN_CUSTOMER, "customer.meter_number",
                              "no customer has this meter"});
    }
    if (!AllowsUnidentified(type, request)) {
      if (status == Identification::Status::kAmbiguous) {
        return Reject(context,
                      {v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER, "customer.phone",
                       "phone belongs to " + std::to_string(context.identity.candidate_ids.size()) +
                           " accounts"});
      }
      return Reject(context,
                    {v1::REJECTION_REASON_UNKNOWN_CUSTOMER, "customer",
                     "customer not identified; required for " + v1::RequestType_Name(type)});
    }
  }

  if (type == v1::REQUEST_TYPE_CONSULTATION) {
    if (auto answer = knowledge_.Answer(request.text(), request.language())) {
      return Answer(context, *answer);
    }
  }

  if (status == Identification::Status::kIdentified && type != v1::REQUEST_TYPE_PRAISE &&
      type != v1::REQUEST_TYPE_CONSULTATION) {
    const auto& customer = context.identity.customer;
    auto open = store_.OpenTickets(customer.customer_id());
    if (!open) return open.error();
    std::vector<OpenTicket> candidates;
    for (const auto& ticket : *open) {
      candidates.push_back({ticket.ticket_id(), ticket.type(), ticket.application_kind(),
                            FromTimestamp(ticket.opened_at()), FromTimestamp(ticket.updated_at()),
                            ticket.contact_count(), ticket.urging_count(), ticket.priority(),
                            ticket.supply().transformer_id()});
    }
    IncomingContact contact{type, classification.application_kind(), context.now,
                            request.referenced_ticket_id(), customer.supply().transformer_id()};
    const auto decision = MatchOpenTicket(contact, candidates, rules_.urging);
    if (decision.attach) {
      for (const auto& ticket : *open) {
        if (ticket.ticket_id() == decision.ticket_id) {
          // A meter's repeated last gasp is evidence, not a customer chasing us.
          return Attach(context, ticket, decision.urging && !from_meter, decision.reason);
        }
      }
    }
  }
  return Open(context);
}

core::Result<SubmitResult> IntakeCore::Answer(Context& context, const KnowledgeAnswer& answer) {
  const auto& request = context.request;
  v1::Ticket ticket;
  ticket.set_ticket_id(context.record.ticket_id());
  ticket.set_request_id(request.request_id());
  ticket.set_type(v1::REQUEST_TYPE_CONSULTATION);
  ticket.set_state(v1::TICKET_STATE_ANSWERED);
  ticket.set_priority(v1::PRIORITY_LOW);
  ticket.set_channel(request.channel());
  ticket.set_customer_id(context.identity.customer.customer_id());
  ticket.set_unidentified(context.identity.status != Identification::Status::kIdentified);
  ticket.set_text(request.text());
  ticket.set_language(request.language());
  ticket.set_contact_count(1);
  *ticket.mutable_classification() = context.classification;
  const bool identified = context.identity.status == Identification::Status::kIdentified;
  *ticket.mutable_location() = request.location().full_text().empty() && identified
                                   ? context.identity.customer.address()
                                   : request.location();
  if (identified) ticket.set_area_class(context.identity.customer.area_class());
  *ticket.mutable_opened_at() = ToTimestamp(context.now);
  *ticket.mutable_updated_at() = ToTimestamp(context.now);

  v1::TimelineEntry entry;
  *entry.mutable_at() = ToTimestamp(context.now);
  entry.set_event_type(kConsultationAnswered);
  entry.set_state(v1::TICKET_STATE_ANSWERED);
  *entry.mutable_description() = Text("咨询已即时答复（知识库 " + answer.article_id + "）",
                                      "Answered at once from article " + answer.article_id);
  entry.mutable_actor()->set_kind(v1::Actor::KIND_SYSTEM);
  const std::string event_id = IntakeEventId(request.request_id(), "consultation_answered");

  v1::IntakeEvent event;
  auto* answered = event.mutable_consultation_answered();
  answered->set_ticket_id(ticket.ticket_id());
  answered->set_request_id(request.request_id());
  answered->set_knowledge_article_id(answer.article_id);
  *answered->mutable_answer() = answer.answer;
  answered->set_confidence(answer.confidence);
  answered->set_first_contact_resolution(true);
  answered->set_customer_id(ticket.customer_id());
  *answered->mutable_answered_at() = ToTimestamp(context.now);
  answered->set_channel(ticket.channel());
  *answered->mutable_location() = ticket.location();
  *answered->mutable_classification() = ticket.classification();
  answered->set_text(ticket.text());
  answered->set_area_class(ticket.area_class());
  if (request.has_received_at()) *answered->mutable_received_at() = request.received_at();
  Stage(context, kConsultationAnswered, ticket.ticket_id(), "consultation_answered",
        std::move(event));

  v1::SubmitResponse response;
  response.set_outcome(v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED);
  response.set_ticket_id(ticket.ticket_id());
  *response.mutable_ticket() = ticket;
  *response.mutable_answer() = answer.answer;
  *response.mutable_customer_message() = answer.answer;
  if (auto status = Conclude(context, ticket, event_id, entry, response); !status) {
    return status.error();
  }
  return SubmitResult(std::move(response));
}

core::Result<SubmitResult> IntakeCore::Attach(Context& context, const v1::Ticket& existing,
                                              bool urging, const std::string& reason) {
  const auto& request = context.request;
  auto counts = store_.AddContact(existing.ticket_id(), request.request_id(), urging);
  if (!counts) return counts.error();
  const bool escalated = urging && rules_.urging.escalate_at_urgings > 0 &&
                         counts->urging_count >= rules_.urging.escalate_at_urgings;

  v1::Ticket ticket = existing;
  PriorityInputs inputs;
  inputs.type = ticket.type();
  for (const int tag : ticket.customer_tags())
    inputs.tags.push_back(static_cast<v1::CustomerTag>(tag));
  inputs.urging_count = counts->urging_count;
  inputs.public_safety =
      MentionsPublicSafetyHazard(request.text()) || MentionsPublicSafetyHazard(ticket.text());
  inputs.unidentified = ticket.unidentified();
  const auto priority = ComputePriority(inputs, rules_.priority);
  ticket.set_priority(std::max(ticket.priority(), priority.priority));
  ticket.set_contact_count(counts->contact_count);
  ticket.set_urging_count(counts->urging_count);
  *ticket.mutable_updated_at() = ToTimestamp(context.now);

  const std::string event_id = IntakeEventId(request.request_id(), "contact_added");
  v1::TimelineEntry entry;
  *entry.mutable_at() = ToTimestamp(context.now);
  entry.set_event_type(kContactAdded);
  entry.set_state(ticket.state());
  *entry.mutable_description() =
      urging ? Text("客户催办（第 " + std::to_string(counts->urging_count) + " 次）" +
                        (escalated ? "，已升级督办" : ""),
                    "Customer chased the ticket (urging #" + std::to_string(counts->urging_count) +
                        ")" + (escalated ? "; escalated" : ""))
             : Text("客户再次来电，已并入本工单", "Further contact attached: " + reason);
  entry.mutable_actor()->set_kind(v1::Actor::KIND_CUSTOMER);

  v1::IntakeEvent event;
  auto* added = event.mutable_contact_added();
  added->set_ticket_id(ticket.ticket_id());
  added->set_request_id(request.request_id());
  added->set_channel(request.channel());
  added->set_urging(urging);
  added->set_contact_count(counts->contact_count);
  added->set_urging_count(counts->urging_count);
  added->set_new_priority(ticket.priority());
  added->set_escalated(escalated);
  *added->mutable_received_at() = ToTimestamp(context.now);
  added->set_text(request.text());
  added->set_customer_id(ticket.customer_id());
  Stage(context, kContactAdded, ticket.ticket_id(), "contact_added", std::move(event));

  v1::SubmitResponse response;
  response.set_outcome(v1::SubmitResponse::OUTCOME_CONTACT_ADDED);
  response.set_urging(urging);
  response.set_ticket_id(ticket.ticket_id());
  *response.mutable_ticket() = ticket;
  *response.mutable_customer_message() =
      Text("您反映的问题已在处理中（工单号 " + ticket.ticket_id() + "）" +
               (urging ? "，我们已加急处理。" : "。"),
           "Your matter is already being handled (ticket " + ticket.ticket_id() + ")" +
               (urging ? "; we have raised its priority." : "."));
  if (auto status = Conclude(context, ticket, event_id, entry, response); !status) {
    return status.error();
  }
  return SubmitResult(std::move(response));
}

core::Result<SubmitResult> IntakeCore::Open(Context& context) {
  const auto& request = context.request;
  const auto& customer = context.identity.customer;
  const bool identified = context.identity.status == Identification::Status::kIdentified;
  const auto& classification = context.classification;

  v1::Ticket ticket;
  ticket.set_ticket_id(context.record.ticket_id());
  ticket.set_request_id(request.request_id());
  ticket.set_type(classification.type());
  ticket.set_application_kind(classification.application_kind());
  const bool restore_signal = request.meter_signal() == v1::METER_SIGNAL_POWER_RESTORED;
  ticket.set_state(restore_signal ? v1::TICKET_STATE_CLOSED : v1::TICKET_STATE_OPEN);
  ticket.set_channel(request.channel());
  ticket.set_unidentified(!identified);
  if (identified) {
    ticket.set_customer_id(customer.customer_id());
    ticket.set_area_class(customer.area_class());
    *ticket.mutable_supply() = customer.supply();
    ticket.mutable_customer_tags()->CopyFrom(customer.tags());
    ticket.set_tenant_id(customer.tenant_id());
  }
  *ticket.mutable_location() = request.location().full_text().empty() && identified
                                   ? customer.address()
                                   : request.location();
  if (request.has_received_at()) *ticket.mutable_received_at() = request.received_at();
  ticket.set_text(request.text());
  ticket.set_language(request.language() != v1::LANGUAGE_UNSPECIFIED
                          ? request.language()
                          : customer.preferred_language());
  ticket.set_contact_count(1);
  ticket.set_meter_signal(request.meter_signal());
  ticket.set_referenced_incident_id(request.referenced_incident_id());
  if (request.has_preferred_appointment_start() && request.has_preferred_appointment_end()) {
    *ticket.mutable_preferred_appointment_start() = request.preferred_appointment_start();
    *ticket.mutable_preferred_appointment_end() = request.preferred_appointment_end();
  }
  *ticket.mutable_classification() = classification;
  if (ticket.type() == v1::REQUEST_TYPE_URGING) {
    // Chasing something we have no open ticket for: an agent finds out what it is.
    ticket.mutable_classification()->set_needs_agent_review(true);
  }
  *ticket.mutable_opened_at() = ToTimestamp(context.now);
  *ticket.mutable_updated_at() = ToTimestamp(context.now);

  PriorityInputs inputs;
  inputs.type = ticket.type();
  for (const int tag : customer.tags()) inputs.tags.push_back(static_cast<v1::CustomerTag>(tag));
  inputs.public_safety = MentionsPublicSafetyHazard(request.text());
  inputs.unidentified = !identified;
  ticket.set_priority(ComputePriority(inputs, rules_.priority).priority);

  if (!restore_signal) {
    const sla::TicketFacts facts{ticket.type(), ticket.application_kind(), ticket.area_class(),
                                 customer.account_type()};
    const auto calendar = calendar_.Current();
    for (auto& clock : sla::ClocksFor(facts, context.now, rules_.standards, *calendar)) {
      *ticket.add_clocks() = std::move(clock);
    }
  }

  const std::string event_id = IntakeEventId(request.request_id(), "ticket_opened");
  v1::TimelineEntry entry;
  *entry.mutable_at() = ToTimestamp(context.now);
  entry.set_event_type(kTicketOpened);
  entry.set_state(ticket.state());
  *entry.mutable_description() =
      Text("已受理（" + TypeLabel(ticket.type()).zh_cn() + "），工单号 " + ticket.ticket_id(),
           "Accepted (" + TypeLabel(ticket.type()).en() + ") as ticket " + ticket.ticket_id());
  if (!ticket.referenced_incident_id().empty()) {
    auto& text = *entry.mutable_description();
    const std::string& incident = ticket.referenced_incident_id();
    text.set_zh_cn(text.zh_cn() + "（您回复了停电事件 " + incident + " 的通知）");
    text.set_en(text.en() + " (your reply to our notice about outage " + incident + ")");
  }
  AppendProvisionalNote(ticket, *entry.mutable_description());
  entry.mutable_actor()->set_kind(v1::Actor::KIND_SYSTEM);

  v1::IntakeEvent event;
  *event.mutable_ticket_opened()->mutable_ticket() = ticket;
  Stage(context, kTicketOpened, ticket.ticket_id(), "ticket_opened", std::move(event));

  v1::SubmitResponse response;
  response.set_outcome(v1::SubmitResponse::OUTCOME_TICKET_OPENED);
  response.set_ticket_id(ticket.ticket_id());
  *response.mutable_ticket() = ticket;
  *response.mutable_customer_message() = OpenedMessage(ticket, rules_.standards);
  if (ticket.type() == v1::REQUEST_TYPE_SERVICE_APPLICATION) {
    for (auto& document :
         knowledge_.RequiredDocuments(ticket.application_kind(), customer.account_type())) {
      *response.add_required_documents() = std::move(document);
    }
  }
  if (auto status = Conclude(context, ticket, event_id, entry, response); !status) {
    return status.error();
  }
  return SubmitResult(std::move(response));
}

core::Result<SubmitResult> IntakeCore::Reject(Context& context, Rejection rejection) {
  const auto& request = context.request;
  v1::IntakeEvent event;
  auto* rejected = event.mutable_request_rejected();
  rejected->set_request_id(request.request_id());
  rejected->set_channel(request.channel());
  rejected->set_reason(rejection.reason);
  rejected->set_field(rejection.field);
  rejected->set_detail(rejection.detail);
  *rejected->mutable_customer_message() = CustomerMessageFor(rejection);
  const std::string key =
      request.request_id().empty() ? "fingerprint:" + context.fingerprint : request.request_id();
  if (auto status = Emit(context, kRequestRejected, key, "request_rejected", std::move(event));
      !status) {
    return status.error();
  }
  if (!context.record.request_id().empty()) {
    if (auto status = Finish(context, {}); !status) return status.error();
  }
  return SubmitResult(std::move(rejection));
}

const v1::RecordedIntakeEvent& IntakeCore::Stage(Context& context, const std::string& ce_type,
                                                 const std::string& key,
                                                 const std::string& discriminator,
                                                 v1::IntakeEvent event) {
  auto* recorded = context.record.add_events();
  recorded->set_event_id(context.request.request_id().empty()
                             ? kafka::DeriveEventId(context.fingerprint, discriminator)
                             : IntakeEventId(context.request.request_id(), discriminator));
  recorded->set_ce_type(ce_type);
  recorded->set_key(key);
  *recorded->mutable_event() = std::move(event);
  return *recorded;
}

core::Status IntakeCore::Publish(const Context& context, const v1::RecordedIntakeEvent& recorded) {
  kafka::EventMetadata metadata{recorded.event_id(), recorded.ce_type(), kSource,
                                recorded.key(),      context.now,        ""};
  return publisher_.Publish(kafka::MakeRecord(std::string(kafka::kIntakeTopic), recorded.key(),
                                              metadata, recorded.event()));
}

core::Status IntakeCore::Emit(Context& context, const std::string& ce_type, const std::string& key,
                              const std::string& discriminator, v1::IntakeEvent event) {
  return Publish(context, Stage(context, ce_type, key, discriminator, std::move(event)));
}

core::Status IntakeCore::Conclude(Context& context, const v1::Ticket& ticket,
                                  const std::string& entry_id, const v1::TimelineEntry& entry,
                                  v1::SubmitResponse response) {
  context.record.set_completed(true);
  *context.record.mutable_response() = std::move(response);
  if (auto saved = store_.SaveOutcome(ticket, entry_id, entry, context.record); !saved) {
    return saved;
  }
  for (const auto& recorded : context.record.events()) {
    if (auto published = Publish(context, recorded); !published) return published;
  }
  return {};
}

core::Status IntakeCore::Finish(Context& context, v1::SubmitResponse response) {
  context.record.set_completed(true);
  *context.record.mutable_response() = std::move(response);
  return store_.Complete(context.record);
}

core::Result<v1::TrackResponse> IntakeCore::Track(const v1::TrackRequest& request) {
  std::string ticket_id = request.ticket_id();
  if (request.key_case() == v1::TrackRequest::kRequestId) {
    auto found = store_.TicketOfRequest(request.request_id());
    if (!found) return found.error();
    if (!found->has_value()) return core::NotFound("no request " + request.request_id());
    ticket_id = **found;
  }
  if (ticket_id.empty()) return core::InvalidArgument("ticket_id or request_id: one is required");
  auto ticket = store_.GetTicket(ticket_id);
  if (!ticket) return ticket.error();
  if (!ticket->has_value()) return core::NotFound("no ticket " + ticket_id);
  auto timeline = store_.Timeline(ticket_id);
  if (!timeline) return timeline.error();
  v1::TrackResponse response;
  *response.mutable_ticket() = std::move(**ticket);
  for (auto& entry : *timeline) *response.add_timeline() = std::move(entry);
  return response;
}

}  // namespace gridcare::intake
