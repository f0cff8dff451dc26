#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "trigger_test_support.h"

namespace gridcare::notification {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using Json = nlohmann::json;

Json Base() { return Json::parse(ShippedFile("triggers.json")); }

/// "ok" or the error's kind and message.
std::string Outcome(const std::string& text) {
  auto rules = TriggerRules::FromJson(text, ShippedCatalogue());
  return rules.ok() ? "ok" : rules.error().ToString();
}
std::string Outcome(const Json& json) { return Outcome(json.dump()); }

const std::string kPrefix = "INVALID_ARGUMENT: triggers.json: ";

TEST_CASE("The file must be a JSON object with known top-level keys") {
  CHECK(Outcome(std::string("[")).rfind(kPrefix + "not valid JSON: ", 0) == 0);
  CHECK(Outcome(std::string("[]")) == kPrefix + "expected a JSON object, got array");
  Json json = Base();
  json["trigers"] = Json::object();
  CHECK(Outcome(json) ==
        kPrefix + "unknown key \"trigers\" (known: note, triggers, department_names)");
  json = Base();
  json.erase("triggers");
  CHECK(Outcome(json) == kPrefix + "\"triggers\" must be an object keyed by trigger name");
  json = Base();
  json["note"] = 3;
  CHECK(Outcome(json) == kPrefix + "\"note\" must be a string, got 3");
}

TEST_CASE("Every trigger must be listed and no other") {
  Json json = Base();
  json["triggers"]["incident.started"] = {{"enabled", false}};
  CHECK(Outcome(json) ==
        kPrefix +
            "unknown trigger \"incident.started\" (known: ticket.opened, ticket.answered, "
            "ticket.rejected, ticket.attached, ticket.attached_planned, incident.opened, "
            "incident.life_support, incident.etr_changed, incident.crew_on_site, "
            "incident.restored, planned_outage.notice, planned_outage.reminder, "
            "planned_outage.cancelled, complaint.contacted, complaint.replied, "
            "complaint.return_visit_due, complaint.reminder, complaint.supervision, "
            "alert.risk_warning, appointment.booked, appointment.rebooked, appointment.reminder, "
            "application.clock_stopped, application.clock_resumed, application.work_done)");
  json = Base();
  json["triggers"].erase("alert.risk_warning");
  CHECK(Outcome(json) == kPrefix +
                             "missing trigger \"alert.risk_warning\" (write {\"enabled\": false} "
                             "to turn it off)");
}

TEST_CASE("A trigger's keys are checked") {
  Json json = Base();
  json["triggers"]["ticket.answered"] = true;
  CHECK(Outcome(json) == kPrefix + "\"ticket.answered\" must be an object, got true");
  json = Base();
  json["triggers"]["incident.opened"]["lead_hours"] = 3;
  CHECK(Outcome(json) == kPrefix +
                             "\"incident.opened\": unknown key \"lead_hours\" (known: enabled, "
                             "template, template_without_etr, levels)");
  json = Base();
  json["triggers"]["ticket.opened"]["enabled"] = "yes";
  CHECK(Outcome(json) == kPrefix + "\"ticket.opened.enabled\" must be true or false, got \"yes\"");
  json = Base();
  json["triggers"]["complaint.replied"].erase("template");
  CHECK(Outcome(json) ==
        kPrefix + "\"complaint.replied\": \"template\" is required when the trigger is enabled");
  json["triggers"]["complaint.replied"]["enabled"] = false;
  CHECK(Outcome(json) == "ok");
  json = Base();
  json["triggers"]["ticket.opened"]["template"] = 3;
  CHECK(Outcome(json) == kPrefix + "\"ticket.opened.template\" must be a template id, got 3");
}

TEST_CASE("A template must exist and be written for the trigger's audience") {
  Json json = Base();
  json["triggers"]["incident.opened"]["template"] = "outage.strated";
  CHECK(Outcome(json) ==
        kPrefix + "\"incident.opened.template\": unknown template \"outage.strated\"");
  json = Base();
  json["triggers"]["complaint.reminder"]["template"] = "complaint.contacted";
  CHECK(Outcome(json) == kPrefix +
                             "\"complaint.reminder.template\": \"complaint.contacted\" is a "
                             "customer template, and trigger \"complaint.reminder\" messages "
                             "staff");
  json = Base();
  json["triggers"]["complaint.contacted"]["template"] = "staff.complaint_reminder";
  CHECK(Outcome(json) == kPrefix +
                             "\"complaint.contacted.template\": \"staff.complaint_reminder\" is "
                             "a staff template, and trigger \"complaint.contacted\" messages "
                             "customers");
  json = Base();  // checked even when the trigger is off
  json["triggers"]["ticket.answered"] = {{"enabled", false}, {"template", "nope"}};
  CHECK(Outcome(json) == kPrefix + "\"ticket.answered.template\": unknown template \"nope\"");
}

TEST_CASE("A template may need only what the trigger and the service supply") {
  Json json = Base();
  json["triggers"]["incident.opened"]["template"] = "outage.restored";
  CHECK(Outcome(json) == kPrefix +
                             "\"incident.opened.template\": \"outage.restored\" needs "
                             "{restored_at}, which trigger \"incident.opened\" cannot supply (it "
                             "supplies cause, etr, incident_id; the service adds address, area)");
  json = Base();
  json["triggers"]["incident.opened"]["template_without_etr"] = "outage.started";
  CHECK(Outcome(json) == kPrefix +
                             "\"incident.opened.template_without_etr\": \"outage.started\" needs "
                             "{etr}, which trigger \"incident.opened\" cannot supply (it supplies "
                             "cause, incident_id; the service adds address, area)");
  json = Base();  // an unidentified caller has no profile: nothing per recipient
  json["triggers"]["ticket.answered"]["template"] = "ticket.attached_to_incident";
  CHECK(Outcome(json) == kPrefix +
                             "\"ticket.answered.template\": \"ticket.attached_to_incident\" "
                             "needs {area}, which trigger \"ticket.answered\" cannot supply (it "
                             "supplies reply_text, ticket_id)");
  json = Base();
  json["triggers"]["alert.risk_warning"]["other_kinds_template"] = "staff.risk_warning";
  CHECK(Outcome(json) == kPrefix +
                             "\"alert.risk_warning.other_kinds_template\": \"staff.risk_warning\" "
                             "needs {category}, which trigger \"alert.risk_warning\" cannot "
                             "supply (it supplies area, summary; the service adds staff_name)");
  json = Base();  // an applicant may have no profile either
  json["triggers"]["application.clock_resumed"]["template"] = "application.documents_missing";
  CHECK(Outcome(json) == kPrefix +
                             "\"application.clock_resumed.template\": "
                             "\"application.documents_missing\" needs {documents}, which trigger "
                             "\"application.clock_resumed\" cannot supply (it supplies "
                             "application, ticket_id)");
  json = Base();
  json["triggers"]["appointment.booked"]["template"] = "appointment.rebooked";
  CHECK(Outcome(json) == kPrefix +
                             "\"appointment.booked.template\": \"appointment.rebooked\" needs "
                             "{reason}, which trigger \"appointment.booked\" cannot supply (it "
                             "supplies application, ticket_id, visit, visit_window)");
  json = Base();
  json["triggers"]["application.work_done"]["new_connection_template"] = "staff.risk_warning";
  CHECK(Outcome(json) == kPrefix +
                             "\"application.work_done.new_connection_template\": "
                             "\"staff.risk_warning\" is a staff template, and trigger "
                             "\"application.work_done\" messages customers");
}

TEST_CASE("Lists of enum names are checked") {
  Json json = Base();
  json["triggers"]["ticket.opened"]["channels"] = {"SMS", "WECHAT", "FAX"};
  CHECK(Outcome(json) == kPrefix +
                             "\"ticket.opened.channels[2]\" must be one of HOTLINE_IVR, "
                             "HOTLINE_AGENT, MOBILE_APP, WECHAT, WEB, SERVICE_HALL, "
                             "SELF_SERVICE_TERMINAL, SMS, METER_HEAD_END, FIELD_CREW, got \"FAX\"");
  json["triggers"]["ticket.opened"]["channels"] = {"SMS", "SMS"};
  CHECK(Outcome(json) == kPrefix + "\"ticket.opened.channels[1]\": \"SMS\" is listed twice");
  json["triggers"]["ticket.opened"]["channels"] = {"UNSPECIFIED"};
  CHECK(Outcome(json).find("got \"UNSPECIFIED\"") != std::string::npos);
  json = Base();
  json["triggers"]["ticket.rejected"]["reasons"] = Json::array();
  CHECK(Outcome(json) == kPrefix + "\"ticket.rejected.reasons\" must be a non-empty array, got []");
  json = Base();
  json["triggers"]["planned_outage.reminder"]["tags"] = {"VIP"};
  CHECK(Outcome(json) == kPrefix +
                             "\"planned_outage.reminder.tags[0]\" must be one of IMPORTANT, "
                             "LIFE_SUPPORT, SENSITIVE, ELDERLY, VIP_ACCOUNT, got \"VIP\"");
  json = Base();
  json["triggers"]["incident.restored"]["levels"] = "FEEDER";
  CHECK(Outcome(json) ==
        kPrefix + "\"incident.restored.levels\" must be a non-empty array, got \"FEEDER\"");
  json = Base();
  json["triggers"]["complaint.return_visit_due"]["no_visit_types"] = {"THANKS"};
  CHECK(Outcome(json).find("\"complaint.return_visit_due.no_visit_types[0]\" must be one of "
                           "FAULT_REPAIR, COMPLAINT") != std::string::npos);
  json = Base();
  json["triggers"]["alert.risk_warning"]["min_severity"] = "HIGH";
  CHECK(Outcome(json) == kPrefix +
                             "\"alert.risk_warning.min_severity\" must be one of INFO, WARNING, "
                             "CRITICAL, got \"HIGH\"");
  json["triggers"]["alert.risk_warning"]["min_severity"] = "CRITICAL";
  json["triggers"]["alert.risk_warning"]["default_role"] = " ";
  CHECK(Outcome(json) == kPrefix +
                             "\"alert.risk_warning.default_role\" must be a non-empty string, "
                             "got \" \"");
}

TEST_CASE("Lead times are whole hours in range and in a sensible order") {
  Json json = Base();
  json["triggers"]["planned_outage.notice"]["lead_hours"] = 0;
  CHECK(Outcome(json) == kPrefix +
                             "\"planned_outage.notice.lead_hours\" must be an integer in 1..8784, "
                             "got 0");
  json["triggers"]["planned_outage.notice"]["lead_hours"] = 1.5;
  CHECK(Outcome(json).find("must be an integer in 1..8784, got 1.5") != std::string::npos);
  json = Base();
  json["triggers"]["planned_outage.reminder"]["lead_hours"] = 168;
  CHECK(Outcome(json) == kPrefix +
                             "\"planned_outage.reminder.lead_hours\" (168) must be shorter than "
                             "\"planned_outage.notice.lead_hours\" (168)");
  json["triggers"]["planned_outage.notice"]["enabled"] = false;
  CHECK(Outcome(json) == "ok");
  json = Base();
  json["triggers"]["complaint.return_visit_due"]["send_after_hours"] = 72;
  CHECK(Outcome(json) == kPrefix +
                             "\"complaint.return_visit_due.send_after_hours\" (72) must be "
                             "shorter than \"complaint.return_visit_due.visit_within_hours\" "
                             "(72)");
  json["triggers"]["complaint.return_visit_due"]["send_after_hours"] = 0;
  CHECK(Outcome(json) == "ok");
  json["triggers"]["complaint.supervision"]["respond_within_hours"] = -1;
  CHECK(Outcome(json) == kPrefix +
                             "\"complaint.supervision.respond_within_hours\" must be an integer "
                             "in 1..8784, got -1");
}

TEST_CASE("Department names need both languages") {
  Json json = Base();
  json["department_names"]["marketing"] = {{"zh-CN", "营销部"}};
  CHECK(Outcome(json) == kPrefix +
                             "\"department_names.marketing\" must be {\"zh-CN\": \"…\", \"en\": "
                             "\"…\"} with both names non-empty, got {\"zh-CN\":\"营销部\"}");
  json["department_names"]["marketing"] = {{"zh-CN", "营销部"}, {"en", "Marketing"}, {"fr", "x"}};
  CHECK(Outcome(json) == kPrefix +
                             "\"department_names.marketing\": unknown key \"fr\" (known: zh-CN, "
                             "en)");
  json["department_names"] = Json::array();
  CHECK(Outcome(json) == kPrefix + "\"department_names\" must be an object, got []");
  json.erase("department_names");
  CHECK(Outcome(json) == "ok");
}

TEST_CASE("Keys left out take the documented defaults") {
  Json json = Base();
  for (auto& [name, entry] : json["triggers"].items()) {
    Json minimal = {{"template", entry["template"]}};
    for (const char* key :
         {"template_without_etr", "other_kinds_template", "new_connection_template"}) {
      if (entry.contains(key)) minimal[key] = entry[key];
    }
    entry = minimal;
  }
  json.erase("department_names");
  auto defaults = TriggerRules::FromJson(json.dump(), ShippedCatalogue());
  REQUIRE(defaults.ok());
  for (const Trigger trigger : AllTriggers()) {
    INFO(TriggerName(trigger));
    const TriggerSettings& a = defaults->settings(trigger);
    const TriggerSettings& b = Shipped().settings(trigger);
    CHECK(a.enabled);
    CHECK(a.template_id == b.template_id);
    CHECK(a.fallback_template_id == b.fallback_template_id);
    CHECK(a.request_types == b.request_types);
    CHECK(a.channels == b.channels);
    CHECK(a.reasons == b.reasons);
    CHECK(a.levels == b.levels);
    CHECK(a.tags == b.tags);
    CHECK(a.lead == b.lead);
    CHECK(a.window == b.window);
    CHECK(a.no_visit_types == b.no_visit_types);
    CHECK(a.min_severity == b.min_severity);
    CHECK(a.default_role == b.default_role);
  }
}

TEST_CASE("The shipped settings are the documented values") {
  using std::chrono::hours;
  CHECK(Shipped().settings(Trigger::kPlannedOutageNotice).lead == hours(168));
  CHECK(Shipped().settings(Trigger::kPlannedOutageReminder).lead == hours(24));
  CHECK(Shipped().settings(Trigger::kPlannedOutageReminder).tags ==
        std::vector<v1::CustomerTag>{v1::CUSTOMER_TAG_IMPORTANT, v1::CUSTOMER_TAG_LIFE_SUPPORT});
  CHECK(Shipped().settings(Trigger::kIncidentLifeSupport).tags ==
        std::vector<v1::CustomerTag>{v1::CUSTOMER_TAG_LIFE_SUPPORT});
  CHECK(Shipped().settings(Trigger::kIncidentOpened).levels ==
        std::vector<v1::IncidentLevel>{v1::INCIDENT_LEVEL_TRANSFORMER, v1::INCIDENT_LEVEL_FEEDER,
                                       v1::INCIDENT_LEVEL_SUBSTATION});
  CHECK(Shipped().settings(Trigger::kComplaintReturnVisitDue).lead == hours(24));
  CHECK(Shipped().settings(Trigger::kComplaintReturnVisitDue).window == hours(72));
  CHECK(Shipped().settings(Trigger::kComplaintSupervision).window == hours(24));
  CHECK(Shipped().settings(Trigger::kAlertRiskWarning).min_severity == v1::ALERT_SEVERITY_WARNING);
  CHECK(Shipped().etr().margin == std::chrono::minutes(30));
  CHECK(Shipped().etr().max_announcements == 3);
  for (const Trigger trigger : AllTriggers()) {
    INFO(TriggerName(trigger));
    CHECK(Shipped().settings(trigger).enabled);
  }
}

TEST_CASE("Trigger names are listed in order") {
  REQUIRE(AllTriggers().size() == kTriggerCount);
  CHECK(TriggerName(AllTriggers().front()) == "ticket.opened");
  CHECK(TriggerName(Trigger::kIncidentEtrChanged) == "incident.etr_changed");
  CHECK(TriggerName(Trigger::kAlertRiskWarning) == "alert.risk_warning");
  CHECK(TriggerName(AllTriggers().back()) == "application.work_done");
  for (size_t i = 0; i < kTriggerCount; ++i) {
    CHECK(static_cast<size_t>(AllTriggers()[i]) == i);
    CHECK(TriggerName(AllTriggers()[i]) != "unknown");
  }
}

}  // namespace
}  // namespace gridcare::notification
