#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "customer_directory.h"

namespace gridcare::notification {

/// CustomerDirectory in memory: customers by id; supply look-ups in customer id order, in batches
/// of `batch_size`. Failure injection: the next N calls fail UNAVAILABLE; a stream can be told to
/// fail after K customers (a profile that goes away mid-fan-out). Thread-safe.
class FakeCustomerDirectory final : public CustomerDirectory {
 public:
  explicit FakeCustomerDirectory(size_t batch_size = 3) : batch_size_(batch_size) {}
  void Add(const v1::Customer& customer);
  void FailNext(int count);
  /// The next stream fails after handing over `customers` customers.
  void FailStreamAfter(int customers);
  int streams() const;

  core::Result<std::optional<v1::Customer>> Get(const std::string& customer_id) override;
  core::Status ForEachOnSupply(
      const std::string& feeder_id, const std::string& transformer_id,
      const std::function<core::Status(const std::vector<v1::Customer>&)>& each) override;

 private:
  size_t batch_size_;
  mutable std::mutex mutex_;
  std::map<std::string, v1::Customer> customers_;
  int failing_ = 0;
  int fail_stream_after_ = -1;
  int streams_ = 0;
};

}  // namespace gridcare::notification
