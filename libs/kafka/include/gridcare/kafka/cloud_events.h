#pragma once

#include <google/protobuf/message_lite.h>

#include <string>
#include <string_view>

#include "gridcare/core/clock.h"
#include "gridcare/core/error.h"
#include "gridcare/kafka/message.h"

namespace gridcare::kafka {

/// CloudEvents 1.0 attributes carried in Kafka headers (Kafka protocol binding, binary mode), plus
/// the W3C trace context. Adapters in any language read them without our code.
struct EventMetadata {
  std::string id;           // ce_id: unique per event; consumers de-duplicate on it
  std::string type;         // ce_type: "gridcare.<entity>.<verb>.v1"
  std::string source;       // ce_source: "/gridcare/<service>"
  std::string subject;      // ce_subject: ticket / incident / case id
  core::TimePoint time;     // ce_time (RFC 3339)
  std::string traceparent;  // W3C "00-<trace-id>-<span-id>-<flags>"
};

inline constexpr std::string_view kContentTypeProtobuf = "application/protobuf";

/// Header names of the binding.
inline constexpr std::string_view kHeaderId = "ce_id";
inline constexpr std::string_view kHeaderType = "ce_type";
inline constexpr std::string_view kHeaderSource = "ce_source";
inline constexpr std::string_view kHeaderSubject = "ce_subject";
inline constexpr std::string_view kHeaderTime = "ce_time";
inline constexpr std::string_view kHeaderSpecVersion = "ce_specversion";
inline constexpr std::string_view kHeaderContentType = "content-type";
inline constexpr std::string_view kHeaderTraceparent = "traceparent";

/// Headers for `metadata` in binary mode, with content-type application/protobuf.
Headers ToHeaders(const EventMetadata& metadata);

/// Reads the CloudEvents attributes back. INVALID_ARGUMENT naming the header when a required one
/// (ce_id, ce_type, ce_source) is missing or ce_time is not RFC 3339.
core::Result<EventMetadata> ParseMetadata(const Headers& headers);

/// Parses RFC 3339 ("2026-11-24T01:53:10.123Z", "...+08:00", fraction optional).
core::Result<core::TimePoint> ParseRfc3339(std::string_view text);

/// A new root trace context (random trace and span ids, sampled).
std::string NewTraceparent();

/// Continues `parent`'s trace with a new span id; starts a new trace when `parent` is malformed.
std::string ChildTraceparent(std::string_view parent);

/// A deterministic UUID-formatted id derived from `parent_event_id` and `discriminator`, so that
/// re-handling the same input after a crash republishes events with the same ids and downstream
/// de-duplication absorbs them.
std::string DeriveEventId(std::string_view parent_event_id, std::string_view discriminator);

/// Serializes `event` and attaches CloudEvents headers.
OutgoingRecord MakeRecord(std::string topic, std::string key, const EventMetadata& metadata,
                          const google::protobuf::MessageLite& event);

}  // namespace gridcare::kafka
