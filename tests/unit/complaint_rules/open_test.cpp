// Opening cases: each case type (and what is not one), routing, senior handling, the incident
// link, the clocks a case starts with, the sampled fault-ticket return visits, and the contacts
// and urgings intake attaches to a case's ticket.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "rules_fixture.h"

namespace gridcare::complaint {
namespace {

using namespace test;
using Ev = v1::ComplaintEvent;
constexpr auto kContact = v1::ServiceClock::KIND_COMPLAINT_CONTACT;
constexpr auto kReply = v1::ServiceClock::KIND_COMPLAINT_REPLY;

TEST_CASE("every case type opens a routed case with its clocks", "[rules][open]") {
  const Rules rules;
  struct Row {
    v1::RequestType type;
    std::string text;
    std::string department;
    std::string rule;
    int reply_days;  // 0: no clocks
  };
  const std::vector<Row> rows = {
      {v1::REQUEST_TYPE_COMPLAINT, "这个月电费太高了", "marketing", "billing-keywords", 5},
      {v1::REQUEST_TYPE_REPORT, "邻居私拉电线窃电", "safety-supervision", "report-theft-misconduct",
       9},
      {v1::REQUEST_TYPE_OPINION, "营业厅排队太久", "customer-service", "service-conduct-keywords",
       5},
      {v1::REQUEST_TYPE_SUGGESTION, "建议增加施工公告", "construction", "construction-keywords", 5},
      {v1::REQUEST_TYPE_PRAISE, "感谢抢修师傅", "operations", "supply-quality-keywords", 0},
  };
  for (const Row& row : rows) {
    INFO(v1::RequestType_Name(row.type));
    const auto change =
        rules->Open(MakeTicket(row.type, row.text), Facts(), "evt-1", T0() + 5min, Calendar());
    REQUIRE(change.has_value());
    CHECK(change->changed);
    const auto& c = change->stored.complaint_case();
    CHECK(c.case_id() == "CC-GC-20261102-000001");
    CHECK(c.ticket_id() == "GC-20261102-000001");
    CHECK(c.customer_id() == "C-1001");
    CHECK(c.request_type() == row.type);
    CHECK(c.origin() == v1::CASE_ORIGIN_TICKET);
    CHECK(c.state() == v1::CASE_STATE_ROUTED);
    CHECK(c.department_id() == row.department);
    CHECK(c.routing_rule() == row.rule);
    CHECK(c.tenant_id() == "synthetic");
    CHECK(c.text() == row.text);
    CHECK(c.district() == "文乐区");
    CHECK(c.customer_display() == "C-****01");
    CHECK(c.contact_count() == 1);
    CHECK(c.handler_id().empty());
    CHECK(c.supervision_level() == 0);
    CHECK(sla::FromTimestamp(c.opened_at()) == T0());
    CHECK(sla::FromTimestamp(c.updated_at()) == T0() + 5min);
    CHECK(change->stored.version() == 1);
    CHECK(change->stored.applied_size() == 1);
    CHECK(change->stored.applied(0) == "evt-1");
    CHECK(Kinds(*change) == std::vector{Ev::kCaseOpened, Ev::kCaseRouted});
    CHECK(EventIds(*change) == std::vector<std::string>{"evt-1#0", "evt-1#1"});
    if (row.reply_days == 0) {
      CHECK(c.clocks().empty());
      CHECK_FALSE(rules->NextTimer(change->stored).has_value());
      continue;
    }
    REQUIRE(c.clocks_size() == 2);
    // Clocks run from the ticket's opening, not from when the case saw it.
    CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 3, 10)));
    // Mon 11-02 + 5 working days = Mon 11-09; + 9 (reports) = Fri 11-13.
    CHECK(Show(DueOf(c, kReply)) ==
          Show(row.reply_days == 9 ? At(2026, 11, 13, 10) : At(2026, 11, 9, 10)));
    CHECK(FindClock(c, kReply)->working_days());
    CHECK(FindClock(c, kReply)->limit_working_days() == row.reply_days);
    REQUIRE(rules->NextTimer(change->stored).has_value());
    CHECK(Show(*rules->NextTimer(change->stored)) == Show(At(2026, 11, 2, 22)));  // contact r50
  }
}

