#pragma once

// Complaint's durable state: one record per case (StoredCase), a durable timer per case (its next
// alarm), the open cases per department (for the desk, ordered by the clock that runs out first)
// and the outbox of the events each input produced, written in one atomic batch. This is the port:
// RedisCaseStore (redis_case_store.h) is the adapter, docs/services/complaint.md lists its keys;
// the in-memory fake is in tests/support/complaint.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"
#include "gridcare/v1/complaint.pb.h"

namespace gridcare::complaint {

/// Everything one input changed on one case. Applied all-or-nothing by CaseStore::Commit.
struct CaseCommit {
  v1::StoredCase stored;
  /// The case's next alarm (Unix ms), or nullopt: no timer.
  std::optional<int64_t> timer_ms;
  /// Where the desk lists it: the clock that runs out first (Unix ms); nullopt when closed.
  std::optional<int64_t> first_due_ms;
  /// The department it was listed under before this input ("" when new): moved out of it.
  std::string previous_department_id;
  /// The outbox: records to publish, kept under `outbox_id` so a redelivery republishes them.
  std::string outbox_id;
  std::vector<kafka::OutgoingRecord> records;
  /// The input was not a Kafka record (a desk call, a timer): the outbox stays pending until
  /// ForgetPending after a successful flush, and is republished by the relay otherwise.
  bool outbox_pending = false;
};

/// Thread-safe.
class CaseStore {
 public:
  virtual ~CaseStore() = default;
  virtual core::Result<std::optional<v1::StoredCase>> Load(std::string_view case_id) = 0;
  virtual core::Result<std::vector<v1::StoredCase>> LoadMany(
      const std::vector<std::string>& ids) = 0;
  virtual core::Status Commit(const CaseCommit& commit) = 0;
  /// The records an earlier input stored under `outbox_id`, or nullopt when unknown (expired).
  virtual core::Result<std::optional<std::vector<kafka::OutgoingRecord>>> Outbox(
      std::string_view outbox_id) = 0;
  /// Outbox ids committed with outbox_pending and not forgotten yet (at most `limit`).
  virtual core::Result<std::vector<std::string>> PendingOutboxes(int64_t limit) = 0;
  virtual core::Status ForgetPending(const std::vector<std::string>& outbox_ids) = 0;
  /// Cases whose timer is due at or before `now_ms`, earliest first, at most `limit`.
  virtual core::Result<std::vector<std::string>> DueTimers(int64_t now_ms, int64_t limit) = 0;
  /// Open cases of `department_id` ("" = every department), ordered by first due, from `offset`,
  /// at most `limit`; and how many there are in all.
  struct Page {
    std::vector<std::string> ids;
    int64_t total = 0;
  };
  virtual core::Result<Page> OpenCases(std::string_view department_id, int64_t offset,
                                       int64_t limit) = 0;
};

}  // namespace gridcare::complaint
