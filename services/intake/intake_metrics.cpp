#include "intake_metrics.h"

#include <cctype>

namespace gridcare::intake {
namespace {

std::string TypeLabel(v1::RequestType type) {
  return EnumLabel(v1::RequestType_Name(type), "REQUEST_TYPE_");
}
std::string ChannelLabel(v1::Channel channel) {
  return EnumLabel(v1::Channel_Name(channel), "CHANNEL_");
}

const char* OutcomeLabel(v1::SubmitResponse::Outcome outcome) {
  switch (outcome) {
    case v1::SubmitResponse::OUTCOME_TICKET_OPENED:
      return "ticket_opened";
    case v1::SubmitResponse::OUTCOME_CONTACT_ADDED:
      return "contact_added";
    case v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED:
      return "consultation_answered";
    default:
      return "unspecified";
  }
}

}  // namespace

IntakeMetrics::IntakeMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("gridcare_intake_requests_total")
                    .Help("Requests by outcome (ticket_opened, contact_added, "
                          "consultation_answered, rejected) and channel; replays left out")
                    .Register(registry)),
      opened_(prometheus::BuildCounter()
                  .Name("gridcare_intake_tickets_opened_total")
                  .Help("Tickets opened, by request type and channel")
                  .Register(registry)),
      review_(prometheus::BuildCounter()
                  .Name("gridcare_intake_review_total")
                  .Help("Tickets opened whose classification needs an agent's review, by type")
                  .Register(registry)),
      urgings_(prometheus::BuildCounter()
                   .Name("gridcare_intake_urgings_total")
                   .Help("Contacts that chased an open ticket (urgings), by the ticket's type")
                   .Register(registry)),
      rejections_(prometheus::BuildCounter()
                      .Name("gridcare_intake_rejections_total")
                      .Help("Requests rejected, by reason")
                      .Register(registry)) {
  // At 0 from the start, so dashboards and rates see every series before the first request.
  for (int c = v1::Channel_MIN; c <= v1::Channel_MAX; ++c) {
    if (!v1::Channel_IsValid(c) || c == v1::CHANNEL_UNSPECIFIED) continue;
    const auto channel = ChannelLabel(static_cast<v1::Channel>(c));
    for (const char* outcome :
         {"ticket_opened", "contact_added", "consultation_answered", "rejected"}) {
      requests_.Add({{"outcome", outcome}, {"channel", channel}});
    }
  }
  for (int t = v1::RequestType_MIN; t <= v1::RequestType_MAX; ++t) {
    if (!v1::RequestType_IsValid(t) || t == v1::REQUEST_TYPE_UNSPECIFIED) continue;
    const auto type = TypeLabel(static_cast<v1::RequestType>(t));
    review_.Add({{"type", type}});
    urgings_.Add({{"type", type}});
  }
  for (int r = v1::RejectionReason_MIN; r <= v1::RejectionReason_MAX; ++r) {
    if (!v1::RejectionReason_IsValid(r) || r == v1::REJECTION_REASON_UNSPECIFIED) continue;
    rejections_.Add({{"reason", EnumLabel(v1::RejectionReason_Name(r), "REJECTION_REASON_")}});
  }
}

void IntakeMetrics::Count(const v1::ServiceRequest& request, const SubmitResult& result) {
  if (const auto* rejection = std::get_if<Rejection>(&result)) {
    requests_.Add({{"outcome", "rejected"}, {"channel", ChannelLabel(request.channel())}})
        .Increment();
    rejections_
        .Add({{"reason",
               EnumLabel(v1::RejectionReason_Name(rejection->reason), "REJECTION_REASON_")}})
        .Increment();
    return;
  }
  const auto& response = std::get<v1::SubmitResponse>(result);
  if (response.replayed()) return;
  const auto& ticket = response.ticket();
  requests_
      .Add({{"outcome", OutcomeLabel(response.outcome())},
            {"channel", ChannelLabel(request.channel())}})
      .Increment();
  const auto type = TypeLabel(ticket.type());
  if (response.outcome() == v1::SubmitResponse::OUTCOME_TICKET_OPENED) {
    opened_.Add({{"type", type}, {"channel", ChannelLabel(ticket.channel())}}).Increment();
    if (ticket.classification().needs_agent_review()) review_.Add({{"type", type}}).Increment();
  } else if (response.outcome() == v1::SubmitResponse::OUTCOME_CONTACT_ADDED && response.urging()) {
    urgings_.Add({{"type", type}}).Increment();
  }
}

}  // namespace gridcare::intake
