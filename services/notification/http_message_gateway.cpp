#include "http_message_gateway.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ctime>
#include <deque>
#include <nlohmann/json.hpp>
#include <utility>

#include "gridcare/config/files.h"
#include "gridcare/core/text.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;

/// A provider's answer is small; more than this is cut (the JSON then fails to parse).
constexpr size_t kMaxResponseBytes = size_t{64} * 1024;
/// The longest curl_multi_poll waits without a pacer deadline (libcurl's own timeouts are
/// shorter when a transfer needs attention sooner).
constexpr int kIdlePollMilliseconds = 1000;

struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// The pacers only compare times, so a monotonic clock expressed as a TimePoint keeps pacing
/// right when the wall clock is stepped.
core::TimePoint MonotonicNow() {
  return core::TimePoint(std::chrono::duration_cast<core::Duration>(
      std::chrono::steady_clock::now().time_since_epoch()));
}

std::string WithoutTrailingSlashes(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

/// One URL part, "" when absent.
std::string UrlPart(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string copy(value);
  curl_free(value);
  return copy;
}

/// An http(s) URL libcurl accepts, with no credentials, query or fragment. The URL is only quoted
/// when it holds no credentials.
core::Status CheckUrl(const std::string& url, const std::string& what) {
  const std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) return core::Internal("curl_url: out of memory");
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return core::InvalidArgument(what + " is not a URL libcurl accepts: \"" + url + "\"");
  }
  if (!UrlPart(parsed.get(), CURLUPART_USER).empty() ||
      !UrlPart(parsed.get(), CURLUPART_PASSWORD).empty()) {
    return core::InvalidArgument(what + " must not hold credentials (use a token file)");
  }
  const std::string scheme = UrlPart(parsed.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") {
    return core::InvalidArgument(what + " must be an http:// or https:// URL, got \"" + url + "\"");
  }
  if (!UrlPart(parsed.get(), CURLUPART_QUERY).empty() ||
      !UrlPart(parsed.get(), CURLUPART_FRAGMENT).empty()) {
    return core::InvalidArgument(what + " must have no query or fragment, got \"" + url + "\"");
  }
  return {};
}

/// A token goes into a header line: it must be non-empty and free of control characters.
core::Status CheckToken(std::string_view token, const std::string& what) {
  if (token.empty()) return core::InvalidArgument(what + " is empty");
  const bool control = std::any_of(token.begin(), token.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (control) return core::InvalidArgument(what + " holds a control character");
  return {};
}

core::Result<std::string> ReadTokenFile(const std::string& path, const std::string& who) {
  auto text = config::ReadTextFile(path);
  if (!text.ok()) return core::NotFound(who + ": cannot read token file " + path);
  std::string token(core::TrimAsciiSpace(*text));
  if (auto status = CheckToken(token, who + ": token file " + path); !status.ok()) {
    return status.error();
  }
  return token;
}

/// Everything one channel's calls need; built once by Create.
struct ChannelClient {
  std::string messages_url;                           // "<base>v1/messages"
  std::string callback_url;                           // "" = none
  std::unique_ptr<curl_slist, SlistDeleter> headers;  // holds the bearer token
  long timeout_ms = 5000;
  ProviderPacer pacer;
  std::deque<size_t> queue;  // indexes of this channel's messages not yet started (one batch)
};

core::Result<ChannelClient> MakeChannelClient(const ProviderSettings& provider,
                                              DeliveryChannel channel,
                                              const GatewaySettings& settings) {
  const std::string who = "provider " + provider.provider + " (channel " +
                          std::string(DeliveryChannelName(channel)) + ")";
  const std::string base = ProviderBaseUrl(provider, settings.default_base_url);
  if (base.empty()) {
    return core::InvalidArgument(who +
                                 ": no \"url\" in the delivery policy and no default base URL");
  }
  if (auto status = CheckUrl(base, who + ": the URL"); !status.ok()) return status.error();
  std::string token;
  if (!provider.token_file.empty()) {
    auto read = ReadTokenFile(provider.token_file, who);
    if (!read.ok()) return read.error();
    token = std::move(*read);
  } else {
    if (settings.default_token.empty()) {
      return core::InvalidArgument(who + ": no \"token_file\" and no default token");
    }
    token = settings.default_token.Reveal();
    if (auto status = CheckToken(token, "the default token"); !status.ok()) return status.error();
  }
  ChannelClient client{base + "v1/messages",
                       ProviderCallbackUrl(settings.callback_base_url, provider.provider),
                       nullptr,
                       static_cast<long>(provider.timeout.count()),
                       ProviderPacer(provider.pacing),
                       {}};
  curl_slist* list = nullptr;
  for (const std::string& line :
       {std::string("Content-Type: application/json"), std::string("Accept: application/json"),
        std::string("Expect:"), "Authorization: Bearer " + token}) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (grown == nullptr) {
      curl_slist_free_all(list);
      return core::Internal("curl_slist_append: out of memory");
    }
    list = grown;
  }
  client.headers.reset(list);
  return client;
}

