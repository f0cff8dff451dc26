#include "cause_codes.h"

#include <array>

namespace gridcare::repair_crew {
namespace {

// The causes 95598 repair reports use most; texts are what a customer reads in the restoration
// message, so they stay short and plain.
constexpr std::array<CauseCode, 12> kCauses{{
    {"TREE_CONTACT", "树障", "Tree contact", "TREE_TRIMMED"},
    {"FUSE_BLOWN", "熔断器熔断", "Blown fuse", "FUSE_REPLACED"},
    {"CABLE_FAULT", "电缆故障", "Cable fault", "CABLE_REPAIRED"},
    {"TRANSFORMER_FAULT", "配变故障", "Distribution transformer fault", "TRANSFORMER_REPLACED"},
    {"LIGHTNING", "雷击", "Lightning strike", "ARRESTER_REPLACED"},
    {"BIRD_OR_ANIMAL", "鸟兽害", "Bird or animal contact", "DEBRIS_REMOVED"},
    {"OVERLOAD", "过载", "Overload", "LOAD_TRANSFERRED"},
    {"EQUIPMENT_AGEING", "设备老化", "Ageing equipment", "EQUIPMENT_REPLACED"},
    {"THIRD_PARTY_DAMAGE", "外力破坏", "Third-party damage", "LINE_REPAIRED"},
    {"METER_FAULT", "表计故障", "Meter fault", "METER_REPLACED"},
    {"SERVICE_DROP_FAULT", "接户线故障", "Service drop fault", "SERVICE_DROP_REPAIRED"},
    {"UNKNOWN", "原因待查", "Cause under investigation", "SUPPLY_RESTORED"},
}};

}  // namespace

std::span<const CauseCode> CauseCodes() { return kCauses; }

const CauseCode* FindCause(std::string_view code) {
  for (const auto& cause : kCauses) {
    if (cause.code == code) return &cause;
  }
  return nullptr;
}

}  // namespace gridcare::repair_crew
