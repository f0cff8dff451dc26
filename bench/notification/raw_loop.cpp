#include "raw_loop.h"

#include <curl/curl.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "bench_support.h"

namespace gridcare::bench {
namespace {

using Json = nlohmann::json;

struct Transfer {
  CURL* easy = nullptr;
  std::string response;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->response.size() < 4096) transfer->response.append(data, bytes);
  return bytes;
}

struct CurlHandles {
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  std::vector<Transfer> transfers;
  ~CurlHandles() {
    for (Transfer& t : transfers) {
      if (t.easy != nullptr) {
        curl_multi_remove_handle(multi, t.easy);
        curl_easy_cleanup(t.easy);
      }
    }
    if (multi != nullptr) curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
  }
};

void Configure(Transfer& transfer, const RawMessage& message, const curl_slist* headers,
               long timeout_ms) {
  CURL* easy = transfer.easy;
  transfer.response.clear();
  curl_easy_setopt(easy, CURLOPT_URL, message.url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, message.body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(message.body.size()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
  curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(&transfer));
}

// Counts one finished transfer into `report`.
void Account(CURLcode code, Transfer& transfer, RawRunReport& report) {
  if (code != CURLE_OK) {
    ++report.failures[std::string("curl: ") + curl_easy_strerror(code)];
    return;
  }
  long status = 0;
  curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    ++report.answered_2xx;
  } else {
    ++report.failures["HTTP " + std::to_string(status)];
  }
}

}  // namespace

std::string ProviderRequestBody(const PlannedNotice& notice, const std::string& client_message_id,
                                const std::string& callback_url) {
  // As HttpMessageGateway's RequestBody (services/notification/http_message_gateway.cpp).
  Json body = {{"client_message_id", client_message_id}, {"to", notice.to}, {"text", notice.text}};
  if (!notice.template_id.empty()) body["template_id"] = notice.template_id;
  if (!notice.language.empty()) body["language"] = notice.language;
  if (!callback_url.empty()) body["callback_url"] = callback_url;
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

core::Result<RawRunReport> PostAll(const std::vector<RawMessage>& messages,
                                   const RawRunSettings& settings) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CurlHandles handles;
  handles.multi = curl_multi_init();
  if (handles.multi == nullptr) return core::Internal("curl_multi_init failed");
  curl_multi_setopt(handles.multi, CURLMOPT_MAXCONNECTS, static_cast<long>(settings.max_in_flight));
  const std::vector<std::string> header_lines = {
      "Content-Type: application/json", "Accept: application/json",
      "Expect:", "Authorization: Bearer " + settings.token};
  for (const std::string& line : header_lines) {
    handles.headers = curl_slist_append(handles.headers, line.c_str());
  }
  handles.transfers.resize(static_cast<size_t>(settings.max_in_flight));
  std::vector<Transfer*> idle;
  for (Transfer& transfer : handles.transfers) {
    transfer.easy = curl_easy_init();
    if (transfer.easy == nullptr) return core::Internal("curl_easy_init failed");
    idle.push_back(&transfer);
  }

  RawRunReport report;
  report.messages = static_cast<int64_t>(messages.size());
  size_t next = 0;
  int in_flight = 0;
  int64_t answered = 0;
  const auto started = SteadyClock::now();
  auto last_progress = started;
  const auto deadline = started + std::chrono::duration_cast<SteadyClock::duration>(
                                      std::chrono::duration<double>(settings.deadline_s));
  while (next < messages.size() || in_flight > 0) {
    while (next < messages.size() && !idle.empty()) {
      Transfer* transfer = idle.back();
      idle.pop_back();
      Configure(*transfer, messages[next++], handles.headers, settings.timeout_ms);
      curl_multi_add_handle(handles.multi, transfer->easy);
      ++in_flight;
    }
    int running = 0;
    curl_multi_perform(handles.multi, &running);
    int left = 0;
    bool finished = false;
    while (CURLMsg* done = curl_multi_info_read(handles.multi, &left)) {
      if (done->msg != CURLMSG_DONE) continue;
      void* data = nullptr;
      curl_easy_getinfo(done->easy_handle, CURLINFO_PRIVATE, &data);
      auto* transfer = static_cast<Transfer*>(data);
      const CURLcode code = done->data.result;
      Account(code, *transfer, report);
      curl_multi_remove_handle(handles.multi, transfer->easy);
      idle.push_back(transfer);
      --in_flight;
      ++answered;
      finished = true;
    }
    const auto now = SteadyClock::now();
    if (now >= deadline) {
      report.timed_out = true;
      break;
    }
    if (settings.progress && now - last_progress >= std::chrono::seconds(5)) {
      last_progress = now;
      settings.progress(answered, SecondsBetween(started, now));
    }
    if (!finished) curl_multi_poll(handles.multi, nullptr, 0, 100, nullptr);
  }
  report.seconds = SecondsBetween(started, SteadyClock::now());
  return report;
}

CallbackSink::CallbackSink()
    : server_(std::make_unique<web::JsonHttpServer>(
          web::HttpServerOptions{.name = "bench callback sink",
                                 .worker_threads = 16,
                                 .keep_alive_max_requests = 10'000,
                                 .keep_alive_timeout = std::chrono::seconds(5)})) {
  server_->Post(R"(/callbacks/([^/]+))", [this](const web::HttpRequest&) {
    ++received_;
    return web::HttpReply::JsonText("{\"ok\":true}\n");
  });
}

}  // namespace gridcare::bench
