#include "in_memory_ticket_store.h"

#include "gridcare/sla/clocks.h"

namespace gridcare::intake {

core::Result<v1::IntakeRequestRecord> InMemoryTicketStore::Reserve(const std::string& request_id,
                                                                   const std::string& fingerprint,
                                                                   core::TimePoint now) {
  std::lock_guard lock(mutex_);
  if (auto it = requests_.find(request_id); it != requests_.end()) return it->second;
  v1::IntakeRequestRecord record;
  record.set_request_id(request_id);
  record.set_fingerprint(fingerprint);
  record.set_ticket_id(FormatTicketId(now, ++sequence_));
  requests_[request_id] = record;
  return record;
}

void InMemoryTicketStore::FailNextOutcomes(int count) {
  std::lock_guard lock(mutex_);
  failing_outcomes_ = count;
}

core::Status InMemoryTicketStore::SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                                              const v1::TimelineEntry& entry,
                                              const v1::IntakeRequestRecord& record) {
  {
    std::lock_guard lock(mutex_);
    if (failing_outcomes_ > 0) {
      --failing_outcomes_;
      return core::Unavailable("ticket store unavailable (injected)");
    }
  }
  return TicketStore::SaveOutcome(ticket, entry_id, entry, record);
}

core::Status InMemoryTicketStore::Complete(const v1::IntakeRequestRecord& record) {
  std::lock_guard lock(mutex_);
  requests_[record.request_id()] = record;
  return {};
}

core::Result<std::optional<v1::Ticket>> InMemoryTicketStore::GetTicket(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (auto it = tickets_.find(id); it != tickets_.end()) return std::optional(it->second);
  return std::optional<v1::Ticket>();
}

core::Status InMemoryTicketStore::SaveTicket(const v1::Ticket& ticket) {
  std::lock_guard lock(mutex_);
  tickets_[ticket.ticket_id()] = ticket;
  if (!ticket.customer_id().empty()) {
    if (IsOpenState(ticket.state())) {
      open_[ticket.customer_id()].insert(ticket.ticket_id());
    } else {
      open_[ticket.customer_id()].erase(ticket.ticket_id());
    }
  }
  return {};
}

core::Result<std::vector<v1::Ticket>> InMemoryTicketStore::OpenTickets(
    const std::string& customer) {
  std::lock_guard lock(mutex_);
  std::vector<v1::Ticket> out;
  for (const auto& id : open_[customer]) out.push_back(tickets_[id]);
  return out;
}

core::Result<ContactCounts> InMemoryTicketStore::AddContact(const std::string& ticket_id,
                                                            const std::string& request_id,
                                                            bool urging) {
  std::lock_guard lock(mutex_);
  contacts_[ticket_id].insert(request_id);
  if (urging) urgings_[ticket_id].insert(request_id);
  return ContactCounts{1 + static_cast<int>(contacts_[ticket_id].size()),
                       static_cast<int>(urgings_[ticket_id].size())};
}

core::Status InMemoryTicketStore::AppendTimeline(const std::string& ticket_id,
                                                 const std::string& entry_id,
                                                 const v1::TimelineEntry& entry) {
  std::lock_guard lock(mutex_);
  timelines_[ticket_id][entry_id] = entry;
  return {};
}

core::Result<std::vector<v1::TimelineEntry>> InMemoryTicketStore::Timeline(const std::string& id) {
  std::lock_guard lock(mutex_);
  std::vector<v1::TimelineEntry> entries;
  for (const auto& [entry_id, entry] : timelines_[id]) entries.push_back(entry);
  SortTimeline(entries);
  return entries;
}

core::Result<std::optional<std::string>> InMemoryTicketStore::TicketOfRequest(
    const std::string& request_id) {
  std::lock_guard lock(mutex_);
  auto it = requests_.find(request_id);
  if (it == requests_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second.response().ticket_id().empty()
                                        ? it->second.ticket_id()
                                        : it->second.response().ticket_id());
}

core::Result<std::vector<std::string>> InMemoryTicketStore::ProvisionalTickets() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, ticket] : tickets_) {
    if (IsOpenState(ticket.state()) && sla::HasProvisionalClock(ticket.clocks())) ids.push_back(id);
  }
  return ids;
}

}  // namespace gridcare::intake
