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

}  // namespace gridcare::dispatch
