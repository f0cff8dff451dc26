// TriggerRules::FromJson: config/triggers.json read strictly and checked against the template
// catalogue (config/README.md, section "triggers.json").

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "gridcare/config/json_reader.h"
#include "trigger_rules.h"
#include "trigger_support.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;
using std::chrono::hours;
using T = Trigger;

// Which per-recipient placeholders the service adds for a trigger's recipients.
enum class Fill { kNone, kCustomer, kStaff };

// What a trigger accepts and can supply: its settings keys (besides "enabled" and "template"),
// the placeholders its intents carry for the main template and for the fallback one.
struct TriggerSpec {
  Trigger trigger;
  std::string_view name;
  Audience audience;
  Fill fill;
  std::vector<std::string_view> keys;
  std::string_view fallback_key;  // "" when the trigger has no second template
  std::vector<std::string_view> supplies;
  std::vector<std::string_view> fallback_supplies;
};

// What each trigger reads and supplies: a table, not code.
const std::vector<TriggerSpec> kSpecTable = {
    {T::kTicketOpened,
     "ticket.opened",
     Audience::kCustomer,
     Fill::kNone,
     {"request_types", "channels"},
     "",
     {"channel", "request_type", "ticket_id"},
     {}},
    {T::kTicketAnswered,
     "ticket.answered",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"reply_text", "ticket_id"},
     {}},
    {T::kTicketRejected,
     "ticket.rejected",
     Audience::kCustomer,
     Fill::kNone,
     {"channels", "reasons"},
     "",
     {"channel", "reason"},
     {}},
    {T::kTicketAttached,
     "ticket.attached",
     Audience::kCustomer,
     Fill::kCustomer,
     {"template_without_etr"},
     "template_without_etr",
     {"cause", "etr", "incident_id", "ticket_id"},
     {"cause", "incident_id", "ticket_id"}},
    {T::kTicketAttachedPlanned,
     "ticket.attached_planned",
     Audience::kCustomer,
     Fill::kCustomer,
     {},
     "",
     {"cause", "ends_at", "etr", "ticket_id"},
     {}},
    {T::kIncidentOpened,
     "incident.opened",
     Audience::kCustomer,
     Fill::kCustomer,
     {"template_without_etr", "levels"},
     "template_without_etr",
     {"cause", "etr", "incident_id"},
     {"cause", "incident_id"}},
    {T::kIncidentLifeSupport,
     "incident.life_support",
     Audience::kCustomer,
     Fill::kCustomer,
     {"template_without_etr", "levels", "tags"},
     "template_without_etr",
     {"cause", "etr", "incident_id"},
     {"cause", "incident_id"}},
    {T::kIncidentEtrChanged,
     "incident.etr_changed",
     Audience::kCustomer,
     Fill::kCustomer,
     {"levels"},
     "",
     {"cause", "etr", "incident_id"},
     {}},
    {T::kIncidentCrewOnSite,
     "incident.crew_on_site",
     Audience::kCustomer,
     Fill::kCustomer,
     {"levels"},
     "",
     {"cause", "etr", "incident_id"},
     {}},
    {T::kIncidentRestored,
     "incident.restored",
     Audience::kCustomer,
     Fill::kCustomer,
     {"levels"},
     "",
     {"cause", "incident_id", "restored_at"},
     {}},
    {T::kPlannedOutageNotice,
     "planned_outage.notice",
     Audience::kCustomer,
     Fill::kCustomer,
     {"lead_hours"},
     "",
     {"cause", "ends_at", "starts_at"},
     {}},
    {T::kPlannedOutageReminder,
     "planned_outage.reminder",
     Audience::kCustomer,
     Fill::kCustomer,
     {"lead_hours", "tags"},
     "",
     {"cause", "ends_at", "starts_at"},
     {}},
    {T::kPlannedOutageCancelled,
     "planned_outage.cancelled",
     Audience::kCustomer,
     Fill::kCustomer,
     {},
     "",
     {"cause", "ends_at", "starts_at"},
     {}},
    {T::kComplaintContacted,
     "complaint.contacted",
     Audience::kCustomer,
     Fill::kCustomer,
     {},
     "",
     {"case_id", "deadline", "department"},
     {}},
    {T::kComplaintReplied,
     "complaint.replied",
     Audience::kCustomer,
     Fill::kCustomer,
     {},
     "",
     {"case_id", "department", "reply_text", "sent_at"},
     {}},
    {T::kComplaintReturnVisitDue,
     "complaint.return_visit_due",
     Audience::kCustomer,
     Fill::kCustomer,
     {"send_after_hours", "visit_within_hours", "no_visit_types"},
     "",
     {"case_id", "deadline", "department"},
     {}},
    {T::kComplaintReminder,
     "complaint.reminder",
     Audience::kStaff,
     Fill::kStaff,
     {},
     "",
     {"case_id", "deadline", "department", "summary"},
     {}},
    {T::kComplaintSupervision,
     "complaint.supervision",
     Audience::kStaff,
     Fill::kStaff,
     {"respond_within_hours"},
     "",
     {"case_id", "deadline", "department", "level", "minutes_overdue", "summary"},
     {}},
    {T::kAlertRiskWarning,
     "alert.risk_warning",
     Audience::kStaff,
     Fill::kStaff,
     {"other_kinds_template", "min_severity", "default_role"},
     "other_kinds_template",
     {"area", "category", "contact_count", "summary"},
     {"area", "summary"}},
    // Service applications: the applicant may not be a customer yet (no profile), so like the
    // intake triggers they get no {address} or {area}.
    {T::kAppointmentBooked,
     "appointment.booked",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"application", "ticket_id", "visit", "visit_window"},
     {}},
    {T::kAppointmentRebooked,
     "appointment.rebooked",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"application", "reason", "ticket_id", "visit", "visit_window"},
     {}},
    {T::kAppointmentReminder,
     "appointment.reminder",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"application", "ticket_id", "visit", "visit_window"},
     {}},
    {T::kApplicationClockStopped,
     "application.clock_stopped",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"application", "documents", "ticket_id"},
     {}},
    {T::kApplicationClockResumed,
     "application.clock_resumed",
     Audience::kCustomer,
     Fill::kNone,
     {},
     "",
     {"application", "ticket_id"},
     {}},
    {T::kApplicationWorkDone,
     "application.work_done",
     Audience::kCustomer,
     Fill::kNone,
     {"new_connection_template"},
     "new_connection_template",
     {"application", "ticket_id"},
     {"application", "ticket_id"}},
};

