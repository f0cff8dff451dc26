#include "intake_walkthrough.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "gridcare/core/ids.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/consumer.h"
#include "gridcare/kafka/producer.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/privacy.h"
#include "gridcare/rpc/client.h"
#include "gridcare/v1/intake.grpc.pb.h"

namespace gridcare::scenario {
namespace {

using namespace std::chrono_literals;
namespace v1 = gridcare::v1;

struct Tally {
  int opened = 0, attached = 0, answered = 0, rejected = 0;
};

std::string Short(v1::RequestType type) { return v1::RequestType_Name(type).substr(13); }

std::string DueIn(const v1::Ticket& ticket) {
  if (ticket.clocks_size() == 0) return "no clock";
  const auto& clock = ticket.clocks(0);
  const auto minutes = (clock.due_at().seconds() - clock.starts_at().seconds()) / 60;
  std::string kind = v1::ServiceClock::Kind_Name(clock.kind()).substr(5);
  if (clock.working_days()) {
    const auto local = google::protobuf::util::TimeUtil::ToString(
        google::protobuf::util::TimeUtil::SecondsToTimestamp(clock.due_at().seconds() + 8 * 3600));
    return kind + " due " + local.substr(0, 16) + " (working days)";
  }
  return kind + " due in " + std::to_string(minutes) + " min";
}

void Print(const char* channel, const std::string& what, const v1::SubmitResponse& r, Tally& t) {
  if (r.replayed()) {
    std::printf("   %-14s %-34s -> the same answer again: ticket %s (replayed, nothing new)\n",
                channel, what.c_str(), r.ticket_id().c_str());
    return;
  }
  switch (r.outcome()) {
    case v1::SubmitResponse::OUTCOME_TICKET_OPENED:
      ++t.opened;
      std::printf("   %-14s %-34s -> ticket %s %s %s, %s\n", channel, what.c_str(),
                  r.ticket_id().c_str(), Short(r.ticket().type()).c_str(),
                  v1::Priority_Name(r.ticket().priority()).substr(9).c_str(),
                  DueIn(r.ticket()).c_str());
      break;
    case v1::SubmitResponse::OUTCOME_CONTACT_ADDED:
      ++t.attached;
      std::printf("   %-14s %-34s -> attached to %s (urgings %d, contacts %d, priority %s)\n",
                  channel, what.c_str(), r.ticket_id().c_str(), r.ticket().urging_count(),
                  r.ticket().contact_count(),
                  v1::Priority_Name(r.ticket().priority()).substr(9).c_str());
      break;
    case v1::SubmitResponse::OUTCOME_CONSULTATION_ANSWERED:
      ++t.answered;
      std::printf("   %-14s %-34s -> answered at once: %.60s...\n", channel, what.c_str(),
                  r.answer().zh_cn().c_str());
      break;
    default:
      break;
  }
  for (const auto& document : r.required_documents()) {
    std::printf("   %-14s %-34s    bring: %s\n", "", "", document.zh_cn().c_str());
  }
}

}  // namespace

bool RunIntakeWalkthrough(const std::map<std::string, std::string>& endpoints,
                          const synth::Utility& utility) {
  auto find = [&](const char* key) {
    auto it = endpoints.find(key);
    return it == endpoints.end() ? std::string() : it->second;
  };
  const std::string target = find("GRIDCARE_INTAKE_GRPC");
  const std::string bootstrap = find("GRIDCARE_KAFKA_BOOTSTRAP_SERVERS");
  if (target.empty()) {
    std::printf("   (intake is not running; skipped)\n");
    return true;
  }
  auto stub = v1::IntakeService::NewStub(rpc::MakeChannel(target));
  core::SystemClock clock;
  core::UuidV7Generator ids(clock);
  const std::string run = ids.NewId().substr(0, 8);
  Tally tally;
  auto request = [&](const std::string& label, v1::Channel channel, const std::string& text) {
    v1::ServiceRequest r;
    r.set_request_id("DEMO-" + run + "-" + label);
    r.set_channel(channel);
    r.set_text(text);
    r.set_language(v1::LANGUAGE_ZH_CN);
    *r.mutable_received_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    return r;
  };
  auto submit = [&](const char* channel, const std::string& what, const v1::ServiceRequest& r,
                    v1::SubmitResponse* out) {
    grpc::ClientContext context;
    rpc::SetDeadline(context, 10s);
    v1::SubmitRequest submit_request;
    *submit_request.mutable_request() = r;
    auto status = stub->Submit(&context, submit_request, out);
    if (status.ok()) {
      Print(channel, what, *out, tally);
    } else {
      ++tally.rejected;
      std::printf("   %-14s %-34s -> rejected: %s\n", channel, what.c_str(),
                  status.error_message().c_str());
    }
    return status;
  };

  const auto caller = utility.CustomerAt(utility.customer_count() / 2);
  v1::SubmitResponse response;
  auto fault = request("fault", v1::CHANNEL_HOTLINE_IVR, "家里突然停电了，邻居家也没电");
  fault.mutable_customer()->set_phone(caller.phones(0));
  if (!submit("hotline IVR", "\"家里突然停电了\" (caller id)", fault, &response).ok()) return false;
  const std::string fault_ticket = response.ticket_id();
  for (int i = 1; i <= 2; ++i) {
    auto urge = request("urge-" + std::to_string(i), v1::CHANNEL_WECHAT,
                        "都一个小时了怎么还没人来修？催一下");
    urge.mutable_customer()->set_customer_id(caller.customer_id());
    if (!submit("WeChat", "\"怎么还没人来修？催一下\"", urge, &response).ok()) return false;
  }
  auto again = fault;  // the IVR retries the same request id
  submit("hotline IVR", "(the same request id, retried)", again, &response);
  if (!response.replayed() || response.ticket_id() != fault_ticket) return false;

  auto question = request("consult", v1::CHANNEL_WECHAT, "请问电费可以在网上交吗？怎么交");
  question.mutable_customer()->set_customer_id(utility.CustomerId(7));
  submit("WeChat", "\"电费可以在网上交吗？\"", question, &response);
  auto application = request("newconn", v1::CHANNEL_MOBILE_APP, "新买的房子要申请装电表");
  application.mutable_customer()->set_customer_id(utility.CustomerId(8));
  submit("app", "\"新房子要申请装电表\"", application, &response);
  auto complaint = request("complaint", v1::CHANNEL_SERVICE_HALL,
                           "我要投诉，上个月电费突然翻倍，营业员态度很差");
  complaint.mutable_customer()->set_customer_id(utility.CustomerId(9));
  submit("service hall", "\"我要投诉...营业员态度很差\"", complaint, &response);
  auto stranger = request("unknown", v1::CHANNEL_WEB, "我要投诉抄表员");
  stranger.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
  stranger.mutable_customer()->set_customer_id("0000000000");
  submit("web", "complaint, unknown account", stranger, &response);

  // Asynchronous adapters: SMS and the smart-meter head-end publish on gridcare.requests.v1.
  if (!bootstrap.empty()) {
    auto producer =
        kafka::KafkaProducer::Create({bootstrap, "gridcare-scenario-adapters", {}}, nullptr);
    if (!producer) return false;
    std::mutex mutex;
    std::map<std::string, std::string> outcomes;  // request id -> what happened
    prometheus::Registry registry;
    metrics::StageMetrics metrics(registry, "scenario");
    kafka::RecordingPublisher unused;
    kafka::FunctionHandler reader([&](const kafka::ConsumedMessage& m) {
      v1::IntakeEvent event;
      if (!event.ParseFromString(m.value)) return kafka::HandleResult::Done();
      std::lock_guard lock(mutex);
      if (event.has_ticket_opened()) {
        const auto& t = event.ticket_opened().ticket();
        outcomes[t.request_id()] = "ticket " + t.ticket_id() + " " + Short(t.type()) + " " +
                                   v1::Priority_Name(t.priority()).substr(9) + ", " + DueIn(t);
      } else if (event.has_request_rejected()) {
        outcomes[event.request_rejected().request_id()] =
            "rejected: " + v1::RejectionReason_Name(event.request_rejected().reason());
      }
      return kafka::HandleResult::Done();
    });
    kafka::ConsumerSettings settings;
    settings.bootstrap_servers = bootstrap;
    settings.group_id = "scenario-" + run;
    settings.topics = {std::string(kafka::kIntakeTopic)};
    settings.extra = {{"auto.offset.reset", "latest"}};
    kafka::ConsumerLoop loop(settings, reader, unused, nullptr, metrics, clock);
    if (!loop.Start().ok()) return false;
    std::thread thread([&] { loop.Run(); });
    // Wait until the reader owns its partitions so "latest" does not skip our outcomes.
    for (int i = 0; i < 200 && loop.assigned_partitions() == 0; ++i)
      std::this_thread::sleep_for(50ms);

    const auto neighbour = utility.CustomerAt(utility.customer_count() / 2 + 1);
    auto sms = request("sms", v1::CHANNEL_SMS, "电压不稳，灯一直闪");
    sms.mutable_customer()->set_customer_id(neighbour.customer_id());
    const auto metered = utility.CustomerAt(utility.customer_count() - 3);
    auto gasp = request("lastgasp", v1::CHANNEL_METER_HEAD_END, "");
    gasp.set_meter_signal(v1::METER_SIGNAL_LAST_GASP);
    gasp.mutable_customer()->set_meter_number(metered.meter_number());
    const std::pair<const char*, v1::ServiceRequest*> published[] = {{"SMS", &sms},
                                                                     {"meter head-end", &gasp}};
    for (const auto& [channel, r] : published) {
      v1::RequestEvent event;
      *event.mutable_submitted() = *r;
      kafka::EventMetadata metadata{ids.NewId(),
                                    "gridcare.request.submitted.v1",
                                    "/gridcare/adapters/scenario",
                                    r->request_id(),
                                    clock.Now(),
                                    ""};
      const std::string key =
          r->customer().customer_id().empty() ? r->request_id() : r->customer().customer_id();
      if (!(*producer)
               ->PublishAndWait(
                   kafka::MakeRecord(std::string(kafka::kRequestsTopic), key, metadata, event), 10s)
               .ok()) {
        return false;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mutex);
        if (outcomes.count(sms.request_id()) && outcomes.count(gasp.request_id())) break;
      }
      std::this_thread::sleep_for(100ms);
    }
    loop.Stop();
    thread.join();
    for (const auto& [channel, r] : published) {
      const auto it = outcomes.find(r->request_id());
      const std::string what = r->channel() == v1::CHANNEL_SMS ? "\"电压不稳，灯一直闪\" (topic)"
                                                               : "last gasp of a meter (topic)";
      std::printf("   %-14s %-34s -> %s\n", channel, what.c_str(),
                  it == outcomes.end() ? "NO OUTCOME within 30 s" : it->second.c_str());
      if (it == outcomes.end()) return false;
      if (it->second.rfind("ticket", 0) == 0) ++tally.opened;
    }
  }

  grpc::ClientContext context;
  rpc::SetDeadline(context, 5s);
  v1::TrackRequest track;
  track.set_ticket_id(fault_ticket);
  v1::TrackResponse where;
  if (stub->Track(&context, track, &where).ok()) {
    std::printf("\n   \"Where is my request?\" (IntakeService.Track %s):\n", fault_ticket.c_str());
    for (const auto& step : where.timeline()) {
      std::printf("   - %s  %s\n",
                  google::protobuf::util::TimeUtil::ToString(step.at()).substr(11, 8).c_str(),
                  step.description().zh_cn().c_str());
    }
  }
  std::printf(
      "\n   tickets opened %d, urgings/repeats attached %d, answered at once %d, "
      "rejected %d\n",
      tally.opened, tally.attached, tally.answered, tally.rejected);
  return tally.opened >= 4 && tally.attached >= 2 && tally.answered >= 1 && tally.rejected >= 1;
}

}  // namespace gridcare::scenario
