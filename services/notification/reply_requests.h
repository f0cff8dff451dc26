#pragma once

// What a customer's reply to a notice becomes: a request for intake on gridcare.requests.v1, as
// from any channel, naming what the notice was about. The restoration notice says "if your power
// is still off, reply": a reply to it is a fault report on the same incident. Pure, no I/O.
//
//   notice template    request
//   outage.*/safety.*  referenced_incident_id = the incident; outage.restored: type FAULT_REPAIR
//   ticket.*           referenced_ticket_id = the ticket
//   appointment.*      referenced_ticket_id = the application's ticket
//   application.*      referenced_ticket_id = the application's ticket
//   complaint.*        referenced_ticket_id = the case's ticket ("CC-<ticket>")
//   planned_outage.*   no reference (the planned outage is not a ticket or an incident)
//   staff.*            nothing: staff answer in their own tools
//
// The request id is "reply-<provider>-<reply id>", so a reply the provider posts twice is one
// request (intake de-duplicates on it). Identified customers are named by customer id; an
// unidentified caller ("caller-…" recipients) by the number that answered.

#include <optional>
#include <string>
#include <string_view>

#include "gridcare/core/error.h"
#include "gridcare/v1/notification.pb.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::notification {

/// The reply as the request needs it (message_gateway.h's InboundReply carries more).
struct ReplyFacts {
  std::string provider;  ///< the provider's name in the callback path ("sms")
  std::string reply_id;  ///< unique per provider, printable ASCII
  std::string from;      ///< who answered: personal data
  std::string text;
  int64_t received_at_ms = 0;  ///< Unix milliseconds
};

/// The request for `reply` to `notice`; nullopt for notices whose replies go nowhere (staff).
/// INVALID_ARGUMENT when the provider or reply id would not make a valid request id.
core::Result<std::optional<v1::ServiceRequest>> RequestForReply(
    const v1::StoredNotification& notice, const ReplyFacts& reply);

/// The key of the request's record on gridcare.requests.v1: the customer id, else the request
/// id (never the phone number).
std::string RequestKey(const v1::ServiceRequest& request);

}  // namespace gridcare::notification
