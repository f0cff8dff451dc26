#pragma once

// The dispatch console's read model: what the console's gRPC service and web page show (open
// incidents, open work orders, crews with their status, one incident with its tickets) and the
// open-work counts behind the gridcare_dispatch_open gauges, read from the books.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crew_roster.h"
#include "gridcare/core/clock.h"
#include "gridcare/v1/dispatch.pb.h"
#include "incident_book.h"
#include "work_order_book.h"

namespace gridcare::dispatch {

/// The console's orders: incidents most urgent first, then oldest; work orders likewise.
bool IncidentBefore(const v1::Incident& a, const v1::Incident& b);
bool WorkOrderBefore(const v1::WorkOrder& a, const v1::WorkOrder& b);
/// The console's read models over plain state, for ConsoleView and for territories read from the
/// store (TerritoryShards): open incidents (merged ones left out) filtered by feeder and, at
/// `now`, by an overdue clock, most urgent first; open work orders in the requested states (all
/// when none); each crew of `crews` with the jobs it holds among `open` and its status word.
std::vector<v1::Incident> SelectOpenIncidents(const std::map<std::string, v1::Incident>& incidents,
                                              const v1::ListOpenIncidentsRequest& request,
                                              core::TimePoint now);
std::vector<v1::WorkOrder> SelectWorkOrders(const std::map<std::string, v1::WorkOrder>& open,
                                            const v1::ListWorkOrdersRequest& request);
std::vector<v1::CrewStatusView> CrewViews(const std::map<std::string, v1::Crew>& crews,
                                          const std::map<std::string, v1::WorkOrder>& open);
/// One view per crew from the views of several territories (each knows every crew, and the jobs
/// of its own work orders): the crew's work orders together, the busiest status (on site, en
/// route, assigned) of any territory, else the roster's (available, off shift, unreachable).
/// In crew id order.
std::vector<v1::CrewStatusView> MergeCrewViews(
    const std::vector<std::vector<v1::CrewStatusView>>& per_territory);

/// Reads only. Not thread-safe: the caller holds the Dispatcher's lock. The books and the roster
/// must outlive it.
class ConsoleView {
 public:
  ConsoleView(const IncidentBook& incidents, const WorkOrderBook& work_orders,
              const CrewRoster& crews);

  /// Open incidents, merged ones left out, filtered by feeder and (at `now`) by an overdue clock;
  /// most urgent first, then oldest.
  std::vector<v1::Incident> OpenIncidents(const v1::ListOpenIncidentsRequest& request,
                                          core::TimePoint now) const;
  /// Open work orders in the requested states (all when none); most urgent first, then oldest.
  std::vector<v1::WorkOrder> WorkOrders(const v1::ListWorkOrdersRequest& request) const;
  /// Every crew on the roster with its jobs and status: off_shift / unreachable by
  /// availability, else its most advanced job's state (on_site, en_route, assigned), else
  /// available.
  std::vector<v1::CrewStatusView> Crews() const;
  /// An open (or merged) incident with all its tickets, or nullopt.
  std::optional<v1::Incident> Incident(std::string_view incident_id) const;

  struct OpenCounts {
    int incidents = 0;  ///< not merged
    int work_orders = 0;
    int queued_work_orders = 0;
  };
  OpenCounts Counts() const;

 private:
  const IncidentBook& incidents_;
  const WorkOrderBook& work_orders_;
  const CrewRoster& crews_;
};

}  // namespace gridcare::dispatch
