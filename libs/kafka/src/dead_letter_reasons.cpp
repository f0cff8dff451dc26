#include "gridcare/kafka/dead_letter_reasons.h"

namespace gridcare::kafka {

std::string_view ReasonCode(DeadLetterReason reason) {
  switch (reason) {
    case DeadLetterReason::kMalformedProtobuf:
      return "malformed_protobuf";
    case DeadLetterReason::kUnknownEvent:
      return "unknown_event";
    case DeadLetterReason::kUnexpectedTopic:
      return "unexpected_topic";
    case DeadLetterReason::kInvalidEvent:
      return "invalid_event";
    case DeadLetterReason::kMissingTicketId:
      return "missing_ticket_id";
    case DeadLetterReason::kInvalidTicket:
      return "invalid_ticket";
    case DeadLetterReason::kUnknownCustomer:
      return "unknown_customer";
    case DeadLetterReason::kUnknownCrew:
      return "unknown_crew";
    case DeadLetterReason::kUnknownTicket:
      return "unknown_ticket";
    case DeadLetterReason::kPermanentError:
      return "permanent_error";
    case DeadLetterReason::kHandlerException:
      return "handler_exception";
  }
  return "unknown_reason";
}

}  // namespace gridcare::kafka
