#include "count_tests.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridcare::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEpsilon = 1e-16;
constexpr double kTiny = 1e-300;  // Lentz's guard against a zero denominator
// Series and continued fractions converge in O(sqrt(max(a, b))) steps; this bound is reached only
// for arguments far beyond any count of contacts.
constexpr int kMaxIterations = 1'000'000;
// Below this, dispersion × mu² changes no tail probability in double precision, while size
// 1 / dispersion would be so large that log Γ(size) loses digits: use the Poisson tail.
constexpr double kMinDispersion = 1e-12;

/// P(a, x) by its power series; converges fast for x < a + 1.
double GammaSeries(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - LogGamma(a)) * sum;
}

/// Q(a, x) by its continued fraction (modified Lentz); converges fast for x >= a + 1.
double GammaContinuedFraction(double a, double x) {
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - LogGamma(a)) * h;
}

/// The continued fraction of I_x(a, b) (modified Lentz); converges fast for x < (a+1)/(a+b+2).
double BetaContinuedFraction(double x, double a, double b) {
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

/// log(x^a y^b / (a B(a, b))) with y = 1 − x given separately, so that neither log loses digits
/// when x or y is tiny.
double LogBetaFront(double log_x, double log_y, double a, double b) {
  return a * log_x + b * log_y - std::log(a) - (LogGamma(a) + LogGamma(b) - LogGamma(a + b));
}

/// I_x(a, b) with y = 1 − x passed exactly (the negative-binomial tail knows both as ratios).
double Beta(double x, double y, double a, double b) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const double log_x = std::log(x);
  const double log_y = std::log(y);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(LogBetaFront(log_x, log_y, a, b)) * BetaContinuedFraction(x, a, b);
  }
  return 1.0 - std::exp(LogBetaFront(log_y, log_x, b, a)) * BetaContinuedFraction(y, b, a);
}

}  // namespace

double LogGamma(double x) {
  if (!(x > 0) || std::isinf(x)) return x > 0 ? x : kNaN;
  // Γ(x) = Γ(x + n) / (x (x+1) ... (x+n-1)): shift into the range where Stirling is exact to
  // double precision. The product stays far from overflow (at most 10 factors below 10).
  double shift = 0;
  double product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
  }
  if (product != 1) shift = std::log(product);
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  const double series =
      inv *
      (1.0 / 12 +
       inv2 * (-1.0 / 360 +
               inv2 * (1.0 / 1260 +
                       inv2 * (-1.0 / 1680 + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360360 +
                                                                          inv2 * (1.0 / 156)))))));
  constexpr double kHalfLogTwoPi = 0.91893853320467274178;
  return (x - 0.5) * std::log(x) - x + kHalfLogTwoPi + series - shift;
}

double RegularizedGammaP(double a, double x) {
  if (!(a > 0) || !(x >= 0)) return kNaN;
  if (x == 0) return 0;
  if (x < a + 1.0) return GammaSeries(a, x);
  return 1.0 - GammaContinuedFraction(a, x);
}

double RegularizedGammaQ(double a, double x) {
  if (!(a > 0) || !(x >= 0)) return kNaN;
  if (x == 0) return 1;
  if (x < a + 1.0) return 1.0 - GammaSeries(a, x);
  return GammaContinuedFraction(a, x);
}

double RegularizedBeta(double x, double a, double b) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return kNaN;
  return Beta(x, 1.0 - x, a, b);
}

double PoissonUpperTail(int64_t k, double mu) {
  if (k <= 0) return 1;
  if (!(mu > 0)) return 0;
  // P[X >= k] = P[Gamma(k) <= mu] = P(k, mu).
  return std::clamp(RegularizedGammaP(static_cast<double>(k), mu), 0.0, 1.0);
}

double NegativeBinomialUpperTail(int64_t k, double mu, double dispersion) {
  if (k <= 0) return 1;
  if (!(mu > 0)) return 0;
  if (!(dispersion >= kMinDispersion)) return PoissonUpperTail(k, mu);
  // Size r = 1/dispersion, success probability p = r / (r + mu). Counting failures before the
  // r-th success, P[X >= k] = I_{1-p}(k, r), with 1 − p = mu / (r + mu) = dispersion·mu / (1 +
  // dispersion·mu).
  const double r = 1.0 / dispersion;
  const double scaled = dispersion * mu;
  const double q = scaled / (1.0 + scaled);  // 1 − p
  const double p = 1.0 / (1.0 + scaled);
  return std::clamp(Beta(q, p, static_cast<double>(k), r), 0.0, 1.0);
}

double StandardizedResidual(double observed, double expected, double dispersion) {
  const double variance = expected + std::max(dispersion, 0.0) * expected * expected;
  return (observed - expected) / std::sqrt(variance);
}

CusumResult OneSidedCusum(std::span<const double> residuals, double k) {
  CusumResult result{0, residuals.size()};
  for (size_t i = 0; i < residuals.size(); ++i) {
    if (std::isnan(residuals[i])) {
      result = {0, residuals.size()};
      continue;
    }
    const double next = result.statistic + residuals[i] - k;
    if (next <= 0) {
      result = {0, residuals.size()};
    } else {
      if (result.statistic == 0) result.run_start = i;
      result.statistic = next;
    }
  }
  return result;
}

}  // namespace gridcare::analytics
