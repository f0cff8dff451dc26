#include "trigger_memo.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

#include "gridcare/config/json_reader.h"

namespace gridcare::notification {
namespace {

using Json = nlohmann::json;

constexpr int64_t kVersion = 1;
constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();

constexpr std::string_view kIncidentKeys[] = {"v",       "started",     "etr_ms", "etr_count",
                                              "on_site", "restored",    "merged", "level",
                                              "feeder",  "transformer", "planned"};
constexpr std::string_view kPlannedKeys[] = {"starts_ms", "ends_ms",   "feeder",    "transformer",
                                             "reason_zh", "reason_en", "cancelled", "notice_ms"};
constexpr std::string_view kCaseKeys[] = {"v",    "customer", "department_id", "department",
                                          "type", "origin",   "reply_due_ms"};

// Reads the keys of one memo object; each Read* leaves `out` untouched when the key is absent.
class Fields {
 public:
  Fields(const config::JsonReader& reader, const Json& object, std::string prefix)
      : reader_(reader), object_(object), prefix_(std::move(prefix)) {}

  core::Status Bool(std::string_view key, bool& out) const {
    const Json* value = Find(key);
    if (value == nullptr) return {};
    auto parsed = reader_.Bool(*value, Path(key));
    if (!parsed.ok()) return parsed.error();
    out = *parsed;
    return {};
  }

  core::Status String(std::string_view key, std::string& out) const {
    const Json* value = Find(key);
    if (value == nullptr) return {};
    auto parsed = reader_.String(*value, Path(key));
    if (!parsed.ok()) return parsed.error();
    out = std::move(*parsed);
    return {};
  }

  core::Status Integer(std::string_view key, int64_t min, int64_t max, int64_t& out) const {
    const Json* value = Find(key);
    if (value == nullptr) return {};
    auto parsed = reader_.Integer(*value, Path(key), min, max);
    if (!parsed.ok()) return parsed.error();
    out = *parsed;
    return {};
  }

  core::Status Time(std::string_view key, core::TimePoint& out) const {
    int64_t millis = 0;
    if (Find(key) == nullptr) return {};
    if (auto status = Integer(key, kMinInt, kMaxInt, millis); !status.ok()) return status;
    out = core::FromUnixMillis(millis);
    return {};
  }

  core::Status OptionalTime(std::string_view key, std::optional<core::TimePoint>& out) const {
    if (Find(key) == nullptr) return {};
    core::TimePoint t;
    if (auto status = Time(key, t); !status.ok()) return status;
    out = t;
    return {};
  }

  /// A protobuf enum stored as its number; `valid` says which numbers exist.
  template <typename E>
  core::Status Enum(std::string_view key, bool (*valid)(int), E& out) const {
    const Json* value = Find(key);
    if (value == nullptr) return {};
    int64_t number = 0;
    if (auto status = Integer(key, 0, std::numeric_limits<int>::max(), number); !status.ok()) {
      return status;
    }
    if (!valid(static_cast<int>(number))) {
      return reader_.Error("\"" + Path(key) + "\": unknown value " + std::to_string(number));
    }
    out = static_cast<E>(number);
    return {};
  }

 private:
  const Json* Find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }

  const config::JsonReader& reader_;
  const Json& object_;
  std::string prefix_;
};

// The top-level object of a memo, with its version checked.
core::Result<Json> OpenMemo(const config::JsonReader& reader, std::string_view text,
                            std::span<const std::string_view> keys) {
  auto root = reader.ParseObject(text);
  if (!root.ok()) return root.error();
  if (auto status = reader.RejectUnknownKeys(*root, keys); !status.ok()) return status.error();
  int64_t version = 0;
  if (auto status = Fields(reader, *root, "").Integer("v", 0, kMaxInt, version); !status.ok()) {
    return status.error();
  }
  if (version != kVersion) {
    return reader.Error("unknown version " + std::to_string(version) + " (this build writes " +
                        std::to_string(kVersion) + ")");
  }
  return root;
}

Json EncodePlanned(const PlannedOutageMemo& p) {
  Json out = {{"starts_ms", core::ToUnixMillis(p.starts_at)},
              {"ends_ms", core::ToUnixMillis(p.ends_at)},
              {"notice_ms", core::ToUnixMillis(p.notice_at)}};
  if (!p.feeder_id.empty()) out["feeder"] = p.feeder_id;
  if (!p.transformer_id.empty()) out["transformer"] = p.transformer_id;
  if (!p.reason_zh_cn.empty()) out["reason_zh"] = p.reason_zh_cn;
  if (!p.reason_en.empty()) out["reason_en"] = p.reason_en;
  if (p.cancelled) out["cancelled"] = true;
  return out;
}

core::Result<PlannedOutageMemo> DecodePlanned(const config::JsonReader& reader, const Json& value) {
  if (!value.is_object()) {
    return reader.Error("\"planned\" must be an object, got " + value.dump());
  }
  if (auto status = reader.RejectUnknownKeys(value, kPlannedKeys, "planned"); !status.ok()) {
    return status.error();
  }
  PlannedOutageMemo p;
  const Fields fields(reader, value, "planned.");
  for (core::Status status :
       {fields.Time("starts_ms", p.starts_at), fields.Time("ends_ms", p.ends_at),
        fields.Time("notice_ms", p.notice_at), fields.String("feeder", p.feeder_id),
        fields.String("transformer", p.transformer_id), fields.String("reason_zh", p.reason_zh_cn),
        fields.String("reason_en", p.reason_en), fields.Bool("cancelled", p.cancelled)}) {
    if (!status.ok()) return status.error();
  }
  return p;
}

}  // namespace

