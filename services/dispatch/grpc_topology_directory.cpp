#include "grpc_topology_directory.h"

#include <future>
#include <set>
#include <utility>
#include <vector>

#include "gridcare/rpc/client.h"
#include "gridcare/rpc/status.h"

namespace gridcare::dispatch {

GrpcTopologyDirectory::GrpcTopologyDirectory(std::shared_ptr<grpc::Channel> channel,
                                             std::chrono::milliseconds deadline,
                                             std::chrono::seconds cache_for)
    : stub_(v1::ProfileService::NewStub(channel)), deadline_(deadline), cache_for_(cache_for) {}

bool GrpcTopologyDirectory::Cached(const std::string& cache_key) {
  std::lock_guard lock(mutex_);
  auto it = cache_.find(cache_key);
  return it != cache_.end() &&
         std::chrono::steady_clock::now() - it->second.fetched_at < cache_for_;
}

void GrpcTopologyDirectory::Prefetch(std::span<const v1::SupplyPoint> supplies) {
  std::set<std::pair<bool, std::string>> missing;  // (feeder?, id)
  for (const auto& supply : supplies) {
    if (!supply.transformer_id().empty() && !Cached("ta:" + supply.transformer_id())) {
      missing.emplace(false, supply.transformer_id());
    }
    if (!supply.feeder_id().empty() && !Cached("fdr:" + supply.feeder_id())) {
      missing.emplace(true, supply.feeder_id());
    }
  }
  std::vector<std::future<void>> running;
  for (const auto& [feeder, id] : missing) {
    // The stub is thread-safe; each call caches its answer (errors are asked again by FactsFor).
    running.push_back(std::async(std::launch::async, [this, feeder = feeder, id = id] {
      (void)CountCustomers(feeder, id);
    }));
    if (running.size() == kPrefetchParallelism) {
      for (auto& call : running) call.get();
      running.clear();
    }
  }
  for (auto& call : running) call.get();
}

core::Result<int64_t> GrpcTopologyDirectory::CountCustomers(bool feeder, const std::string& id) {
  const std::string cache_key = (feeder ? "fdr:" : "ta:") + id;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(cache_key);
        it != cache_.end() && now - it->second.fetched_at < cache_for_) {
      return it->second.customers;
    }
  }
  v1::ListCustomersBySupplyRequest request;
  if (feeder) {
    request.set_feeder_id(id);
  } else {
    request.set_transformer_id(id);
  }
  request.set_page_size(1);  // only total_count is wanted
  v1::ListCustomersBySupplyResponse response;
  grpc::ClientContext context;
  rpc::SetDeadline(context, deadline_);
  const auto status = stub_->ListCustomersBySupply(&context, request, &response);
  int64_t customers = 0;
  if (status.ok()) {
    customers = response.total_count();
  } else if (status.error_code() != grpc::StatusCode::NOT_FOUND &&
             status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return rpc::FromGrpcStatus(status);
  }
  std::lock_guard lock(mutex_);
  cache_[cache_key] = {customers, now};
  return customers;
}

core::Result<TopologyFacts> GrpcTopologyDirectory::FactsFor(const v1::SupplyPoint& supply) {
  TopologyFacts facts;
  if (!supply.transformer_id().empty()) {
    auto count = CountCustomers(false, supply.transformer_id());
    if (!count) return count.error();
    facts.customers_on_transformer = *count;
  }
  if (!supply.feeder_id().empty()) {
    auto count = CountCustomers(true, supply.feeder_id());
    if (!count) return count.error();
    facts.customers_on_feeder = *count;
  }
  // The profile service does not count transformer areas per feeder; the feeder share rule then
  // stays off and min_transformers_for_feeder decides roll-ups.
  return facts;
}

}  // namespace gridcare::dispatch
