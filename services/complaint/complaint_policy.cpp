#include "complaint_policy.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/config/json_reader.h"

namespace gridcare::complaint {
namespace {

using Json = nlohmann::json;

const config::JsonReader kReader("complaint policy");

constexpr std::string_view kKeys[] = {"reminder_percents",
                                      "ladder",
                                      "max_returns",
                                      "contact_attempts_required",
                                      "visit_attempts",
                                      "dissatisfied_to_coordinator",
                                      "fault_visit_share",
                                      "senior_contact_hours",
                                      "senior_reply_working_days",
                                      "coordination_working_days",
                                      "no_visit_types",
                                      "causes",
                                      "note"};
constexpr std::string_view kRungKeys[] = {"level", "role", "after_breach_hours"};
constexpr std::string_view kCauseKeys[] = {"code", "zh_cn", "en"};

constexpr int64_t kMaxCount = 100;
constexpr int64_t kMaxHours = int64_t{365} * 24;
constexpr int64_t kMaxWorkingDays = 365;

// The request type names the JSON uses.
constexpr std::array<std::pair<std::string_view, v1::RequestType>, 6> kTypeNames = {{
    {"complaint", v1::REQUEST_TYPE_COMPLAINT},
    {"report", v1::REQUEST_TYPE_REPORT},
    {"opinion", v1::REQUEST_TYPE_OPINION},
    {"suggestion", v1::REQUEST_TYPE_SUGGESTION},
    {"praise", v1::REQUEST_TYPE_PRAISE},
    {"consultation", v1::REQUEST_TYPE_CONSULTATION},
}};

std::string Indexed(std::string_view key, size_t index) {
  return std::string(key) + "[" + std::to_string(index) + "]";
}

// `value` must be a JSON array: "\"<key>\" must be an array, got ...".
core::Status RequireArray(const Json& value, std::string_view key) {
  if (value.is_array()) return core::Status::Ok();
  return kReader.Error("\"" + std::string(key) + "\" must be an array, got " + value.dump());
}

// A non-empty string at `path`.
core::Result<std::string> NonEmptyString(const Json& value, const std::string& path) {
  auto text = kReader.String(value, path);
  if (!text.ok()) return text;
  if (text->empty()) return kReader.Error("\"" + path + "\" must not be empty");
  return text;
}

core::Result<std::vector<int>> ReadReminders(const Json& value) {
  if (auto status = RequireArray(value, "reminder_percents"); !status.ok()) return status.error();
  std::vector<int> percents;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string path = Indexed("reminder_percents", i);
    auto percent = kReader.Integer(value[i], path, 1, 99);
    if (!percent.ok()) return percent.error();
    if (!percents.empty() && *percent <= percents.back()) {
      return kReader.Error("\"" + path + "\" (" + std::to_string(*percent) +
                           ") must be above the percent before it (" +
                           std::to_string(percents.back()) + "): percents rise strictly");
    }
    percents.push_back(static_cast<int>(*percent));
  }
  return percents;
}

core::Result<LadderRung> ReadRung(const Json& value, size_t index,
                                  const std::vector<LadderRung>& before) {
  const std::string path = Indexed("ladder", index);
  if (!value.is_object()) {
    return kReader.Error("\"" + path + "\" must be an object, got " + value.dump());
  }
  if (auto status = kReader.RejectUnknownKeys(value, kRungKeys, path); !status.ok()) {
    return status.error();
  }
  for (const std::string_view key : kRungKeys) {
    if (!value.contains(std::string(key))) {
      return kReader.Error("\"" + path + "." + std::string(key) + "\" is required");
    }
  }
  const auto expected_level = static_cast<int64_t>(index) + 1;
  auto level = kReader.Integer(value.at("level"), path + ".level", 1, kMaxCount);
  if (!level.ok()) return level.error();
  if (*level != expected_level) {
    return kReader.Error("\"" + path + ".level\" must be " + std::to_string(expected_level) +
                         ", got " + std::to_string(*level) + ": levels are 1, 2, 3 … in order");
  }
  auto role = NonEmptyString(value.at("role"), path + ".role");
  if (!role.ok()) return role.error();
  auto hours =
      kReader.Integer(value.at("after_breach_hours"), path + ".after_breach_hours", 0, kMaxHours);
  if (!hours.ok()) return hours.error();
  const std::chrono::hours after_breach(*hours);
  if (!before.empty() && after_breach < before.back().after_breach) {
    return kReader.Error("\"" + path + ".after_breach_hours\" (" + std::to_string(*hours) +
                         ") must not be below the level before it (" +
                         std::to_string(before.back().after_breach.count()) + ")");
  }
  return LadderRung{static_cast<int>(*level), std::move(*role), after_breach};
}

core::Result<std::vector<LadderRung>> ReadLadder(const Json& value) {
  if (auto status = RequireArray(value, "ladder"); !status.ok()) return status.error();
  if (value.empty()) return kReader.Error("\"ladder\" must have at least level 1");
  std::vector<LadderRung> ladder;
  for (size_t i = 0; i < value.size(); ++i) {
    auto rung = ReadRung(value[i], i, ladder);
    if (!rung.ok()) return rung.error();
    ladder.push_back(std::move(*rung));
  }
  return ladder;
}

core::Result<std::vector<v1::RequestType>> ReadTypes(const Json& value) {
  if (auto status = RequireArray(value, "no_visit_types"); !status.ok()) return status.error();
  std::vector<v1::RequestType> types;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string path = Indexed("no_visit_types", i);
    auto name = kReader.String(value[i], path);
    if (!name.ok()) return name.error();
    const auto* found = std::find_if(kTypeNames.begin(), kTypeNames.end(),
                                     [&](const auto& entry) { return entry.first == *name; });
    if (found == kTypeNames.end()) {
      std::string known;
      for (const auto& entry : kTypeNames)
        known += (known.empty() ? "" : ", ") + std::string(entry.first);
      return kReader.Error("\"" + path + "\": unknown request type \"" + *name +
                           "\" (known: " + known + ")");
    }
    if (std::find(types.begin(), types.end(), found->second) != types.end()) {
      return kReader.Error("\"" + path + "\": \"" + *name + "\" given more than once");
    }
    types.push_back(found->second);
  }
  return types;
}