/// One transfer's state; a slot and its easy handle are reused for call after call.
struct Slot {
  std::unique_ptr<CURL, EasyDeleter> easy;
  size_t index = 0;  // the message's index in the batch
  std::string request;
  std::string response;
  std::optional<std::string> retry_after;  // the header's raw value
  std::array<char, CURL_ERROR_SIZE> error{};
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* slot = static_cast<Slot*>(user);
  const size_t bytes = size * count;
  const size_t room = kMaxResponseBytes - std::min(kMaxResponseBytes, slot->response.size());
  slot->response.append(data, std::min(bytes, room));
  return bytes;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
  auto* slot = static_cast<Slot*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {  // a new response (after a 1xx): forget the previous one's
    slot->retry_after.reset();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos &&
      core::AsciiLower(core::TrimAsciiSpace(line.substr(0, colon))) == "retry-after") {
    slot->retry_after = std::string(core::TrimAsciiSpace(line.substr(colon + 1)));
  }
  return bytes;
}

std::string RequestBody(const OutgoingMessage& message, const std::string& callback_url) {
  Json body = {
      {"client_message_id", message.notification_id}, {"to", message.to}, {"text", message.text}};
  if (!message.template_id.empty()) body["template_id"] = message.template_id;
  if (!message.language.empty()) body["language"] = message.language;
  if (!callback_url.empty()) body["callback_url"] = callback_url;
  // Invalid UTF-8 is replaced rather than thrown on; the provider then gets U+FFFD.
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void Configure(Slot& slot, const ChannelClient& channel) {
  CURL* easy = slot.easy.get();
  curl_easy_reset(easy);  // keeps the connection and DNS caches
  curl_easy_setopt(easy, CURLOPT_URL, channel.messages_url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, channel.headers.get());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, slot.request.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(slot.request.size()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, channel.timeout_ms);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(&slot));
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void*>(&slot));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, slot.error.data());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&slot));
}

/// `key` of `object` when it is a string, else nullptr.
const std::string* StringMember(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return nullptr;
  return found->get_ptr<const std::string*>();
}

/// A transfer libcurl completed with `code`: a failure below HTTP.
SendResult TransportResult(CURLcode code, const Slot& slot) {
  SendResult result;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      result.outcome = ProviderOutcome::Transport(TransportError::kTimeout);
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      // A misconfiguration (Create checks URLs, so not expected): neither a status nor a
      // transport error, which Classify makes permanent.
      result.outcome = ProviderOutcome{};
      break;
    default:  // refused, reset, not resolved, send or receive failed, nothing answered …
      result.outcome = ProviderOutcome::Transport(TransportError::kConnectionFailed);
      break;
  }
  result.error_message = slot.error[0] != '\0' ? std::string(slot.error.data())
                                               : std::string(curl_easy_strerror(code));
  return result;
}

/// A transfer that got an HTTP answer.
SendResult HttpResult(long status, const Slot& slot) {
  SendResult result;
  std::optional<int64_t> retry_after;
  if (slot.retry_after) {
    retry_after = ParseRetryAfter(*slot.retry_after, std::chrono::system_clock::now());
  }
  result.outcome = ProviderOutcome::Http(static_cast<int>(status), retry_after);
  const Json body = Json::parse(slot.response, nullptr, /*allow_exceptions=*/false);
  if (status >= 200 && status < 300) {
    if (const std::string* id = StringMember(body, "provider_message_id")) {
      result.provider_message_id = *id;
    } else {
      result.error_message = "the answer has no provider_message_id";
    }
    return result;
  }
  const auto error = body.is_object() ? body.find("error") : body.end();
  const std::string* message = error != body.end() ? StringMember(*error, "message") : nullptr;
  result.error_message = message != nullptr ? *message : "HTTP " + std::to_string(status);
  return result;
}

SendResult ResultOf(CURLcode code, const Slot& slot) {
  if (code != CURLE_OK) return TransportResult(code, slot);
  long status = 0;
  curl_easy_getinfo(slot.easy.get(), CURLINFO_RESPONSE_CODE, &status);
  return HttpResult(status, slot);
}

}  // namespace

