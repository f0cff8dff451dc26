#pragma once

// What dispatch asks other services synchronously: the size of a transformer area or feeder
// (profile service, for correlation's share rules) and the crew roster (repair-crew service).
// Both are ports, so the dispatcher is tested without gRPC: the gRPC adapters are
// grpc_topology_directory.h and grpc_crew_directory.h, the fake is in tests/support/dispatch.

#include <span>
#include <vector>

#include "correlation.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/common.pb.h"
#include "gridcare/v1/crew.pb.h"

namespace gridcare::dispatch {

/// Customers downstream of a supply point. UNAVAILABLE / DEADLINE_EXCEEDED (retryable) when the
/// profile service cannot answer; an unknown transformer or feeder counts 0 (share rules off).
/// Thread-safe.
class TopologyDirectory {
 public:
  virtual ~TopologyDirectory() = default;
  virtual core::Result<TopologyFacts> FactsFor(const v1::SupplyPoint& supply) = 0;
  /// Warms whatever FactsFor will be asked next for `supplies` (a poll batch of tickets), asking
  /// in parallel where the adapter can; errors are left for FactsFor to report. Default: nothing.
  virtual void Prefetch(std::span<const v1::SupplyPoint> supplies) { (void)supplies; }
};

/// The crew roster with each crew's live availability and position, as the repair-crew service
/// knows it. Thread-safe.
class CrewDirectory {
 public:
  virtual ~CrewDirectory() = default;
  virtual core::Result<std::vector<v1::Crew>> ListCrews() = 0;
};

}  // namespace gridcare::dispatch
