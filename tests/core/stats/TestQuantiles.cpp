// The one quantile definition (type 7): hand-computed values for the sorted-
// values helper, and the same numbers from the O(N) selection on masked data.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "core/stats/Quantiles.h"

using namespace harmonia;

TEST(Quantiles, SortedValuesInterpolateLinearlyBetweenOrderStatistics) {
  // 10, 20, 30, 40: h = 3 p. p = 0.5: h = 1.5, 20 + 0.5 * 10 = 25 (the mean of
  // the two middle values); p = 0.1: h = 0.3, 13; p = 0.9: h = 2.7, 37.
  const std::array<double, 4> v{10, 20, 30, 40};
  const std::span<const double> s(v);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 0.5), 25.0);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 0.1), 13.0);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 0.9), 37.0);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 0.0), 10.0);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 1.0), 40.0);
  EXPECT_DOUBLE_EQ(quantileOfSorted(s, 1.5), 40.0);  // clamped
  EXPECT_DOUBLE_EQ(quantileOfSorted(std::span<const double>(), 0.5), 0.0);
  const QuantilePosition q = quantilePosition(4, 0.9);
  EXPECT_EQ(q.lower, 2u);
  EXPECT_NEAR(q.fraction, 0.7, 1e-15);
}

TEST(Quantiles, SelectionOnMaskedDataAgreesWithSortedValues) {
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(50.0f, 12.0f);
  std::vector<float> values(20001);
  std::vector<std::uint8_t> mask(values.size());
  std::vector<float> inside;
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = i % 5 == 0 ? std::round(normal(rng)) : normal(rng);  // some ties
    mask[i] = static_cast<std::uint8_t>(rng() % 3 != 0);
    if (mask[i] != 0) inside.push_back(values[i]);
  }
  std::sort(inside.begin(), inside.end());
  const std::vector<double> ps = {0.0, 0.05, 0.5, 0.95, 0.999, 1.0};
  const std::vector<double> q = sampleQuantiles(values, mask.data(), ps);
  for (std::size_t i = 0; i < ps.size(); ++i) {
    EXPECT_DOUBLE_EQ(q[i], quantileOfSorted(std::span<const float>(inside), ps[i])) << ps[i];
  }
}

// medianInPlace is the type-7 median: for odd counts the middle value, for
// even counts the mean of the two middle values (checked against a full sort).
TEST(Quantiles, MedianInPlaceMatchesSortedMiddle) {
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> u(-50.0, 50.0);
  for (std::size_t n = 1; n <= 40; ++n) {
    std::vector<double> v(n);
    for (double& x : v) x = std::round(u(rng));  // rounding makes ties likely
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const double expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    std::vector<double> work = v;
    EXPECT_DOUBLE_EQ(medianInPlace(work), expected) << "n = " << n;
  }
  std::vector<float> none;
  EXPECT_EQ(medianInPlace(none), 0.0);
  std::vector<float> two = {3.0F, 1.0F};
  EXPECT_DOUBLE_EQ(medianInPlace(two), 2.0);
}
