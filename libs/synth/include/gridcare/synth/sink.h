#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/synth/utility.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::synth {

/// Where generated customers go: a JSONL file, the profile store, a counter. Called from one
/// thread; implementations need not be thread-safe.
class CustomerSink {
 public:
  virtual ~CustomerSink() = default;
  /// Takes one customer. `customer` is only valid during the call. An error stops the stream.
  virtual core::Status Write(const v1::Customer& customer) = 0;
  /// Called once after the last customer (not after a failed Write): flush, close, commit.
  virtual core::Status Finish() { return {}; }
};

/// Forwards every customer to several sinks in order; stops at the first error. Does not own them.
class FanOutSink final : public CustomerSink {
 public:
  explicit FanOutSink(std::vector<CustomerSink*> sinks) : sinks_(std::move(sinks)) {}
  core::Status Write(const v1::Customer& customer) override;
  core::Status Finish() override;

 private:
  std::vector<CustomerSink*> sinks_;
};

/// Called with (customers done, total) about every `kProgressStep` customers and once at the end.
using ProgressCallback = std::function<void(int64_t done, int64_t total)>;
inline constexpr int64_t kProgressStep = 8'192;

/// Streams the customers in `range` (all of them by default) in index order into `sink`, then
/// calls sink.Finish(). Returns the first error of the sink.
core::Status StreamCustomers(const Utility& utility, CustomerSink& sink,
                             const ProgressCallback& progress = {},
                             std::optional<IndexRange> range = std::nullopt);

}  // namespace gridcare::synth
