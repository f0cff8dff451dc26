#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridcare/redis/client.h"
#include "ticket_store.h"

namespace gridcare::intake {

/// TicketStore in Redis; keys prefixed "intake:" (see docs/services/intake.md).
class RedisTicketStore final : public TicketStore {
 public:
  explicit RedisTicketStore(redis::RedisClient& redis) : redis_(redis) {}
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
  core::Status SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                           const v1::TimelineEntry& entry,
                           const v1::IntakeRequestRecord& record) override;
  core::Result<std::vector<v1::IntakeRequestRecord>> ReserveMany(
      const std::vector<ReserveRequest>& requests, core::TimePoint now) override;
  core::Result<std::map<std::string, std::vector<v1::Ticket>>> OpenTicketsOf(
      const std::vector<std::string>& customer_ids) override;
  core::Status SaveOutcomes(const std::vector<RequestOutcome>& outcomes) override;

 private:
  redis::RedisClient& redis_;
};

}  // namespace gridcare::intake