std::string IncidentMemo::Encode() const {
  Json out = {{"v", kVersion}};
  if (started) out["started"] = true;
  if (last_etr) out["etr_ms"] = core::ToUnixMillis(*last_etr);
  if (etr_count != 0) out["etr_count"] = etr_count;
  if (crew_on_site) out["on_site"] = true;
  if (restored) out["restored"] = true;
  if (merged) out["merged"] = true;
  if (level != v1::INCIDENT_LEVEL_UNSPECIFIED) out["level"] = static_cast<int>(level);
  if (!feeder_id.empty()) out["feeder"] = feeder_id;
  if (!transformer_id.empty()) out["transformer"] = transformer_id;
  if (planned) out["planned"] = EncodePlanned(*planned);
  return out.dump();
}

core::Result<IncidentMemo> IncidentMemo::Decode(std::string_view text) {
  if (text.empty()) return IncidentMemo{};
  const config::JsonReader reader("incident memo");
  auto root = OpenMemo(reader, text, kIncidentKeys);
  if (!root.ok()) return root.error();
  IncidentMemo memo;
  int64_t count = 0;
  const Fields fields(reader, *root, "");
  for (core::Status status :
       {fields.Bool("started", memo.started), fields.OptionalTime("etr_ms", memo.last_etr),
        fields.Integer("etr_count", 0, 1000, count), fields.Bool("on_site", memo.crew_on_site),
        fields.Bool("restored", memo.restored), fields.Bool("merged", memo.merged),
        fields.Enum("level", &v1::IncidentLevel_IsValid, memo.level),
        fields.String("feeder", memo.feeder_id),
        fields.String("transformer", memo.transformer_id)}) {
    if (!status.ok()) return status.error();
  }
  memo.etr_count = static_cast<int>(count);
  if (const auto it = root->find("planned"); it != root->end()) {
    auto planned = DecodePlanned(reader, *it);
    if (!planned.ok()) return planned.error();
    memo.planned = std::move(*planned);
  }
  return memo;
}

std::string CaseMemo::Encode() const {
  Json out = {{"v", kVersion}};
  if (!customer_id.empty()) out["customer"] = customer_id;
  if (!department_id.empty()) out["department_id"] = department_id;
  if (department != v1::DEPARTMENT_UNSPECIFIED) out["department"] = static_cast<int>(department);
  if (request_type != v1::REQUEST_TYPE_UNSPECIFIED) out["type"] = static_cast<int>(request_type);
  if (origin != v1::CASE_ORIGIN_UNSPECIFIED) out["origin"] = static_cast<int>(origin);
  if (reply_due_at) out["reply_due_ms"] = core::ToUnixMillis(*reply_due_at);
  return out.dump();
}

core::Result<CaseMemo> CaseMemo::Decode(std::string_view text) {
  if (text.empty()) return CaseMemo{};
  const config::JsonReader reader("case memo");
  auto root = OpenMemo(reader, text, kCaseKeys);
  if (!root.ok()) return root.error();
  CaseMemo memo;
  const Fields fields(reader, *root, "");
  for (core::Status status : {fields.String("customer", memo.customer_id),
                              fields.String("department_id", memo.department_id),
                              fields.Enum("department", &v1::Department_IsValid, memo.department),
                              fields.Enum("type", &v1::RequestType_IsValid, memo.request_type),
                              fields.Enum("origin", &v1::CaseOrigin_IsValid, memo.origin),
                              fields.OptionalTime("reply_due_ms", memo.reply_due_at)}) {
    if (!status.ok()) return status.error();
  }
  return memo;
}

}  // namespace gridcare::notification
