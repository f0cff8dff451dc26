#pragma once

#include <map>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.pb.h"
#include "gridcare/v1/request.pb.h"

namespace gridcare::intake {

/// Who a contact is, as far as the profile service can tell.
struct Identification {
  enum class Status { kIdentified, kUnknown, kAmbiguous };
  Status status = Status::kUnknown;
  v1::Customer customer;                   // kIdentified
  std::vector<std::string> candidate_ids;  // kAmbiguous: every account using the phone
};

/// The profile service as intake needs it (the port; GrpcProfileDirectory in
/// grpc_profile_directory.h is the adapter, the fake is in tests/support/intake). UNAVAILABLE /
/// DEADLINE_EXCEEDED (retryable) when the profile service cannot answer; an unknown customer is
/// not an error. Thread-safe.
class ProfileDirectory {
 public:
  virtual ~ProfileDirectory() = default;
  virtual core::Result<Identification> Identify(const v1::CustomerReference& reference) = 0;
  /// The customers with these ids that exist, by id (an unknown id is left out). The base version
  /// calls Identify for each; the gRPC one makes one BatchGetCustomers call per 1,000 ids.
  virtual core::Result<std::map<std::string, v1::Customer>> GetCustomers(
      const std::vector<std::string>& customer_ids);
};

}  // namespace gridcare::intake
