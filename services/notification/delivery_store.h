#pragma once

// Where notifications live from creation to delivery report (the port; RedisDeliveryStore is the
// adapter, the in-memory fake is in tests/support/notification, both keep
// delivery_store_contract.h). Records are created once per notification id — that is the
// de-duplication of redelivered events and restarted fan-outs — and queued by due time; the
// sender claims due records for a lease, so a crashed sender's claims come back when the lease
// ends, and saves each record's next state.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/v1/notification.pb.h"

namespace gridcare::notification {

/// One record of DeliveryStore::SaveAll and where to queue it next (Save's arguments).
struct RecordSave {
  const v1::StoredNotification* record = nullptr;  ///< not owned
  std::optional<core::TimePoint> next_due;
};

/// Thread-safe.
class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;

  /// Stores each record whose notification id is not stored yet, queued at its due_at; a record
  /// already stored (whatever its state) is left untouched. Returns, per record in order, true
  /// when it was new. Durable when it returns OK.
  virtual core::Result<std::vector<bool>> Enqueue(
      const std::vector<v1::StoredNotification>& records) = 0;

  /// Up to `limit` queued records due at or before `now`, earliest due first, each claimed until
  /// now + lease: a claimed record is not returned again before its lease ends unless Save()
  /// queues it again.
  virtual core::Result<std::vector<v1::StoredNotification>> ClaimDue(core::TimePoint now, int limit,
                                                                     core::Duration lease) = 0;

  /// Replaces the stored record (by notification id) and queues it at `next_due`, or takes it out
  /// of the queue for good when nullopt (sent and waiting for a report, delivered, failed).
  virtual core::Status Save(const v1::StoredNotification& record,
                            std::optional<core::TimePoint> next_due) = 0;

  /// Save of each of `saves`, in order, in as few round trips as the store allows (Redis: one
  /// MULTI/EXEC per chunk). A failure leaves it unknown which were saved; each save replaces the
  /// whole record, so saving them all again is harmless. By default, Save one by one.
  virtual core::Status SaveAll(const std::vector<RecordSave>& saves) {
    for (const RecordSave& save : saves) {
      if (auto status = Save(*save.record, save.next_due); !status) return status;
    }
    return {};
  }

  /// The record, nullopt when unknown (or expired: records are kept 30 days).
  virtual core::Result<std::optional<v1::StoredNotification>> Get(
      const std::string& notification_id) = 0;

  /// Small keyed state of the triggers and limits (ETR announcements per incident, send times per
  /// recipient and subject), kept for `ttl` after the last Put.
  virtual core::Result<std::optional<std::string>> GetMemo(const std::string& key) = 0;
  virtual core::Status PutMemo(const std::string& key, const std::string& value,
                               core::Duration ttl) = 0;

  /// Records queued (due or not, claimed or not).
  virtual core::Result<int64_t> QueuedCount() = 0;
};

}  // namespace gridcare::notification