std::string ProviderCallbackUrl(std::string_view callback_base_url, std::string_view provider) {
  const std::string base = WithoutTrailingSlashes(callback_base_url);
  if (base.empty()) return {};
  return base + "/" + std::string(provider);
}

std::optional<int64_t> ParseRetryAfter(std::string_view value, core::TimePoint now) {
  const std::string_view text = core::TrimAsciiSpace(value);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return seconds;
  }
  // An HTTP date always names its month: without a letter it is not one (curl_getdate is
  // lenient and would read some bare numbers).
  if (std::none_of(text.begin(), text.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
    return std::nullopt;
  }
  const time_t at = curl_getdate(std::string(text).c_str(), nullptr);
  if (at == -1) return std::nullopt;
  const int64_t from_now = static_cast<int64_t>(at) - std::chrono::system_clock::to_time_t(now);
  return std::max<int64_t>(from_now, 0);
}

struct HttpMessageGateway::Impl {
  std::unique_ptr<CURLM, MultiDeleter> multi;  // first member: cleaned up last
  std::vector<ChannelClient> channels;         // indexed by DeliveryChannel
  int max_in_flight = 64;
  std::vector<std::unique_ptr<Slot>> slots;  // every slot made so far (at most max_in_flight)
  std::vector<Slot*> free_slots;
  int in_flight = 0;
  size_t first_channel = 0;  // where the next round of starts begins: channels take turns

  std::vector<SendResult> Run(const std::vector<OutgoingMessage>& messages);
  std::optional<core::TimePoint> StartReady(const std::vector<OutgoingMessage>& messages,
                                            size_t& pending, std::vector<SendResult>& results);
  void Start(ChannelClient& channel, const OutgoingMessage& message, size_t index,
             std::vector<SendResult>& results);
  int CollectDone(std::vector<SendResult>& results);
  void Wait(std::optional<core::TimePoint> wake) const;
  Slot* TakeSlot();
};

std::vector<SendResult> HttpMessageGateway::Impl::Run(
    const std::vector<OutgoingMessage>& messages) {
  std::vector<SendResult> results(messages.size());
  for (ChannelClient& channel : channels) channel.queue.clear();  // after an exception, say
  for (size_t i = 0; i < messages.size(); ++i) {
    results[i].notification_id = messages[i].notification_id;
    channels[static_cast<size_t>(messages[i].channel)].queue.push_back(i);
  }
  size_t pending = messages.size();
  while (pending > 0 || in_flight > 0) {
    const std::optional<core::TimePoint> wake = StartReady(messages, pending, results);
    int running = 0;
    curl_multi_perform(multi.get(), &running);
    const int finished = CollectDone(results);
    if (pending == 0 && in_flight == 0) break;
    if (finished > 0 && pending > 0) continue;  // freed slots may start more at once
    Wait(wake);
  }
  return results;
}

std::optional<core::TimePoint> HttpMessageGateway::Impl::StartReady(
    const std::vector<OutgoingMessage>& messages, size_t& pending,
    std::vector<SendResult>& results) {
  std::optional<core::TimePoint> wake;  // the earliest moment a paced channel may send again
  const core::TimePoint now = MonotonicNow();
  bool started = true;
  while (started && pending > 0 && in_flight < max_in_flight) {
    started = false;  // one message per channel and round, so channels share max_in_flight
    for (size_t k = 0; k < channels.size() && in_flight < max_in_flight; ++k) {
      ChannelClient& channel = channels[(first_channel + k) % channels.size()];
      if (channel.queue.empty()) continue;
      const ProviderPacer::Grant grant = channel.pacer.TryAcquire(now);
      if (!grant.granted) {
        wake = wake ? std::min(*wake, grant.available_at) : grant.available_at;
        continue;
      }
      const size_t index = channel.queue.front();
      channel.queue.pop_front();
      --pending;
      Start(channel, messages[index], index, results);
      started = true;
    }
  }
  first_channel = (first_channel + 1) % channels.size();
  return wake;
}

Slot* HttpMessageGateway::Impl::TakeSlot() {
  if (!free_slots.empty()) {
    Slot* slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }
  auto slot = std::make_unique<Slot>();
  slot->easy.reset(curl_easy_init());
  if (!slot->easy) return nullptr;
  slots.push_back(std::move(slot));
  return slots.back().get();
}

