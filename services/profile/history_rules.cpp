#include "history_rules.h"

#include <google/protobuf/util/time_util.h>

namespace gridcare::profile {
namespace {

using Kind = HistoryFact::Kind;

int64_t Millis(const google::protobuf::Timestamp& t) {
  return google::protobuf::util::TimeUtil::TimestampToMilliseconds(t);
}

bool IsTerminal(v1::TicketState state) {
  return state == v1::TICKET_STATE_RESOLVED || state == v1::TICKET_STATE_CLOSED ||
         state == v1::TICKET_STATE_ANSWERED || state == v1::TICKET_STATE_CANCELLED;
}

}  // namespace

std::vector<HistoryFact> FactsFrom(const v1::IntakeEvent& event) {
  std::vector<HistoryFact> facts;
  switch (event.event_case()) {
    case v1::IntakeEvent::kTicketOpened: {
      const auto& ticket = event.ticket_opened().ticket();
      if (ticket.customer_id().empty()) break;  // unidentified callers have no history
      const int64_t at = Millis(ticket.opened_at());
      const auto& id = ticket.ticket_id();
      facts.push_back({Kind::kContact, ticket.customer_id(), ticket.request_id(), at});
      if (!IsTerminal(ticket.state())) {
        facts.push_back({Kind::kTicketOpened, ticket.customer_id(), id, at});
      }
      if (ticket.type() == v1::REQUEST_TYPE_FAULT_REPAIR) {
        facts.push_back({Kind::kFaultReported, ticket.customer_id(), id, at});
      } else if (ticket.type() == v1::REQUEST_TYPE_COMPLAINT) {
        facts.push_back({Kind::kComplaintReceived, ticket.customer_id(), id, at});
      }
      break;
    }
    case v1::IntakeEvent::kContactAdded: {
      const auto& contact = event.contact_added();
      if (contact.customer_id().empty()) break;
      const int64_t at = Millis(contact.received_at());
      facts.push_back({Kind::kContact, contact.customer_id(), contact.request_id(), at});
      if (contact.urging()) {
        facts.push_back({Kind::kUrgingReceived, contact.customer_id(), contact.request_id(), at});
      }
      break;
    }
    case v1::IntakeEvent::kConsultationAnswered: {
      const auto& answer = event.consultation_answered();
      if (answer.customer_id().empty()) break;
      facts.push_back({Kind::kContact, answer.customer_id(), answer.request_id(),
                       Millis(answer.answered_at())});
      break;
    }
    case v1::IntakeEvent::kTicketStateChanged: {
      const auto& change = event.ticket_state_changed();
      if (IsTerminal(change.state())) {
        facts.push_back({Kind::kTicketClosed, change.customer_id(), change.ticket_id(),
                         Millis(change.changed_at())});
      }
      break;
    }
    default:
      break;
  }
  return facts;
}

std::vector<HistoryFact> FactsFrom(const v1::DispatchEvent& event) {
  std::vector<HistoryFact> facts;
  switch (event.event_case()) {
    case v1::DispatchEvent::kIncidentRestored: {
      const auto& restored = event.incident_restored();
      const int64_t at = Millis(restored.incident().restored_at());
      for (const auto& ticket_id : restored.ticket_ids()) {
        facts.push_back({Kind::kTicketClosed, "", ticket_id, at});
      }
      break;
    }
    case v1::DispatchEvent::kApplicationStageReached: {
      // The field work of a new connection, capacity change, meter relocation or meter check
      // installed a meter: the customer's record takes its number. The event's stage counts, not
      // the application's (the order carries the last stage reached, possibly a later one).
      const auto& reached = event.application_stage_reached();
      const auto& application = reached.work_order().application();
      if (reached.stage() != v1::APPLICATION_STAGE_WORK_DONE ||
          application.meter_number().empty() || application.customer_id().empty()) {
        break;
      }
      HistoryFact fact{Kind::kMeterInstalled, application.customer_id(), application.ticket_id(),
                       Millis(reached.reached_at())};
      fact.meter_number = application.meter_number();
      facts.push_back(std::move(fact));
      break;
    }
    default:
      break;
  }
  return facts;
}

std::vector<HistoryFact> FactsFrom(const v1::ComplaintEvent& event) {
  std::vector<HistoryFact> facts;
  switch (event.event_case()) {
    case v1::ComplaintEvent::kCaseOpened: {
      const auto& complaint = event.case_opened().complaint_case();
      if (complaint.customer_id().empty()) break;
      // Keyed by the ticket when there is one, so intake's and complaint's views count once.
      const std::string& item =
          complaint.ticket_id().empty() ? complaint.case_id() : complaint.ticket_id();
      facts.push_back(
          {Kind::kComplaintReceived, complaint.customer_id(), item, Millis(complaint.opened_at())});
      break;
    }
    case v1::ComplaintEvent::kReturnVisitRecorded: {
      const auto& visit = event.return_visit_recorded();
      // An attempt that did not reach the customer carries no score.
      if (visit.customer_id().empty() || visit.unreachable() || visit.satisfaction_score() <= 0) {
        break;
      }
      HistoryFact fact{Kind::kSatisfactionRecorded, visit.customer_id(), visit.case_id(),
                       Millis(visit.visited_at())};
      fact.score = visit.satisfaction_score();
      facts.push_back(fact);
      break;
    }
    default:
      break;
  }
  return facts;
}

bool BecomesSensitive(int complaints_in_window, const HistoryRules& rules) {
  return rules.sensitive_complaint_threshold > 0 &&
         complaints_in_window >= rules.sensitive_complaint_threshold;
}

}  // namespace gridcare::profile
