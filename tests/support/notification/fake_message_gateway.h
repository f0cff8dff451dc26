#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "message_gateway.h"

namespace gridcare::notification {

/// MessageGateway in memory: records every message sent and answers from a script (a function
/// of the message; default: 202 with provider id "p-<n>"). Thread-safe.
class FakeMessageGateway final : public MessageGateway {
 public:
  using Script = std::function<SendResult(const OutgoingMessage&, int call)>;
  void SetScript(Script script);
  std::vector<SendResult> SendAll(const std::vector<OutgoingMessage>& messages) override;
  std::vector<OutgoingMessage> sent() const;

 private:
  mutable std::mutex mutex_;
  Script script_;
  std::vector<OutgoingMessage> sent_;
  int calls_ = 0;
};

}  // namespace gridcare::notification
