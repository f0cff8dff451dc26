#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ticket_store.h"

namespace gridcare::intake {

/// TicketStore in memory, for unit tests and in-process benchmarks, with failure injection.
/// Thread-safe.
class InMemoryTicketStore final : public TicketStore {
 public:
  /// The next `count` SaveOutcome calls fail as Redis being down would, writing nothing.
  void FailNextOutcomes(int count);
  core::Status SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                           const v1::TimelineEntry& entry,
                           const v1::IntakeRequestRecord& record) override;
  core::Result<v1::IntakeRequestRecord> Reserve(const std::string& request_id,
                                                const std::string& fingerprint,
                                                core::TimePoint now) override;
  core::Status Complete(const v1::IntakeRequestRecord& record) override;
  core::Result<std::optional<v1::Ticket>> GetTicket(const std::string& ticket_id) override;
  core::Status SaveTicket(const v1::Ticket& ticket) override;
  core::Result<std::vector<v1::Ticket>> OpenTickets(const std::string& customer_id) override;
  core::Result<ContactCounts> AddContact(const std::string& ticket_id,
                                         const std::string& request_id, bool urging) override;
  core::Status AppendTimeline(const std::string& ticket_id, const std::string& entry_id,
                              const v1::TimelineEntry& entry) override;
  core::Result<std::vector<v1::TimelineEntry>> Timeline(const std::string& ticket_id) override;
  core::Result<std::optional<std::string>> TicketOfRequest(const std::string& request_id) override;
  core::Result<std::vector<std::string>> ProvisionalTickets() override;

 private:
  std::mutex mutex_;
  int failing_outcomes_ = 0;
  int64_t sequence_ = 0;
  std::map<std::string, v1::IntakeRequestRecord> requests_;
  std::map<std::string, v1::Ticket> tickets_;
  std::map<std::string, std::set<std::string>> open_;
  std::map<std::string, std::set<std::string>> contacts_;
  std::map<std::string, std::set<std::string>> urgings_;
  std::map<std::string, std::map<std::string, v1::TimelineEntry>> timelines_;
};

}  // namespace gridcare::intake
