#include "history_output.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "gridcare/synth/utility.h"
#include "jsonl.h"

namespace gridcare::synth_tool {
namespace {

using json = nlohmann::ordered_json;

std::string Time(core::TimePoint t) { return core::FormatRfc3339(t); }

json Categories(const synth::History& history) {
  json out = json::array();
  for (const auto& c : history.categories) {
    out.push_back({{"name", c.name},
                   {"request_type", v1::RequestType_Name(c.type)},
                   {"hourly_rate", c.hourly_rate}});
  }
  return out;
}

json Districts(const synth::History& history) {
  json out = json::array();
  for (const auto& d : history.districts) {
    out.push_back({{"id", d.id}, {"name", d.name}, {"weight", d.weight}});
  }
  return out;
}

json Surges(const synth::History& history) {
  json out = json::array();
  for (size_t i = 0; i < history.surges.size(); ++i) {
    const auto& s = history.surges[i];
    out.push_back({{"index", i},
                   {"category", s.spec.category},
                   {"district_id", s.spec.district_id},
                   {"start", Time(s.spec.start)},
                   {"end", Time(s.end)},
                   {"hours", s.spec.hours},
                   {"multiplier", s.spec.multiplier},
                   {"shape", s.spec.shape == synth::SurgeShape::kRamp ? "ramp" : "sudden"},
                   {"ramp_hours", s.spec.ramp_hours},
                   {"topic_zh", s.topic_zh},
                   {"topic_en", s.topic_en},
                   {"extra_contacts", s.extra_contacts}});
  }
  return out;
}

json Storms(const synth::History& history) {
  json out = json::array();
  for (size_t i = 0; i < history.storms.size(); ++i) {
    const auto& s = history.storms[i];
    out.push_back({{"index", i},
                   {"incident_id", s.spec.incident_id},
                   {"district_id", s.spec.district_id},
                   {"start", Time(s.spec.start)},
                   {"end", Time(s.end)},
                   {"peak_rate", s.spec.peak_rate},
                   {"extra_contacts", s.extra_contacts}});
  }
  return out;
}

json Holidays(const synth::History& history) {
  json out = json::array();
  for (const auto& h : history.holidays) {
    out.push_back({{"name", h.spec.name},
                   {"day", h.spec.day},
                   {"factor", h.spec.factor},
                   {"start", Time(h.start)},
                   {"end", Time(h.end)}});
  }
  return out;
}

core::Status WriteTruth(const synth::History& history, uint64_t seed, int64_t requests,
                        const std::filesystem::path& path) {
  const json truth = {
      {"seed", seed},
      {"start", Time(history.start)},
      {"end", Time(history.end)},
      {"weeks", std::chrono::floor<std::chrono::hours>(history.end - history.start).count() / 168},
      {"local_time", "UTC+8: daily and weekly profiles, holidays and hour indexes are local"},
      {"requests", requests},
      {"categories", Categories(history)},
      {"districts", Districts(history)},
      {"holidays", Holidays(history)},
      {"storms", Storms(history)},
      {"surges", Surges(history)},
  };
  JsonlFile file(path);
  file.WriteLine(truth.dump(2));
  return file.Commit();
}

}  // namespace

core::Result<HistoryFiles> WriteHistory(const synth::History& history, uint64_t seed,
                                        const synth::Utility* utility,
                                        const std::filesystem::path& dir) {
  JsonlFile requests(dir / "requests.jsonl");
  JsonlFile labels(dir / "history-labels.jsonl");
  if (auto s = requests.status(); !s) return s.error();
  if (auto s = labels.status(); !s) return s.error();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string line;
  for (size_t i = 0; i < history.contacts.size(); ++i) {
    const auto request = synth::ToServiceRequest(history, i, seed, utility);
    line.clear();
    const auto status = google::protobuf::util::MessageToJsonString(request, &line, options);
    if (!status.ok()) return core::Internal("protobuf JSON: " + status.ToString());
    requests.WriteLine(line);
    const auto& contact = history.contacts[i];
    labels.WriteLine(json{
        {"request_id", request.request_id()},
        {"category", history.categories[static_cast<size_t>(contact.category)].name},
        {"request_type", v1::RequestType_Name(contact.type)},
        {"district_id", history.districts[static_cast<size_t>(contact.district)].id},
        {"surge", contact.surge},
        {"storm",
         contact.storm}}.dump());
  }
  if (auto s = requests.Commit(); !s) return s.error();
  if (auto s = labels.Commit(); !s) return s.error();
  const auto count = static_cast<int64_t>(history.contacts.size());
  if (auto s = WriteTruth(history, seed, count, dir / "history-truth.json"); !s) return s.error();
  return HistoryFiles{count};
}

}  // namespace gridcare::synth_tool
