#include "notice_summary.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "gridcare/logging/privacy.h"

namespace gridcare::scenario {
namespace {

struct Recorded {
  std::string to, text, template_id, language, status, provider, provider_message_id;
};

// Every recorded message, in acceptance order.
bool ReadMessages(httplib::Client& client, std::vector<Recorded>& out) {
  out.clear();
  long long after = 0;
  for (int page = 0; page < 1000; ++page) {
    auto reply = client.Get("/control/messages?limit=10000&after=" + std::to_string(after));
    if (!reply || reply->status != 200) return false;
    const auto body = nlohmann::json::parse(reply->body, nullptr, false);
    if (body.is_discarded()) return false;
    const auto& messages = body["messages"];
    for (const auto& m : messages) {
      out.push_back({m.value("to", ""), m.value("text", ""), m.value("template_id", ""),
                     m.value("language", ""), m.value("delivery_status", ""),
                     m.value("provider", ""), m.value("provider_message_id", "")});
    }
    if (messages.empty()) break;
    after = body.value("next_after", after);
  }
  return true;
}

// The SMS provider of the shipped delivery policy (services/notification/config).
constexpr char kSmsProvider[] = "sms-gateway";

bool IsOutageNotice(const Recorded& m) { return m.template_id.rfind("outage.", 0) == 0; }

std::optional<std::string> SimulatorUrl(const std::map<std::string, std::string>& endpoints) {
  const auto found = endpoints.find("GRIDCARE_PROVIDER_SIM_URL");
  if (found == endpoints.end() || found->second.empty()) return std::nullopt;
  std::string base = found->second;
  if (base.back() == '/') base.pop_back();
  return base;
}

// The ticket intake opened for request `request_id`, waiting up to 60 s.
std::optional<v1::TrackResponse> TrackRequest(v1::IntakeService::Stub& intake,
                                              const std::string& request_id) {
  for (int attempt = 0; attempt < 60; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::TrackRequest request;
    request.set_request_id(request_id);
    v1::TrackResponse tracked;
    if (intake.Track(&context, request, &tracked).ok()) return tracked;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  return std::nullopt;
}

}  // namespace

bool PrintNoticeSummary(const std::map<std::string, std::string>& endpoints,
                        const std::set<std::string>& caller_phones, int wait_seconds) {
  const auto base = SimulatorUrl(endpoints);
  if (!base) {
    std::printf("   (no provider simulator in the stack: notices skipped)\n");
    return true;
  }
  httplib::Client client(*base);
  client.set_tcp_nodelay(true);
  std::vector<Recorded> messages;
  size_t last_count = 0;
  int stable = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!ReadMessages(client, messages)) {
      std::printf("   cannot read the provider simulator at %s\n", base->c_str());
      return false;
    }
    size_t outage = 0;
    for (const auto& m : messages) outage += IsOutageNotice(m) ? 1 : 0;
    stable = outage > 0 && outage == last_count ? stable + 1 : 0;
    last_count = outage;
    if (stable >= 3) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::set<std::string> told, told_callers;
  std::map<std::string, int> by_template, by_status;
  const Recorded* sample_zh = nullptr;
  const Recorded* sample_en = nullptr;
  for (const auto& m : messages) {
    if (!IsOutageNotice(m)) continue;
    told.insert(m.to);
    if (caller_phones.contains(m.to)) told_callers.insert(m.to);
    ++by_template[m.template_id];
    ++by_status[m.status.empty() ? "waiting for a report" : m.status];
    if (m.template_id == "outage.started") {
      if (m.language == "en" && sample_en == nullptr) sample_en = &m;
      if (m.language != "en" && sample_zh == nullptr) sample_zh = &m;
    }
  }
  if (told.empty()) {
    std::printf("   no outage notice reached the providers: is the notification service up?\n");
    return false;
  }
  std::printf(
      "\n   Notices (read from the provider simulator): %zu customers of the outage were told "
      "by SMS, WeChat, app or voice — %zu of them had called, %zu had not.\n",
      told.size(), told_callers.size(), told.size() - told_callers.size());
  for (const auto& [template_id, count] : by_template) {
    std::printf("     %-26s %6d messages\n", template_id.c_str(), count);
  }
  if (sample_zh != nullptr) {
    std::printf("   Sample (zh-CN, to %s): %s\n", logging::MaskPhone(sample_zh->to).c_str(),
                sample_zh->text.c_str());
  }
  if (sample_en != nullptr) {
    std::printf("   Sample (en, to %s): %s\n", logging::MaskPhone(sample_en->to).c_str(),
                sample_en->text.c_str());
  }
  std::printf("   Delivery reports:");
  for (const auto& [status, count] : by_status) std::printf("  %s %d", status.c_str(), count);
  std::printf("\n");
  return true;
}

bool ShowReplyToRestoration(const std::map<std::string, std::string>& endpoints,
                            const std::set<std::string>& caller_phones,
                            v1::IntakeService::Stub& intake) {
  const auto base = SimulatorUrl(endpoints);
  if (!base) return true;
  httplib::Client client(*base);
  client.set_tcp_nodelay(true);
  std::vector<Recorded> messages;
  if (!ReadMessages(client, messages)) return false;
  const Recorded* restored = nullptr;
  for (const auto& m : messages) {
    if (m.template_id == "outage.restored" && m.provider == kSmsProvider && m.language != "en" &&
        !caller_phones.contains(m.to)) {
      restored = &m;
      break;
    }
  }
  if (restored == nullptr) {
    std::printf("   (no restoration SMS to a customer who had not called: reply skipped)\n");
    return true;
  }
  const std::string text = "还是没电，家里只有一半的灯亮";
  const nlohmann::json body = {{"provider_message_id", restored->provider_message_id},
                               {"text", text}};
  auto posted = client.Post("/control/providers/" + std::string(kSmsProvider) + "/replies",
                            body.dump(), "application/json");
  if (!posted || posted->status != 202) {
    std::printf("   the provider simulator did not take the reply (%s)\n",
                posted ? std::to_string(posted->status).c_str() : "no answer");
    return false;
  }
  const std::string reply_id =
      nlohmann::json::parse(posted->body, nullptr, false).value("reply_id", "");
  std::printf("\n   A customer who had not called answers the restoration SMS (from %s): \"%s\"\n",
              logging::MaskPhone(restored->to).c_str(), text.c_str());
  const auto tracked = TrackRequest(intake, "reply-" + std::string(kSmsProvider) + "-" + reply_id);
  if (!tracked) {
    std::printf("   intake opened no ticket for the reply within 60 s: is notification up?\n");
    return false;
  }
  const auto& ticket = tracked->ticket();
  const std::string about = ticket.referenced_incident_id().empty()
                                ? std::string("no incident named")
                                : "about " + ticket.referenced_incident_id();
  std::printf("   notification passed it to intake, which opened %s (%s, channel SMS)\n",
              ticket.ticket_id().c_str(), about.c_str());
  if (tracked->timeline_size() > 0) {
    std::printf("     %s\n     %s\n", tracked->timeline(0).description().zh_cn().c_str(),
                tracked->timeline(0).description().en().c_str());
  }
  return true;
}

}  // namespace gridcare::scenario
