#pragma once

// Who the customers are (the profile service; the port). GrpcCustomerDirectory is the adapter,
// the in-memory fake is in tests/support/notification.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/profile.pb.h"

namespace gridcare::notification {

/// Thread-safe.
class CustomerDirectory {
 public:
  virtual ~CustomerDirectory() = default;
  /// The customer, nullopt when the profile does not know them.
  virtual core::Result<std::optional<v1::Customer>> Get(const std::string& customer_id) = 0;
  /// Every customer supplied by the transformer (when `transformer_id` is set) or else the
  /// feeder, in the profile's order (by customer id), handed to `each` in batches; stops at the
  /// first error `each` returns. A feeder may have tens of thousands: the adapter streams.
  virtual core::Status ForEachOnSupply(
      const std::string& feeder_id, const std::string& transformer_id,
      const std::function<core::Status(const std::vector<v1::Customer>&)>& each) = 0;
};

}  // namespace gridcare::notification
