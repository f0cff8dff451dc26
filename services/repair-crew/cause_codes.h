#pragma once

#include <span>
#include <string_view>

namespace gridcare::repair_crew {

/// One fault cause a crew can report, with the bilingual text customers are told and the fix that
/// usually goes with it (a hint for the crew app and the simulator; any well-formed fix code is
/// accepted).
struct CauseCode {
  std::string_view code;         ///< "FUSE_BLOWN"
  std::string_view zh_cn;        ///< "熔断器熔断"
  std::string_view en;           ///< "Blown fuse"
  std::string_view typical_fix;  ///< "FUSE_REPLACED"
};

/// The built-in cause table, in a fixed order (UNKNOWN last). A crew that reports only a code from
/// this table gets the text filled in; other codes need both texts from the crew.
std::span<const CauseCode> CauseCodes();

/// The entry for `code` (exact, upper-case), or null when the table does not have it.
const CauseCode* FindCause(std::string_view code);

}  // namespace gridcare::repair_crew
