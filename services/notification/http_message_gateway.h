#pragma once

// HttpMessageGateway: the MessageGateway adapter that speaks the provider API of
// tools/provider-sim/README.md over libcurl's multi interface (issue 14). One curl multi handle
// is driven on the thread that calls SendAll: no worker thread, nothing runs between calls.
// Connections stay in the multi handle's cache between calls (kept alive, TCP_NODELAY), easy
// handles are reused, at most `max_in_flight` calls are in flight, and each channel is paced by
// its own ProviderPacer (the calling thread waits in curl_multi_poll until the pacer grants or a
// transfer progresses, never busy-looping).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delivery_policy_config.h"
#include "gridcare/config/values.h"
#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "message_gateway.h"

namespace gridcare::notification {

/// The service-wide settings of the gateway (flags of the service); per-provider ones are in the
/// DeliveryPolicy (ProviderSettings: url, token_file, timeout, pacing).
struct GatewaySettings {
  /// The base URL of providers without a "url": "<default_base_url>/<provider>/", e.g.
  /// "http://127.0.0.1:8095/providers". May be empty when every provider has a url.
  std::string default_base_url;
  /// The bearer token of providers without a "token_file". May be empty when every provider has
  /// a token file.
  config::Secret default_token;
  /// The service's callback endpoint base: each provider is told to report to
  /// ProviderCallbackUrl(callback_base_url, provider), e.g. "http://127.0.0.1:8096/callbacks" →
  /// "http://127.0.0.1:8096/callbacks/sms-gateway". Empty: no callback_url is sent, so providers
  /// send no delivery reports.
  std::string callback_base_url;
  /// Calls in flight at once over all channels: 1..10000.
  int max_in_flight = 64;
};

inline constexpr int kMaxInFlightLimit = 10000;

/// "<callback_base_url without trailing slashes>/<provider>"; empty when `callback_base_url` is.
/// Pure.
std::string ProviderCallbackUrl(std::string_view callback_base_url, std::string_view provider);

/// A Retry-After header value in seconds: delta-seconds ("120", surrounding spaces allowed) or an
/// HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), which becomes the whole seconds from `now` to it
/// (0 when it is past). nullopt for anything else (empty, negative, too large for int64, not a
/// date). Pure.
std::optional<int64_t> ParseRetryAfter(std::string_view value, core::TimePoint now);

/// The provider client. Each message of SendAll is POSTed to its channel's provider at
/// "<ProviderBaseUrl>v1/messages" with `Authorization: Bearer <token>` and the body
/// {"client_message_id": notification_id, "to", "text", "template_id" and "language" (when not
/// empty), "callback_url" (when configured)}; the answer becomes a SendResult:
/// - an HTTP answer: its status, the Retry-After header in seconds, provider_message_id from a
///   2xx body, error_message from the body's error.message on other statuses (else "HTTP <n>");
/// - a timeout (the provider's timeout_ms, connecting included): TransportError::kTimeout;
/// - no connection, name not resolved, send or receive failed, no answer:
///   TransportError::kConnectionFailed; error_message is libcurl's (host and port, never the
///   token or the body).
/// Tokens are never logged or put in an error message. Thread-safe: SendAll calls are serialized
/// by a mutex (one batch at a time; a batch of many messages is where concurrency comes from).
class HttpMessageGateway final : public MessageGateway {
 public:
  /// Checks the settings and reads the token files. INVALID_ARGUMENT for a max_in_flight outside
  /// 1..10000, a provider with no url and no default base URL, a URL libcurl does not accept or
  /// that is not http(s), a missing token, or a token file that is empty or holds a control
  /// character; NOT_FOUND naming the token file when it cannot be read.
  static core::Result<std::unique_ptr<HttpMessageGateway>> Create(const DeliveryPolicy& policy,
                                                                  GatewaySettings settings);
  ~HttpMessageGateway() override;
  HttpMessageGateway(const HttpMessageGateway&) = delete;
  HttpMessageGateway& operator=(const HttpMessageGateway&) = delete;

  /// Sends `messages` (see the class comment); returns when every one is answered or timed out.
  /// A batch paced at R messages/s takes about (size − burst) / R seconds.
  std::vector<SendResult> SendAll(const std::vector<OutgoingMessage>& messages) override;

  /// Where `channel`'s messages go ("…/v1/messages"), for start-up logs. Holds no secret.
  const std::string& MessagesUrl(DeliveryChannel channel) const;

 private:
  struct Impl;
  explicit HttpMessageGateway(std::unique_ptr<Impl> impl);

  std::mutex mutex_;  // serializes SendAll: guards impl_'s multi handle, slots and pacers
  std::unique_ptr<Impl> impl_;
};

}  // namespace gridcare::notification
