#include "priority_rules.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "gridcare/config/json_reader.h"
#include "gridcare/core/text.h"
#include "gridcare/core/text_folding.h"
#include "gridcare/core/utf8.h"
#include "urging_rules.h"

namespace gridcare::intake {
namespace {

const config::JsonReader kReader("priority rules");

constexpr std::string_view kKeys[] = {"urgings_for_high", "urgings_for_urgent",
                                      "incident_size_for_high", "incident_size_for_urgent"};

// A pair of steps (HIGH at `high`, URGENT at `urgent`) must be ordered when both are on.
core::Status CheckOrdered(int64_t high, int64_t urgent, const std::string& high_key,
                          const std::string& urgent_key) {
  if (high > 0 && urgent > 0 && urgent < high) {
    return kReader.Error("\"" + urgent_key + "\" (" + std::to_string(urgent) +
                         ") must not be below \"" + high_key + "\" (" + std::to_string(high) + ")");
  }
  return core::Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Priority helpers.

std::string PriorityLabel(v1::Priority priority) {
  switch (priority) {
    case v1::PRIORITY_LOW:
      return "LOW";
    case v1::PRIORITY_NORMAL:
      return "NORMAL";
    case v1::PRIORITY_HIGH:
      return "HIGH";
    case v1::PRIORITY_URGENT:
      return "URGENT";
    default:
      return "UNSPECIFIED";
  }
}

v1::Priority BasePriority(v1::RequestType type) {
  switch (type) {
    case v1::REQUEST_TYPE_OPINION:
    case v1::REQUEST_TYPE_SUGGESTION:
    case v1::REQUEST_TYPE_PRAISE:
    case v1::REQUEST_TYPE_CONSULTATION:
      return v1::PRIORITY_LOW;
    default:  // fault repair, complaint, report, service application, urging, unclassified
      return v1::PRIORITY_NORMAL;
  }
}

bool Reached(int64_t value, int64_t threshold) { return threshold > 0 && value >= threshold; }

// ---------------------------------------------------------------------------------------------
// Hazard keywords.

struct HazardKeyword {
  std::string_view keyword;
  std::vector<std::string_view> exceptions;  // everyday phrases containing the keyword
  // The keyword does not count after one of these words in the same clause (Chinese only).
  std::vector<std::string_view> clause_context = {};
};

// Words that make 掉线 / 断线 a dropped call or connection rather than a fallen line.
const std::vector<std::string_view>& ConnectionWords() {
  static const auto* const kWords = new std::vector<std::string_view>{
      "电话", "网络", "宽带", "信号", "通话", "手机", "游戏", "路由", "无线", "视频", "wifi"};
  return *kWords;
}

// Punctuation that ends a clause.
const std::vector<std::string_view>& ClauseDelimiters() {
  static const auto* const kDelimiters = new std::vector<std::string_view>{
      "，", "。", "！", "？", "；", "：", "、", ",", ".", "!", "?", ";", ":"};
  return *kDelimiters;
}

// Matched against the text with ASCII whitespace removed; no word boundaries in Chinese.
const std::vector<HazardKeyword>& ChineseHazards() {
  static const auto* const kKeywords = new std::vector<HazardKeyword>{
      {"电线断", {}},
      {"高压线断", {}},
      {"电线掉", {}},
      {"高压线掉", {}},
      {"电线落地", {}},
      {"掉线", {"网掉线"}, ConnectionWords()},
      {"断线", {"网断线"}, ConnectionWords()},
      {"电线杆倒", {}},
      {"电杆倒", {}},
      {"冒烟", {"嗓子冒烟"}},
      {"起火", {}},
      {"着火", {"打不着火", "点不着火"}},
      {"失火", {}},
      {"火灾", {}},
      {"火花", {"火花塞"}},
      {"打火", {"打火机"}},
      {"爆炸", {}},
      {"触电", {}},
      {"漏电", {"漏电保护器", "漏电保护", "漏电开关", "漏电断路器"}},
  };
  return *kKeywords;
}

// Matched as whole words against the lower-cased text with whitespace runs collapsed.
const std::vector<HazardKeyword>& EnglishHazards() {
  static const auto* const kKeywords = new std::vector<HazardKeyword>{
      {"wire down", {}},
      {"wires down", {}},
      {"line down", {"phone line down", "internet line down"}},
      {"lines down", {"phone lines down", "internet lines down"}},
      {"downed wire", {}},
      {"downed wires", {}},
      {"downed line", {}},
      {"downed lines", {}},
      {"downed power line", {}},
      {"downed power lines", {}},
      {"fallen wire", {}},
      {"fallen wires", {}},
      {"fallen line", {}},
      {"fallen lines", {}},
      {"fallen power line", {}},
      {"fallen power lines", {}},
      {"pole down", {}},
      {"sparking", {}},
      {"sparks", {}},
      {"spark", {"spark plug", "spark plugs"}},
      {"arcing", {}},
      {"smoke", {"smoke alarm", "smoke alarms", "smoke detector", "smoke detectors"}},
      {"smoking", {"no smoking"}},
      {"fire", {"fire alarm", "fire alarms", "fire him", "fire her", "fire them"}},
      {"fires", {}},
      {"flames", {}},
      {"wildfire", {}},
      {"electric shock", {}},
      {"electrocuted", {}},
      {"electrocution", {}},
      {"explosion", {}},
      {"exploded", {}},
      {"live wire", {}},
      {"live wires", {}},
      {"exposed wire", {}},
      {"exposed wires", {}},
  };
  return *kKeywords;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Whether text[pos, pos + size) stands as whole words (always true when not `words`).
bool Bounded(std::string_view text, size_t pos, size_t size, bool words) {
  if (!words) return true;
  const bool start = pos == 0 || !IsWordChar(text[pos - 1]);
  const bool end = pos + size >= text.size() || !IsWordChar(text[pos + size]);
  return start && end;
}

// Whether the keyword occurrence at `pos` lies inside one of the keyword's exception phrases.
bool InsideException(std::string_view text, size_t pos, const HazardKeyword& hazard, bool words) {
  for (std::string_view exception : hazard.exceptions) {
    for (size_t offset = exception.find(hazard.keyword); offset != std::string_view::npos;
         offset = exception.find(hazard.keyword, offset + 1)) {
      if (offset > pos) continue;
      const size_t start = pos - offset;
      if (text.substr(start, exception.size()) == exception &&
          Bounded(text, start, exception.size(), words)) {
        return true;
      }
    }
  }
  return false;
}

// Whether one of the keyword's context words comes before `pos` in the same clause.
bool AfterContext(std::string_view text, size_t pos, const HazardKeyword& hazard) {
  if (hazard.clause_context.empty()) return false;
  size_t clause_start = 0;
  for (std::string_view delimiter : ClauseDelimiters()) {
    const size_t found = text.substr(0, pos).rfind(delimiter);
    if (found != std::string_view::npos) {
      clause_start = std::max(clause_start, found + delimiter.size());
    }
  }
  const std::string_view clause = text.substr(clause_start, pos - clause_start);
  return std::any_of(
      hazard.clause_context.begin(), hazard.clause_context.end(),
      [clause](std::string_view word) { return clause.find(word) != std::string_view::npos; });
}

std::optional<std::string_view> FindIn(std::string_view text,
                                       const std::vector<HazardKeyword>& hazards, bool words) {
  for (const HazardKeyword& hazard : hazards) {
    for (size_t pos = text.find(hazard.keyword); pos != std::string_view::npos;
         pos = text.find(hazard.keyword, pos + 1)) {
      if (Bounded(text, pos, hazard.keyword.size(), words) &&
          !InsideException(text, pos, hazard, words) && !AfterContext(text, pos, hazard)) {
        return hazard.keyword;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

core::Result<PriorityRules> PriorityRules::FromJson(std::string_view json) {
  auto parsed = kReader.ParseObject(json);
  if (!parsed.ok()) return parsed.error();
  if (auto status = kReader.RejectUnknownKeys(*parsed, kKeys); !status.ok()) return status.error();
  PriorityRules rules;
  for (const auto& [key, value] : parsed->items()) {
    if (key == "urgings_for_high" || key == "urgings_for_urgent") {
      auto count = kReader.Integer(value, key, 0, 1000);
      if (!count.ok()) return count.error();
      (key == "urgings_for_high" ? rules.urgings_for_high : rules.urgings_for_urgent) =
          static_cast<int>(*count);
    } else {  // incident_size_for_high, incident_size_for_urgent
      auto size = kReader.Integer(value, key, 0, INT64_MAX);
      if (!size.ok()) return size.error();
      (key == "incident_size_for_high" ? rules.incident_size_for_high
                                       : rules.incident_size_for_urgent) = *size;
    }
  }
  if (auto status = CheckOrdered(rules.urgings_for_high, rules.urgings_for_urgent,
                                 "urgings_for_high", "urgings_for_urgent");
      !status.ok()) {
    return status.error();
  }
  if (auto status = CheckOrdered(rules.incident_size_for_high, rules.incident_size_for_urgent,
                                 "incident_size_for_high", "incident_size_for_urgent");
      !status.ok()) {
    return status.error();
  }
  return rules;
}

PriorityDecision ComputePriority(const PriorityInputs& inputs, const PriorityRules& rules) {
  const std::string type_label(RequestTypeLabel(inputs.type));
  const v1::Priority base = BasePriority(inputs.type);
  PriorityDecision decision{base, {"base " + PriorityLabel(base) + " (" + type_label + ")"}};
  const auto raise = [&decision](v1::Priority floor, const std::string& why) {
    decision.priority = std::max(decision.priority, floor);
    decision.reasons.push_back(why + " → " + PriorityLabel(floor));
  };

  const bool tags_known = !inputs.unidentified;
  if (inputs.unidentified && !inputs.tags.empty()) {
    decision.reasons.push_back("caller unidentified: customer tags not applied");
  }
  const auto tagged = [&](v1::CustomerTag tag) {
    return tags_known &&
           std::find(inputs.tags.begin(), inputs.tags.end(), tag) != inputs.tags.end();
  };
  const bool fault = inputs.type == v1::REQUEST_TYPE_FAULT_REPAIR;
  const bool complaint = inputs.type == v1::REQUEST_TYPE_COMPLAINT;
  const int64_t incident = std::max<int64_t>(inputs.incident_size, 0);
  const int64_t urgings = std::max(inputs.urging_count, 0);

  if (inputs.public_safety && inputs.type != v1::REQUEST_TYPE_PRAISE) {
    raise(v1::PRIORITY_URGENT, "public-safety hazard");
  }
  if (fault && tagged(v1::CUSTOMER_TAG_LIFE_SUPPORT)) {
    raise(v1::PRIORITY_URGENT, "life-support customer with a fault");
  }
  if (fault && tagged(v1::CUSTOMER_TAG_IMPORTANT)) {
    if (Reached(incident, rules.incident_size_for_high)) {
      raise(v1::PRIORITY_URGENT, "important customer with a fault in an incident of " +
                                     std::to_string(incident) + " customers");
    } else {
      raise(v1::PRIORITY_HIGH, "important customer with a fault");
    }
  }
  if (complaint && tagged(v1::CUSTOMER_TAG_IMPORTANT)) {
    raise(v1::PRIORITY_HIGH, "complaint from an important customer");
  }
  if (complaint && tagged(v1::CUSTOMER_TAG_SENSITIVE)) {
    raise(v1::PRIORITY_HIGH, "complaint from a sensitive customer");
  }
  if (fault && Reached(incident, rules.incident_size_for_urgent)) {
    raise(v1::PRIORITY_URGENT, "incident affects " + std::to_string(incident) + " customers (≥ " +
                                   std::to_string(rules.incident_size_for_urgent) + ")");
  } else if (fault && Reached(incident, rules.incident_size_for_high)) {
    raise(v1::PRIORITY_HIGH, "incident affects " + std::to_string(incident) + " customers (≥ " +
                                 std::to_string(rules.incident_size_for_high) + ")");
  }
  if (Reached(urgings, rules.urgings_for_urgent)) {
    raise(v1::PRIORITY_URGENT, std::to_string(urgings) + " urging(s) (≥ " +
                                   std::to_string(rules.urgings_for_urgent) + ")");
  } else if (Reached(urgings, rules.urgings_for_high)) {
    raise(v1::PRIORITY_HIGH, std::to_string(urgings) + " urging(s) (≥ " +
                                 std::to_string(rules.urgings_for_high) + ")");
  }
  return decision;
}

std::optional<std::string_view> FindPublicSafetyHazard(std::string_view text) {
  // Folded as the classifier and the knowledge base fold (gridcare/core/text_folding.h): width,
  // case and traditional characters, so "電線斷了" and "ＦＩＲＥ" are hazards too; invalid bytes
  // dropped.
  const std::string folded = core::EncodeUtf8(core::FoldText(text, core::InvalidUtf8::kSkip));
  std::string compact;  // for Chinese: ASCII whitespace removed
  std::string words;    // for English: whitespace runs as one space
  compact.reserve(folded.size());
  words.reserve(folded.size());
  for (const char c : folded) {
    if (core::IsAsciiSpace(c)) {
      if (!words.empty() && words.back() != ' ') words.push_back(' ');
      continue;
    }
    compact.push_back(c);
    words.push_back(c);
  }
  if (auto found = FindIn(compact, ChineseHazards(), /*words=*/false)) return found;
  return FindIn(words, EnglishHazards(), /*words=*/true);
}

bool MentionsPublicSafetyHazard(std::string_view text) {
  return FindPublicSafetyHazard(text).has_value();
}

}  // namespace gridcare::intake
