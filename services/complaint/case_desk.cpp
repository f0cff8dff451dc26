#include "case_desk.h"

#include <algorithm>
#include <utility>

#include "gridcare/kafka/cloud_events.h"
#include "gridcare/kafka/topics.h"
#include "gridcare/logging/log.h"
#include "gridcare/sla/clocks.h"

namespace gridcare::complaint {
namespace {

/// Desk order of cases without any running clock (fault-visit cases, waiting for the visit):
/// after every case with one.
constexpr int64_t kNoClockScore = 32503680000000;  // 3000-01-01

constexpr std::chrono::seconds kFlushTimeout{10};

/// Runs `f` when it goes out of scope (after the locks declared later are released).
template <typename F>
struct AtExit {
  F f;
  ~AtExit() { f(); }
};
template <typename F>
AtExit(F) -> AtExit<F>;  // clang before 17 deduces no aggregate's arguments

std::optional<int64_t> DeskScore(const v1::ComplaintCase& c) {
  if (c.state() == v1::CASE_STATE_CLOSED) return std::nullopt;
  if (auto due = FirstDue(c)) return core::ToUnixMillis(*due);
  return kNoClockScore;
}

bool Matches(const v1::ComplaintCase& c, const v1::ListCasesRequest& request, core::TimePoint now) {
  if (!request.states().empty() && std::find(request.states().begin(), request.states().end(),
                                             c.state()) == request.states().end()) {
    return false;
  }
  if (!request.handler_id().empty() && c.handler_id() != request.handler_id()) return false;
  if (request.overdue_only()) {
    const auto due = FirstDue(c);
    if (!due || *due >= now) return false;
  }
  return true;
}

}  // namespace

std::string OutboxIdFor(std::string_view case_id, std::string_view input_id) {
  return std::string(case_id) + "|" + std::string(input_id);
}

CaseDesk::CaseDesk(CaseStore& store, kafka::EventPublisher& publisher, const core::Clock& clock,
                   const CalendarBook& calendars, const CaseRules& rules, ComplaintMetrics* metrics)
    : store_(store),
      publisher_(publisher),
      clock_(clock),
      calendars_(calendars),
      rules_(rules),
      metrics_(metrics) {}

std::mutex& CaseDesk::LockFor(std::string_view case_id) {
  return locks_[std::hash<std::string_view>{}(case_id) % locks_.size()];
}

core::Status CaseDesk::Publish(const std::vector<kafka::OutgoingRecord>& records) {
  for (const auto& record : records) {
    if (auto status = publisher_.Publish(record); !status) return status;
  }
  return {};
}

core::Status CaseDesk::Commit(const CaseChange& change, const std::string& previous_department,
                              const std::string& input_id, std::string_view traceparent,
                              bool pending, std::vector<std::string>* deferred) {
  const auto& c = change.stored.complaint_case();
  CaseCommit commit;
  commit.stored = change.stored;
  if (auto next = rules_.NextTimer(change.stored)) commit.timer_ms = core::ToUnixMillis(*next);
  commit.first_due_ms = DeskScore(c);
  commit.previous_department_id = previous_department;
  commit.outbox_id = OutboxIdFor(c.case_id(), input_id);
  commit.outbox_pending = pending;
  const auto now = clock_.Now();
  for (const auto& out : change.events) {
    kafka::EventMetadata metadata{
        kafka::DeriveEventId(c.case_id() + "|" + out.event_id, "complaint"),
        std::string(CaseEventType(out.event)),
        "/gridcare/complaint",
        c.case_id(),
        now,
        kafka::ChildTraceparent(traceparent)};
    commit.records.push_back(
        kafka::MakeRecord(std::string(kafka::kComplaintTopic), c.case_id(), metadata, out.event));
  }
  if (auto status = store_.Commit(commit); !status) return status;
  if (metrics_ != nullptr) {
    for (const auto& out : change.events) metrics_->Count(out.event);
  }
  if (!pending) return Publish(commit.records);  // the consumer loop flushes before its commit
  if (commit.records.empty()) return {};
  // Not a Kafka input: nobody else flushes. The change is durable and its outbox pending, so a
  // failure from here on is not the caller's: the relay publishes the outbox later.
  if (!Publish(commit.records)) return {};
  if (deferred != nullptr) {
    deferred->push_back(commit.outbox_id);
    return {};
  }
  FlushAndForget({commit.outbox_id});
  return {};
}

void CaseDesk::FlushAndForget(const std::vector<std::string>& outbox_ids) {
  if (outbox_ids.empty() || !publisher_.Flush(kFlushTimeout)) return;
  (void)store_.ForgetPending(outbox_ids);  // else the relay republishes them (same ids)
}

core::Status CaseDesk::Republish(std::string_view case_id, const std::string& input_id) {
  auto records = store_.Outbox(OutboxIdFor(case_id, input_id));
  if (!records) return records.error();
  if (!records->has_value()) return {};  // nothing was published for it, or long expired
  return Publish(**records);
}

core::Status CaseDesk::OnTicketOpened(const v1::Ticket& ticket, const OpenFacts& facts,
                                      std::string_view event_id, std::string_view traceparent) {
  if (!IsCaseType(ticket.type())) return {};
  const std::string case_id = CaseIdForTicket(ticket.ticket_id());
  std::lock_guard lock(LockFor(case_id));
  auto existing = store_.Load(case_id);
  if (!existing) return existing.error();
  const std::string input_id(event_id);
  if (existing->has_value()) return Republish(case_id, input_id);  // a redelivery
  auto change = rules_.Open(ticket, facts, event_id, clock_.Now(), calendars_);
  if (!change) return {};
  return Commit(*change, "", input_id, traceparent, false);
}

core::Status CaseDesk::OnContactAdded(const v1::ContactAdded& contact, std::string_view event_id,
                                      std::string_view traceparent) {
  const std::string case_id = CaseIdForTicket(contact.ticket_id());
  std::lock_guard lock(LockFor(case_id));
  auto existing = store_.Load(case_id);
  if (!existing) return existing.error();
  if (!existing->has_value()) return {};  // not a case's ticket
  const std::string department = (*existing)->complaint_case().department_id();
  const std::string input_id(event_id);
  auto change = rules_.ContactAdded(std::move(**existing), contact, event_id, clock_.Now());
  if (!change.changed) return Republish(case_id, input_id);
  return Commit(change, department, input_id, traceparent, false);
}

core::Status CaseDesk::OnTicketStateChanged(const v1::TicketStateChanged& changed,
                                            std::string_view event_id,
                                            std::string_view traceparent) {
  const std::string case_id = CaseIdForTicket(changed.ticket_id());
  std::lock_guard lock(LockFor(case_id));
  auto change = rules_.OpenFaultVisit(changed, event_id, clock_.Now());
  if (!change) return {};
  auto existing = store_.Load(case_id);
  if (!existing) return existing.error();
  if (existing->has_value()) return Republish(case_id, std::string(event_id));
  return Commit(*change, "", std::string(event_id), traceparent, false);
}

core::Result<v1::ComplaintCase> CaseDesk::Get(std::string_view case_id) {
  auto stored = store_.Load(case_id);
  if (!stored) return stored.error();
  if (!stored->has_value()) return core::NotFound("no case '" + std::string(case_id) + "'");
  return std::move(*(*stored)->mutable_complaint_case());
}

core::Result<v1::ListCasesResponse> CaseDesk::List(const v1::ListCasesRequest& request) {
  constexpr int kDefaultPage = 50;
  constexpr int kMaxPage = 500;
  if (request.page_size() < 0 || request.page_size() > kMaxPage) {
    return core::InvalidArgument("page_size must be 0..500");
  }
  const int page_size = request.page_size() == 0 ? kDefaultPage : request.page_size();
  int64_t offset = 0;
  if (!request.page_token().empty()) {
    const auto& token = request.page_token();
    if (!std::all_of(token.begin(), token.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
        token.size() > 12) {
      return core::InvalidArgument("page_token: not a token this service gave out");
    }
    offset = std::stoll(token);
  }
  const bool filtered =
      !request.states().empty() || request.overdue_only() || !request.handler_id().empty();
  v1::ListCasesResponse response;
  const auto now = clock_.Now();
  // Without filters one page is read; with them the department's open cases are read in pages
  // of 500 and filtered (a department's open queue is hundreds, not millions).
  int64_t scan = filtered ? 0 : offset;
  int64_t matched = 0;
  while (true) {
    const int64_t chunk = filtered ? kMaxPage : page_size;
    auto page = store_.OpenCases(request.department_id(), scan, chunk);
    if (!page) return page.error();
    auto cases = store_.LoadMany(page->ids);
    if (!cases) return cases.error();
    if (!filtered) response.set_total(static_cast<int32_t>(page->total));
    for (auto& stored : *cases) {
      auto& c = *stored.mutable_complaint_case();
      if (!Matches(c, request, now)) continue;
      if (matched++ < offset && filtered) continue;
      if (response.cases_size() < page_size) {
        c.clear_text();  // lists never carry the customer's words; GetCase does
        *response.add_cases() = std::move(c);
      }
    }
    scan += static_cast<int64_t>(page->ids.size());
    if (!filtered) {
      if (scan < page->total) response.set_next_page_token(std::to_string(scan));
      break;
    }
    if (page->ids.empty() || scan >= page->total) break;
  }
  if (filtered) {
    response.set_total(static_cast<int32_t>(matched));
    if (offset + response.cases_size() < matched) {
      response.set_next_page_token(std::to_string(offset + response.cases_size()));
    }
  }
  return response;
}

core::Result<v1::ComplaintCase> CaseDesk::Act(std::string_view case_id, std::string_view request_id,
                                              std::string_view action_name, const Action& action) {
  // The flush waits for the broker: after the case's lock is released, so a slow broker does not
  // hold up the other cases of the lock's stripe.
  std::vector<std::string> published;
  const AtExit flush_at_end{[&] { FlushAndForget(published); }};
  std::lock_guard lock(LockFor(case_id));
  auto existing = store_.Load(case_id);
  if (!existing) return existing.error();
  if (!existing->has_value()) return core::NotFound("no case '" + std::string(case_id) + "'");
  const std::string department = (*existing)->complaint_case().department_id();
  auto change = action(std::move(**existing), clock_.Now(), calendars_);
  if (!change) {
    if (metrics_ != nullptr) metrics_->DeskAction(action_name, "rejected");
    return change.error();
  }
  if (change->changed) {
    const std::string input_id = "desk:" + std::string(request_id);
    if (auto status =
            Commit(*change, department, input_id, kafka::NewTraceparent(), true, &published);
        !status) {
      if (metrics_ != nullptr) metrics_->DeskAction(action_name, "error");
      return status.error();
    }
  }
  if (metrics_ != nullptr) metrics_->DeskAction(action_name, "ok");
  return std::move(*change->stored.mutable_complaint_case());
}

core::Result<int> CaseDesk::TickDue(int64_t limit) {
  const auto now = clock_.Now();
  auto due = store_.DueTimers(core::ToUnixMillis(now), limit);
  if (!due) return due.error();
  int ticked = 0;
  // One flush for the whole round (100,000 open cases can come due together), not one per case.
  std::vector<std::string> published;
  const AtExit flush_at_end{[&] { FlushAndForget(published); }};
  for (const auto& case_id : *due) {
    std::lock_guard lock(LockFor(case_id));
    auto existing = store_.Load(case_id);
    if (!existing) {
      if (existing.error().Retryable()) return existing.error();
      // A case that cannot be read (corrupt) must not hold up every other case's clocks.
      logging::Error("cannot tick a complaint case; skipped",
                     {{"case_id", case_id}, {"error", existing.error().ToString()}});
      continue;
    }
    if (!existing->has_value()) continue;
    const std::string department = (*existing)->complaint_case().department_id();
    auto change = rules_.Tick(std::move(**existing), now);
    // Nothing due after all (a pause, a met clock): the commit moves or drops the timer.
    const std::string input_id = "tick:" + std::to_string(core::ToUnixMillis(now));
    if (auto status =
            Commit(change, department, input_id, kafka::NewTraceparent(), true, &published);
        !status) {
      return status.error();
    }
    ++ticked;
  }
  return ticked;
}

core::Result<int> CaseDesk::RelayPending(int64_t limit) {
  auto pending = store_.PendingOutboxes(limit);
  if (!pending) return pending.error();
  if (pending->empty()) return 0;
  int64_t events = 0;
  for (const auto& outbox_id : *pending) {
    auto records = store_.Outbox(outbox_id);
    if (!records) {
      if (records.error().Retryable()) return records.error();
      // Unreadable (corrupt): it can never be published; forgotten with the rest, not retried
      // forever ahead of the others.
      logging::Error("cannot relay a complaint outbox; dropped",
                     {{"outbox_id", outbox_id}, {"error", records.error().ToString()}});
      continue;
    }
    if (!records->has_value()) continue;
    if (auto status = Publish(**records); !status) return status.error();
    events += static_cast<int64_t>((*records)->size());
  }
  if (auto flushed = publisher_.Flush(kFlushTimeout); !flushed) return flushed.error();
  if (auto status = store_.ForgetPending(*pending); !status) return status.error();
  if (metrics_ != nullptr) metrics_->Relayed(events);
  return static_cast<int>(pending->size());
}

}  // namespace gridcare::complaint
