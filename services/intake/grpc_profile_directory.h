#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gridcare/v1/profile.grpc.pb.h"
#include "profile_directory.h"

namespace gridcare::intake {

/// ProfileDirectory over gRPC with a deadline per call.
class GrpcProfileDirectory final : public ProfileDirectory {
 public:
  GrpcProfileDirectory(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline);
  core::Result<Identification> Identify(const v1::CustomerReference& reference) override;
  core::Result<std::map<std::string, v1::Customer>> GetCustomers(
      const std::vector<std::string>& customer_ids) override;

 private:
  std::unique_ptr<v1::ProfileService::Stub> stub_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gridcare::intake
