#include "reply_forwarder.h"

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "reply_requests.h"

namespace gridcare::notification {

ReplyForwarder::ReplyForwarder(DeliveryStore& store, kafka::EventPublisher& publisher,
                               const core::Clock& clock, NotificationMetrics* metrics,
                               std::chrono::milliseconds flush_timeout)
    : store_(store),
      publisher_(publisher),
      clock_(clock),
      metrics_(metrics),
      flush_timeout_(flush_timeout) {}

core::Status ReplyForwarder::OnReply(const std::string& provider, const InboundReply& reply) {
  const auto count = [this](std::string_view outcome) {
    if (metrics_) metrics_->Reply(outcome);
  };
  auto notice = store_.Get(reply.notification_id);
  if (!notice) return notice.error();
  if (!notice->has_value()) {
    count("unknown_notice");
    return core::NotFound("reply " + reply.reply_id + " answers notification " +
                          reply.notification_id + ", which is not known (or expired)");
  }
  auto request = RequestForReply(**notice, {provider, reply.reply_id, reply.from, reply.text,
                                            core::ToUnixMillis(reply.received_at)});
  if (!request) {
    count("invalid");
    return request.error();
  }
  if (!request->has_value()) {
    count("ignored");
    logging::Info("reply to a staff notice ignored",
                  {{"notification_id", reply.notification_id}, {"reply_id", reply.reply_id}});
    return {};
  }
  const v1::ServiceRequest& r = **request;
  v1::RequestEvent event;
  *event.mutable_submitted() = r;
  const kafka::EventMetadata metadata{kafka::DeriveEventId(r.request_id(), "reply"),
                                      "gridcare.request.submitted.v1",
                                      "/gridcare/adapters/notification-replies",
                                      r.request_id(),
                                      clock_.Now(),
                                      kafka::NewTraceparent()};
  if (auto status = publisher_.Publish(
          kafka::MakeRecord(std::string(kafka::kRequestsTopic), RequestKey(r), metadata, event));
      !status) {
    return status;
  }
  if (auto status = publisher_.Flush(flush_timeout_); !status) return status;
  count("forwarded");
  // Ids only: who answered and what they wrote stay in the request.
  logging::Info("reply passed on to intake", {{"notification_id", reply.notification_id},
                                              {"request_id", r.request_id()},
                                              {"template_id", (*notice)->template_id()},
                                              {"subject_id", (*notice)->subject_id()}});
  return {};
}

}  // namespace gridcare::notification
