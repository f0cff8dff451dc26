#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.grpc.pb.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {

/// Who a contact is, as far as the profile service can tell.
struct Identification {
  enum class Status { kIdentified, kUnknown, kAmbiguous };
  Status status = Status::kUnknown;
  v1::Customer customer;                   // kIdentified
  std::vector<std::string> candidate_ids;  // kAmbiguous: every account using the phone
};

/// The profile service as intake needs it. UNAVAILABLE / DEADLINE_EXCEEDED (retryable) when the
/// profile service cannot answer; an unknown customer is not an error. Thread-safe.
class ProfileDirectory {
 public:
  virtual ~ProfileDirectory() = default;
  virtual core::Result<Identification> Identify(const v1::CustomerReference& reference) = 0;
  /// The customers with these ids that exist, by id (an unknown id is left out). The base version
  /// calls Identify for each; the gRPC one makes one BatchGetCustomers call per 1,000 ids.
  virtual core::Result<std::map<std::string, v1::Customer>> GetCustomers(
      const std::vector<std::string>& customer_ids);
};

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

/// In-memory directory for tests. Thread-safe.
class FakeProfileDirectory final : public ProfileDirectory {
 public:
  void Add(const v1::Customer& customer);
  void FailNext(int calls) { failing_ = calls; }
  core::Result<Identification> Identify(const v1::CustomerReference& reference) override;

 private:
  std::mutex mutex_;
  std::map<std::string, v1::Customer> by_id_;
  int failing_ = 0;
};

}  // namespace gridcare::intake
