#include "fake_customer_directory.h"

namespace gridcare::notification {

void FakeCustomerDirectory::Add(const v1::Customer& customer) {
  std::lock_guard lock(mutex_);
  customers_[customer.customer_id()] = customer;
}

void FakeCustomerDirectory::FailNext(int count) {
  std::lock_guard lock(mutex_);
  failing_ = count;
}

void FakeCustomerDirectory::FailStreamAfter(int customers) {
  std::lock_guard lock(mutex_);
  fail_stream_after_ = customers;
}

int FakeCustomerDirectory::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

core::Result<std::optional<v1::Customer>> FakeCustomerDirectory::Get(
    const std::string& customer_id) {
  std::lock_guard lock(mutex_);
  if (failing_ > 0) {
    --failing_;
    return core::Unavailable("profile unavailable (test)");
  }
  const auto found = customers_.find(customer_id);
  if (found == customers_.end()) return std::optional<v1::Customer>{};
  return std::optional(found->second);
}

core::Status FakeCustomerDirectory::ForEachOnSupply(
    const std::string& feeder_id, const std::string& transformer_id,
    const std::function<core::Status(const std::vector<v1::Customer>&)>& each) {
  std::vector<v1::Customer> matching;
  int fail_after = -1;
  {
    std::lock_guard lock(mutex_);
    if (failing_ > 0) {
      --failing_;
      return core::Unavailable("profile unavailable (test)");
    }
    ++streams_;
    fail_after = fail_stream_after_;
    fail_stream_after_ = -1;
    for (const auto& [id, customer] : customers_) {
      const bool match = transformer_id.empty()
                             ? customer.supply().feeder_id() == feeder_id
                             : customer.supply().transformer_id() == transformer_id;
      if (match) matching.push_back(customer);
    }
  }
  std::vector<v1::Customer> batch;
  int handed = 0;
  for (const auto& customer : matching) {
    if (fail_after >= 0 && handed >= fail_after) {
      if (!batch.empty()) {
        if (auto status = each(batch); !status) return status;
      }
      return core::Unavailable("profile stream broken (test)");
    }
    batch.push_back(customer);
    ++handed;
    if (batch.size() >= batch_size_) {
      if (auto status = each(batch); !status) return status;
      batch.clear();
    }
  }
  if (!batch.empty()) return each(batch);
  return {};
}

}  // namespace gridcare::notification