TEST_CASE("an unanswered consultation opens a case with the consultation reply clock",
          "[rules][open]") {
  const Rules rules;
  const auto change = rules->Open(MakeTicket(v1::REQUEST_TYPE_CONSULTATION, "请问阶梯电价怎么算"),
                                  Facts(), "evt-1", T0() + 5min, Calendar());
  REQUIRE(change.has_value());
  const auto& c = change->stored.complaint_case();
  CHECK(c.department_id() == "marketing");
  REQUIRE(c.clocks_size() == 1);
  CHECK(c.clocks(0).kind() == v1::ServiceClock::KIND_CONSULTATION_REPLY);
  CHECK_FALSE(c.clocks(0).working_days());
  CHECK(Show(sla::FromTimestamp(c.clocks(0).due_at())) == Show(T0() + 24h));
}

TEST_CASE("reports take the report reply limit of the standards", "[rules][open]") {
  // 9 working days for reports (the issue's example), 5 for complaints.
  auto standards = Shipped::Get().standards;
  standards.report_reply_working_days = 9;
  const Rules policy;
  const CaseRules rules(CaseRulesDeps{&policy.policy(), &Shipped::Get().directory,
                                      &*Shipped::Get().router, &standards});
  const auto report =
      rules.Open(MakeTicket(v1::REQUEST_TYPE_REPORT, "有人窃电"), Facts(), "e", T0(), Calendar());
  REQUIRE(report.has_value());
  // Nov 2 + 9 working days = Nov 13 (Fri) 10:00.
  CHECK(Show(DueOf(report->stored.complaint_case(), kReply)) == Show(At(2026, 11, 13, 10)));
  const auto complaint =
      rules.Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "e", T0(), Calendar());
  REQUIRE(complaint.has_value());
  CHECK(Show(DueOf(complaint->stored.complaint_case(), kReply)) == Show(At(2026, 11, 9, 10)));
}

TEST_CASE("tickets of other types open no case", "[rules][open]") {
  const Rules rules;
  for (const auto type : {v1::REQUEST_TYPE_UNSPECIFIED, v1::REQUEST_TYPE_FAULT_REPAIR,
                          v1::REQUEST_TYPE_SERVICE_APPLICATION, v1::REQUEST_TYPE_URGING}) {
    INFO(v1::RequestType_Name(type));
    CHECK_FALSE(IsCaseType(type));
    CHECK_FALSE(rules->Open(MakeTicket(type), Facts(), "evt-1", T0(), Calendar()).has_value());
  }
  for (const auto type :
       {v1::REQUEST_TYPE_COMPLAINT, v1::REQUEST_TYPE_REPORT, v1::REQUEST_TYPE_OPINION,
        v1::REQUEST_TYPE_SUGGESTION, v1::REQUEST_TYPE_PRAISE, v1::REQUEST_TYPE_CONSULTATION}) {
    CHECK(IsCaseType(type));
  }
}

TEST_CASE("the routed case names its department, unit, rule and reason", "[rules][open]") {
  const Rules rules;
  SECTION("a billing complaint in 文乐区 goes to marketing's Wenle supply office") {
    const auto change =
        rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    const auto& c = change->stored.complaint_case();
    CHECK(c.department() == v1::DEPARTMENT_MARKETING);
    CHECK(c.unit_id() == "wenle-supply-office");
    const auto& routed = change->events.at(1).event.case_routed();
    CHECK(routed.case_id() == c.case_id());
    CHECK(routed.department() == v1::DEPARTMENT_MARKETING);
    CHECK(routed.department_id() == "marketing");
    CHECK(routed.unit_id() == "wenle-supply-office");
    CHECK(routed.rule() == "billing-keywords");
    CHECK_THAT(routed.reason(), Catch::Contains("电费"));
    CHECK(routed.by().kind() == v1::Actor::KIND_SYSTEM);
    CHECK(sla::FromTimestamp(routed.at()) == T0());
    REQUIRE(c.timeline_size() == 2);
    CHECK(c.timeline(1).description().zh_cn() == "已转营销部处理");
    CHECK(c.timeline(1).description().en() == "Passed to Marketing");
    CHECK(c.timeline(1).event_type() == "gridcare.complaint_case.routed.v1");
  }
  SECTION("the same complaint from 马港县 goes to the Magang supply office") {
    const auto change = rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT), Facts("马港县"),
                                    "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    CHECK(change->stored.complaint_case().unit_id() == "magang-supply-office");
  }
  SECTION("what no rule routes goes to the service-dispatch centre's pool") {
    const auto change = rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "我有个问题想反映一下"),
                                    Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    const auto& c = change->stored.complaint_case();
    CHECK(c.department_id() == "service-dispatch-centre");
    CHECK(c.routing_rule() == "pool");
    CHECK(c.department() == v1::DEPARTMENT_UNSPECIFIED);
    CHECK(c.timeline(1).description().zh_cn() == "已转供电服务指挥中心处理");
  }
  SECTION("intake's category routes before keywords") {
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "这个月电费太高了");
    ticket.mutable_classification()->set_category("meter_accuracy");
    const auto change = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    CHECK(change->stored.complaint_case().category() == "meter_accuracy");
    CHECK(change->stored.complaint_case().department_id() == "metering");
    CHECK(change->stored.complaint_case().routing_rule() == "metering-categories");
  }
}