const std::vector<TriggerSpec>& Specs() { return kSpecTable; }

const TriggerSpec* FindSpec(std::string_view name) {
  for (const TriggerSpec& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// The settings a trigger has when triggers.json does not set them.
TriggerSettings Defaults(Trigger trigger) {
  TriggerSettings s;
  const std::vector<v1::IncidentLevel> wide = {
      v1::INCIDENT_LEVEL_TRANSFORMER, v1::INCIDENT_LEVEL_FEEDER, v1::INCIDENT_LEVEL_SUBSTATION};
  switch (trigger) {
    case T::kTicketOpened:
      s.request_types = {v1::REQUEST_TYPE_FAULT_REPAIR, v1::REQUEST_TYPE_COMPLAINT,
                         v1::REQUEST_TYPE_REPORT,       v1::REQUEST_TYPE_OPINION,
                         v1::REQUEST_TYPE_SUGGESTION,   v1::REQUEST_TYPE_PRAISE,
                         v1::REQUEST_TYPE_CONSULTATION, v1::REQUEST_TYPE_SERVICE_APPLICATION};
      s.channels = {v1::CHANNEL_HOTLINE_IVR,
                    v1::CHANNEL_HOTLINE_AGENT,
                    v1::CHANNEL_MOBILE_APP,
                    v1::CHANNEL_WECHAT,
                    v1::CHANNEL_WEB,
                    v1::CHANNEL_SERVICE_HALL,
                    v1::CHANNEL_SELF_SERVICE_TERMINAL,
                    v1::CHANNEL_SMS};
      break;
    case T::kTicketRejected:
      s.channels = {v1::CHANNEL_HOTLINE_IVR, v1::CHANNEL_SMS};
      s.reasons = {v1::REJECTION_REASON_MISSING_FIELD, v1::REJECTION_REASON_TEXT_TOO_LONG,
                   v1::REJECTION_REASON_UNKNOWN_CUSTOMER, v1::REJECTION_REASON_AMBIGUOUS_CUSTOMER,
                   v1::REJECTION_REASON_INVALID_FIELD};
      break;
    case T::kIncidentOpened:
      s.levels = wide;
      break;
    case T::kIncidentLifeSupport:
      s.levels = wide;
      s.tags = {v1::CUSTOMER_TAG_LIFE_SUPPORT};
      break;
    case T::kIncidentEtrChanged:
    case T::kIncidentCrewOnSite:
    case T::kIncidentRestored:
      s.levels = wide;
      s.levels.insert(s.levels.begin(), v1::INCIDENT_LEVEL_SINGLE_CUSTOMER);
      break;
    case T::kPlannedOutageNotice:
      s.lead = hours(7 * 24);
      break;
    case T::kPlannedOutageReminder:
      s.lead = hours(24);
      s.tags = {v1::CUSTOMER_TAG_IMPORTANT, v1::CUSTOMER_TAG_LIFE_SUPPORT};
      break;
    case T::kComplaintReturnVisitDue:
      s.lead = hours(24);
      s.window = hours(72);
      s.no_visit_types = {v1::REQUEST_TYPE_PRAISE};
      break;
    case T::kComplaintSupervision:
      s.window = hours(24);
      break;
    case T::kAlertRiskWarning:
      s.min_severity = v1::ALERT_SEVERITY_WARNING;
      s.default_role = "service-dispatch-centre";
      break;
    default:
      break;
  }
  return s;
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (const std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// The names a protobuf enum's values are written with in triggers.json: the value name without
// `prefix`, UNSPECIFIED left out.
template <typename E>
std::vector<std::pair<std::string, E>> EnumNames(std::string_view prefix) {
  const google::protobuf::EnumDescriptor* descriptor = google::protobuf::GetEnumDescriptor<E>();
  std::vector<std::pair<std::string, E>> names;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto* value = descriptor->value(i);
    if (value->number() == 0) continue;
    names.emplace_back(value->name().substr(prefix.size()), static_cast<E>(value->number()));
  }
  return names;
}

template <typename E>
std::string KnownNames(std::string_view prefix) {
  std::string out;
  for (const auto& [name, value] : EnumNames<E>(prefix)) out += (out.empty() ? "" : ", ") + name;
  return out;
}

template <typename E>
core::Result<E> ReadEnum(const config::JsonReader& reader, const Json& value,
                         const std::string& path, std::string_view prefix) {
  if (value.is_string()) {
    for (const auto& [name, e] : EnumNames<E>(prefix)) {
      if (name == value.get<std::string>()) return e;
    }
  }
  return reader.Error(Quoted(path) + " must be one of " + KnownNames<E>(prefix) + ", got " +
                      value.dump());
}

template <typename E>
core::Result<std::vector<E>> ReadEnumList(const config::JsonReader& reader, const Json& value,
                                          const std::string& path, std::string_view prefix) {
  if (!value.is_array() || value.empty()) {
    return reader.Error(Quoted(path) + " must be a non-empty array, got " + value.dump());
  }
  std::vector<E> out;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item = path + "[" + std::to_string(i) + "]";
    auto e = ReadEnum<E>(reader, value[i], item, prefix);
    if (!e.ok()) return e.error();
    if (triggers::Contains(out, *e)) {
      return reader.Error(Quoted(item) + ": " + value[i].dump() + " is listed twice");
    }
    out.push_back(*e);
  }
  return out;
}

}  // namespace

// Reads triggers.json into a TriggerRules (a friend: it fills the private settings).
class TriggerConfigReader {
 public:
  explicit TriggerConfigReader(const TemplateCatalogue& catalogue) : catalogue_(catalogue) {}

  core::Result<TriggerRules> Read(std::string_view json, const EtrSettings& etr) const {
    auto root = reader_.ParseObject(json);
    if (!root.ok()) return root.error();
    constexpr std::string_view kTopKeys[] = {"note", "triggers", "department_names"};
    if (auto status = reader_.RejectUnknownKeys(*root, kTopKeys); !status.ok()) {
      return status.error();
    }
    if (const auto note = root->find("note"); note != root->end() && !note->is_string()) {
      return reader_.Error("\"note\" must be a string, got " + note->dump());
    }
    TriggerRules rules;
    rules.etr_ = etr;
    if (auto status = ReadTriggers(*root, rules); !status.ok()) return status.error();
    if (auto status = CheckLeads(rules); !status.ok()) return status.error();
    if (const auto names = root->find("department_names"); names != root->end()) {
      if (auto status = ReadDepartmentNames(*names, rules); !status.ok()) return status.error();
    }
    return rules;
  }

 private:
  core::Status ReadTriggers(const Json& root, TriggerRules& rules) const {
    const auto list = root.find("triggers");
    if (list == root.end() || !list->is_object()) {
      return reader_.Error("\"triggers\" must be an object keyed by trigger name");
    }
    for (const auto& [name, entry] : list->items()) {
      if (FindSpec(name) == nullptr) {
        std::vector<std::string_view> known;
        for (const TriggerSpec& spec : Specs()) known.push_back(spec.name);
        return reader_.Error("unknown trigger " + Quoted(name) + " (known: " + JoinNames(known) +
                             ")");
      }
    }
    for (const TriggerSpec& spec : Specs()) {
      const auto entry = list->find(spec.name);
      if (entry == list->end()) {
        return reader_.Error("missing trigger " + Quoted(spec.name) +
                             " (write {\"enabled\": false} to turn it off)");
      }
      auto settings = ReadTrigger(spec, *entry);
      if (!settings.ok()) return settings.error();
      rules.mutable_settings(spec.trigger) = std::move(*settings);
    }
    return {};
  }

  core::Result<TriggerSettings> ReadTrigger(const TriggerSpec& spec, const Json& entry) const {
    const std::string label = Quoted(spec.name);
    if (!entry.is_object()) return reader_.Error(label + " must be an object, got " + entry.dump());
    std::vector<std::string_view> known = {"enabled", "template"};
    known.insert(known.end(), spec.keys.begin(), spec.keys.end());
    if (auto status = reader_.RejectUnknownKeys(entry, known, label); !status.ok()) {
      return status.error();
    }
    TriggerSettings s = Defaults(spec.trigger);
    s.enabled = true;
    if (const auto it = entry.find("enabled"); it != entry.end()) {
      auto enabled = reader_.Bool(*it, Path(spec, "enabled"));
      if (!enabled.ok()) return enabled.error();
      s.enabled = *enabled;
    }
    for (const auto& [key, value] : entry.items()) {
      if (key == "enabled") continue;
      if (auto status = ReadKey(spec, key, value, s); !status.ok()) return status.error();
    }
    if (s.enabled && s.template_id.empty()) {
      return reader_.Error(label + ": \"template\" is required when the trigger is enabled");
    }
    return s;
  }

  core::Status ReadKey(const TriggerSpec& spec, const std::string& key, const Json& value,
                       TriggerSettings& s) const {
    const std::string path = Path(spec, key);
    if (key == "template" || key == spec.fallback_key) {
      const bool fallback = key != "template";
      auto id = ReadTemplate(spec, path, value, fallback ? spec.fallback_supplies : spec.supplies);
      if (!id.ok()) return id.error();
      (fallback ? s.fallback_template_id : s.template_id) = std::move(*id);
      return {};
    }
    if (key == "request_types" || key == "no_visit_types") {
      auto types = ReadEnumList<v1::RequestType>(reader_, value, path, "REQUEST_TYPE_");
      if (!types.ok()) return types.error();
      (key == "request_types" ? s.request_types : s.no_visit_types) = std::move(*types);
      return {};
    }
    if (key == "channels")
      return Assign(ReadEnumList<v1::Channel>(reader_, value, path, "CHANNEL_"), s.channels);
    if (key == "reasons") {
      return Assign(ReadEnumList<v1::RejectionReason>(reader_, value, path, "REJECTION_REASON_"),
                    s.reasons);
    }
    if (key == "levels") {
      return Assign(ReadEnumList<v1::IncidentLevel>(reader_, value, path, "INCIDENT_LEVEL_"),
                    s.levels);
    }
    if (key == "tags") {
      return Assign(ReadEnumList<v1::CustomerTag>(reader_, value, path, "CUSTOMER_TAG_"), s.tags);
    }
    if (key == "min_severity") {
      return Assign(ReadEnum<v1::AlertSeverity>(reader_, value, path, "ALERT_SEVERITY_"),
                    s.min_severity);
    }
    if (key == "default_role") {
      if (!value.is_string() || triggers::IsBlank(value.get<std::string>())) {
        return reader_.Error(Quoted(path) + " must be a non-empty string, got " + value.dump());
      }
      s.default_role = value.get<std::string>();
      return {};
    }
    return ReadHours(key, path, value, s);  // lead_hours, send_after_hours, ...
  }

  core::Status ReadHours(const std::string& key, const std::string& path, const Json& value,
                         TriggerSettings& s) const {
    constexpr int64_t kMaxHours = int64_t{24} * 366;
    const int64_t min = key == "send_after_hours" ? 0 : 1;
    auto n = reader_.Integer(value, path, min, kMaxHours);
    if (!n.ok()) return n.error();
    (key == "lead_hours" || key == "send_after_hours" ? s.lead : s.window) = hours(*n);
    return {};
  }

  template <typename V>
  static core::Status Assign(core::Result<V> read, V& out) {
    if (!read.ok()) return read.error();
    out = std::move(*read);
    return {};
  }

  // A template id that exists, is written for the trigger's audience and needs only what the
  // trigger (and the service, per recipient) supplies.
  core::Result<std::string> ReadTemplate(const TriggerSpec& spec, const std::string& path,
                                         const Json& value,
                                         const std::vector<std::string_view>& supplies) const {
    if (!value.is_string()) {
      return reader_.Error(Quoted(path) + " must be a template id, got " + value.dump());
    }
    const std::string id = value.get<std::string>();
    const std::string where = Quoted(path) + ": ";
    const std::optional<Audience> audience = catalogue_.AudienceOf(id);
    if (!audience) return reader_.Error(where + "unknown template " + Quoted(id));
    if (*audience != spec.audience) {
      return reader_.Error(where + Quoted(id) + " is a " + std::string(AudienceName(*audience)) +
                           " template, and trigger " + Quoted(spec.name) + " messages " +
                           (spec.audience == Audience::kStaff ? "staff" : "customers"));
    }
    const std::vector<std::string_view> filled = Filled(spec.fill);
    for (const std::string_view name : catalogue_.Placeholders(id)) {
      if (triggers::Contains(supplies, name) || triggers::Contains(filled, name)) continue;
      std::string offer = "it supplies " + (supplies.empty() ? "none" : JoinNames(supplies));
      if (!filled.empty()) offer += "; the service adds " + JoinNames(filled);
      return reader_.Error(where + Quoted(id) + " needs {" + std::string(name) +
                           "}, which trigger " + Quoted(spec.name) + " cannot supply (" + offer +
                           ")");
    }
    return id;
  }

  static std::vector<std::string_view> Filled(Fill fill) {
    switch (fill) {
      case Fill::kCustomer:
        return {kCustomerRecipientPlaceholders.begin(), kCustomerRecipientPlaceholders.end()};
      case Fill::kStaff:
        return {kStaffRecipientPlaceholders.begin(), kStaffRecipientPlaceholders.end()};
      case Fill::kNone:
        break;
    }
    return {};
  }

  // The reminder must come after the notice, or it never goes out; the return-visit notice
  // before the visit it promises.
  core::Status CheckLeads(const TriggerRules& rules) const {
    const auto count = [](core::Duration d) {
      return std::to_string(std::chrono::duration_cast<hours>(d).count());
    };
    const TriggerSettings& notice = rules.settings(T::kPlannedOutageNotice);
    const TriggerSettings& reminder = rules.settings(T::kPlannedOutageReminder);
    if (notice.enabled && reminder.enabled && reminder.lead >= notice.lead) {
      return reader_.Error("\"planned_outage.reminder.lead_hours\" (" + count(reminder.lead) +
                           ") must be shorter than \"planned_outage.notice.lead_hours\" (" +
                           count(notice.lead) + ")");
    }
    const TriggerSettings& visit = rules.settings(T::kComplaintReturnVisitDue);
    if (visit.enabled && visit.lead >= visit.window) {
      return reader_.Error(
          "\"complaint.return_visit_due.send_after_hours\" (" + count(visit.lead) +
          ") must be shorter than \"complaint.return_visit_due.visit_within_hours\" (" +
          count(visit.window) + ")");
    }
    return {};
  }

  core::Status ReadDepartmentNames(const Json& names, TriggerRules& rules) const {
    if (!names.is_object()) {
      return reader_.Error("\"department_names\" must be an object, got " + names.dump());
    }
    constexpr std::string_view kLanguageKeys[] = {"zh-CN", "en"};
    for (const auto& [id, entry] : names.items()) {
      const std::string path = "department_names." + id;
      const bool complete = entry.is_object() && entry.size() == 2 && entry.contains("zh-CN") &&
                            entry.contains("en") && entry["zh-CN"].is_string() &&
                            entry["en"].is_string() &&
                            !triggers::IsBlank(entry["zh-CN"].get<std::string>()) &&
                            !triggers::IsBlank(entry["en"].get<std::string>());
      if (!complete) {
        if (entry.is_object()) {
          if (auto status = reader_.RejectUnknownKeys(entry, kLanguageKeys, Quoted(path));
              !status.ok()) {
            return status;
          }
        }
        return reader_.Error(
            Quoted(path) +
            " must be {\"zh-CN\": \"…\", \"en\": \"…\"} with both names non-empty, "
            "got " +
            entry.dump());
      }
      rules.department_names_.emplace_back(
          id, triggers::Text(entry["zh-CN"].get<std::string>(), entry["en"].get<std::string>()));
    }
    return {};
  }

  static std::string Path(const TriggerSpec& spec, std::string_view key) {
    return std::string(spec.name) + "." + std::string(key);
  }

  const TemplateCatalogue& catalogue_;
  const config::JsonReader reader_{"triggers.json"};
};

std::string_view TriggerName(Trigger trigger) {
  for (const TriggerSpec& spec : Specs()) {
    if (spec.trigger == trigger) return spec.name;
  }
  return "unknown";
}

std::span<const Trigger> AllTriggers() {
  static const std::array<Trigger, kTriggerCount> all = [] {
    std::array<Trigger, kTriggerCount> out{};
    for (size_t i = 0; i < kTriggerCount; ++i) out[i] = static_cast<Trigger>(i);
    return out;
  }();
  return all;
}

core::Result<TriggerRules> TriggerRules::FromJson(std::string_view json,
                                                  const TemplateCatalogue& catalogue,
                                                  const EtrSettings& etr) {
  return TriggerConfigReader(catalogue).Read(json, etr);
}

}  // namespace gridcare::notification
