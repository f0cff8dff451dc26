#pragma once
// The workload of the complaint benchmark: intake's ticket_opened events for the case types, as
// intake publishes them (services/intake/intake_core.cpp, IntakeCore::Open: key and ce_subject the
// ticket id, ce_id derived from the request id, the identified customer's supply point, address,
// tags, area class and tenant, the ticket's SLA clocks), for customers of the synthetic utility,
// with customers' words that the shipped routing rules send to every department (and some that
// no rule routes: the service-dispatch centre's pool).

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/sla/calendar.h"
#include "gridcare/sla/clocks.h"
#include "gridcare/sla/standards.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::bench {

struct CaseText {
  v1::RequestType type;
  v1::Language language;
  const char* text;
};

// The customers' words, by the department the shipped routing-rules.json sends them to (noted
// above each group). TicketFactory picks a complaint text for 80% of the tickets, one of the
// others (reports, opinions, suggestions, praise) for the rest.
inline const std::vector<CaseText>& CaseTexts() {
  using v1::LANGUAGE_EN;
  using v1::LANGUAGE_ZH_CN;
  static const std::vector<CaseText> texts = {
      // marketing (billing keywords)
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN,
       "这个月电费比平时高了一倍，肯定是估抄的，要求核查"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "抄表员根本没有上门，电量是估出来的，多收了钱"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "阶梯电价算错了，要求退费"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "已经缴费了还提示欠费，还被催缴"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_EN,
       "My bill doubled this month; the meter reading was estimated"},
      // metering
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "换表后电表走得快，用电没变多电费却翻倍"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "怀疑电表不准，申请校验电表，一直没人处理"},
      // operations
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "我们小区经常停电，这个月已经停了五次"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "报修了三次都没人来，抢修太慢了"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "晚上电压低，空调都启动不了"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_EN,
       "The power keeps going off in our street and the repair crew is slow"},
      // customer service
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "营业厅工作人员态度恶劣，问什么都不理人"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "打95598排队半小时，转了三次还是推诿"},
      // construction
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "施工队挖路把我家门口的水管挖坏了没人管"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "新立的电线杆挡住了我家车库门口"},
      // the pool: no rule routes these
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "对上次的处理结果很不满意，我要投诉"},
      {v1::REQUEST_TYPE_COMPLAINT, LANGUAGE_ZH_CN, "短信通知乱发，一天收到十几条"},
      // reports (safety supervision)
      {v1::REQUEST_TYPE_REPORT, LANGUAGE_ZH_CN, "隔壁工厂私拉电线偷电，晚上机器一直在响"},
      {v1::REQUEST_TYPE_REPORT, LANGUAGE_ZH_CN, "抄表员上门索要好处费，不给就说要停电"},
      // opinions and suggestions
      {v1::REQUEST_TYPE_OPINION, LANGUAGE_ZH_CN, "计划停电的通知太晚了，应该提前一周告诉我们"},
      {v1::REQUEST_TYPE_OPINION, LANGUAGE_ZH_CN, "希望营业厅周末也能办理业务"},
      {v1::REQUEST_TYPE_SUGGESTION, LANGUAGE_ZH_CN, "建议在小区里多装几个电动车充电桩"},
      {v1::REQUEST_TYPE_SUGGESTION, LANGUAGE_EN, "Please let us pay the bill by instalments"},
      // praise (customer service)
      {v1::REQUEST_TYPE_PRAISE, LANGUAGE_ZH_CN, "感谢师傅们冒雨连夜把电修好，辛苦了"},
  };
  return texts;
}

class TicketFactory {
 public:
  // `standards` and `calendar` give the ticket's SLA clocks as intake computes them; both outlive
  // the factory.
  TicketFactory(const synth::Utility& utility, const sla::ServiceStandards& standards,
                const sla::WorkingCalendar& calendar, uint64_t seed, std::string run_id)
      : utility_(utility),
        standards_(standards),
        calendar_(calendar),
        random_(seed),
        run_id_(std::move(run_id)) {
    for (size_t i = 0; i < CaseTexts().size(); ++i) {
      const auto type = CaseTexts()[i].type;
      (type == v1::REQUEST_TYPE_COMPLAINT ? complaints_ : others_).push_back(i);
    }
  }

