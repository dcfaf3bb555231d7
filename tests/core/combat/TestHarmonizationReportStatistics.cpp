// The guard's statistics: the regularized incomplete beta function and F tail against R's
// pbeta/pf and closed forms, and the Fisher ratio, one-way ANOVA and KS distances against R
// (oneway.test, ks.test; tests/data/combat, made by make_lme4_reference.R) and hand values.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <numbers>
#include <thread>
#include <vector>

#include "combat/GuardTestSupport.h"
#include "core/combat/GuardStatistics.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

TEST(GuardStatistics, IncompleteBetaMatchesR) {
  const auto t = test::readCsv(test::guardDataDir() / "incomplete_beta_reference.csv");
  std::size_t checked = 0;
  double worst = 0.0;
  for (const auto& r : t.rows) {
    const double p1 = std::stod(r[1]);
    const double p2 = std::stod(r[2]);
    const double p3 = std::stod(r[3]);
    const double expected = std::stod(r[4]);
    const double ours = r[0] == "pbeta" ? guard::regularizedIncompleteBeta(p1, p2, p3)
                                        : guard::fUpperTail(p1, p2, p3);
    const double d = test::relativeDifference(ours, expected);
    worst = std::max(worst, d);
    EXPECT_LE(d, 1e-11) << r[0] << "(" << r[1] << ", " << r[2] << ", " << r[3] << ") = " << ours
                        << " vs R " << expected;
    ++checked;
  }
  EXPECT_EQ(checked, 9u * 6u * 6u + 7u);
  std::cout << "[pbeta/pf] max relative difference to R: " << worst << "\n";
}

TEST(GuardStatistics, IncompleteBetaClosedForms) {
  for (const double x : {0.001, 0.2, 0.5, 0.77, 0.999}) {
    for (const double a : {0.3, 1.0, 4.5}) {
      EXPECT_NEAR(guard::regularizedIncompleteBeta(x, a, 1.0), std::pow(x, a), 1e-14);
      EXPECT_NEAR(guard::regularizedIncompleteBeta(x, 1.0, a), 1.0 - std::pow(1.0 - x, a), 1e-14);
      // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
      EXPECT_NEAR(guard::regularizedIncompleteBeta(x, a, 2.5),
                  1.0 - guard::regularizedIncompleteBeta(1.0 - x, 2.5, a), 1e-14);
    }
    EXPECT_NEAR(guard::regularizedIncompleteBeta(x, 0.5, 0.5),
                2.0 / std::numbers::pi * std::asin(std::sqrt(x)), 1e-14);
  }
  EXPECT_EQ(guard::regularizedIncompleteBeta(0.0, 2.0, 3.0), 0.0);
  EXPECT_EQ(guard::regularizedIncompleteBeta(1.0, 2.0, 3.0), 1.0);
  EXPECT_THROW(guard::regularizedIncompleteBeta(0.5, 0.0, 1.0), ParameterError);
  EXPECT_THROW(guard::regularizedIncompleteBeta(1.5, 1.0, 1.0), ParameterError);
  // F(1, d2) is the square of t(d2): P(F > t²) with d2 = 1 (Cauchy) is 1 − 2 atan(t)/π.
  EXPECT_NEAR(guard::fUpperTail(4.0, 1.0, 1.0), 1.0 - 2.0 / std::numbers::pi * std::atan(2.0),
              1e-14);
  EXPECT_EQ(guard::fUpperTail(0.0, 3.0, 7.0), 1.0);
  EXPECT_NEAR(guard::normalTwoSidedP(guard::kNormalQuantile975), 0.05, 1e-15);
}

// The reference data set's y grouped by site and its label classes.
struct Grouped {
  std::vector<double> y;
  std::vector<std::size_t> site;
  std::vector<std::string> site_levels;
  std::vector<std::size_t> label;
  std::size_t label_count = 0;
};

Grouped grouped(const std::string& dataset) {
  const auto d = test::readLme4Data(dataset);
  Grouped g;
  g.y = d.y;
  g.site = test::groupIndices(d.site, &g.site_levels);
  std::vector<std::string> levels;
  g.label = test::groupIndices(d.label, &levels);
  g.label_count = levels.size();
  return g;
}

class GuardStatisticsR : public ::testing::TestWithParam<std::string> {};

TEST_P(GuardStatisticsR, AnovaKsFisherMatchR) {
  const std::string dataset = GetParam();
  const auto ref = test::readLme4Reference();
  const auto g = grouped(dataset);
  const auto anova = guard::oneWayAnova(g.y, g.site, g.site_levels.size());
  EXPECT_TRUE(anova.reason.empty());
  EXPECT_LE(
      test::relativeDifference(anova.f, test::lookup(ref, dataset, "stats", "anova_F", "site")),
      1e-12);
  EXPECT_LE(
      test::relativeDifference(anova.p, test::lookup(ref, dataset, "stats", "anova_p", "site")),
      1e-10);
  double maxD = 0.0;
  double sumD = 0.0;
  std::size_t pairs = 0;
  for (std::size_t a = 0; a < g.site_levels.size(); ++a) {
    for (std::size_t b = a + 1; b < g.site_levels.size(); ++b) {
      std::vector<double> ya;
      std::vector<double> yb;
      for (std::size_t i = 0; i < g.y.size(); ++i) {
        if (g.site[i] == a) {
          ya.push_back(g.y[i]);
        }
        if (g.site[i] == b) {
          yb.push_back(g.y[i]);
        }
      }
      const double expected =
          test::lookup(ref, dataset, "stats", "ks_D", g.site_levels[a] + "|" + g.site_levels[b]);
      EXPECT_NEAR(guard::ksDistance(ya, yb), expected, 1e-14);
      maxD = std::max(maxD, expected);
      sumD += expected;
      ++pairs;
    }
  }
  const auto ks = guard::ksPairs(g.y, g.site, g.site_levels.size());
  EXPECT_EQ(ks.pairs, pairs);
  EXPECT_NEAR(ks.max, maxD, 1e-14);
  EXPECT_NEAR(ks.mean, sumD / static_cast<double>(pairs), 1e-14);
  const auto fisher = guard::fisherRatio(g.y, g.label, g.label_count);
  EXPECT_LE(test::relativeDifference(fisher.ratio,
                                     test::lookup(ref, dataset, "stats", "fisher", "label")),
            1e-12);
}

