#include "fake_message_gateway.h"

namespace gridcare::notification {

void FakeMessageGateway::SetScript(Script script) {
  std::lock_guard lock(mutex_);
  script_ = std::move(script);
}

std::vector<SendResult> FakeMessageGateway::SendAll(const std::vector<OutgoingMessage>& messages) {
  std::lock_guard lock(mutex_);
  std::vector<SendResult> results;
  for (const auto& message : messages) {
    sent_.push_back(message);
    ++calls_;
    if (script_) {
      SendResult result = script_(message, calls_);
      result.notification_id = message.notification_id;
      results.push_back(std::move(result));
    } else {
      results.push_back(
          {message.notification_id, ProviderOutcome::Http(202), "p-" + std::to_string(calls_), ""});
    }
  }
  return results;
}

std::vector<OutgoingMessage> FakeMessageGateway::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

}  // namespace gridcare::notification
