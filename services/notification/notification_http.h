#pragma once

// notification's HTTP endpoint, on a web::JsonHttpServer:
//   POST /callbacks/{provider}        a provider's delivery report or a customer's reply
//                                     (tools/provider-sim/README.md): 200 applied (or a repeat;
//                                     a reply passed on to intake), 400 a body that is neither,
//                                     404 an unknown notification, 503 the store or the broker
//                                     is down (the provider retries)
//   GET  /api/notifications/{id}      the stored notice without its addresses (operators,
//                                     the scenario): state, channels, attempts, masked address,
//                                     the text, the reason it failed or was held
//   GET  /api/queue                   {"queued": n}: notices waiting to be sent
// No page. No login until the security issue: keep it on loopback or behind the installation's
// proxy, which must let the providers' callbacks through.

#include <string>

#include "delivery_store.h"
#include "gridcare/web/http_server.h"
#include "notice_sender.h"
#include "reply_forwarder.h"

namespace gridcare::notification {

class NotificationHttpServer {
 public:
  /// Both must outlive the server.
  NotificationHttpServer(NoticeSender& sender, ReplyForwarder& replies, DeliveryStore& store);
  NotificationHttpServer(const NotificationHttpServer&) = delete;
  NotificationHttpServer& operator=(const NotificationHttpServer&) = delete;

  core::Status Start(const std::string& listen_address) { return server_.Start(listen_address); }
  void Stop() { server_.Stop(); }
  int port() const { return server_.port(); }
  /// Answers a request in process, as over HTTP (tests).
  web::HttpReply Handle(web::HttpRequest request) const {
    return server_.Handle(std::move(request));
  }

 private:
  NoticeSender& sender_;
  ReplyForwarder& replies_;
  DeliveryStore& store_;
  web::JsonHttpServer server_;  // last: stops before the members above go
};

}  // namespace gridcare::notification
