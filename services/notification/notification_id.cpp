#include "notification_id.h"

#include <cstdint>
#include <cstdio>

#include "gridcare/core/stable_hash.h"

namespace gridcare::notification {
namespace {

// The upper half of the 128-bit FNV offset basis: a second, independent starting point.
constexpr uint64_t kSecondLaneBasis = 0x6c62272e07bb0142ULL;

uint64_t WithField(uint64_t hash, std::string_view field) {
  return core::Fnv1a64(field, core::Fnv1a64(static_cast<uint64_t>(field.size()), hash));
}

}  // namespace

std::string NotificationId(std::string_view source_event_id, std::string_view recipient_id,
                           std::string_view template_id) {
  const uint64_t high = WithField(
      WithField(WithField(core::kFnv1a64OffsetBasis, source_event_id), recipient_id), template_id);
  const uint64_t low =
      WithField(WithField(WithField(kSecondLaneBasis, template_id), recipient_id), source_event_id);
  char text[3 + 32 + 1];
  std::snprintf(text, sizeof text, "N-%016llx%016llx", static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(low));
  return text;
}

}  // namespace gridcare::notification
