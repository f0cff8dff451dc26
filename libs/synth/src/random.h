#pragma once

// Deterministic randomness and arithmetic. The standard distributions and <cmath>'s
// transcendental functions are implementation-defined, so everything here is built from integer
// operations and IEEE-754 +, -, *, / and sqrt, which round identically everywhere.

#include <array>
#include <cstddef>
#include <cstdint>

namespace gridcare::synth::internal {

constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Independent random streams: one per purpose ("stream") and entity (a, b).
enum Stream : uint64_t {
  kStreamSizing = 1,
  kStreamSubstation,
  kStreamDistrict,
  kStreamNames,
  kStreamDepot,
  kStreamCustomer,
  kStreamAccountType,
  kStreamSurname,
  kStreamPhoneSharer,
  kStreamPhonePrefix,
  kStreamAltPhone,
  kStreamMeter,
  kStreamOffsets,
};

constexpr uint64_t HashKey(uint64_t seed, uint64_t stream, uint64_t a = 0, uint64_t b = 0) {
  uint64_t h = SplitMix64(seed ^ 0x6A09E667F3BCC909ULL);
  h = SplitMix64(h ^ (stream * 0xD1B54A32D192ED03ULL));
  h = SplitMix64(h ^ a);
  return SplitMix64(h ^ (b * 0x9E3779B97F4A7C15ULL));
}

// A uniform double in [0, 1) from the top 53 bits.
constexpr double UnitFromBits(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// SplitMix64 as a sequential generator: tiny state, so a fresh one per entity is free.
class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-40 for our n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi], inclusive.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  double Unit() { return UnitFromBits(Next()); }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  bool Chance(double p) { return Unit() < p; }

  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& items) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

// An item chosen with integer weights: `cumulative` holds running totals, the last is the sum.
template <size_t N>
size_t PickWeighted(uint64_t bits, const std::array<int, N>& cumulative) {
  const auto total = static_cast<uint64_t>(cumulative[N - 1]);
  const auto point =
      static_cast<int>((static_cast<unsigned __int128>(bits) * total) >> 64);  // [0, total)
  for (size_t i = 0; i < N; ++i) {
    if (point < cumulative[i]) return i;
  }
  return N - 1;
}

inline constexpr double kPi = 3.14159265358979323846;

// sin and cos from a fixed Taylor polynomial after reduction to [-pi, pi]; error < 1e-12, which
// is far below a metre at the scales we draw.
double Sin(double x);
double Cos(double x);
// Cube root of x > 0 by a fixed number of Newton steps.
double Cbrt(double x);

// Rounds to 6 decimals (about 0.1 m), so coordinates print short and identically everywhere.
double RoundMicroDegrees(double degrees);

// (a * b + c) mod m without overflow, for the index permutations behind ids.
constexpr uint64_t MulAddMod(uint64_t a, uint64_t b, uint64_t c, uint64_t m) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b + c) % m);
}

// Inverse of a modulo m (gcd(a, m) == 1), by the extended Euclidean algorithm.
constexpr uint64_t InverseMod(uint64_t a, uint64_t m) {
  __int128 t = 0, new_t = 1, r = m, new_r = a;
  while (new_r != 0) {
    const __int128 q = r / new_r;
    const __int128 next_t = t - q * new_t;
    t = new_t;
    new_t = next_t;
    const __int128 next_r = r - q * new_r;
    r = new_r;
    new_r = next_r;
  }
  if (t < 0) t += m;
  return static_cast<uint64_t>(t);
}

}  // namespace gridcare::synth::internal
