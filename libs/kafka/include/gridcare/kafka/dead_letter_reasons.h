#pragma once

#include <span>
#include <string_view>

namespace gridcare::kafka {

/// Why a consumer parked a record on its dead-letter topic. One list for every service: the code
/// goes into the dead letter's `gridcare_dlq_reason` header and into the `reason` label of
/// gridcare_events_dead_lettered_total{service,topic,reason}; docs/events.md lists them all.
/// Add a reason here (and to kAllDeadLetterReasons and the docs), never as a string at a call site.
enum class DeadLetterReason {
  kMalformedProtobuf,  // the value does not parse as the topic's event type (or has invalid UTF-8)
  kUnknownEvent,       // the event's oneof names no case this consumer knows
  kUnexpectedTopic,    // the record came from a topic this consumer does not read
  kInvalidEvent,       // the event parses but breaks the contract (missing or inconsistent fields)
  kMissingTicketId,    // a ticket event without its ticket id
  kInvalidTicket,      // a ticket the consumer cannot act on (e.g. no supply point to correlate)
  kUnknownCustomer,    // names a customer the profile does not have
  kUnknownCrew,        // names a crew the roster does not have
  kUnknownTicket,      // names a ticket the consumer has never seen
  kPermanentError,     // the handler met an error that no retry can fix
  kHandlerException,   // the handler threw; the detail has the exception's message
};

/// Every reason, in declaration order (for pre-initialised metric series and documentation).
inline constexpr DeadLetterReason kAllDeadLetterReasons[] = {
    DeadLetterReason::kMalformedProtobuf, DeadLetterReason::kUnknownEvent,
    DeadLetterReason::kUnexpectedTopic,   DeadLetterReason::kInvalidEvent,
    DeadLetterReason::kMissingTicketId,   DeadLetterReason::kInvalidTicket,
    DeadLetterReason::kUnknownCustomer,   DeadLetterReason::kUnknownCrew,
    DeadLetterReason::kUnknownTicket,     DeadLetterReason::kPermanentError,
    DeadLetterReason::kHandlerException,
};

/// The machine code, e.g. "malformed_protobuf" (stable: dashboards and alerts select on it).
std::string_view ReasonCode(DeadLetterReason reason);

}  // namespace gridcare::kafka
