#pragma once

// Territories: how dispatch spreads its work over instances. A fault ticket belongs to the
// territory of its feeder — correlation never looks beyond one feeder, so every call that can
// join an incident lands in the same territory. Territories are hashed onto the partitions of
// dispatch's own repartition topic (kafka::kDispatchTerritoryTopic); the instance that consumes a
// partition owns the incidents, work orders and clocks of its territories. Crews are shared (a
// storm needs mutual aid across territories): every territory hears every crew report, and the
// repair-crew service refuses an automatic assignment that would overload a crew. Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "gridcare/v1/intake.pb.h"

namespace gridcare::dispatch {

/// The territory of a supply point: "feeder:<id>"; without a feeder, "transformer:<id>"; empty
/// when neither is known.
std::string TerritoryOf(const v1::SupplyPoint& supply);

/// A fault ticket's territory: its supply point's, or "ticket:<id>" for a caller whose supply is
/// unknown (such a ticket can only become a single-customer incident).
std::string TerritoryOf(const v1::Ticket& ticket);

/// The partition of `territory` among `partitions` (> 0): FNV-1a, so every instance and every build
/// agrees.
int32_t TerritoryPartition(std::string_view territory, int32_t partitions);

/// Where one record of intake's or the crews' topic goes on the territory topic.
struct TerritoryRoute {
  /// "one_territory" (a fault ticket), "all_territories" (a crew report), "not_dispatch" (anything
  /// else: not forwarded).
  std::string_view outcome = "not_dispatch";
  std::string key;                  ///< the record key on the territory topic
  std::vector<int32_t> partitions;  ///< empty: not forwarded
};

/// ticket_opened of a fault-repair ticket or of a service application with field work
/// (AppointmentDesk::Takes): its territory's partition. Other intake events are not dispatch's
/// business.
TerritoryRoute RouteIntakeEvent(const v1::IntakeEvent& event, int32_t partitions);
/// Every crew report goes to every partition, keyed by crew id: positions and availability feed
/// every territory's roster; a job report is acted on by the territory that holds the work order.
TerritoryRoute RouteCrewEvent(const v1::CrewEvent& event, int32_t partitions);

}  // namespace gridcare::dispatch