TEST_CASE("a sensitive or important customer gets senior handling", "[rules][open]") {
  const Rules rules;
  for (const auto tag : {v1::CUSTOMER_TAG_SENSITIVE, v1::CUSTOMER_TAG_IMPORTANT}) {
    INFO(v1::CustomerTag_Name(tag));
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
    ticket.add_customer_tags(v1::CUSTOMER_TAG_ELDERLY);
    ticket.add_customer_tags(tag);
    const auto change = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    const auto& c = change->stored.complaint_case();
    CHECK(c.senior_handling());
    CHECK(c.priority() == v1::PRIORITY_HIGH);
    CHECK(c.customer_tags_size() == 2);
    // The Wenle office's senior handler.
    CHECK(c.handler_id() == "mkt-wl-01");
    CHECK(Kinds(*change) == std::vector{Ev::kCaseOpened, Ev::kCaseRouted, Ev::kCaseAssigned});
    const auto& assigned = change->events.at(2).event.case_assigned();
    CHECK(assigned.handler_id() == "mkt-wl-01");
    CHECK(assigned.case_id() == c.case_id());
    CHECK(assigned.by().kind() == v1::Actor::KIND_SYSTEM);
    CHECK(c.timeline(2).description().zh_cn() == "已指定资深专员处理");
    CHECK(c.timeline(2).description().en() == "A senior handler was assigned");
    // Shorter internal deadlines: contact 12 h, reply 3 working days.
    CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 2, 22)));
    CHECK(Show(DueOf(c, kReply)) == Show(At(2026, 11, 5, 10)));
  }
  SECTION("an urgent ticket stays urgent; a life-support tag alone is not senior handling") {
    auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
    ticket.set_priority(v1::PRIORITY_URGENT);
    ticket.add_customer_tags(v1::CUSTOMER_TAG_IMPORTANT);
    auto change = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    CHECK(change->stored.complaint_case().priority() == v1::PRIORITY_URGENT);
    ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
    ticket.add_customer_tags(v1::CUSTOMER_TAG_LIFE_SUPPORT);
    change = rules->Open(ticket, Facts(), "evt-1", T0(), Calendar());
    REQUIRE(change.has_value());
    CHECK_FALSE(change->stored.complaint_case().senior_handling());
    CHECK(change->stored.complaint_case().handler_id().empty());
    CHECK(change->stored.complaint_case().priority() == v1::PRIORITY_NORMAL);
  }
}

TEST_CASE("a complaint linked to an incident carries it and goes to operations", "[rules][open]") {
  const Rules rules;
  auto facts = Facts();
  facts.incident_id = "INC-T-77";
  facts.supply_point.set_feeder_id("F-12");
  facts.supply_point.set_transformer_id("T-77");
  const auto change =
      rules->Open(MakeTicket(v1::REQUEST_TYPE_COMPLAINT, "你们到底管不管，太过分了"), facts,
                  "evt-1", T0(), Calendar());
  REQUIRE(change.has_value());
  const auto& c = change->stored.complaint_case();
  CHECK(c.incident_id() == "INC-T-77");
  CHECK(c.supply_point().transformer_id() == "T-77");
  CHECK(c.supply_point().feeder_id() == "F-12");
  CHECK(c.department_id() == "operations");
  CHECK(c.unit_id() == "wenle-supply-office");
  CHECK(c.routing_rule() == "linked-incident");
  // The opened event carries the case without the customer's words.
  const auto& opened = change->events.at(0).event.case_opened().complaint_case();
  CHECK(opened.incident_id() == "INC-T-77");
  CHECK(opened.text().empty());
  CHECK(opened.timeline().empty());
  CHECK(opened.clocks_size() == 2);
}

TEST_CASE("a case opened from a ticket without an opening time starts its clocks now",
          "[rules][open]") {
  const Rules rules;
  auto ticket = MakeTicket(v1::REQUEST_TYPE_COMPLAINT);
  ticket.clear_opened_at();
  ticket.set_contact_count(0);
  ticket.set_urging_count(2);
  const auto change = rules->Open(ticket, Facts(), "evt-1", T0() + 1h, Calendar());
  REQUIRE(change.has_value());
  const auto& c = change->stored.complaint_case();
  CHECK(sla::FromTimestamp(c.opened_at()) == T0() + 1h);
  CHECK(Show(DueOf(c, kContact)) == Show(At(2026, 11, 3, 11)));
  CHECK(c.contact_count() == 1);
  CHECK(c.urging_count() == 2);
}

