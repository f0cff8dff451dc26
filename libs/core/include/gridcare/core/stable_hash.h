#pragma once

// Stable, non-cryptographic hashing for ids and deterministic choices that must give the same
// answer on every build, platform and restart (std::hash promises none of that).

#include <cstdint>
#include <string_view>

namespace gridcare::core {

inline constexpr uint64_t kFnv1a64OffsetBasis = 14695981039346656037ULL;
inline constexpr uint64_t kFnv1a64Prime = 1099511628211ULL;

/// 64-bit FNV-1a of `bytes`, continuing from `hash` (the offset basis for a fresh hash), so several
/// pieces can be chained: Fnv1a64(b, Fnv1a64(a)). Well spread in its low bits only; pass the
/// result through Mix64 before taking high bits or a fraction.
constexpr uint64_t Fnv1a64(std::string_view bytes, uint64_t hash = kFnv1a64OffsetBasis) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnv1a64Prime;
  }
  return hash;
}

/// Continues `hash` with `value`'s 8 bytes, least significant first (the same on every platform).
constexpr uint64_t Fnv1a64(uint64_t value, uint64_t hash) {
  for (int i = 0; i < 8; ++i) {
    hash ^= (value >> (8 * i)) & 0xffU;
    hash *= kFnv1a64Prime;
  }
  return hash;
}

/// MurmurHash3's fmix64 finalizer: every input bit affects every output bit, so a hash of ids
/// that differ only in their last characters spreads over the high bits too.
constexpr uint64_t Mix64(uint64_t hash) {
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash;
}

/// `hash` as a fraction in [0, 1): its top 53 bits over 2^53 (exact in a double, never 1).
constexpr double UnitInterval(uint64_t hash) {
  constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;
  return static_cast<double>(hash >> 11) * kTwoToMinus53;
}

}  // namespace gridcare::core
