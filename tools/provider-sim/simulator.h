#pragma once

// The simulator's state and decisions, apart from HTTP: for each message request, whether it is
// refused (unauthorized, bad request, rate limited, an injected failure), a repeat, or accepted,
// recorded and given a delivery report; the per-provider fault settings and counters; the report
// schedule the sender works through. The HTTP edge (provider_http.h) turns outcomes into answers.
//
// Thread-safe: one mutex guards everything, held only for the bookkeeping of one call (parsing,
// JSON and the injected latency happen outside it).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faults.h"
#include "gridcare/core/clock.h"
#include "message_log.h"
#include "provider_api.h"
#include "rate_limiter.h"
#include "report_queue.h"

namespace gridcare::provider_sim {

struct SimulatorSettings {
  std::size_t record_limit = 2'000'000;
  /// The bearer token clients must send; empty: any non-empty token.
  std::string token;
  SimConfig config;
  /// POSTs of one report before it counts as lost, and the wait before the 2nd, 3rd, …
  /// (doubling from report_retry_backoff).
  int report_attempts = 4;
  std::chrono::milliseconds report_retry_backoff{100};
};

/// Counters of one provider since the start (or the last ResetStats).
struct ProviderStats {
  uint64_t received = 0;               ///< every message request, whatever the answer
  uint64_t accepted = 0;               ///< 202: new messages recorded
  uint64_t duplicates = 0;             ///< 200: repeats of a kept client_message_id
  uint64_t unauthorized = 0;           ///< 401
  uint64_t bad_request = 0;            ///< 400
  uint64_t rejected_rate_limited = 0;  ///< 429
  uint64_t failed_injected = 0;        ///< 5xx chosen by fail_ratio
  uint64_t reports_sent = 0;           ///< callbacks answered 2xx
  uint64_t reports_lost = 0;           ///< reports given up after every attempt
  uint64_t replies_sent = 0;           ///< inbound replies the callback answered 2xx
  uint64_t replies_lost = 0;           ///< inbound replies given up after every attempt
};

/// What became of one message request.
struct SubmitOutcome {
  enum class Kind { kAccepted, kDuplicate, kUnauthorized, kBadRequest, kRateLimited, kFailed };
  Kind kind = Kind::kAccepted;
  std::string provider_message_id;  ///< kAccepted, kDuplicate
  core::TimePoint accepted_at;      ///< kAccepted, kDuplicate (the first acceptance)
  std::string error;                ///< kBadRequest: what is wrong (no recipient or text in it)
  int fail_status = 0;              ///< kFailed
  std::chrono::milliseconds retry_after{0};  ///< kRateLimited
  std::chrono::milliseconds latency{0};      ///< to wait before answering (not for 401)
};

class Simulator {
 public:
  /// `clock` is not owned and must outlive the simulator.
  Simulator(SimulatorSettings settings, const core::Clock& clock);

  /// Decides one `POST /providers/<provider>/v1/messages` (the provider name is valid). Checks,
  /// in order: the Authorization header, the body, the rate limit, the failure picker, then
  /// repeats; an accepted message is recorded and, with a callback_url, its report scheduled.
  SubmitOutcome Submit(std::string_view provider, std::string_view authorization,
                       std::string_view body);

  /// Replaces a provider's settings (creating the provider); its rate limiter and failure picker
  /// start afresh.
  void SetFaults(const std::string& provider, FaultSettings faults);
  /// A provider's settings; the defaults for a provider not seen yet.
  FaultSettings Faults(std::string_view provider) const;
  /// The defaults a PUT's omitted keys take.
  const FaultSettings& default_faults() const { return settings_.config.defaults; }

  /// Recorded messages with seq > `after`, oldest first, at most `limit`; one provider's unless
  /// `provider` is empty.
  std::vector<RecordedMessage> Messages(uint64_t after, std::string_view provider,
                                        std::size_t limit) const;
  /// Forgets recorded messages, the de-duplication index and reports not yet taken; returns how
  /// many messages were forgotten.
  std::size_t ClearMessages();

  struct Stats {
    std::map<std::string, ProviderStats, std::less<>> providers;
    std::size_t messages_kept = 0;
    uint64_t messages_dropped = 0;
    uint64_t last_seq = 0;
    std::size_t reports_pending = 0;  ///< waiting in the schedule (not those being sent)
  };
  Stats GetStats() const;
  /// Zeroes every provider's counters.
  void ResetStats();

  /// Removes and returns up to `max` reports due now, each with `attempts` counting the POST the
  /// sender is about to make.
  std::vector<PendingReport> TakeDueReports(std::size_t max);
  /// When the next report is due, if any waits.
  std::optional<core::TimePoint> NextReportDue() const;
  /// The callback answered 2xx.
  void ReportSent(const PendingReport& report);
  /// The POST failed (no connection, timeout, non-2xx): scheduled again after the backoff, or
  /// counted lost after the last attempt. Returns true when lost.
  bool ReportFailed(PendingReport report);

  /// A recipient answers message `provider_message_id` of `provider` with `text` (1..1024
  /// bytes): the reply is posted to the message's callback_url at once, retried like a report.
  /// Returns the reply id ("<provider>-r<n>"); NOT_FOUND for a message not kept,
  /// FAILED_PRECONDITION for one sent without a callback_url, INVALID_ARGUMENT for the text.
  core::Result<std::string> Reply(std::string_view provider, std::string_view provider_message_id,
                                  std::string text);

  const core::Clock& clock() const { return clock_; }

 private:
  struct Provider {
    FaultSettings faults;
    TokenBucket bucket;
    FailurePicker picker;
    ProviderStats stats;
  };

  Provider& ProviderLocked(std::string_view name);
  SubmitOutcome AcceptLocked(Provider& provider, std::string_view name, MessageRequest request,
                             core::TimePoint now);
  void SetReportStateLocked(const PendingReport& report, ReportState state);

  const SimulatorSettings settings_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, Provider, std::less<>> providers_;  // guarded by mutex_
  MessageLog log_;                                          // guarded by mutex_
  ReportQueue reports_;                                     // guarded by mutex_
  uint64_t replies_ = 0;                                    // guarded by mutex_
};

}  // namespace gridcare::provider_sim
