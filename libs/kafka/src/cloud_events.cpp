#include "gridcare/kafka/cloud_events.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <random>

namespace gridcare::kafka {
namespace {

std::string RandomHex(size_t bytes) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  uint64_t pool = 0;
  for (size_t i = 0; i < bytes; ++i) {
    if (i % 8 == 0) pool = engine();
    const auto byte = static_cast<uint8_t>(pool >> (8 * (i % 8)));
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xF]);
  }
  return out;
}

bool IsLowerHex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view text) {
  return text.find_first_not_of('0') == std::string_view::npos;
}

// Two independent 64-bit FNV-1a lanes: not cryptographic, only stable and well spread.
uint64_t Fnv1a(std::string_view a, std::string_view b, uint64_t basis) {
  uint64_t hash = basis;
  auto mix = [&hash](std::string_view text) {
    for (const char c : text) {
      hash ^= static_cast<uint8_t>(c);
      hash *= 0x100000001b3ULL;
    }
  };
  mix(a);
  mix(std::string_view("\x1f", 1));
  mix(b);
  return hash;
}

bool ParseInt(std::string_view text, int& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

}  // namespace

std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name) {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == name) return std::string_view(it->second);
  }
  return std::nullopt;
}

Headers ToHeaders(const EventMetadata& metadata) {
  Headers headers;
  headers.reserve(8);
  headers.emplace_back(kHeaderSpecVersion, "1.0");
  headers.emplace_back(kHeaderId, metadata.id);
  headers.emplace_back(kHeaderType, metadata.type);
  headers.emplace_back(kHeaderSource, metadata.source);
  headers.emplace_back(kHeaderTime, core::FormatRfc3339(metadata.time));
  if (!metadata.subject.empty()) headers.emplace_back(kHeaderSubject, metadata.subject);
  headers.emplace_back(kHeaderContentType, kContentTypeProtobuf);
  headers.emplace_back(kHeaderTraceparent,
                       metadata.traceparent.empty() ? NewTraceparent() : metadata.traceparent);
  return headers;
}

core::Result<EventMetadata> ParseMetadata(const Headers& headers) {
  EventMetadata metadata;
  const auto id = FindHeader(headers, kHeaderId);
  const auto type = FindHeader(headers, kHeaderType);
  const auto source = FindHeader(headers, kHeaderSource);
  if (!id || id->empty()) return core::InvalidArgument("missing CloudEvents header ce_id");
  if (!type || type->empty()) return core::InvalidArgument("missing CloudEvents header ce_type");
  if (!source || source->empty()) {
    return core::InvalidArgument("missing CloudEvents header ce_source");
  }
  metadata.id = *id;
  metadata.type = *type;
  metadata.source = *source;
  if (const auto subject = FindHeader(headers, kHeaderSubject)) metadata.subject = *subject;
  if (const auto trace = FindHeader(headers, kHeaderTraceparent)) metadata.traceparent = *trace;
  if (const auto time = FindHeader(headers, kHeaderTime)) {
    auto parsed = ParseRfc3339(*time);
    if (!parsed) return core::InvalidArgument("header ce_time: " + parsed.error().message);
    metadata.time = *parsed;
  }
  return metadata;
}

core::Result<core::TimePoint> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return core::InvalidArgument("not RFC 3339: '" + std::string(text.substr(0, 40)) + "'");
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ParseInt(text.substr(0, 4), year) || !ParseInt(text.substr(5, 2), month) ||
      !ParseInt(text.substr(8, 2), day) || !ParseInt(text.substr(11, 2), hour) ||
      !ParseInt(text.substr(14, 2), minute) || !ParseInt(text.substr(17, 2), second) || month < 1 ||
      month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return core::InvalidArgument("not RFC 3339: '" + std::string(text.substr(0, 40)) + "'");
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return core::InvalidArgument("RFC 3339 fraction has no digits");
    while (digits++ < 9) nanos *= 10;
  }
  int offset_minutes = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int zone_hours = 0, zone_minutes = 0;
    if (!ParseInt(zone.substr(1, 2), zone_hours) || !ParseInt(zone.substr(4, 2), zone_minutes)) {
      return core::InvalidArgument("RFC 3339 offset is malformed");
    }
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (zone_hours * 60 + zone_minutes);
  } else {
    return core::InvalidArgument("RFC 3339 time needs 'Z' or an offset like +08:00");
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = timegm(&tm);
  return core::TimePoint(
      std::chrono::seconds(seconds) - std::chrono::minutes(offset_minutes) +
      std::chrono::duration_cast<core::Duration>(std::chrono::nanoseconds(nanos)));
}

std::string NewTraceparent() { return "00-" + RandomHex(16) + "-" + RandomHex(8) + "-01"; }

std::string ChildTraceparent(std::string_view parent) {
  // version(2) - trace-id(32) - parent-id(16) - flags(2)
  if (parent.size() == 55 && parent[2] == '-' && parent[35] == '-' && parent[52] == '-') {
    const auto trace_id = parent.substr(3, 32);
    const auto flags = parent.substr(53, 2);
    if (IsLowerHex(trace_id) && !AllZero(trace_id) && IsLowerHex(flags)) {
      return "00-" + std::string(trace_id) + "-" + RandomHex(8) + "-" + std::string(flags);
    }
  }
  return NewTraceparent();
}

std::string DeriveEventId(std::string_view parent_event_id, std::string_view discriminator) {
  const uint64_t high = Fnv1a(parent_event_id, discriminator, 0xcbf29ce484222325ULL);
  const uint64_t low = Fnv1a(discriminator, parent_event_id, 0x84222325cbf29ce4ULL);
  char text[40];
  // Formatted as RFC 9562 version 8 (custom) with the RFC 4122 variant bits.
  std::snprintf(text, sizeof text, "%08x-%04x-8%03x-%04x-%012llx",
                static_cast<unsigned>(high >> 32), static_cast<unsigned>((high >> 16) & 0xFFFF),
                static_cast<unsigned>(high & 0x0FFF),
                static_cast<unsigned>(((low >> 48) & 0x3FFF) | 0x8000),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

OutgoingRecord MakeRecord(std::string topic, std::string key, const EventMetadata& metadata,
                          const google::protobuf::MessageLite& event) {
  OutgoingRecord record;
  record.topic = std::move(topic);
  record.key = std::move(key);
  event.SerializeToString(&record.value);
  record.headers = ToHeaders(metadata);
  return record;
}

}  // namespace gridcare::kafka