v1::TicketStateChanged Restored(const std::string& ticket_id,
                                v1::RequestType type = v1::REQUEST_TYPE_FAULT_REPAIR,
                                v1::TicketState state = v1::TICKET_STATE_RESOLVED) {
  v1::TicketStateChanged changed;
  changed.set_ticket_id(ticket_id);
  changed.set_type(type);
  changed.set_previous_state(v1::TICKET_STATE_IN_PROGRESS);
  changed.set_state(state);
  changed.set_customer_id("C-2002");
  return changed;
}

TEST_CASE("restored fault tickets are sampled for a return visit", "[rules][open][visit]") {
  SECTION("with every ticket sampled: a replied case in the pool, without clocks") {
    const auto rules = Rules::FromJson(R"({"fault_visit_share": 1})");
    const auto change = rules->OpenFaultVisit(Restored("GC-F-1"), "evt-9", T0());
    REQUIRE(change.has_value());
    const auto& c = change->stored.complaint_case();
    CHECK(c.case_id() == "CC-GC-F-1");
    CHECK(c.origin() == v1::CASE_ORIGIN_FAULT_RETURN_VISIT);
    CHECK(c.request_type() == v1::REQUEST_TYPE_FAULT_REPAIR);
    CHECK(c.state() == v1::CASE_STATE_REPLIED);
    CHECK(c.department_id() == "service-dispatch-centre");
    CHECK(c.routing_rule() == "fault-return-visit");
    CHECK(c.customer_id() == "C-2002");
    CHECK(c.clocks().empty());
    CHECK_FALSE(rules->NextTimer(change->stored).has_value());
    CHECK(Kinds(*change) == std::vector{Ev::kCaseOpened});
    CHECK(EventIds(*change) == std::vector<std::string>{"evt-9#0"});
    CHECK(c.timeline(0).description().zh_cn() == "抢修已完成，将对您进行回访");
    CHECK(c.timeline(0).description().en() == "Repair done; we will call you to check");
  }
  SECTION("only resolved fault-repair tickets with an id") {
    const auto rules = Rules::FromJson(R"({"fault_visit_share": 1})");
    CHECK_FALSE(rules->OpenFaultVisit(Restored("GC-F-1", v1::REQUEST_TYPE_COMPLAINT), "e", T0())
                    .has_value());
    CHECK_FALSE(rules
                    ->OpenFaultVisit(Restored("GC-F-1", v1::REQUEST_TYPE_FAULT_REPAIR,
                                              v1::TICKET_STATE_IN_PROGRESS),
                                     "e", T0())
                    .has_value());
    CHECK_FALSE(rules
                    ->OpenFaultVisit(
                        Restored("GC-F-1", v1::REQUEST_TYPE_FAULT_REPAIR, v1::TICKET_STATE_CLOSED),
                        "e", T0())
                    .has_value());
    CHECK_FALSE(rules->OpenFaultVisit(Restored(""), "e", T0()).has_value());
  }
  SECTION("share 0 samples none") {
    const auto rules = Rules::FromJson(R"({"fault_visit_share": 0})");
    for (int i = 0; i < 200; ++i) {
      CHECK_FALSE(
          rules->OpenFaultVisit(Restored("GC-F-" + std::to_string(i)), "e", T0()).has_value());
    }
  }
  SECTION("the shipped share (10%) samples the tickets the stable hash picks") {
    const Rules rules;
    int sampled = 0;
    for (int i = 0; i < 2000; ++i) {
      const std::string id = "GC-20261102-" + std::to_string(100000 + i);
      const bool opened = rules->OpenFaultVisit(Restored(id), "e", T0()).has_value();
      CHECK(opened == SampledForFaultVisit(id, 0.1));
      sampled += opened ? 1 : 0;
    }
    CHECK(sampled > 150);
    CHECK(sampled < 250);
  }
}

v1::ContactAdded Contact(int contact_count, bool urging = false, int urging_count = 0,
                         bool escalated = false) {
  v1::ContactAdded contact;
  contact.set_ticket_id("GC-20261102-000001");
  contact.set_contact_count(contact_count);
  contact.set_urging(urging);
  contact.set_urging_count(urging_count);
  contact.set_escalated(escalated);
  return contact;
}

