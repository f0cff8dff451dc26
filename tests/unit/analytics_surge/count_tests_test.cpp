#include "count_tests.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace gridcare::analytics {
namespace {

// Reference values from mpmath at 60 digits (gammainc / betainc / loggamma, regularized).

/// |actual / expected − 1| <= relative.
bool Near(double actual, double expected, double relative = 1e-9) {
  return std::fabs(actual / expected - 1.0) <= relative;
}

TEST_CASE("LogGamma matches reference values across its range") {
  CHECK(Near(LogGamma(0.5), 0.57236494292470008707, 1e-14));
  CHECK(LogGamma(1) == Approx(0).margin(1e-14));
  CHECK(LogGamma(2) == Approx(0).margin(1e-14));
  CHECK(Near(LogGamma(1.5), -0.12078223763524522235, 1e-13));
  CHECK(Near(LogGamma(2.5), 0.28468287047291915963, 1e-14));
  CHECK(Near(LogGamma(10), 12.801827480081469611, 1e-15));
  CHECK(Near(LogGamma(100), 359.13420536957539878, 1e-15));
  CHECK(Near(LogGamma(1e-5), 11.512919692895825626, 1e-14));
  CHECK(Near(LogGamma(12345.678), 103959.91990554605982, 1e-15));
  CHECK(Near(LogGamma(1e8), 1742068066.1038347093, 1e-15));
  CHECK(std::isnan(LogGamma(0)));
  CHECK(std::isnan(LogGamma(-1)));
}

TEST_CASE("Incomplete gamma and beta match reference values") {
  CHECK(Near(RegularizedGammaP(3.5, 2.0), 0.22022259152428408));
  CHECK(Near(RegularizedGammaQ(3.5, 9.0), 0.011970002354029551));
  CHECK(RegularizedGammaP(3.5, 2.0) + RegularizedGammaQ(3.5, 2.0) == Approx(1.0));
  CHECK(Near(RegularizedBeta(0.3, 2.5, 4.0), 0.35219758590676721));
  CHECK(Near(RegularizedBeta(0.9, 30, 2), 0.16956463310086491));
  CHECK(RegularizedBeta(0, 2, 3) == 0);
  CHECK(RegularizedBeta(1, 2, 3) == 1);
  CHECK(std::isnan(RegularizedBeta(1.5, 2, 3)));
  CHECK(std::isnan(RegularizedGammaP(-1, 2)));
}

TEST_CASE("Poisson upper tails match known values") {
  CHECK(Near(PoissonUpperTail(5, 2), 0.052653017343711157));
  CHECK(PoissonUpperTail(5, 2) == Approx(0.052653).epsilon(1e-5));
  CHECK(Near(PoissonUpperTail(20, 10), 0.0034543419758568077));
  CHECK(Near(PoissonUpperTail(1, 0.5), 0.39346934028736658));
  CHECK(Near(PoissonUpperTail(10, 10), 0.54207028552814779));
  CHECK(Near(PoissonUpperTail(1000, 1100), 0.99894067674607002));
  CHECK(Near(PoissonUpperTail(1000, 900), 0.00054990226571178292, 1e-8));
}

TEST_CASE("Poisson upper tails keep their precision far out and at tiny means") {
  CHECK(Near(PoissonUpperTail(3, 0.01), 1.6542165280748769e-7));
  CHECK(Near(PoissonUpperTail(1, 1e-9), 9.9999999950000006e-10));
  CHECK(Near(PoissonUpperTail(50, 1), 1.2337508979097351e-65, 1e-8));
  CHECK(Near(PoissonUpperTail(100, 3), 2.8335421964661377e-112, 1e-8));
  CHECK(Near(PoissonUpperTail(100000, 99000), 0.00075741992117476797, 1e-6));
  // Beyond double range the tail is 0, never NaN.
  CHECK(PoissonUpperTail(200, 0.1) == 0);
}

TEST_CASE("Poisson upper tails at the edges") {
  CHECK(PoissonUpperTail(0, 3) == 1);
  CHECK(PoissonUpperTail(-4, 3) == 1);
  CHECK(PoissonUpperTail(0, 0) == 1);
  CHECK(PoissonUpperTail(1, 0) == 0);
  CHECK(PoissonUpperTail(1, -2) == 0);
  // Decreasing in k, increasing in mu.
  double previous = 1;
  for (int k = 1; k < 40; ++k) {
    const double p = PoissonUpperTail(k, 7.5);
    CHECK(p < previous);
    CHECK(PoissonUpperTail(k, 7.6) > p);
    previous = p;
  }
}

TEST_CASE("Negative-binomial upper tails match known values") {
  CHECK(Near(NegativeBinomialUpperTail(5, 2, 0.1), 0.068975146782378562));
  CHECK(Near(NegativeBinomialUpperTail(20, 10, 0.05), 0.015496230356429768));
  CHECK(Near(NegativeBinomialUpperTail(30, 5, 0.2), 3.0824448913335811e-6));
  CHECK(Near(NegativeBinomialUpperTail(8, 2, 2), 0.062771963514603347));
  CHECK(Near(NegativeBinomialUpperTail(100, 3, 0.01), 6.7038390768613315e-97, 1e-8));
  CHECK(Near(NegativeBinomialUpperTail(2000, 1000, 0.01), 1.9882903304040998e-14, 1e-7));
  CHECK(Near(NegativeBinomialUpperTail(50, 10, 1e-3), 3.9940917793743273e-19, 1e-8));
  // Dispersion 1 is the geometric distribution: P[X >= k] = (mu / (1 + mu))^k.
  CHECK(Near(NegativeBinomialUpperTail(10, 1, 1), 0.0009765625));
  CHECK(Near(NegativeBinomialUpperTail(7, 3, 1), std::pow(0.75, 7)));
}

TEST_CASE("The negative binomial reduces to the Poisson at dispersion 0") {
  for (const int k : {1, 2, 5, 12, 40}) {
    for (const double mu : {0.05, 1.0, 2.0, 9.5, 30.0}) {
      CHECK(NegativeBinomialUpperTail(k, mu, 0) == PoissonUpperTail(k, mu));
      CHECK(NegativeBinomialUpperTail(k, mu, -1) == PoissonUpperTail(k, mu));
      // ... and tends to it continuously.
      CHECK(Near(NegativeBinomialUpperTail(k, mu, 1e-9), PoissonUpperTail(k, mu), 1e-5));
    }
  }
  CHECK(Near(NegativeBinomialUpperTail(5, 2, 1e-6), 0.052653197790575025, 1e-8));
}

TEST_CASE("More dispersion makes a far tail heavier") {
  double previous = PoissonUpperTail(15, 4);
  for (const double dispersion : {0.01, 0.05, 0.2, 1.0, 3.0}) {
    const double p = NegativeBinomialUpperTail(15, 4, dispersion);
    CHECK(p > previous);
    previous = p;
  }
  CHECK(NegativeBinomialUpperTail(0, 4, 0.5) == 1);
  CHECK(NegativeBinomialUpperTail(1, 0, 0.5) == 0);
}

TEST_CASE("The standardized residual divides by the negative-binomial deviation") {
  CHECK(StandardizedResidual(9, 4, 0) == Approx(2.5));
  CHECK(StandardizedResidual(4, 4, 0.5) == Approx(0));
  CHECK(StandardizedResidual(14, 4, 0.25) == Approx(10.0 / std::sqrt(8.0)));
  CHECK(StandardizedResidual(0, 4, -1) == Approx(-2));
}

TEST_CASE("The CUSUM accumulates excesses over k and forgets at zero") {
  const std::vector<double> z = {0.5, 3, 2, -1, 2.5};
  const auto result = OneSidedCusum(z, 1);
  // 0 (0.5-1<0), 2, 3, 1, 2.5
  CHECK(result.statistic == Approx(2.5));
  CHECK(result.run_start == 1);
  const std::vector<double> falls = {3, 3, -10, 2};
  const auto after_reset = OneSidedCusum(falls, 1);
  CHECK(after_reset.statistic == Approx(1));
  CHECK(after_reset.run_start == 3);
}

TEST_CASE("The CUSUM is zero for an empty or quiet series") {
  const std::vector<double> none;
  CHECK(OneSidedCusum(none, 0.5).statistic == 0);
  CHECK(OneSidedCusum(none, 0.5).run_start == 0);
  const std::vector<double> quiet = {0.2, -0.5, 0.9, 0.0};
  const auto result = OneSidedCusum(quiet, 1);
  CHECK(result.statistic == 0);
  CHECK(result.run_start == quiet.size());
}

TEST_CASE("A missing hour restarts the CUSUM") {
  const double missing = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> z = {4, 4, missing, 2};
  const auto result = OneSidedCusum(z, 1);
  CHECK(result.statistic == Approx(1));
  CHECK(result.run_start == 3);
  const std::vector<double> ends_missing = {4, 4, missing};
  CHECK(OneSidedCusum(ends_missing, 1).statistic == 0);
}

}  // namespace
}  // namespace gridcare::analytics
