#pragma once

// Count tests for surge detection (issue 15): upper-tail probabilities of the Poisson and
// negative-binomial distributions, and a one-sided CUSUM over standardized hourly residuals.
//
// Why these: contact counts per category × area × hour are small whole numbers (often 0-10), for
// which a normal approximation is badly wrong exactly where it matters (the tail). The Poisson
// tail is the textbook test for "more than expected"; the negative binomial adds a variance term
// (var = mu + dispersion × mu²) for the day-to-day wobble real counts have and for the baseline
// being itself an estimate, so a quiet slot does not turn every small rise into a warning.
//
// Everything is computed through regularized incomplete gamma and beta functions (series and
// continued fractions, no external library) in log space, so tails of 1e-300 and counts in the
// millions come out with full relative precision. Pure and thread-safe (no std::lgamma, which
// writes the global `signgam`).

#include <cstdint>
#include <span>

namespace gridcare::analytics {

/// log Γ(x) for x > 0 (Stirling series after shifting x to >= 10); relative error ~1e-15.
/// NaN for x <= 0.
double LogGamma(double x);

/// Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x >= 0. NaN otherwise.
double RegularizedGammaP(double a, double x);
/// Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), computed directly (no cancellation
/// when it is tiny).
double RegularizedGammaQ(double a, double x);

/// Regularized incomplete beta I_x(a, b), a > 0, b > 0, 0 <= x <= 1. NaN otherwise.
double RegularizedBeta(double x, double a, double b);

/// P[X >= k] for X ~ Poisson(mu). 1 for k <= 0; for mu <= 0 (nothing expected) 0 when k >= 1.
/// Example: PoissonUpperTail(5, 2) = 0.052653.
double PoissonUpperTail(int64_t k, double mu);

/// P[X >= k] for X negative binomial with mean mu and variance mu + dispersion × mu² (size
/// r = 1 / dispersion). dispersion <= 0 (or so small that it cannot matter in double precision)
/// is exactly the Poisson tail. 1 for k <= 0; 0 for mu <= 0 and k >= 1.
double NegativeBinomialUpperTail(int64_t k, double mu, double dispersion);

/// (observed − expected) / sqrt(expected + dispersion × expected²): how many standard deviations
/// an hour's count lies above what was expected. expected must be > 0 (the detector floors it).
double StandardizedResidual(double observed, double expected, double dispersion);

/// The state at the end of a one-sided (upper) CUSUM.
struct CusumResult {
  /// S_n where S_0 = 0 and S_i = max(0, S_{i-1} + z_i − k).
  double statistic = 0;
  /// Index of the first residual of the run that built `statistic` up (the residual after the
  /// last time S was 0); residuals.size() when statistic is 0.
  size_t run_start = 0;
};

/// One-sided CUSUM (Page 1954) over `residuals` (oldest first) with reference value `k`: it adds
/// up how far each hour lies above k standard deviations and forgets everything once the sum falls
/// back to 0, so a slow build-up of hours each a little too high crosses a threshold h that no
/// single hour would. A NaN residual means "no data for that hour" (an excluded hour): the sum
/// restarts after it.
CusumResult OneSidedCusum(std::span<const double> residuals, double k);

}  // namespace gridcare::analytics
