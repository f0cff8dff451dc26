#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "incident_index.h"

namespace gridcare::complaint {

/// IncidentIndex in memory, keeping the same contract as RedisIncidentIndex
/// (incident_index_contract.h): the latest incident per transformer and per feeder, where an
/// update of the same incident always replaces it and another incident replaces it only when it
/// was opened no earlier; each incident's context (incident_context.h). Nothing expires. Failure
/// injection: the next N Record or Find calls fail with UNAVAILABLE and change nothing.
/// Thread-safe.
class FakeIncidentIndex final : public IncidentIndex {
 public:
  core::Status Record(const v1::Incident& incident) override;
  core::Result<std::optional<LinkedIncident>> Find(const v1::SupplyPoint& customer) override;
  core::Status RecordWorkOrder(const v1::WorkOrder& work_order) override;
  core::Result<bool> RecordCrewEvent(const v1::CrewEvent& event, core::TimePoint at) override;
  core::Result<std::optional<v1::IncidentContext>> Context(const std::string& incident_id) override;

  void FailNextRecords(int count);
  void FailNextFinds(int count);
  /// Successful Record calls so far (including ones that changed nothing).
  int records() const;

 private:
  struct Entry {
    LinkedIncident linked;
    int64_t opened_ms = 0;
  };
  void Put(std::map<std::string, Entry>& index, const std::string& key, const Entry& entry);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> by_transformer_;
  std::map<std::string, Entry> by_feeder_;
  std::map<std::string, v1::IncidentContext> contexts_;  // by incident id
  std::map<std::string, std::string> work_orders_;       // work order id → incident id
  int failing_records_ = 0;
  int failing_finds_ = 0;
  int records_ = 0;
};

}  // namespace gridcare::complaint
