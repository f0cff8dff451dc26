#pragma once

// Ticket priority: a base per request type, raised by who the customer is, what is at stake and how
// often they have chased. Pure rules, no I/O. Also the keyword check for public-safety hazards.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"

namespace gridcare::intake {

/// What priority is decided from.
struct PriorityInputs {
  v1::RequestType type;
  std::vector<v1::CustomerTag> tags;
  int urging_count = 0;
  int64_t incident_size =
      0;  // customers affected by the incident the ticket belongs to (0 = unknown)
  bool public_safety = false;  // e.g. downed line, sparking, fire (from classification / keywords)
  bool unidentified = false;
};

/// Thresholds of the raising rules. Configurable per tenant; 0 turns a threshold off.
struct PriorityRules {
  int urgings_for_high = 1;  // ≥ this many urgings → at least HIGH
  int urgings_for_urgent = 3;
  int64_t incident_size_for_high = 50;
  int64_t incident_size_for_urgent = 500;

  /// Reads rules from a JSON object; every field is optional (defaults above), unknown keys are
  /// rejected. Keys: "urgings_for_high", "urgings_for_urgent" (integers 0..1000),
  /// "incident_size_for_high", "incident_size_for_urgent" (integers ≥ 0). When both steps of a pair
  /// are on, the URGENT step must not be below the HIGH step. Errors are kInvalidArgument and name
  /// the key.
  static core::Result<PriorityRules> FromJson(std::string_view json);
};

/// The priority and the reasons that set it (for the timeline): the base first, then every raising
/// rule that applied, in the order of the table below.
struct PriorityDecision {
  v1::Priority priority;
  std::vector<std::string> reasons;
};

/// Priority of a ticket: the highest of its base and every raising rule that applies. Nothing ever
/// lowers a priority below its base.
///
/// Base by type:
///   fault repair, complaint, report, service application, urging, unclassified   → NORMAL
///   opinion, suggestion, praise, consultation                                     → LOW
/// Raising rules (each sets a floor):
///   public-safety hazard, any type but praise (praise recounts past events)      → URGENT
///   life-support customer, fault repair                                           → URGENT
///   important customer, fault repair                                              → HIGH
///   important customer, fault repair, incident ≥ incident_size_for_high           → URGENT
///   important customer, complaint                                                 → HIGH
///   sensitive customer, complaint                                                 → HIGH
///   fault repair, incident ≥ incident_size_for_high / ≥ incident_size_for_urgent  → HIGH / URGENT
///   any type, urgings ≥ urgings_for_high / ≥ urgings_for_urgent                   → HIGH / URGENT
/// Customer tags are ignored when the caller is unidentified (no profile backs them); elderly and
/// VIP-account tags change routing and service, not priority. Incident size applies to fault
/// repairs only (other tickets do not belong to incidents). Negative counts are treated as 0.
PriorityDecision ComputePriority(const PriorityInputs& inputs, const PriorityRules& rules);

/// Keyword check for public-safety hazards in free text, Chinese and English:
///   zh: 电线断, 高压线断, 电线掉, 高压线掉, 电线落地, 掉线, 断线, 电线杆倒, 电杆倒, 冒烟,
///       起火, 着火, 失火, 火灾, 火花, 打火, 爆炸, 触电, 漏电
///   en (whole words, any case): wire(s) down, line(s) down, downed / fallen wire(s), line(s),
///       power line(s), pole down, sparking, spark(s), arcing, smoke, smoking, fire, fires,
///       flames, wildfire, electric shock, electrocuted, electrocution, explosion, exploded,
///       live wire(s), exposed wire(s)
/// A keyword inside one of these everyday phrases does not count:
///   火花塞 / spark plug(s) (a car part), 打火机 (a lighter), 打不着火 / 点不着火 (a stove or
///   engine that will not light), 嗓子冒烟 (thirst), 漏电保护器 / 漏电保护 / 漏电开关 / 漏电断路器
///   (the residual-current breaker itself, whose tripping is an ordinary fault report), smoke
///   alarm(s) / smoke detector(s), no smoking, fire alarm(s), fire him / her / them (a complaint
///   about staff), phone/internet line(s) down.
/// 掉线 and 断线 also do not count after a connection word in the same clause (电话, 网络, 宽带,
/// 信号, 通话, 手机, 游戏, 路由, 无线, 视频, WiFi; clauses end at ，。！？；：、 and , . ! ? ; :),
/// nor right after 网: "宽带老是断线" is a broadband complaint, "电话断了。路边有断线" is a hazard.
/// The text is first folded as the classifier folds it (gridcare/core/text_folding.h: full-width
/// forms, case, common traditional characters, so "電線斷了" and "ＦＩＲＥ" count). ASCII
/// whitespace is ignored inside Chinese keywords ("电线 断了") and runs of it count as one space in
/// English ones. Keyword-level only: it errs towards reporting a hazard.
bool MentionsPublicSafetyHazard(std::string_view text);

/// The hazard keyword `text` mentions (the first in the lists above, Chinese before English), or
/// nullopt. Same rules as MentionsPublicSafetyHazard; for reasons such as "mentions 电线断".
std::optional<std::string_view> FindPublicSafetyHazard(std::string_view text);

}  // namespace gridcare::intake
