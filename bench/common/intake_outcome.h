#pragma once
// How the benchmarks that follow requests through intake (bench/intake, bench/storm) read an event
// of gridcare.intake.v1: which request it answers, and how.

#include <optional>
#include <string>
#include <string_view>

#include "gridcare/v1/intake.pb.h"

namespace gridcare::bench {

// An enum value's name without its type's prefix: ("REQUEST_TYPE_FAULT_REPAIR", "REQUEST_TYPE_")
// -> "FAULT_REPAIR".
inline std::string WithoutPrefix(std::string name, std::string_view prefix) {
  if (name.compare(0, prefix.size(), prefix) == 0) name.erase(0, prefix.size());
  return name;
}

struct IntakeOutcome {
  std::string request_id;
  std::string outcome;  // "<event>[:<detail>]", e.g. "ticket_opened:FAULT_REPAIR"
};

// Nothing for events that answer no request (ticket_state_changed and the like).
inline std::optional<IntakeOutcome> OutcomeOf(const v1::IntakeEvent& event) {
  switch (event.event_case()) {
    case v1::IntakeEvent::kTicketOpened:
      return IntakeOutcome{
          event.ticket_opened().ticket().request_id(),
          "ticket_opened:" +
              WithoutPrefix(v1::RequestType_Name(event.ticket_opened().ticket().type()),
                            "REQUEST_TYPE_")};
    case v1::IntakeEvent::kContactAdded:
      return IntakeOutcome{event.contact_added().request_id(), event.contact_added().urging()
                                                                   ? "contact_added:urging"
                                                                   : "contact_added:repeat"};
    case v1::IntakeEvent::kConsultationAnswered:
      return IntakeOutcome{event.consultation_answered().request_id(), "consultation_answered"};
    case v1::IntakeEvent::kRequestRejected:
      return IntakeOutcome{
          event.request_rejected().request_id(),
          "request_rejected:" +
              WithoutPrefix(v1::RejectionReason_Name(event.request_rejected().reason()),
                            "REJECTION_REASON_")};
    default:
      return std::nullopt;
  }
}

}  // namespace gridcare::bench