core::Result<CauseCode> ReadCause(const Json& value, const std::string& path) {
  if (!value.is_object()) {
    return kReader.Error("\"" + path + "\" must be an object, got " + value.dump());
  }
  if (auto status = kReader.RejectUnknownKeys(value, kCauseKeys, path); !status.ok()) {
    return status.error();
  }
  std::array<std::string, 3> texts;
  for (size_t k = 0; k < texts.size(); ++k) {
    const std::string field = path + "." + std::string(kCauseKeys[k]);
    if (!value.contains(std::string(kCauseKeys[k])))
      return kReader.Error("\"" + field + "\" is required");
    auto text = NonEmptyString(value.at(std::string(kCauseKeys[k])), field);
    if (!text.ok()) return text.error();
    texts[k] = std::move(*text);
  }
  CauseCode cause;
  cause.code = std::move(texts[0]);
  cause.label.set_zh_cn(std::move(texts[1]));
  cause.label.set_en(std::move(texts[2]));
  return cause;
}

core::Result<std::vector<CauseCode>> ReadCauses(const Json& value) {
  if (auto status = RequireArray(value, "causes"); !status.ok()) return status.error();
  std::vector<CauseCode> causes;
  std::set<std::string> codes;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string path = Indexed("causes", i);
    auto cause = ReadCause(value[i], path);
    if (!cause.ok()) return cause.error();
    if (!codes.insert(cause->code).second) {
      return kReader.Error("\"" + path + ".code\": \"" + cause->code + "\" given more than once");
    }
    causes.push_back(std::move(*cause));
  }
  return causes;
}

// The integer keys: name, member, minimum.
struct CountKey {
  std::string_view name;
  int ComplaintPolicy::*member;
  int64_t min;
  int64_t max;
};

constexpr std::array<CountKey, 6> kCountKeys = {{
    {"max_returns", &ComplaintPolicy::max_returns, 1, kMaxCount},
    {"contact_attempts_required", &ComplaintPolicy::contact_attempts_required, 1, kMaxCount},
    {"visit_attempts", &ComplaintPolicy::visit_attempts, 1, kMaxCount},
    {"dissatisfied_to_coordinator", &ComplaintPolicy::dissatisfied_to_coordinator, 1, kMaxCount},
    {"senior_reply_working_days", &ComplaintPolicy::senior_reply_working_days, 1, kMaxWorkingDays},
    {"coordination_working_days", &ComplaintPolicy::coordination_working_days, 1, kMaxWorkingDays},
}};

