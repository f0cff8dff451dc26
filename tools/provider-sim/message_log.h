#pragma once

// What the simulator keeps of every accepted message: a window of the newest `limit` messages in
// acceptance order, numbered from 1 across all providers, and the (provider, client_message_id)
// index that de-duplicates repeats. Pure, not thread-safe (the Simulator holds its lock).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gridcare/core/clock.h"
#include "provider_api.h"

namespace gridcare::provider_sim {

/// Where a message's delivery report stands.
enum class ReportState {
  kNone,     ///< no callback_url: no report
  kPending,  ///< scheduled or being retried
  kSent,     ///< the callback answered 2xx
  kLost,     ///< every attempt failed
};

/// "none", "pending", "sent", "lost".
const char* ReportStateName(ReportState state);

struct RecordedMessage {
  uint64_t seq = 0;  ///< 1, 2, … in acceptance order across providers; never reused
  std::string provider;
  std::string provider_message_id;  ///< "<provider>-<seq>"
  std::string client_message_id;
  std::string to;
  std::string text;
  std::string template_id;
  std::string language;
  std::string callback_url;  ///< where its report (and any reply) goes; "" for none
  core::TimePoint accepted_at;
  DeliveryStatus outcome = DeliveryStatus::kDelivered;  ///< what the report says (or would)
  ReportState report = ReportState::kNone;
  int report_attempts = 0;  ///< callback POSTs made so far
};

class MessageLog {
 public:
  /// Keeps at most `limit` messages (at least 1); older ones are dropped, and so is their entry
  /// in the de-duplication index (a repeat of a dropped message is accepted again).
  explicit MessageLog(std::size_t limit);

  /// The kept message `provider` accepted under `client_message_id`, or null.
  const RecordedMessage* FindDuplicate(std::string_view provider,
                                       std::string_view client_message_id) const;

  /// Numbers `message` (seq and provider_message_id), keeps it, drops the oldest beyond the
  /// limit, and returns the kept copy (valid until the next Append or Clear).
  const RecordedMessage& Append(RecordedMessage message);

  /// The kept message `seq`, or null (never accepted, dropped or cleared).
  RecordedMessage* Find(uint64_t seq);

  /// Up to `limit` kept messages with seq > `after`, oldest first; only `provider`'s unless it is
  /// empty.
  std::vector<RecordedMessage> After(uint64_t after, std::string_view provider,
                                     std::size_t limit) const;

  /// Forgets every message and the index; numbering continues.
  void Clear();

  std::size_t size() const { return messages_.size(); }
  /// Messages dropped for the limit since the start.
  uint64_t dropped() const { return dropped_; }
  /// The newest seq handed out, 0 before the first.
  uint64_t last_seq() const { return next_seq_ - 1; }

 private:
  static std::string Key(std::string_view provider, std::string_view client_message_id);

  std::size_t limit_;
  uint64_t next_seq_ = 1;
  uint64_t dropped_ = 0;
  std::deque<RecordedMessage> messages_;  // contiguous seqs, oldest first
  std::unordered_map<std::string, uint64_t> by_client_id_;
};

}  // namespace gridcare::provider_sim