  // "GC-<yyyymmdd>-<9 digits>": intake's format with room for a million tickets per run.
  static std::string TicketId(const std::string& day, int64_t seq) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "GC-%s-%09lld", day.c_str(), static_cast<long long>(seq));
    return buffer;
  }

  // Ticket `seq` for customer `customer` (an index of the utility), opened at `opened_at`.
  v1::Ticket Ticket(int64_t seq, int64_t customer, core::TimePoint opened_at) {
    const auto& pick = CaseTexts()[Uniform() < 0.8 ? complaints_[Index(complaints_.size())]
                                                   : others_[Index(others_.size())]];
    utility_.FillCustomer(customer, &customer_);
    v1::Ticket ticket;
    ticket.set_ticket_id(TicketId(Day(opened_at), seq));
    ticket.set_request_id("bench-" + run_id_ + "-" + std::to_string(seq));
    ticket.set_type(pick.type);
    ticket.set_state(v1::TICKET_STATE_OPEN);
    ticket.set_priority(Priority(pick.type));
    ticket.set_channel(Uniform() < 0.7 ? v1::CHANNEL_HOTLINE_AGENT : v1::CHANNEL_WECHAT);
    ticket.set_customer_id(customer_.customer_id());
    ticket.set_area_class(customer_.area_class());
    *ticket.mutable_supply() = customer_.supply();
    *ticket.mutable_location() = customer_.address();
    ticket.mutable_customer_tags()->CopyFrom(customer_.tags());
    ticket.set_tenant_id(customer_.tenant_id());
    ticket.set_text(pick.text);
    ticket.set_language(pick.language);
    ticket.set_contact_count(1);
    auto* classification = ticket.mutable_classification();
    classification->set_type(pick.type);
    classification->set_confidence(1.0);
    classification->set_from_channel(true);
    classification->add_matched_rules("channel:explicit_type");
    *ticket.mutable_opened_at() = sla::ToTimestamp(opened_at);
    *ticket.mutable_updated_at() = sla::ToTimestamp(opened_at);
    const sla::TicketFacts facts{pick.type, v1::SERVICE_APPLICATION_KIND_UNSPECIFIED,
                                 customer_.area_class(), customer_.account_type()};
    for (auto& clock : sla::ClocksFor(facts, opened_at, standards_, calendar_)) {
      *ticket.add_clocks() = std::move(clock);
    }
    return ticket;
  }

  // The ticket_opened record intake would publish for `ticket`.
  static kafka::OutgoingRecord Record(const v1::Ticket& ticket, core::TimePoint at) {
    v1::IntakeEvent event;
    *event.mutable_ticket_opened()->mutable_ticket() = ticket;
    const kafka::EventMetadata metadata{
        kafka::DeriveEventId("intake:" + ticket.request_id(), "ticket_opened"),
        "gridcare.ticket.opened.v1",
        "/gridcare/intake",
        ticket.ticket_id(),
        at,
        kafka::NewTraceparent()};
    return kafka::MakeRecord(std::string(kafka::kIntakeTopic), ticket.ticket_id(), metadata, event);
  }

 private:
  static std::string Day(core::TimePoint t) {
    const std::string rfc = core::FormatRfc3339(t);  // 2026-11-24T01:53:10.123Z
    return rfc.substr(0, 4) + rfc.substr(5, 2) + rfc.substr(8, 2);
  }
  v1::Priority Priority(v1::RequestType type) const {
    if (type != v1::REQUEST_TYPE_COMPLAINT) return v1::PRIORITY_NORMAL;
    for (const int tag : customer_.tags()) {
      if (tag == v1::CUSTOMER_TAG_IMPORTANT || tag == v1::CUSTOMER_TAG_SENSITIVE) {
        return v1::PRIORITY_HIGH;
      }
    }
    return v1::PRIORITY_NORMAL;
  }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(random_); }
  size_t Index(size_t size) { return std::uniform_int_distribution<size_t>(0, size - 1)(random_); }

  const synth::Utility& utility_;
  const sla::ServiceStandards& standards_;
  const sla::WorkingCalendar& calendar_;
  std::mt19937_64 random_;
  std::string run_id_;
  std::vector<size_t> complaints_;
  std::vector<size_t> others_;
  v1::Customer customer_;
};

}  // namespace gridcare::bench
