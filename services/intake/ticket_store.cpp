#include "ticket_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace gridcare::intake {
namespace {

constexpr int kChinaOffsetSeconds = 8 * 3600;

}  // namespace

std::string FormatTicketId(core::TimePoint now, int64_t sequence) {
  const std::time_t local =
      static_cast<std::time_t>(core::ToUnixMillis(now) / 1000) + kChinaOffsetSeconds;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char out[40];
  std::snprintf(out, sizeof out, "GC-%04d%02d%02d-%06lld", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, static_cast<long long>(sequence));
  return out;
}

bool IsOpenState(v1::TicketState state) {
  return state == v1::TICKET_STATE_OPEN || state == v1::TICKET_STATE_IN_PROGRESS;
}

void SortTimeline(std::vector<v1::TimelineEntry>& entries) {
  using google::protobuf::util::TimeUtil;
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return TimeUtil::TimestampToNanoseconds(a.at()) < TimeUtil::TimestampToNanoseconds(b.at());
  });
}

core::Result<std::vector<std::string>> TicketStore::ProvisionalTickets() {
  return core::FailedPrecondition("this ticket store keeps no index of provisional clocks");
}

core::Status TicketStore::SaveOutcome(const v1::Ticket& ticket, const std::string& entry_id,
                                      const v1::TimelineEntry& entry,
                                      const v1::IntakeRequestRecord& record) {
  if (auto saved = SaveTicket(ticket); !saved) return saved;
  if (auto appended = AppendTimeline(ticket.ticket_id(), entry_id, entry); !appended) {
    return appended;
  }
  return Complete(record);
}

core::Result<std::vector<v1::IntakeRequestRecord>> TicketStore::ReserveMany(
    const std::vector<ReserveRequest>& requests, core::TimePoint now) {
  std::vector<v1::IntakeRequestRecord> records;
  records.reserve(requests.size());
  for (const auto& request : requests) {
    auto record = Reserve(request.request_id, request.fingerprint, now);
    if (!record) return record.error();
    records.push_back(std::move(record).value());
  }
  return records;
}

core::Result<std::map<std::string, std::vector<v1::Ticket>>> TicketStore::OpenTicketsOf(
    const std::vector<std::string>& customer_ids) {
  std::map<std::string, std::vector<v1::Ticket>> open;
  for (const auto& customer : customer_ids) {
    auto tickets = OpenTickets(customer);
    if (!tickets) return tickets.error();
    open[customer] = std::move(tickets).value();
  }
  return open;
}

core::Status TicketStore::SaveOutcomes(const std::vector<RequestOutcome>& outcomes) {
  for (const auto& outcome : outcomes) {
    if (auto saved = SaveOutcome(outcome.ticket, outcome.entry_id, outcome.entry, outcome.record);
        !saved) {
      return saved;
    }
  }
  return {};
}

}  // namespace gridcare::intake
