#include "gridcare/core/ids.h"

#include <array>
#include <cstdio>
#include <random>

namespace gridcare::core {
namespace {

std::mt19937_64& ThreadEngine() {
  thread_local std::mt19937_64 engine{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  return engine;
}

}  // namespace

std::string UuidV7Generator::NewId() {
  const auto millis = static_cast<uint64_t>(ToUnixMillis(clock_.Now()));
  const uint64_t random_a = ThreadEngine()();
  const uint64_t random_b = ThreadEngine()();
  std::array<uint8_t, 16> bytes{};
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(millis >> (8 * (5 - i)));
  for (int i = 6; i < 16; ++i) {
    const uint64_t source = i < 14 ? random_a : random_b;
    bytes[i] = static_cast<uint8_t>(source >> (8 * (i % 8)));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x70);  // version 7
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

std::string SequentialIdGenerator::NewId() {
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%06ld", next_++);
  return prefix_ + "-" + suffix;
}

bool IsCanonicalUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace gridcare::core
