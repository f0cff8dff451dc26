#pragma once

// What dispatch asks other services synchronously: the size of a transformer area or feeder
// (profile service, for correlation's share rules) and the crew roster (repair-crew service).
// Both behind small interfaces so the dispatcher is tested without gRPC.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "correlation.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/crew.grpc.pb.h"
#include "gridcare/v1/profile.grpc.pb.h"

namespace gridcare::dispatch {

/// Customers downstream of a supply point. UNAVAILABLE / DEADLINE_EXCEEDED (retryable) when the
/// profile service cannot answer; an unknown transformer or feeder counts 0 (share rules off).
/// Thread-safe.
class TopologyDirectory {
 public:
  virtual ~TopologyDirectory() = default;
  virtual core::Result<TopologyFacts> FactsFor(const v1::SupplyPoint& supply) = 0;
};

/// TopologyDirectory over the profile service's ListCustomersBySupply (its total_count), cached
/// per transformer area and feeder for `cache_for`: the network changes far slower than a storm.
class GrpcTopologyDirectory final : public TopologyDirectory {
 public:
  GrpcTopologyDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline,
                        std::chrono::seconds cache_for = std::chrono::hours(1));
  core::Result<TopologyFacts> FactsFor(const v1::SupplyPoint& supply) override;

 private:
  core::Result<int64_t> CountCustomers(bool feeder, const std::string& id);

  struct CachedCount {
    int64_t customers = 0;
    std::chrono::steady_clock::time_point fetched_at;
  };
  std::unique_ptr<v1::ProfileService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  std::chrono::seconds cache_for_;
  std::mutex mutex_;
  std::map<std::string, CachedCount> cache_;  // "ta:<id>" / "fdr:<id>"
};

/// Fixed facts for tests.
class FakeTopologyDirectory final : public TopologyDirectory {
 public:
  void SetTransformer(const std::string& transformer_id, int64_t customers);
  void SetFeeder(const std::string& feeder_id, int64_t customers, int32_t transformers);
  void FailNext(int calls);
  core::Result<TopologyFacts> FactsFor(const v1::SupplyPoint& supply) override;

 private:
  std::mutex mutex_;
  std::map<std::string, int64_t> transformers_;
  std::map<std::string, std::pair<int64_t, int32_t>> feeders_;
  int failing_ = 0;
};

/// The crew roster with each crew's live availability and position, as the repair-crew service
/// knows it. Thread-safe.
class CrewDirectory {
 public:
  virtual ~CrewDirectory() = default;
  virtual core::Result<std::vector<v1::Crew>> ListCrews() = 0;
};

/// CrewDirectory over CrewService.ListCrews, every page.
class GrpcCrewDirectory final : public CrewDirectory {
 public:
  GrpcCrewDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);
  core::Result<std::vector<v1::Crew>> ListCrews() override;

 private:
  std::unique_ptr<v1::CrewService::Stub> stub_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gridcare::dispatch
