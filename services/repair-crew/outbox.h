#pragma once

#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"

namespace gridcare::repair_crew {

// The outbox: a crew event is saved in Redis in the same atomic write as the state change it
// reports, and removed once Kafka acknowledged it. A state change therefore never exists without
// its event: if publishing fails (broker down, caller's deadline), the app's retry of the same
// command, or the background relay, publishes the saved event with its original id, so consumers
// drop any copy. See docs/services/repair-crew.md ("Durability").

/// A saved event: the record to publish and when it was saved.
struct OutboxEntry {
  kafka::OutgoingRecord record;
  core::TimePoint saved_at;
};

/// Bytes of an entry ("GCOB1" then length-prefixed fields). Deterministic: equal entries give
/// equal bytes, which is how an entry is found again to be removed.
std::string EncodeOutboxEntry(const OutboxEntry& entry);

/// Inverse of EncodeOutboxEntry; INTERNAL for bytes it did not produce (corrupt data).
core::Result<OutboxEntry> DecodeOutboxEntry(std::string_view bytes);

}  // namespace gridcare::repair_crew
