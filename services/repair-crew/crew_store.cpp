#include "crew_store.h"

namespace gridcare::repair_crew {

std::set<std::string> JobSetOf(const v1::Crew& crew) {
  return {crew.work_order_ids().begin(), crew.work_order_ids().end()};
}

}  // namespace gridcare::repair_crew
