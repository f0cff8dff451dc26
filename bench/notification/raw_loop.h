#pragma once
// The ceiling of the notification benchmark: the same messages POSTed to the same simulator by a
// plain libcurl multi loop (no store, no Kafka, no pacing), and a callback sink that answers the
// simulator's delivery reports the way the service's endpoint does, doing nothing else.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audience.h"
#include "gridcare/core/error.h"
#include "gridcare/web/http_server.h"

namespace gridcare::bench {

/// One prepared request: where it goes and its JSON body.
struct RawMessage {
  std::string url;
  std::string body;
};

/// The provider API body the service's HttpMessageGateway sends for `notice` (same keys, same
/// encoder), under `client_message_id`; `callback_url` is left out when empty.
std::string ProviderRequestBody(const PlannedNotice& notice, const std::string& client_message_id,
                                const std::string& callback_url);

struct RawRunSettings {
  std::string token;  ///< the providers' bearer token
  int max_in_flight = 64;
  long timeout_ms = 5000;  ///< per request, as the providers' timeout_ms
  double deadline_s = 300;
  /// Called about every 5 s with the answers so far (progress lines).
  std::function<void(int64_t answered, double seconds)> progress;
};

struct RawRunReport {
  int64_t messages = 0;
  int64_t answered_2xx = 0;
  std::map<std::string, int64_t> failures;  // "HTTP 503", "curl: …" → count
  double seconds = 0;                       // first request started to last answer
  bool timed_out = false;
  double rate() const { return seconds > 0 ? static_cast<double>(answered_2xx) / seconds : 0; }
};

/// POSTs every message with at most `max_in_flight` in flight over kept-alive connections
/// (TCP_NODELAY, one connection per transfer in flight, Expect: off), starting a new request as
/// soon as one is answered. Bounded by `deadline_s`.
core::Result<RawRunReport> PostAll(const std::vector<RawMessage>& messages,
                                   const RawRunSettings& settings);

/// POST /callbacks/<provider> answered {"ok":true} after counting, with the service's endpoint
/// settings (16 workers, 10,000 requests per connection).
class CallbackSink {
 public:
  CallbackSink();
  core::Status Start() { return server_->Start("127.0.0.1:0"); }
  int port() const { return server_->port(); }
  int64_t received() const { return received_; }

 private:
  std::atomic<int64_t> received_{0};
  std::unique_ptr<web::JsonHttpServer> server_;
};

}  // namespace gridcare::bench
