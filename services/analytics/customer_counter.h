#pragma once

// How many customers there are (the denominator of complaints per 10,000 customers): the port,
// and its adapter over the profile service's CountCustomers.

#include <grpcpp/channel.h>

#include <chrono>
#include <memory>
#include <string>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.grpc.pb.h"

namespace gridcare::analytics {

class CustomerCounter {
 public:
  virtual ~CustomerCounter() = default;
  /// Customers registered in `district`; every customer when empty.
  virtual core::Result<int64_t> Count(const std::string& district) = 0;
};

/// CustomerCounter over ProfileService.CountCustomers. Thread-safe.
class GrpcCustomerCounter final : public CustomerCounter {
 public:
  GrpcCustomerCounter(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);
  core::Result<int64_t> Count(const std::string& district) override;

 private:
  std::unique_ptr<v1::ProfileService::Stub> stub_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gridcare::analytics