INSTANTIATE_TEST_SUITE_P(R, GuardStatisticsR, ::testing::Values("A", "B", "C"));

TEST(GuardStatistics, FisherRatioByHand) {
  // Two classes: means 2 and 6, variances 1 and 1: (6 − 2)² / (1 + 1) = 8.
  auto r = guard::fisherRatio({1, 2, 3, 5, 6, 7}, {0, 0, 0, 1, 1, 1}, 2);
  EXPECT_DOUBLE_EQ(r.ratio, 8.0);
  // Three classes: means 2, 6, 7 (μ̄ = 5, variance of the means (9 + 1 + 4) / 2 = 7), class
  // variances 1, 1, 4 (mean 2): 7 / 2. A single-value class is ignored.
  r = guard::fisherRatio({1, 2, 3, 5, 6, 7, 5, 7, 9, 100}, {0, 0, 0, 1, 1, 1, 2, 2, 2, 3}, 4);
  EXPECT_DOUBLE_EQ(r.ratio, 3.5);
  EXPECT_EQ(r.used_classes, 3u);
  r = guard::fisherRatio({1, 2, 3}, {0, 0, 1}, 2);
  EXPECT_TRUE(std::isnan(r.ratio));
  EXPECT_FALSE(r.reason.empty());
  r = guard::fisherRatio({1, 1, 3, 3}, {0, 0, 1, 1}, 2);
  EXPECT_TRUE(std::isnan(r.ratio));
  EXPECT_NE(r.reason.find("no variation"), std::string::npos);
}

TEST(GuardStatistics, AnovaByHand) {
  // Groups {1,2,3} and {5,6,7}: SSB = 3·4 + 3·4 = 24 (1 df), SSW = 4 (4 df): F = 24.
  const auto a = guard::oneWayAnova({1, 2, 3, 5, 6, 7}, {0, 0, 0, 1, 1, 1}, 3);
  EXPECT_DOUBLE_EQ(a.f, 24.0);
  EXPECT_EQ(a.df_between, 1.0);
  EXPECT_EQ(a.df_within, 4.0);
  // P(F(1, 4) > 24) = I_{4/28}(2, 1/2) = 1 − 3s/2 + s³/2 with s = √(24/28) (integrating
  // u (1 − u)^(−1/2) by hand; B(2, 1/2) = 4/3).
  const double s = std::sqrt(24.0 / 28.0);
  EXPECT_NEAR(a.p, 1.0 - 1.5 * s + 0.5 * s * s * s, 1e-15);
  const auto one = guard::oneWayAnova({1, 2, 3}, {0, 0, 0}, 2);
  EXPECT_TRUE(std::isnan(one.f));
  EXPECT_FALSE(one.reason.empty());
  const auto flat = guard::oneWayAnova({1, 1, 2, 2}, {0, 0, 1, 1}, 2);
  EXPECT_TRUE(std::isnan(flat.f));
  EXPECT_NE(flat.reason.find("no variation"), std::string::npos);
}

TEST(GuardStatistics, KsDistanceWithTiesByHand) {
  // F_a at 1, 2, 3: 1/4, 3/4, 1; F_b at 2, 4: 2/3, 1. |F_a − F_b| at 1, 2, 3: 1/4, 1/12, 1/3.
  EXPECT_DOUBLE_EQ(guard::ksDistance({2, 1, 3, 2}, {4, 2, 2}), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(guard::ksDistance({1, 2, 3}, {1, 2, 3}), 0.0);
  EXPECT_DOUBLE_EQ(guard::ksDistance({1, 2}, {3, 4, 5}), 1.0);
  EXPECT_TRUE(std::isnan(guard::ksDistance({}, {1.0})));
  const auto s = guard::ksPairs({1, 2, 3}, {0, 0, 0}, 3);
  EXPECT_EQ(s.pairs, 0u);
  EXPECT_TRUE(std::isnan(s.max));
}

TEST(GuardStatistics, TheSameTailsOnTwoThreadsAtOnce) {
  // Two guards computed at once must not share state (std::lgamma wrote the
  // global signgam; in harmonia_tsan_tests ThreadSanitizer reports any such
  // sharing between the two threads, whatever their timing).
  std::vector<std::array<double, 3>> cases;
  for (int i = 1; i <= 200; ++i) {
    cases.push_back({0.05 * i, 1.0 + i % 7, 3.0 + i % 11});
  }
  std::vector<double> serial;
  for (const auto& [f, d1, d2] : cases) {
    serial.push_back(guard::fUpperTail(f, d1, d2));
  }
  std::vector<double> first(cases.size()), second(cases.size());
  auto run = [&cases](std::vector<double>& out) {
    for (std::size_t k = 0; k < cases.size(); ++k) {
      out[k] = guard::fUpperTail(cases[k][0], cases[k][1], cases[k][2]);
    }
  };
  std::thread a(run, std::ref(first));
  std::thread b(run, std::ref(second));
  a.join();
  b.join();
  EXPECT_EQ(first, serial);
  EXPECT_EQ(second, serial);
}

}  // namespace
}  // namespace harmonia