// One key other than the lists: the counts, the share, the senior contact hours and the note.
core::Status ReadScalar(const std::string& key, const Json& value, ComplaintPolicy& policy) {
  const auto* count = std::find_if(kCountKeys.begin(), kCountKeys.end(),
                                   [&](const CountKey& entry) { return entry.name == key; });
  if (count != kCountKeys.end()) {
    auto number = kReader.Integer(value, key, count->min, count->max);
    if (!number.ok()) return number.error();
    policy.*(count->member) = static_cast<int>(*number);
  } else if (key == "fault_visit_share") {
    auto share = kReader.Number(value, key, 0.0, 1.0);
    if (!share.ok()) return share.error();
    policy.fault_visit_share = *share;
  } else if (key == "senior_contact_hours") {
    auto hours = kReader.Integer(value, key, 1, kMaxHours);
    if (!hours.ok()) return hours.error();
    policy.senior_contact = std::chrono::hours(*hours);
  } else if (key == "note") {
    auto note = kReader.String(value, key);
    if (!note.ok()) return note.error();
  }
  return core::Status::Ok();
}

// One key of the policy into `policy`.
core::Status ReadKey(const std::string& key, const Json& value, ComplaintPolicy& policy) {
  if (key == "reminder_percents") {
    auto percents = ReadReminders(value);
    if (!percents.ok()) return percents.error();
    policy.reminder_percents = std::move(*percents);
  } else if (key == "ladder") {
    auto ladder = ReadLadder(value);
    if (!ladder.ok()) return ladder.error();
    policy.ladder = std::move(*ladder);
  } else if (key == "no_visit_types") {
    auto types = ReadTypes(value);
    if (!types.ok()) return types.error();
    policy.no_visit_types = std::move(*types);
  } else if (key == "causes") {
    auto causes = ReadCauses(value);
    if (!causes.ok()) return causes.error();
    policy.causes = std::move(*causes);
  } else {
    return ReadScalar(key, value, policy);
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<ComplaintPolicy> ComplaintPolicy::FromJson(std::string_view json) {
  auto root = kReader.ParseObject(json);
  if (!root.ok()) return root.error();
  if (auto status = kReader.RejectUnknownKeys(*root, kKeys); !status.ok()) return status.error();
  ComplaintPolicy policy;
  for (const auto& [key, value] : root->items()) {
    if (auto status = ReadKey(key, value, policy); !status.ok()) return status.error();
  }
  return policy;
}

bool ComplaintPolicy::IsKnownCause(std::string_view code) const {
  if (code.empty()) return false;
  if (causes.empty()) return true;
  return std::any_of(causes.begin(), causes.end(),
                     [&](const CauseCode& cause) { return cause.code == code; });
}

bool ComplaintPolicy::ClosesWithoutVisit(v1::RequestType type) const {
  return std::find(no_visit_types.begin(), no_visit_types.end(), type) != no_visit_types.end();
}

const LadderRung* ComplaintPolicy::Rung(int level) const {
  const auto found = std::find_if(ladder.begin(), ladder.end(),
                                  [&](const LadderRung& rung) { return rung.level == level; });
  return found == ladder.end() ? nullptr : &*found;
}

bool SampledForFaultVisit(std::string_view ticket_id, double share) {
  if (!(share > 0.0)) return false;  // also NaN
  if (share >= 1.0) return true;
  constexpr uint64_t kOffsetBasis = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = kOffsetBasis;
  for (const char c : ticket_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kPrime;
  }
  // FNV-1a alone spreads ids that differ only in their last characters (sequence numbers) badly
  // over its top bits (of 10,000 sequential ticket ids 62% fall below 0.5), so the hash goes
  // through MurmurHash3's fmix64 finalizer before its top 53 bits become the fraction (exact in a
  // double, so the value stays below 1; hash / 2^64 in double rounds the largest hashes up to 1).
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
  const double unit = static_cast<double>(hash >> 11) * kTwoToMinus53;
  return unit < share;
}

}  // namespace gridcare::complaint
