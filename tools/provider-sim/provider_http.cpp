#include "provider_http.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "gridcare/logging/log.h"

namespace gridcare::provider_sim {
namespace {

using Json = nlohmann::json;
using web::HttpReply;
using web::HttpRequest;

constexpr char kName[] = R"([A-Za-z0-9_.-]{1,64})";

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

HttpReply ErrorReply(int status, std::string_view code, std::string_view message) {
  return HttpReply::JsonText(Dump({{"error", {{"code", code}, {"message", message}}}}), status);
}

HttpReply AcceptedReply(const SubmitOutcome& outcome, int status) {
  return HttpReply::JsonText(Dump({{"provider_message_id", outcome.provider_message_id},
                                   {"accepted_at", core::FormatRfc3339(outcome.accepted_at)}}),
                             status);
}

HttpReply RateLimitedReply(const SubmitOutcome& outcome) {
  const int64_t millis = outcome.retry_after.count();
  HttpReply reply = HttpReply::JsonText(
      Dump({{"error", {{"code", "RESOURCE_EXHAUSTED"}, {"message", "rate limit exceeded"}}},
            {"retry_after_ms", millis}}),
      429);
  reply.headers.emplace_back("Retry-After", std::to_string((millis + 999) / 1000));
  return reply;
}

HttpReply OutcomeReply(const SubmitOutcome& outcome) {
  using Kind = SubmitOutcome::Kind;
  switch (outcome.kind) {
    case Kind::kAccepted:
      return AcceptedReply(outcome, 202);
    case Kind::kDuplicate:
      return AcceptedReply(outcome, 200);
    case Kind::kUnauthorized: {
      HttpReply reply = ErrorReply(401, "UNAUTHENTICATED", "missing or wrong bearer token");
      reply.headers.emplace_back("WWW-Authenticate", "Bearer");
      return reply;
    }
    case Kind::kBadRequest:
      return ErrorReply(400, "INVALID_ARGUMENT", outcome.error);
    case Kind::kRateLimited:
      return RateLimitedReply(outcome);
    case Kind::kFailed:
      return ErrorReply(outcome.fail_status, "UNAVAILABLE", "injected failure");
  }
  return ErrorReply(500, "INTERNAL", "unknown outcome");
}

// A query parameter as a count in [0, max]; `fallback` when absent, nullopt when malformed.
std::optional<uint64_t> CountParameter(const HttpRequest& request, std::string_view name,
                                       uint64_t fallback, uint64_t max) {
  const std::string text = request.Query(name);
  if (text.empty()) return fallback;
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

Json MessageJson(const RecordedMessage& message) {
  return {{"seq", message.seq},
          {"provider", message.provider},
          {"provider_message_id", message.provider_message_id},
          {"client_message_id", message.client_message_id},
          {"to", message.to},
          {"text", message.text},
          {"template_id", message.template_id},
          {"language", message.language},
          {"accepted_at", core::FormatRfc3339(message.accepted_at)},
          {"delivery_status", DeliveryStatusName(message.outcome)},
          {"report", ReportStateName(message.report)},
          {"report_attempts", message.report_attempts}};
}

Json StatsJson(const ProviderStats& stats) {
  return {{"received", stats.received},
          {"accepted", stats.accepted},
          {"duplicates", stats.duplicates},
          {"unauthorized", stats.unauthorized},
          {"bad_request", stats.bad_request},
          {"rejected_rate_limited", stats.rejected_rate_limited},
          {"failed_injected", stats.failed_injected},
          {"reports_sent", stats.reports_sent},
          {"reports_lost", stats.reports_lost},
          {"replies_sent", stats.replies_sent},
          {"replies_lost", stats.replies_lost}};
}

}  // namespace

ProviderHttp::ProviderHttp(Simulator& simulator, HttpSettings settings)
    : simulator_(simulator),
      server_({.name = "provider simulator",
               .worker_threads = settings.worker_threads,
               .max_body_bytes = settings.max_body_bytes,
               .keep_alive_max_requests = settings.keep_alive_max_requests,
               .keep_alive_timeout = settings.keep_alive_timeout}) {
  AddRoutes();
}

ProviderHttp::~ProviderHttp() { Stop(); }

void ProviderHttp::AddRoutes() {
  const std::string name = kName;
  // The message route first: it is the one under load, and routes are tried in order.
  server_.Post("/providers/(" + name + ")/v1/messages",
               [this](const HttpRequest& r) { return PostMessage(r); });
  server_.Put("/control/providers/(" + name + ")/faults",
              [this](const HttpRequest& r) { return PutFaults(r); });
  server_.Get("/control/providers/(" + name + ")/faults",
              [this](const HttpRequest& r) { return GetFaults(r); });
  server_.Post("/control/providers/(" + name + ")/replies",
               [this](const HttpRequest& r) { return PostReply(r); });
  server_.Get("/control/messages", [this](const HttpRequest& r) { return GetMessages(r); });
  server_.Delete("/control/messages", [this](const HttpRequest&) { return DeleteMessages(); });
  server_.Get("/control/stats", [this](const HttpRequest&) { return GetStats(); });
  server_.Delete("/control/stats", [this](const HttpRequest&) { return DeleteStats(); });
  for (const char* path : {"/healthz", "/readyz"}) {
    server_.Get(path, [](const HttpRequest&) { return HttpReply::JsonText(R"({"status":"ok"})"); });
  }
}

core::Status ProviderHttp::Start(const std::string& listen_address) {
  return server_.Start(listen_address);
}

void ProviderHttp::Stop() {
  {
    std::lock_guard lock(wait_mutex_);
    stopping_ = true;
  }
  wait_cv_.notify_all();
  server_.Stop();
}

void ProviderHttp::Wait(std::chrono::milliseconds latency) const {
  if (latency <= std::chrono::milliseconds::zero()) return;
  std::unique_lock lock(wait_mutex_);
  wait_cv_.wait_for(lock, latency, [this] { return stopping_; });
}

HttpReply ProviderHttp::PostMessage(const HttpRequest& request) const {
  const std::string& provider = request.path_params.at(0);
  const SubmitOutcome outcome =
      simulator_.Submit(provider, request.Header("Authorization"), request.body);
  if (outcome.kind == SubmitOutcome::Kind::kAccepted && logging::Enabled(logging::Level::kDebug)) {
    // Never the recipient or the text.
    logging::Debug("message accepted",
                   {{"provider", provider}, {"provider_message_id", outcome.provider_message_id}});
  }
  Wait(outcome.latency);
  return OutcomeReply(outcome);
}

HttpReply ProviderHttp::PutFaults(const HttpRequest& request) const {
  const std::string& provider = request.path_params.at(0);
  auto faults = ParseFaults(request.body, simulator_.default_faults());
  if (!faults) return ErrorReply(400, "INVALID_ARGUMENT", faults.error().message);
  Json shown = FaultsJson(*faults);
  simulator_.SetFaults(provider, std::move(faults).value());
  logging::Info("faults set", {{"provider", provider}, {"faults", Dump(shown)}});
  return HttpReply::JsonText(Dump(shown));
}

HttpReply ProviderHttp::GetFaults(const HttpRequest& request) const {
  return HttpReply::JsonText(Dump(FaultsJson(simulator_.Faults(request.path_params.at(0)))));
}

HttpReply ProviderHttp::PostReply(const HttpRequest& request) const {
  const std::string& provider = request.path_params.at(0);
  const Json body = Json::parse(request.body, nullptr, false);
  const auto text_of = [&](const char* key) -> std::string {
    if (!body.is_object()) return {};
    const auto found = body.find(key);
    return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  const std::string provider_message_id = text_of("provider_message_id");
  if (!body.is_object() || body.size() != 2 || provider_message_id.empty() ||
      !body.contains("text")) {
    return ErrorReply(400, "INVALID_ARGUMENT",
                      "reply body: exactly \"provider_message_id\" and \"text\", both strings");
  }
  auto reply = simulator_.Reply(provider, provider_message_id, text_of("text"));
  if (!reply) return HttpReply::Error(reply.error());  // 404, 409 or 400
  logging::Info("reply scheduled", {{"provider", provider}, {"reply_id", *reply}});
  return HttpReply::JsonText(Dump({{"reply_id", *reply}}), 202);
}

HttpReply ProviderHttp::GetMessages(const HttpRequest& request) const {
  const auto after = CountParameter(request, "after", 0, UINT64_MAX);
  const auto limit = CountParameter(request, "limit", kDefaultMessagesPerPage, kMaxMessagesPerPage);
  if (!after || !limit) {
    return ErrorReply(400, "INVALID_ARGUMENT",
                      "\"after\" must be a whole number and \"limit\" one in 0.." +
                          std::to_string(kMaxMessagesPerPage));
  }
  const std::string provider = request.Query("provider");
  const auto messages = simulator_.Messages(*after, provider, *limit);
  Json list = Json::array();
  for (const RecordedMessage& message : messages) list.push_back(MessageJson(message));
  const uint64_t next_after = messages.empty() ? *after : messages.back().seq;
  return HttpReply::JsonText(Dump({{"messages", std::move(list)}, {"next_after", next_after}}));
}

HttpReply ProviderHttp::DeleteMessages() const {
  const std::size_t cleared = simulator_.ClearMessages();
  logging::Info("recorded messages cleared", {{"messages", cleared}});
  return HttpReply::JsonText(Dump({{"messages_cleared", cleared}}));
}

HttpReply ProviderHttp::GetStats() const {
  const Simulator::Stats stats = simulator_.GetStats();
  Json providers = Json::object();
  for (const auto& [name, counters] : stats.providers) providers[name] = StatsJson(counters);
  return HttpReply::JsonText(Dump({{"providers", std::move(providers)},
                                   {"messages_kept", stats.messages_kept},
                                   {"messages_dropped", stats.messages_dropped},
                                   {"last_seq", stats.last_seq},
                                   {"reports_pending", stats.reports_pending}}));
}

HttpReply ProviderHttp::DeleteStats() const {
  simulator_.ResetStats();
  return HttpReply::JsonText("{}");
}

}  // namespace gridcare::provider_sim
