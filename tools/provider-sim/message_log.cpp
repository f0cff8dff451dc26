#include "message_log.h"

#include <algorithm>

namespace gridcare::provider_sim {

const char* ReportStateName(ReportState state) {
  switch (state) {
    case ReportState::kNone:
      return "none";
    case ReportState::kPending:
      return "pending";
    case ReportState::kSent:
      return "sent";
    case ReportState::kLost:
      return "lost";
  }
  return "none";
}

MessageLog::MessageLog(std::size_t limit) : limit_(std::max<std::size_t>(1, limit)) {}

std::string MessageLog::Key(std::string_view provider, std::string_view client_message_id) {
  std::string key;
  key.reserve(provider.size() + 1 + client_message_id.size());
  key.append(provider).push_back('\n');  // '\n' cannot be in a provider name
  key.append(client_message_id);
  return key;
}

const RecordedMessage* MessageLog::FindDuplicate(std::string_view provider,
                                                 std::string_view client_message_id) const {
  const auto found = by_client_id_.find(Key(provider, client_message_id));
  if (found == by_client_id_.end()) return nullptr;
  return &messages_[found->second - messages_.front().seq];
}

const RecordedMessage& MessageLog::Append(RecordedMessage message) {
  message.seq = next_seq_++;
  message.provider_message_id = message.provider + "-" + std::to_string(message.seq);
  by_client_id_.insert_or_assign(Key(message.provider, message.client_message_id), message.seq);
  messages_.push_back(std::move(message));
  while (messages_.size() > limit_) {
    const RecordedMessage& oldest = messages_.front();
    const auto found = by_client_id_.find(Key(oldest.provider, oldest.client_message_id));
    if (found != by_client_id_.end() && found->second == oldest.seq) by_client_id_.erase(found);
    messages_.pop_front();
    ++dropped_;
  }
  return messages_.back();
}

RecordedMessage* MessageLog::Find(uint64_t seq) {
  if (messages_.empty() || seq < messages_.front().seq || seq > messages_.back().seq) {
    return nullptr;
  }
  return &messages_[seq - messages_.front().seq];
}

std::vector<RecordedMessage> MessageLog::After(uint64_t after, std::string_view provider,
                                               std::size_t limit) const {
  std::vector<RecordedMessage> out;
  if (messages_.empty() || limit == 0) return out;
  const uint64_t first = messages_.front().seq;
  std::size_t index = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
  for (; index < messages_.size() && out.size() < limit; ++index) {
    const RecordedMessage& message = messages_[index];
    if (provider.empty() || message.provider == provider) out.push_back(message);
  }
  return out;
}

void MessageLog::Clear() {
  messages_.clear();
  by_client_id_.clear();
}

}  // namespace gridcare::provider_sim
