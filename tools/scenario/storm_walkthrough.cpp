#include "storm_walkthrough.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "gridcare/core/clock.h"
#include "gridcare/core/ids.h"
#include "gridcare/core/text.h"
#include "gridcare/logging/privacy.h"
#include "gridcare/rpc/client.h"
#include "gridcare/synth/storm.h"
#include "gridcare/v1/dispatch.grpc.pb.h"
#include "gridcare/v1/intake.grpc.pb.h"
#include "notice_summary.h"

namespace gridcare::scenario {
namespace {

using namespace std::chrono_literals;

const char* LevelName(v1::IncidentLevel level) {
  switch (level) {
    case v1::INCIDENT_LEVEL_SINGLE_CUSTOMER:
      return "single customer";
    case v1::INCIDENT_LEVEL_TRANSFORMER:
      return "transformer area";
    case v1::INCIDENT_LEVEL_FEEDER:
      return "10 kV feeder";
    default:
      return "incident";
  }
}

std::string StateName(v1::IncidentState state) {
  return core::AsciiLower(v1::IncidentState_Name(state).substr(15));  // after INCIDENT_STATE_
}

std::string BeijingTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0) return "-";
  const auto text = google::protobuf::util::TimeUtil::ToString(
      google::protobuf::util::TimeUtil::SecondsToTimestamp(t.seconds() + 8 * 3600));
  return text.substr(11, 5);
}

}  // namespace

