#pragma once
// The realistic request mix the intake benchmarks send (bench/intake): the same records through
// Kafka to the real service, and in process to IntakeCore for the decision ceiling.

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::bench {

inline constexpr const char* kRequestIdPrefix = "bench-";  // bench-<run>-<phase>-<seq>

struct Texts {
  std::vector<const char*> fault = {"家里停电了，整栋楼都没电",
                                    "我家没电了",
                                    "小区停电了，电梯也停了",
                                    "突然断电了，邻居家也没有电",
                                    "家里没有电了，麻烦尽快来修",
                                    "我们这条街都停电了",
                                    "早上开始就没电了，冰箱里的东西要坏了"};
  std::vector<const char*> consultation = {"请问怎么交电费？可以用微信交吗",
                                           "怎么查询电费",
                                           "什么是阶梯电价",
                                           "营业厅几点开门",
                                           "电费发票怎么开",
                                           "预付费电表怎么充值",
                                           "户号在哪里查",
                                           "每个月什么时候抄表"};
  std::vector<const char*> complaint = {"我要投诉抄表员态度很差", "投诉你们的收费不合理",
                                        "我要投诉，报修了三次都没人来",
                                        "对营业厅服务很不满意，我要投诉"};
  std::vector<std::pair<v1::ServiceApplicationKind, const char*>> application = {
      {v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, "我家新房子要装电表开户"},
      {v1::SERVICE_APPLICATION_KIND_CAPACITY_CHANGE, "家里电不够用，申请增容"},
      {v1::SERVICE_APPLICATION_KIND_METER_CHECK, "怀疑电表不准，申请校验电表"},
      {v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER, "买了二手房，办理电费过户"}};
  std::vector<const char*> urging = {"停电两个小时了怎么还没人来修，催一下",
                                     "报修好久了还没人来，请催一下", "怎么还没来修，快点派人来"};
};

// Mix (of all requests): 60% fault repair (half by customer id, half by caller phone, across the
// fixture's customers), 20% consultations, 10% complaints, 5% applications, 5% urgings by
// customers who reported a fault earlier in the run.
class RequestFactory {
 public:
  RequestFactory(const synth::Utility& utility, uint64_t seed, std::string run_id)
      : utility_(utility), random_(seed), run_id_(std::move(run_id)) {}

  static std::string RequestId(const std::string& run_id, int phase, int64_t seq) {
    return std::string(kRequestIdPrefix) + run_id + "-" + std::to_string(phase) + "-" +
           std::to_string(seq);
  }

  kafka::OutgoingRecord Make(int phase, int64_t seq) {
    v1::ServiceRequest request;
    request.set_request_id(RequestId(run_id_, phase, seq));
    request.set_language(v1::LANGUAGE_ZH_CN);
    *request.mutable_received_at() =
        google::protobuf::util::TimeUtil::MillisecondsToTimestamp(core::ToUnixMillis(clock_.Now()));
    const double kind = Uniform();
    const int64_t customer = Customer();
    std::string key = utility_.CustomerId(customer);
    if (kind < 0.60) {
      const bool by_phone = Uniform() < 0.5;
      if (by_phone) {
        request.set_channel(Uniform() < 0.5 ? v1::CHANNEL_HOTLINE_IVR : v1::CHANNEL_HOTLINE_AGENT);
        request.mutable_customer()->set_phone(utility_.PrimaryPhone(customer));
        // The IVR menu's "power failure" choice: the channel knows the type.
        if (request.channel() == v1::CHANNEL_HOTLINE_IVR) {
          request.set_explicit_type(v1::REQUEST_TYPE_FAULT_REPAIR);
        }
        key = request.request_id();  // never a phone in a key (docs/events.md)
      } else {
        request.set_channel(Uniform() < 0.5 ? v1::CHANNEL_MOBILE_APP : v1::CHANNEL_WECHAT);
        request.mutable_customer()->set_customer_id(utility_.CustomerId(customer));
        faulted_.push_back(customer);
      }
      request.set_text(Pick(texts_.fault));
    } else if (kind < 0.80) {
      request.set_channel(Uniform() < 0.5 ? v1::CHANNEL_WECHAT : v1::CHANNEL_WEB);
      if (Uniform() < 0.5) {
        request.mutable_customer()->set_customer_id(utility_.CustomerId(customer));
      } else {
        key = request.request_id();  // an anonymous question
      }
      request.set_text(Pick(texts_.consultation));
    } else if (kind < 0.90) {
      request.set_channel(v1::CHANNEL_HOTLINE_AGENT);
      request.set_explicit_type(v1::REQUEST_TYPE_COMPLAINT);
      request.mutable_customer()->set_customer_id(utility_.CustomerId(customer));
      request.set_text(Pick(texts_.complaint));
    } else if (kind < 0.95) {
      request.set_channel(v1::CHANNEL_MOBILE_APP);
      request.set_explicit_type(v1::REQUEST_TYPE_SERVICE_APPLICATION);
      const auto& [application_kind, text] = texts_.application[Index(texts_.application.size())];
      request.set_application_kind(application_kind);
      request.set_text(text);
      request.mutable_customer()->set_customer_id(utility_.CustomerId(customer));
    } else {
      const int64_t chaser = faulted_.empty() ? customer : faulted_[Index(faulted_.size())];
      request.set_channel(v1::CHANNEL_HOTLINE_IVR);
      request.mutable_customer()->set_customer_id(utility_.CustomerId(chaser));
      request.set_text(Pick(texts_.urging));
      key = utility_.CustomerId(chaser);
    }

    v1::RequestEvent event;
    *event.mutable_submitted() = std::move(request);
    const auto& submitted = event.submitted();
    kafka::EventMetadata metadata{"ce-" + submitted.request_id(),
                                  "gridcare.request.submitted.v1",
                                  "/gridcare/adapters/bench",
                                  submitted.request_id(),
                                  clock_.Now(),
                                  kafka::NewTraceparent()};
    return kafka::MakeRecord(std::string(kafka::kRequestsTopic), key, metadata, event);
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(random_); }
  size_t Index(size_t size) { return std::uniform_int_distribution<size_t>(0, size - 1)(random_); }
  int64_t Customer() {
    return std::uniform_int_distribution<int64_t>(0, utility_.customer_count() - 1)(random_);
  }
  const char* Pick(const std::vector<const char*>& list) { return list[Index(list.size())]; }

  const synth::Utility& utility_;
  std::mt19937_64 random_;
  std::string run_id_;
  core::SystemClock clock_;
  Texts texts_;
  std::vector<int64_t> faulted_;
};

}  // namespace gridcare::bench
