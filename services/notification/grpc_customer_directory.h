#pragma once

#include <chrono>
#include <memory>

#include "customer_directory.h"
#include "gridcare/v1/profile.grpc.pb.h"

namespace gridcare::notification {

/// CustomerDirectory over the profile service's gRPC API: GetCustomer with a deadline per call,
/// StreamCustomersBySupply (server streaming, batches of `batch_size`) with a deadline per
/// stream. UNAVAILABLE / DEADLINE_EXCEEDED come back retryable.
class GrpcCustomerDirectory final : public CustomerDirectory {
 public:
  GrpcCustomerDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline,
                        std::chrono::milliseconds stream_deadline, size_t batch_size = 500);
  core::Result<std::optional<v1::Customer>> Get(const std::string& customer_id) override;
  core::Status ForEachOnSupply(
      const std::string& feeder_id, const std::string& transformer_id,
      const std::function<core::Status(const std::vector<v1::Customer>&)>& each) override;

 private:
  std::unique_ptr<v1::ProfileService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  std::chrono::milliseconds stream_deadline_;
  size_t batch_size_;
};

}  // namespace gridcare::notification
