#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/v1/crew.pb.h"
#include "gridcare/v1/dispatch.pb.h"
#include "outbox.h"

namespace gridcare::repair_crew {

/// A record and the exact bytes it was read from. A commit compares those bytes with what is stored
/// then, so a record that another writer (a gRPC call, the dispatch consumer, another replica)
/// changed in between makes the commit fail instead of overwriting that change.
template <typename T>
struct Stored {
  T value;
  std::string bytes;
};

/// One atomic change of repair-crew's records: crew records, at most one job record, and the
/// events that report the change (saved in the outbox of the crew each event is keyed by).
struct CrewCommit {
  struct CrewWrite {
    v1::Crew after;
    std::string expected_bytes;  ///< the record as read (crews are never created by a commit)
  };
  struct JobWrite {
    v1::WorkOrder after;
    std::optional<std::string> expected_bytes;  ///< nullopt: the job must not exist yet
  };
  std::vector<CrewWrite> crews;
  std::optional<JobWrite> job;
  std::vector<OutboxEntry> events;
};

/// repair-crew's records (the port; RedisCrewStore in redis_crew_store.h is the adapter, the
/// in-memory fake is in tests/support/repair_crew). Implementations are thread-safe.
class CrewStore {
 public:
  virtual ~CrewStore() = default;

  /// Writes the crews that are not stored yet and returns how many were; stored crews keep their
  /// live state (position, availability, queue), so a restart loses nothing.
  virtual core::Result<int> SeedCrews(const std::vector<v1::Crew>& crews) = 0;
  virtual core::Result<std::optional<Stored<v1::Crew>>> GetCrew(const std::string& crew_id) = 0;
  /// The crews of `crew_ids` that exist, in the order asked.
  virtual core::Result<std::vector<Stored<v1::Crew>>> GetCrews(
      const std::vector<std::string>& crew_ids) = 0;
  virtual core::Result<std::optional<Stored<v1::WorkOrder>>> GetJob(
      const std::string& work_order_id) = 0;
  /// The jobs of `work_order_ids` that exist, in the order asked.
  virtual core::Result<std::vector<v1::WorkOrder>> GetJobs(
      const std::vector<std::string>& work_order_ids) = 0;

  /// Applies `commit` atomically when every record it names is still as read: true. False, with
  /// nothing written, when another writer got there first: read again and decide again.
  virtual core::Result<bool> Commit(const CrewCommit& commit) = 0;

  /// Up to `limit` saved, not yet acknowledged events of the crew, oldest first, as stored bytes
  /// (outbox.h decodes them).
  virtual core::Result<std::vector<std::string>> PendingEvents(const std::string& crew_id,
                                                               size_t limit) = 0;
  /// Removes one saved event given its exact bytes; one already gone is not an error.
  virtual core::Status RemovePendingEvent(const std::string& crew_id, const std::string& bytes) = 0;
  /// How many saved events each crew of `crew_ids` has, in the same order.
  virtual core::Result<std::vector<int64_t>> PendingEventCounts(
      const std::vector<std::string>& crew_ids) = 0;
};

/// Decodes a stored record; INTERNAL "corrupt <what>" when the bytes are not one.
template <typename Message>
core::Result<Message> ParseRecord(const std::string& bytes, const char* what) {
  Message message;
  if (!message.ParseFromString(bytes)) return core::Internal(std::string("corrupt ") + what);
  return message;
}

/// The crew's open jobs as a set: Crew.work_order_ids, which every store keeps a job-set index of.
std::set<std::string> JobSetOf(const v1::Crew& crew);

}  // namespace gridcare::repair_crew
