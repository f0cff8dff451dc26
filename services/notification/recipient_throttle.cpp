#include "recipient_throttle.h"

#include <algorithm>
#include <charconv>
#include <cstddef>

namespace gridcare::notification {

ThrottleState::ThrottleState(std::vector<core::TimePoint> sent) : sent_(std::move(sent)) {
  std::sort(sent_.begin(), sent_.end());
}

std::string ThrottleState::Encode() const {
  std::string text;
  for (const core::TimePoint t : sent_) {
    if (!text.empty()) text += ',';
    text += std::to_string(core::ToUnixMillis(t));
  }
  return text;
}

core::Result<ThrottleState> ThrottleState::Decode(std::string_view text) {
  std::vector<core::TimePoint> sent;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    int64_t millis = 0;
    const auto parsed = std::from_chars(item.data(), item.data() + item.size(), millis);
    if (item.empty() || parsed.ec != std::errc() || parsed.ptr != item.data() + item.size()) {
      return core::InvalidArgument("throttle state: \"" + std::string(item) +
                                   "\" is not a time in Unix milliseconds");
    }
    sent.push_back(core::FromUnixMillis(millis));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return core::InvalidArgument("throttle state: trailing comma");
  }
  return ThrottleState(std::move(sent));
}

ThrottleDecision Admit(const ThrottleState& state, MessageClass message_class, core::TimePoint now,
                       const ThrottleSettings& settings) {
  const size_t limit = static_cast<size_t>(std::max(settings.max_messages, 1));
  std::vector<core::TimePoint> counted;
  for (const core::TimePoint t : state.sent()) {
    if (now < t + settings.window) counted.push_back(t);
  }
  ThrottleDecision decision;
  if (message_class != MessageClass::kSafety && counted.size() >= limit) {
    decision.allowed = false;
    decision.throttled_until = counted[counted.size() - limit] + settings.window;
  } else if (message_class != MessageClass::kSafety) {
    counted.insert(std::upper_bound(counted.begin(), counted.end(), now), now);
  }
  if (counted.size() > limit) {
    counted.erase(counted.begin(), counted.end() - static_cast<std::ptrdiff_t>(limit));
  }
  decision.state = ThrottleState(std::move(counted));
  return decision;
}

}  // namespace gridcare::notification
