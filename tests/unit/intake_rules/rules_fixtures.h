#pragma once

// Builders shared by the intake rule tests. Time is injected: every instant is an offset from a
// fixed epoch, so nothing sleeps and nothing depends on the wall clock.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "gridcare/core/clock.h"
#include "urging_rules.h"

namespace gridcare::intake::testing {

// 2026-11-18T11:06:40Z.
constexpr int64_t kEpochMillis = 1'795'000'000'000;

inline core::TimePoint At(std::chrono::milliseconds offset) {
  return core::FromUnixMillis(kEpochMillis + offset.count());
}

/// An open ticket whose last contact was `last_contact` after the epoch (opened then too).
inline OpenTicket Ticket(std::string id, v1::RequestType type,
                         std::chrono::milliseconds last_contact,
                         v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED,
                         std::string transformer = "") {
  OpenTicket ticket;
  ticket.ticket_id = std::move(id);
  ticket.type = type;
  ticket.application_kind = kind;
  ticket.opened_at = At(last_contact);
  ticket.last_contact_at = At(last_contact);
  ticket.transformer_id = std::move(transformer);
  return ticket;
}

/// A contact received `received` after the epoch.
inline IncomingContact Contact(
    v1::RequestType type, std::chrono::milliseconds received, std::string referenced = "",
    v1::ServiceApplicationKind kind = v1::SERVICE_APPLICATION_KIND_UNSPECIFIED,
    std::string transformer = "") {
  IncomingContact contact;
  contact.type = type;
  contact.application_kind = kind;
  contact.received_at = At(received);
  contact.referenced_ticket_id = std::move(referenced);
  contact.transformer_id = std::move(transformer);
  return contact;
}

}  // namespace gridcare::intake::testing