void HttpMessageGateway::Impl::Start(ChannelClient& channel, const OutgoingMessage& message,
                                     size_t index, std::vector<SendResult>& results) {
  Slot* slot = TakeSlot();
  if (slot == nullptr) {
    results[index].outcome = ProviderOutcome::Transport(TransportError::kConnectionFailed);
    results[index].error_message = "curl_easy_init failed";
    return;
  }
  slot->index = index;
  slot->request = RequestBody(message, channel.callback_url);
  slot->response.clear();
  slot->retry_after.reset();
  slot->error[0] = '\0';
  Configure(*slot, channel);
  if (const CURLMcode code = curl_multi_add_handle(multi.get(), slot->easy.get());
      code != CURLM_OK) {
    results[index].outcome = ProviderOutcome::Transport(TransportError::kConnectionFailed);
    results[index].error_message =
        std::string("curl_multi_add_handle: ") + curl_multi_strerror(code);
    free_slots.push_back(slot);
    return;
  }
  ++in_flight;
}

int HttpMessageGateway::Impl::CollectDone(std::vector<SendResult>& results) {
  int finished = 0;
  int left = 0;
  while (CURLMsg* done = curl_multi_info_read(multi.get(), &left)) {
    if (done->msg != CURLMSG_DONE) continue;
    void* data = nullptr;
    curl_easy_getinfo(done->easy_handle, CURLINFO_PRIVATE, &data);
    auto* slot = static_cast<Slot*>(data);
    const CURLcode code = done->data.result;  // `done` is invalid once the handle is removed
    SendResult result = ResultOf(code, *slot);
    result.notification_id = std::move(results[slot->index].notification_id);
    results[slot->index] = std::move(result);
    curl_multi_remove_handle(multi.get(), slot->easy.get());
    free_slots.push_back(slot);
    --in_flight;
    ++finished;
  }
  return finished;
}

void HttpMessageGateway::Impl::Wait(std::optional<core::TimePoint> wake) const {
  int timeout_ms = kIdlePollMilliseconds;
  if (wake) {
    const auto until = *wake - MonotonicNow();
    // Rounded up, so the pacer grants when the wait is over instead of a spin just before.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(until).count();
    timeout_ms = static_cast<int>(std::clamp<int64_t>(ms, 0, kIdlePollMilliseconds));
  }
  // With no transfer in flight this just sleeps for the timeout (curl_multi_poll, unlike
  // curl_multi_wait, waits even with nothing to wait on).
  curl_multi_poll(multi.get(), nullptr, 0, timeout_ms, nullptr);
}

HttpMessageGateway::HttpMessageGateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpMessageGateway::~HttpMessageGateway() = default;

core::Result<std::unique_ptr<HttpMessageGateway>> HttpMessageGateway::Create(
    const DeliveryPolicy& policy, GatewaySettings settings) {
  if (settings.max_in_flight < 1 || settings.max_in_flight > kMaxInFlightLimit) {
    return core::InvalidArgument("max_in_flight must be in 1.." +
                                 std::to_string(kMaxInFlightLimit) + ", got " +
                                 std::to_string(settings.max_in_flight));
  }
  GlobalInit();
  if (!settings.callback_base_url.empty()) {
    if (auto status = CheckUrl(settings.callback_base_url, "the callback base URL"); !status.ok()) {
      return status.error();
    }
  }
  auto impl = std::make_unique<Impl>();
  impl->max_in_flight = settings.max_in_flight;
  for (const DeliveryChannel channel : kAllDeliveryChannels) {
    auto client = MakeChannelClient(policy.provider(channel), channel, settings);
    if (!client.ok()) return client.error();
    impl->channels.push_back(std::move(*client));
  }
  impl->multi.reset(curl_multi_init());
  if (!impl->multi) return core::Internal("curl_multi_init failed");
  // Keep a kept-alive connection per transfer that can be in flight.
  curl_multi_setopt(impl->multi.get(), CURLMOPT_MAXCONNECTS,
                    static_cast<long>(settings.max_in_flight));
  return std::unique_ptr<HttpMessageGateway>(new HttpMessageGateway(std::move(impl)));
}

std::vector<SendResult> HttpMessageGateway::SendAll(const std::vector<OutgoingMessage>& messages) {
  const std::lock_guard lock(mutex_);
  return impl_->Run(messages);
}

const std::string& HttpMessageGateway::MessagesUrl(DeliveryChannel channel) const {
  return impl_->channels[static_cast<size_t>(channel)].messages_url;
}

}  // namespace gridcare::notification
