#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "directories.h"

namespace gridcare::dispatch {

/// TopologyDirectory with fixed facts, for tests; can be told to fail. Thread-safe.
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

}  // namespace gridcare::dispatch
