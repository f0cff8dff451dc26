#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "directories.h"
#include "gridcare/v1/profile.grpc.pb.h"

namespace gridcare::dispatch {

/// TopologyDirectory over the profile service's ListCustomersBySupply (its total_count), cached
/// per transformer area and feeder for `cache_for`: the network changes far slower than a storm.
/// Prefetch asks for the areas and feeders not cached yet up to kPrefetchParallelism at a time,
/// so a poll batch that reaches 500 new areas waits for ~16 round trips, not 1,000.
class GrpcTopologyDirectory final : public TopologyDirectory {
 public:
  GrpcTopologyDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline,
                        std::chrono::seconds cache_for = std::chrono::hours(1));
  core::Result<TopologyFacts> FactsFor(const v1::SupplyPoint& supply) override;
  void Prefetch(std::span<const v1::SupplyPoint> supplies) override;

  static constexpr size_t kPrefetchParallelism = 32;

 private:
  /// Whether "ta:<id>" / "fdr:<id>" is cached and fresh.
  bool Cached(const std::string& cache_key);
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

}  // namespace gridcare::dispatch
