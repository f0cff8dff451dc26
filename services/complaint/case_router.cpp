#include "case_router.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/text_folding.h"
#include "gridcare/core/utf8.h"
#include "json_fields.h"

namespace gridcare::complaint {
namespace {

using json_fields::Json;

const config::JsonReader kReader("routing rules");

constexpr std::string_view kTopKeys[] = {"rules", "note"};
constexpr std::string_view kRuleKeys[] = {"id",        "types", "categories",        "keywords",
                                          "districts", "tags",  "requires_incident", "department",
                                          "unit"};

// The request types that become complaint cases, as routing rules name them.
constexpr std::array<json_fields::EnumName<v1::RequestType>, 6> kTypes = {{
    {"complaint", v1::REQUEST_TYPE_COMPLAINT},
    {"report", v1::REQUEST_TYPE_REPORT},
    {"opinion", v1::REQUEST_TYPE_OPINION},
    {"suggestion", v1::REQUEST_TYPE_SUGGESTION},
    {"praise", v1::REQUEST_TYPE_PRAISE},
    {"consultation", v1::REQUEST_TYPE_CONSULTATION},
}};

constexpr std::array<json_fields::EnumName<v1::CustomerTag>, 5> kTags = {{
    {"important", v1::CUSTOMER_TAG_IMPORTANT},
    {"life_support", v1::CUSTOMER_TAG_LIFE_SUPPORT},
    {"sensitive", v1::CUSTOMER_TAG_SENSITIVE},
    {"elderly", v1::CUSTOMER_TAG_ELDERLY},
    {"vip_account", v1::CUSTOMER_TAG_VIP_ACCOUNT},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<json_fields::EnumName<Enum>, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsWordByte(char c) { return core::IsAsciiWordChar(static_cast<unsigned char>(c)); }

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Text as keywords meet it: folded (full-width → ASCII, case, traditional → simplified).
std::string Folded(std::string_view text) {
  return core::EncodeUtf8(core::FoldText(text, core::InvalidUtf8::kReplace));
}

// Without whitespace: how Chinese keywords read text ("电 费" is "电费").
std::string Compact(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  for (const char c : folded) {
    if (!IsSpace(c)) out += c;
  }
  return out;
}

// Whitespace runs as one space, trimmed: how English keywords read text.
std::string Spaced(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (const char c : folded) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// A configured keyword as it is matched: folded, and then an ASCII keyword (English, digits)
// spaced, any other (Chinese) compact.
std::string NormalizeKeyword(std::string_view keyword) {
  const std::string folded = Folded(keyword);
  return IsAscii(folded) ? Spaced(folded) : Compact(folded);
}

// The two views of a customer's text a keyword is looked for in.
struct TextViews {
  std::string compact;
  std::string spaced;
};

// Whether `keyword` (normalized) occurs: a Chinese one anywhere in the compact view, an ASCII one
// at the start of a word of the spaced view ("meter" meets "meters", not "kilometer").
bool Occurs(const TextViews& text, const std::string& keyword) {
  if (!IsAscii(keyword)) return text.compact.find(keyword) != std::string::npos;
  const bool word_start = IsWordByte(keyword.front());
  for (size_t at = text.spaced.find(keyword); at != std::string::npos;
       at = text.spaced.find(keyword, at + 1)) {
    if (!word_start || at == 0 || !IsWordByte(text.spaced[at - 1])) return true;
  }
  return false;
}

template <typename T>
bool Contains(const std::vector<T>& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

core::Result<std::vector<std::string>> ReadKeywords(const config::JsonReader& reader,
                                                    const Json& entry) {
  auto keywords = json_fields::StringList(reader, entry, "keywords");
  if (!keywords.ok()) return keywords.error();
  for (size_t i = 0; i < keywords->size(); ++i) {
    std::string& keyword = (*keywords)[i];
    keyword = NormalizeKeyword(keyword);
    if (keyword.empty()) {
      return reader.Error("\"keywords[" + std::to_string(i) + "]\" is empty once folded");
    }
  }
  return keywords;
}

// The department and unit of a rule, checked against the directory.
core::Status ReadOwner(const config::JsonReader& reader, const Json& entry,
                       const DepartmentDirectory& directory, RoutingRule& rule) {
  auto department = json_fields::Id(reader, entry, "department", true);
  if (!department.ok()) return department.error();
  const Department* found = directory.FindDepartment(*department);
  if (found == nullptr) return reader.Error("unknown department \"" + *department + "\"");
  rule.department_id = std::move(*department);
  auto unit = json_fields::Id(reader, entry, "unit", false);
  if (!unit.ok()) return unit.error();
  if (!unit->empty() &&
      std::none_of(found->units.begin(), found->units.end(),
                   [&](const Unit& candidate) { return candidate.id == *unit; })) {
    return reader.Error("unknown unit \"" + *unit + "\" of department \"" + rule.department_id +
                        "\"");
  }
  rule.unit_id = std::move(*unit);
  return core::Status::Ok();
}

core::Result<RoutingRule> ReadRule(const Json& entry, size_t index,
                                   const DepartmentDirectory& directory) {
  const std::string label = json_fields::EntryLabel("rules", index, entry);
  if (!entry.is_object()) return kReader.Error(label + ": must be an object, got " + entry.dump());
  const config::JsonReader reader = json_fields::EntryReader(kReader, label);
  if (auto status = reader.RejectUnknownKeys(entry, kRuleKeys); !status.ok()) {
    return status.error();
  }
  RoutingRule rule;
  auto id = json_fields::Id(reader, entry, "id", true);
  if (!id.ok()) return id.error();
  if (*id == "pool") return reader.Error("\"pool\" is reserved for cases no rule routes");
  rule.id = std::move(*id);
  auto types = json_fields::EnumList<v1::RequestType>(reader, entry, "types", kTypes);
  if (!types.ok()) return types.error();
  rule.types = std::move(*types);
  auto categories = json_fields::StringList(reader, entry, "categories");
  if (!categories.ok()) return categories.error();
  rule.categories = std::move(*categories);
  auto keywords = ReadKeywords(reader, entry);
  if (!keywords.ok()) return keywords.error();
  rule.keywords = std::move(*keywords);
  auto districts = json_fields::StringList(reader, entry, "districts");
  if (!districts.ok()) return districts.error();
  rule.districts = std::move(*districts);
  auto tags = json_fields::EnumList<v1::CustomerTag>(reader, entry, "tags", kTags);
  if (!tags.ok()) return tags.error();
  rule.tags = std::move(*tags);
  auto requires_incident = json_fields::OptionalBool(reader, entry, "requires_incident");
  if (!requires_incident.ok()) return requires_incident.error();
  rule.requires_incident = *requires_incident;
  if (auto status = ReadOwner(reader, entry, directory, rule); !status.ok()) {
    return status.error();
  }
  return rule;
}

// What of `facts` a rule matched, for the operator-facing reason; nullopt when it does not match.
std::optional<std::vector<std::string>> Match(const RoutingRule& rule, const RoutingFacts& facts,
                                              const TextViews& text) {
  std::vector<std::string> matched;
  if (!rule.types.empty()) {
    if (!Contains(rule.types, facts.type)) return std::nullopt;
    matched.push_back("type " + std::string(NameOf(kTypes, facts.type)));
  }
  if (!rule.categories.empty()) {
    if (!Contains(rule.categories, facts.category)) return std::nullopt;
    matched.push_back("category " + facts.category);
  }
  if (!rule.districts.empty()) {
    if (!Contains(rule.districts, facts.district)) return std::nullopt;
    matched.push_back("district " + facts.district);
  }
  if (!rule.tags.empty()) {
    const auto tag = std::find_if(rule.tags.begin(), rule.tags.end(),
                                  [&](v1::CustomerTag t) { return Contains(facts.tags, t); });
    if (tag == rule.tags.end()) return std::nullopt;
    matched.push_back("tag " + std::string(NameOf(kTags, *tag)));
  }
  if (rule.requires_incident) {
    if (facts.incident_id.empty()) return std::nullopt;
    matched.emplace_back("linked incident");
  }
  if (!rule.keywords.empty()) {
    const auto keyword =
        std::find_if(rule.keywords.begin(), rule.keywords.end(),
                     [&](const std::string& candidate) { return Occurs(text, candidate); });
    if (keyword == rule.keywords.end()) return std::nullopt;
    matched.push_back("keyword " + *keyword);
  }
  return matched;
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += ", ";
    out += part;
  }
  return out;
}

// The unit and how it was chosen, appended to the reason.
void SetUnit(Route& route, std::string rule_unit, const RoutingFacts& facts,
             const DepartmentDirectory& directory) {
  if (!rule_unit.empty()) {
    route.unit_id = std::move(rule_unit);
    route.reason += "; unit " + route.unit_id + " (by rule)";
    return;
  }
  route.unit_id = directory.UnitFor(route.department_id, facts.district);
  if (!route.unit_id.empty()) {
    route.reason += "; unit " + route.unit_id + " serves " + facts.district;
  } else if (!facts.district.empty()) {
    route.reason += "; no unit of " + route.department_id + " serves " + facts.district;
  }
}

}  // namespace

CaseRouter::CaseRouter(std::vector<RoutingRule> rules, const DepartmentDirectory& directory)
    : rules_(std::move(rules)), directory_(&directory) {}

core::Result<CaseRouter> CaseRouter::FromJson(std::string_view json,
                                              const DepartmentDirectory& directory) {
  auto root = kReader.ParseObject(json);
  if (!root.ok()) return root.error();
  if (auto status = kReader.RejectUnknownKeys(*root, kTopKeys); !status.ok()) {
    return status.error();
  }
  if (auto note = json_fields::OptionalString(kReader, *root, "note"); !note.ok()) {
    return note.error();
  }
  if (!root->contains("rules")) return kReader.Error("missing \"rules\"");
  const Json& list = root->at("rules");
  if (!list.is_array()) return kReader.Error("\"rules\" must be an array, got " + list.dump());
  std::vector<RoutingRule> rules;
  for (size_t i = 0; i < list.size(); ++i) {
    auto rule = ReadRule(list[i], i, directory);
    if (!rule.ok()) return rule.error();
    for (const RoutingRule& earlier : rules) {
      if (earlier.id == rule->id) {
        return kReader.Error(json_fields::EntryLabel("rules", i, list[i]) + ": duplicate rule id");
      }
    }
    rules.push_back(std::move(*rule));
  }
  return CaseRouter(std::move(rules), directory);
}

Route CaseRouter::RouteCase(const RoutingFacts& facts) const {
  const std::string folded = Folded(facts.text);
  const TextViews text{Compact(folded), Spaced(folded)};
  Route route;
  for (const RoutingRule& rule : rules_) {
    auto matched = Match(rule, facts, text);
    if (!matched) continue;
    route.department_id = rule.department_id;
    route.rule = rule.id;
    route.reason = "rule " + rule.id + ": " + (matched->empty() ? "any case" : Joined(*matched));
    SetUnit(route, rule.unit_id, facts, *directory_);
    return route;
  }
  route.department_id = directory_->pool_department_id();
  route.rule = "pool";
  route.reason = "no rule matched: pool of " + route.department_id;
  SetUnit(route, "", facts, *directory_);
  return route;
}

}  // namespace gridcare::complaint
