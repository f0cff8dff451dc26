#include "fake_topology_directory.h"

namespace gridcare::dispatch {

void FakeTopologyDirectory::SetTransformer(const std::string& transformer_id, int64_t customers) {
  std::lock_guard lock(mutex_);
  transformers_[transformer_id] = customers;
}

void FakeTopologyDirectory::SetFeeder(const std::string& feeder_id, int64_t customers,
                                      int32_t transformers) {
  std::lock_guard lock(mutex_);
  feeders_[feeder_id] = {customers, transformers};
}

void FakeTopologyDirectory::FailNext(int calls) {
  std::lock_guard lock(mutex_);
  failing_ = calls;
}

core::Result<TopologyFacts> FakeTopologyDirectory::FactsFor(const v1::SupplyPoint& supply) {
  std::lock_guard lock(mutex_);
  if (failing_ > 0) {
    --failing_;
    return core::Unavailable("profile service unavailable (fake)");
  }
  TopologyFacts facts;
  if (auto it = transformers_.find(supply.transformer_id()); it != transformers_.end()) {
    facts.customers_on_transformer = it->second;
  }
  if (auto it = feeders_.find(supply.feeder_id()); it != feeders_.end()) {
    facts.customers_on_feeder = it->second.first;
    facts.transformers_on_feeder = it->second.second;
  }
  return facts;
}

}  // namespace gridcare::dispatch