bool RunStormWalkthrough(const std::map<std::string, std::string>& endpoints,
                         const synth::Utility& utility) {
  auto find = [&](const char* key) {
    auto it = endpoints.find(key);
    return it == endpoints.end() ? std::string() : it->second;
  };
  const std::string intake_target = find("GRIDCARE_INTAKE_GRPC");
  const std::string dispatch_target = find("GRIDCARE_DISPATCH_GRPC");
  if (intake_target.empty() || dispatch_target.empty()) {
    std::printf("   (intake or dispatch is not running; skipped)\n");
    return true;
  }
  std::printf("   Dispatch console (open it in a browser now): %s\n",
              find("GRIDCARE_DISPATCH_CONSOLE").c_str());
  auto intake = v1::IntakeService::NewStub(rpc::MakeChannel(intake_target));
  auto console = v1::DispatchConsoleService::NewStub(rpc::MakeChannel(dispatch_target));

  synth::FeederStormSpec spec;
  spec.seed = 2026;
  spec.transformer_areas = 3;
  spec.calls_per_transformer = 8;
  spec.single_calls = 3;
  spec.duration = 15s;
  auto plan = synth::PlanFeederStorm(utility, spec);
  if (!plan) {
    std::printf("   cannot plan a storm: %s\n", plan.error().ToString().c_str());
    return false;
  }
  const auto* feeder = utility.network().FindFeeder(plan->feeder_id);
  std::printf(
      "   A thunderstorm trips %s (%s). Customers on %zu of its transformer areas call "
      "95598 within %lld s; %zu customers elsewhere lose power for unrelated reasons.\n",
      plan->feeder_id.c_str(), feeder ? feeder->name.c_str() : "", plan->transformer_ids.size(),
      static_cast<long long>(spec.duration.count() / 1000), plan->single_calls.size());

  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const std::string run = ids.NewId().substr(0, 8);
  struct Call {
    std::chrono::milliseconds after;
    int64_t customer;
    bool storm;
  };
  std::vector<Call> calls;
  for (const auto& c : plan->feeder_calls) calls.push_back({c.after, c.customer_index, true});
  for (const auto& c : plan->single_calls) calls.push_back({c.after, c.customer_index, false});
  std::stable_sort(calls.begin(), calls.end(),
                   [](const Call& a, const Call& b) { return a.after < b.after; });

  std::vector<std::string> tickets;
  std::set<std::string> caller_phones;
  const auto started = std::chrono::steady_clock::now();
  int sequence = 0;
  for (const auto& call : calls) {
    std::this_thread::sleep_until(started + call.after);
    const auto customer = utility.CustomerAt(call.customer);
    v1::SubmitRequest submit;
    auto* request = submit.mutable_request();
    request->set_request_id("STORM-" + run + "-" + std::to_string(++sequence));
    request->set_channel(sequence % 3 == 0 ? v1::CHANNEL_WECHAT : v1::CHANNEL_HOTLINE_IVR);
    request->mutable_customer()->set_phone(customer.phones(0));
    if (utility.CustomersSharingPhoneWith(call.customer).size() > 1) {
      request->mutable_customer()->set_customer_id(customer.customer_id());  // agent asked
    }
    request->set_text(call.storm ? "打雷后整片都停电了，邻居家也没电" : "家里突然没电了，空开没跳");
    request->set_language(v1::LANGUAGE_ZH_CN);
    *request->mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::SubmitResponse response;
    const auto status = intake->Submit(&context, submit, &response);
    if (!status.ok()) {
      std::printf("   call %2d rejected: %s\n", sequence, status.error_message().c_str());
      return false;
    }
    tickets.push_back(response.ticket_id());
    caller_phones.insert(customer.phones(0));
    std::printf("   %5.1f s  call %2d  %s  %-24s -> %s\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                sequence, logging::MaskPhone(customer.phones(0)).c_str(),
                customer.supply().transformer_id().c_str(), response.ticket_id().c_str());
  }

  std::printf(
      "\n   Following dispatch and the crews until every ticket is restored "
      "(crews are simulated at 60x: one real second is a minute on the road):\n");
  std::string last;
  std::set<std::string> restored_incidents;
  const auto deadline = std::chrono::steady_clock::now() + 6min;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string frame;
    {
      grpc::ClientContext context;
      rpc::SetDeadline(context, 5s);
      v1::ListOpenIncidentsResponse incidents;
      if (console->ListOpenIncidents(&context, {}, &incidents).ok()) {
        for (const auto& incident : incidents.incidents()) {
          char line[320];
          std::snprintf(line, sizeof line, "   %-30s %-16s %3d calls  %-9s crew %-12s ERT %s\n",
                        incident.incident_id().c_str(), LevelName(incident.level()),
                        incident.call_count(), StateName(incident.state()).c_str(),
                        incident.crew_id().empty() ? "-" : incident.crew_id().c_str(),
                        BeijingTime(incident.estimated_restoration_at()).c_str());
          frame += line;
        }
      }
    }
    int resolved = 0;
    std::map<std::string, std::string> causes;
    for (const auto& ticket : tickets) {
      grpc::ClientContext context;
      rpc::SetDeadline(context, 5s);
      v1::TrackRequest request;
      request.set_ticket_id(ticket);
      v1::TrackResponse tracked;
      if (!intake->Track(&context, request, &tracked).ok()) continue;
      if (tracked.ticket().state() == v1::TICKET_STATE_RESOLVED) {
        ++resolved;
        const auto& steps = tracked.timeline();
        if (!steps.empty())
          causes[tracked.ticket().owner_reference()] = steps[steps.size() - 1].description().en();
      }
    }
    for (const auto& [incident, cause] : causes) {
      if (restored_incidents.insert(incident).second) {
        frame += "   restored: " + incident + " — " + cause + "\n";
      }
    }
    if (frame != last) {
      std::printf("   --- %zu/%zu tickets restored\n%s", static_cast<size_t>(resolved),
                  tickets.size(), frame.c_str());
      last = frame;
    }
    if (resolved == static_cast<int>(tickets.size())) {
      std::printf(
          "   Every caller's ticket is restored with its cause: %zu calls became %zu "
          "crew jobs.\n",
          tickets.size(), restored_incidents.size());
      return PrintNoticeSummary(endpoints, caller_phones) &&
             ShowReplyToRestoration(endpoints, caller_phones, *intake);
    }
    std::this_thread::sleep_for(3s);
  }
  std::printf(
      "   not every ticket was restored within 6 minutes: is gridcare-crew-sim running "
      "(deploy/local/stack.sh status)?\n");
  return false;
}

}  // namespace gridcare::scenario
