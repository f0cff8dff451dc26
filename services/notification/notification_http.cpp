#include "notification_http.h"

#include "gridcare/core/error.h"

namespace gridcare::notification {

using web::HttpReply;
using web::HttpRequest;

NotificationHttpServer::NotificationHttpServer(NoticeSender& sender, ReplyForwarder& replies,
                                               DeliveryStore& store)
    : sender_(sender),
      replies_(replies),
      store_(store),
      server_({.name = "notification callbacks",
               .worker_threads = 16,
               .keep_alive_max_requests = 10'000,
               .keep_alive_timeout = std::chrono::seconds(5)}) {
  server_.Post(R"(/callbacks/([^/]+))", [this](const HttpRequest& request) {
    auto callback = ParseProviderCallback(request.body);
    if (!callback) return HttpReply::Error(callback.error());
    const auto* report = std::get_if<DeliveryReport>(&*callback);
    auto applied = report != nullptr ? sender_.OnReport(*report)
                                     : replies_.OnReply(request.path_params.at(0),
                                                        std::get<InboundReply>(*callback));
    if (!applied) return HttpReply::Error(applied.error());
    return HttpReply::JsonText("{\"ok\":true}\n");
  });
  server_.Get(R"(/api/notifications/([^/]+))", [this](const HttpRequest& request) {
    auto found = store_.Get(request.path_params.at(0));
    if (!found) return HttpReply::Error(found.error());
    if (!found->has_value()) {
      return HttpReply::Error(core::NotFound("notification " + request.path_params.at(0) +
                                             " is not known (or expired)"));
    }
    (*found)->clear_addresses();  // personal data stays in the store
    return HttpReply::Json(**found);
  });
  server_.Get("/api/queue", [this](const HttpRequest&) {
    auto queued = store_.QueuedCount();
    if (!queued) return HttpReply::Error(queued.error());
    return HttpReply::JsonText("{\"queued\":" + std::to_string(*queued) + "}\n");
  });
}

}  // namespace gridcare::notification
