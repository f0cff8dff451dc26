#include <cmath>

#include "gridcare/synth/network.h"
#include "random.h"

namespace gridcare::synth {
namespace internal {

double Sin(double x) {
  constexpr double kTwoPi = 2 * kPi;
  x -= kTwoPi * std::floor(x / kTwoPi + 0.5);  // now in [-pi, pi]
  // Fold into [-pi/2, pi/2], where the series converges fast: sin(pi - x) = sin(x).
  if (x > kPi / 2) x = kPi - x;
  if (x < -kPi / 2) x = -kPi - x;
  const double x2 = x * x;
  // Horner form of x - x^3/3! + x^5/5! - ... + x^17/17!.
  double sum = 1.0;
  for (int n = 17; n >= 3; n -= 2) {
    sum = 1.0 - x2 / static_cast<double>((n - 1) * n) * sum;
  }
  return x * sum;
}

double Cos(double x) { return Sin(x + kPi / 2); }

double Cbrt(double x) {
  double y = x > 1 ? x : 1.0;
  for (int i = 0; i < 80; ++i) y = (2 * y + x / (y * y)) / 3;
  return y;
}

double RoundMicroDegrees(double degrees) { return std::round(degrees * 1e6) / 1e6; }

}  // namespace internal

double DistanceKm(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kKmPerDegree = 111.32;
  const double mean_latitude = (a.latitude + b.latitude) / 2 * internal::kPi / 180;
  const double dx = (a.longitude - b.longitude) * kKmPerDegree * internal::Cos(mean_latitude);
  const double dy = (a.latitude - b.latitude) * kKmPerDegree;
  return std::sqrt(dx * dx + dy * dy);
}

v1::GeoPoint ToProto(const GeoPoint& point) {
  v1::GeoPoint out;
  out.set_latitude(point.latitude);
  out.set_longitude(point.longitude);
  return out;
}

}  // namespace gridcare::synth
