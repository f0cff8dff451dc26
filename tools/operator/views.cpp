#include "views.h"

#include "gridcare/core/text.h"
#include "gridcare/labels/labels.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::ops {
namespace {

constexpr auto kIncidentWarning = std::chrono::minutes(15);

const v1::ServiceClock* FindClock(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& all,
                                  v1::ServiceClock::Kind kind) {
  for (const auto& clock : all) {
    if (clock.kind() == kind) return &clock;
  }
  return nullptr;
}

nlohmann::json ClockCell(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& all,
                         v1::ServiceClock::Kind kind, core::TimePoint now) {
  const auto* clock = FindClock(all, kind);
  return clock ? nlohmann::json(ClockText(*clock, now)) : nlohmann::json();
}

nlohmann::json ClocksJson(const google::protobuf::RepeatedPtrField<v1::ServiceClock>& all,
                          core::TimePoint now, std::chrono::minutes warning) {
  auto out = nlohmann::json::array();
  for (const auto& clock : all) out.push_back(ClockJson(clock, now, warning));
  return out;
}

std::string Actor(const v1::Actor& actor) {
  const std::string kind = EnumWord(v1::Actor::Kind_Name(actor.kind()), "KIND_");
  if (actor.id().empty()) return kind;
  return kind.empty() ? actor.id() : kind + " " + actor.id();
}

}  // namespace

std::string EnumWord(std::string_view name, std::string_view prefix) {
  if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  if (name == "UNSPECIFIED") return "";
  return core::AsciiLower(name);
}

std::string ClockKindWord(v1::ServiceClock::Kind kind) {
  return EnumWord(v1::ServiceClock::Kind_Name(kind), "KIND_");
}

std::string TimeText(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  return TimeText(sla::FromTimestamp(timestamp));
}

std::string TimeText(core::TimePoint time) {
  std::string text = core::FormatRfc3339(time);  // "…T01:53:10.123Z"
  if (const auto dot = text.rfind('.'); dot != std::string::npos)
    text.erase(dot, text.size() - dot - 1);
  return text;
}

std::string DurationText(std::chrono::seconds duration) {
  int64_t s = duration.count() < 0 ? -duration.count() : duration.count();
  const auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  if (s < 86400) return std::to_string(s / 3600) + "h" + two((s % 3600) / 60) + "m";
  return std::to_string(s / 86400) + "d" + two((s % 86400) / 3600) + "h";
}

std::string ClockText(const v1::ServiceClock& clock, core::TimePoint now) {
  if (clock.has_met_at()) return "met " + TimeText(clock.met_at());
  if (!clock.has_due_at()) return "-";
  const auto left =
      std::chrono::duration_cast<std::chrono::seconds>(sla::FromTimestamp(clock.due_at()) - now);
  return left.count() >= 0 ? "due in " + DurationText(left) : DurationText(left) + " late";
}

nlohmann::json ClockJson(const v1::ServiceClock& clock, core::TimePoint now,
                         std::chrono::minutes warning) {
  int64_t late = 0;
  if (!clock.has_met_at() && clock.has_due_at()) {
    late =
        std::chrono::duration_cast<std::chrono::seconds>(now - sla::FromTimestamp(clock.due_at()))
            .count();
  }
  static constexpr const char* kStates[] = {"on_time", "due_soon", "overdue", "met"};
  return {{"kind", ClockKindWord(clock.kind())},
          {"due_at", TimeText(clock.due_at())},
          {"met_at", TimeText(clock.met_at())},
          {"working_days", clock.working_days()},
          {"state", kStates[static_cast<int>(sla::StateOf(clock, now, warning))]},
          {"seconds_late", late}};
}

Table IncidentTable(const std::vector<v1::Incident>& incidents, core::TimePoint now) {
  Table table({{"incident_id", "INCIDENT", 32},
               {"level", "LEVEL", 16},
               {"state", "STATE", 10},
               {"priority", "PRIORITY", 8},
               {"affected_customers", "CUSTOMERS", 9},
               {"call_count", "CALLS", 5},
               {"crew_id", "CREW", 16},
               {"etr", "ETR", 20},
               {"arrival", "ARRIVAL", 24},
               {"restoration", "RESTORATION", 24}});
  for (const auto& incident : incidents) {
    table.AddRow({incident.incident_id(),
                  EnumWord(v1::IncidentLevel_Name(incident.level()), "INCIDENT_LEVEL_"),
                  EnumWord(v1::IncidentState_Name(incident.state()), "INCIDENT_STATE_"),
                  EnumWord(v1::Priority_Name(incident.priority()), "PRIORITY_"),
                  incident.affected_customers(), incident.call_count(),
                  TextOrNull(incident.crew_id()),
                  TextOrNull(TimeText(incident.estimated_restoration_at())),
                  ClockCell(incident.clocks(), v1::ServiceClock::KIND_ARRIVAL, now),
                  ClockCell(incident.clocks(), v1::ServiceClock::KIND_RESTORATION, now)});
  }
  return table;
}