TEST_CASE("contacts added to the ticket are counted, urging raises the priority",
          "[rules][contact_added]") {
  const Rules rules;
  auto stored = Opened(rules);
  auto change = rules->ContactAdded(stored, Contact(2), "evt-c1", T0() + 1h);
  CHECK(change.changed);
  CHECK(change.events.empty());
  CHECK(change.stored.complaint_case().contact_count() == 2);
  CHECK(change.stored.complaint_case().urging_count() == 0);
  CHECK(change.stored.complaint_case().priority() == v1::PRIORITY_NORMAL);
  CHECK(sla::FromTimestamp(change.stored.complaint_case().updated_at()) == T0() + 1h);
  // Intake's count wins when it is ahead (contacts the case did not see).
  change = rules->ContactAdded(change.stored, Contact(5, true, 1), "evt-c2", T0() + 2h);
  CHECK(change.stored.complaint_case().contact_count() == 5);
  CHECK(change.stored.complaint_case().urging_count() == 1);
  CHECK(change.stored.complaint_case().priority() == v1::PRIORITY_HIGH);
  change = rules->ContactAdded(change.stored, Contact(0, true), "evt-c3", T0() + 3h);
  CHECK(change.stored.complaint_case().contact_count() == 6);
  CHECK(change.stored.complaint_case().urging_count() == 2);
  CHECK(change.stored.complaint_case().priority() == v1::PRIORITY_URGENT);
  change = rules->ContactAdded(change.stored, Contact(0, true), "evt-c4", T0() + 4h);
  CHECK(change.stored.complaint_case().priority() == v1::PRIORITY_URGENT);
  CHECK(change.events.empty());
  CHECK(change.stored.complaint_case().supervision_level() == 0);
}

TEST_CASE("an escalated urging raises the supervision level one rung", "[rules][contact_added]") {
  const Rules rules;
  auto change = rules->ContactAdded(Opened(rules), Contact(3, true, 3, true), "evt-u1", T0() + 1h);
  CHECK(change.stored.complaint_case().supervision_level() == 1);
  REQUIRE(Kinds(change) == std::vector{Ev::kCaseEscalated});
  const auto& escalated = change.events[0].event.case_escalated();
  CHECK(escalated.supervision_level() == 1);
  CHECK(escalated.escalated_to() == "department-head");
  CHECK(escalated.reason() == "repeated urging");
  CHECK(escalated.by().kind() == v1::Actor::KIND_SYSTEM);
  CHECK(change.events[0].event_id == "evt-u1#0");
  CHECK(change.stored.complaint_case().timeline().rbegin()->description().zh_cn() ==
        "客户多次催办，已升级督办");
  change = rules->ContactAdded(change.stored, Contact(4, true, 4, true), "evt-u2", T0() + 2h);
  CHECK(change.events.at(0).event.case_escalated().escalated_to() == "service-dispatch-centre");
  change = rules->ContactAdded(change.stored, Contact(5, true, 5, true), "evt-u3", T0() + 3h);
  CHECK(change.stored.complaint_case().supervision_level() == 3);
  CHECK(change.events.at(0).event.case_escalated().escalated_to() == "company-leadership");
  // At the top of the ladder: counted, no further rung.
  change = rules->ContactAdded(change.stored, Contact(6, true, 6, true), "evt-u4", T0() + 4h);
  CHECK(change.changed);
  CHECK(change.events.empty());
  CHECK(change.stored.complaint_case().supervision_level() == 3);
  CHECK(change.stored.complaint_case().contact_count() == 6);
}

TEST_CASE("a redelivered contact, or one on a closed case, changes nothing",
          "[rules][contact_added][idempotency]") {
  const Rules rules;
  const auto first =
      rules->ContactAdded(Opened(rules), Contact(2, true, 1, true), "evt-c1", T0() + 1h);
  const auto again =
      rules->ContactAdded(first.stored, Contact(2, true, 1, true), "evt-c1", T0() + 5h);
  CHECK_FALSE(again.changed);
  CHECK(again.events.empty());
  CHECK(again.stored.SerializeAsString() == first.stored.SerializeAsString());

  auto closed = first.stored;
  closed.mutable_complaint_case()->set_state(v1::CASE_STATE_CLOSED);
  const auto on_closed = rules->ContactAdded(closed, Contact(3), "evt-c2", T0() + 6h);
  CHECK_FALSE(on_closed.changed);
  CHECK(on_closed.stored.complaint_case().contact_count() == 2);
}

}  // namespace
}  // namespace gridcare::complaint