nlohmann::json IncidentsJson(const std::vector<v1::Incident>& incidents, core::TimePoint now) {
  auto out = nlohmann::json::array();
  for (const auto& incident : incidents) {
    out.push_back({{"incident_id", incident.incident_id()},
                   {"level", EnumWord(v1::IncidentLevel_Name(incident.level()), "INCIDENT_LEVEL_")},
                   {"state", EnumWord(v1::IncidentState_Name(incident.state()), "INCIDENT_STATE_")},
                   {"priority", EnumWord(v1::Priority_Name(incident.priority()), "PRIORITY_")},
                   {"affected_customers", incident.affected_customers()},
                   {"call_count", incident.call_count()},
                   {"last_gasp_count", incident.last_gasp_count()},
                   {"life_support_affected", incident.life_support_affected()},
                   {"important_customer_affected", incident.important_customer_affected()},
                   {"feeder_id", incident.supply().feeder_id()},
                   {"transformer_id", incident.supply().transformer_id()},
                   {"crew_id", incident.crew_id()},
                   {"work_order_id", incident.work_order_id()},
                   {"planned_outage_id", incident.planned_outage_id()},
                   {"estimated_restoration_at", TimeText(incident.estimated_restoration_at())},
                   {"opened_at", TimeText(incident.opened_at())},
                   {"clocks", ClocksJson(incident.clocks(), now, kIncidentWarning)}});
  }
  return out;
}

std::string TicketSummaryText(const v1::TrackResponse& track, core::TimePoint now) {
  const auto& t = track.ticket();
  std::string out;
  const auto line = [&out](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    std::string padded(label);
    padded.resize(14, ' ');
    out += padded + OneLine(value) + "\n";
  };
  line("ticket", t.ticket_id());
  line("type", labels::RequestTypeLabel(t.type()).en() + " (" +
                   EnumWord(v1::RequestType_Name(t.type()), "REQUEST_TYPE_") + ")");
  line("state", EnumWord(v1::TicketState_Name(t.state()), "TICKET_STATE_"));
  line("priority", EnumWord(v1::Priority_Name(t.priority()), "PRIORITY_"));
  line("channel", EnumWord(v1::Channel_Name(t.channel()), "CHANNEL_"));
  line("customer", t.unidentified() ? std::string("(unidentified)") : t.customer_id());
  line("owner", t.owner_reference());
  line("opened", TimeText(t.opened_at()));
  line("updated", TimeText(t.updated_at()));
  line("contacts",
       std::to_string(t.contact_count()) + " (urgings " + std::to_string(t.urging_count()) + ")");
  line("restoration", TimeText(track.estimated_restoration_at()));
  for (const auto& clock : t.clocks()) {
    line("clock", ClockKindWord(clock.kind()) + ": " + ClockText(clock, now) + " (due " +
                      TimeText(clock.due_at()) + ")");
  }
  return out;
}

Table TimelineTable(const v1::TrackResponse& track, Language language) {
  Table table({{"at", "AT", 20},
               {"state", "STATE", 12},
               {"event_type", "EVENT", 48},
               {"actor", "ACTOR", 24},
               {"description", "STEP", 80}});
  for (const auto& step : track.timeline()) {
    const auto& text = language == Language::kChinese && !step.description().zh_cn().empty()
                           ? step.description().zh_cn()
                           : step.description().en();
    table.AddRow({TimeText(step.at()),
                  TextOrNull(EnumWord(v1::TicketState_Name(step.state()), "TICKET_STATE_")),
                  step.event_type(), TextOrNull(Actor(step.actor())), text});
  }
  return table;
}

nlohmann::json TicketJson(const v1::TrackResponse& track, core::TimePoint now) {
  const auto& t = track.ticket();
  auto timeline = nlohmann::json::array();
  for (const auto& step : track.timeline()) {
    timeline.push_back({{"at", TimeText(step.at())},
                        {"state", EnumWord(v1::TicketState_Name(step.state()), "TICKET_STATE_")},
                        {"event_type", step.event_type()},
                        {"actor", Actor(step.actor())},
                        {"description_en", step.description().en()},
                        {"description_zh_cn", step.description().zh_cn()}});
  }
  return {{"ticket_id", t.ticket_id()},
          {"request_id", t.request_id()},
          {"type", EnumWord(v1::RequestType_Name(t.type()), "REQUEST_TYPE_")},
          {"state", EnumWord(v1::TicketState_Name(t.state()), "TICKET_STATE_")},
          {"priority", EnumWord(v1::Priority_Name(t.priority()), "PRIORITY_")},
          {"channel", EnumWord(v1::Channel_Name(t.channel()), "CHANNEL_")},
          {"customer_id", t.customer_id()},
          {"owner_reference", t.owner_reference()},
          {"opened_at", TimeText(t.opened_at())},
          {"updated_at", TimeText(t.updated_at())},
          {"contact_count", t.contact_count()},
          {"urging_count", t.urging_count()},
          {"estimated_restoration_at", TimeText(track.estimated_restoration_at())},
          {"clocks", ClocksJson(t.clocks(), now, std::chrono::minutes(0))},
          {"timeline", timeline}};
}

}  // namespace gridcare::ops
