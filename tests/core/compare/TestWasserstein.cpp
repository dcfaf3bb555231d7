// Wasserstein-1 distance of two equal-size samples against brute force
// (std::sort both, mean absolute difference in long double): continuous
// samples (bins resolved from counts and sums, and bins sorted), identical
// samples (the sorting fallback), whole numbers with ties (CT-like), a shift,
// values far from zero, tiny samples, errors, thread-count independence.

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "core/compare/Wasserstein.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

double bruteW1(std::vector<float> a, std::vector<float> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  long double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += std::abs(static_cast<long double>(a[i]) - static_cast<long double>(b[i]));
  }
  return static_cast<double>(sum / a.size());
}

// W1 of copies (the function may reorder its inputs).
double w1(std::vector<float> a, std::vector<float> b) { return wasserstein1(a, b); }

template <typename Dist>
std::vector<float> sample(std::size_t n, std::uint32_t seed, Dist dist) {
  std::mt19937 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(dist(rng));
  return v;
}

}  // namespace

TEST(Wasserstein, HandComputedPairsTheSortedValues) {
  // a = {10, 0}, b = {4, 5}: sorted pairs (0, 4), (10, 5) give (4 + 5) / 2 =
  // 4.5; pairing in the given order would give 5.5. Exact in double.
  EXPECT_EQ(w1({10.0f, 0.0f}, {4.0f, 5.0f}), 4.5);
  EXPECT_EQ(w1({3.0f}, {-1.5f}), 4.5);
  EXPECT_EQ(w1({2.0f, 2.0f}, {2.0f, 2.0f}), 0.0);
}

TEST(Wasserstein, ManySmallRandomSamplesMatchBruteForce) {
  // 2,000 random cases of 1 to 60 values: whole numbers with ties, halves
  // and continuous values mixed, so that every kind of bin (one distinct
  // value, a sign that cannot change, a sign that may change) and the
  // sorting fallback meet their edge cases (D reaching exactly 0 in a bin).
  // Values below 100 with at most 60 terms: tolerance 1e-9.
  std::mt19937 rng(21);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t n = 1 + rng() % 60;
    const int kind = trial % 3;
    auto draw = [&](double shift) {
      std::vector<float> v(n);
      for (float& x : v) {
        const double u = std::uniform_real_distribution<double>(0, 10)(rng) + shift;
        x = static_cast<float>(kind == 0 ? std::floor(u) : kind == 1 ? std::floor(2 * u) / 2 : u);
      }
      return v;
    };
    const auto a = draw(0.0), b = draw(trial % 5 == 0 ? 0.0 : 1.5);
    ASSERT_NEAR(w1(a, b), bruteW1(a, b), 1e-9) << "trial " << trial << ", n " << n;
  }
}

TEST(Wasserstein, ContinuousSamplesFromDifferentDistributionsMatchBruteForce) {
  // Uniform [-100, 300) against normal(100, 80) and against uniform [-50,
  // 250): the CDFs cross, so some bins are resolved from counts and sums and
  // some are sorted. Only double rounding separates the two (values up to
  // ~400, ~8 per bin): tolerance 1e-9.
  const std::size_t n = 20000;
  const auto a = sample(n, 1, std::uniform_real_distribution<double>(-100, 300));
  const auto b = sample(n, 2, std::normal_distribution<double>(100, 80));
  const auto c = sample(n, 3, std::uniform_real_distribution<double>(-50, 250));
  EXPECT_NEAR(w1(a, b), bruteW1(a, b), 1e-9);
  EXPECT_NEAR(w1(a, c), bruteW1(a, c), 1e-9);
  EXPECT_NEAR(w1(c, b), bruteW1(c, b), 1e-9);
  EXPECT_GT(bruteW1(a, c), 1.0);  // not a trivial case
}

TEST(Wasserstein, TheSameValuesInAnotherOrderAreAtDistanceZero) {
  // Every bin is ambiguous (equal counts): the sorting fallback; exact 0.
  auto a = sample(5000, 4, std::normal_distribution<double>(0, 1));
  auto b = a;
  std::shuffle(b.begin(), b.end(), std::mt19937(5));
  EXPECT_EQ(w1(a, b), 0.0);
  EXPECT_EQ(w1(a, a), 0.0);  // the same order: no sort needed
  // Raising the largest value by 1000 keeps the order, so only the last
  // sorted pair differs, by 1000: W1 = 1000 / n.
  auto c = a;
  *std::max_element(c.begin(), c.end()) += 1000.0f;
  EXPECT_NEAR(w1(a, c), 1000.0 / 5000.0, 1e-6);  // float rounding of the raised value
  EXPECT_NEAR(w1(a, c), bruteW1(a, c), 1e-12);
}

TEST(Wasserstein, WholeNumbersWithTiesMatchBruteForce) {
  // CT-like: whole numbers in [-1000, 1000] (each bin then holds one distinct
  // value), two different distributions, and one with ties only at a few
  // values. Exact sums of whole numbers: tolerance 1e-9.
  const std::size_t n = 50000;
  auto a = sample(n, 6, std::normal_distribution<double>(0, 300));
  auto b = sample(n, 7, std::normal_distribution<double>(40, 250));
  for (auto* v : {&a, &b}) {
    for (float& x : *v) x = std::clamp(std::round(x), -1000.0f, 1000.0f);
  }
  EXPECT_NEAR(w1(a, b), bruteW1(a, b), 1e-9);
  const auto c = sample(n, 8, std::uniform_int_distribution<int>(0, 3));
  const auto d = sample(n, 9, std::uniform_int_distribution<int>(1, 2));
  EXPECT_NEAR(w1(c, d), bruteW1(c, d), 1e-12);
}

TEST(Wasserstein, AShiftIsTheDistance) {
  // b = a + 7.25: W1 = 7.25 up to float32 rounding of b (values up to ~300,
  // half an ulp ~1e-5): tolerance 1e-4; and equal to brute force within 1e-9.
  const auto a = sample(30000, 10, std::uniform_real_distribution<double>(-300, 300));
  auto b = a;
  for (float& x : b) x += 7.25f;
  EXPECT_NEAR(w1(a, b), 7.25, 1e-4);
  EXPECT_NEAR(w1(a, b), bruteW1(a, b), 1e-9);
}

TEST(Wasserstein, ValuesFarFromZeroKeepTheirPrecision) {
  // Values near 1e5 with spreads of ~10: the per-bin sums (n * max - sum)
  // cancel; double keeps ~1e-11 relative, so 1e-6 absolute on a W1 of ~3.
  const auto a = sample(20000, 11, std::normal_distribution<double>(1e5, 10));
  const auto b = sample(20000, 12, std::normal_distribution<double>(1e5 + 2, 12));
  EXPECT_NEAR(w1(a, b), bruteW1(a, b), 1e-6);
}

TEST(Wasserstein, ResultDoesNotDependOnTheThreadCount) {
  // 400,000 values per sample: several histogram leaves. One thread and all
  // threads must give the same bits.
  const auto a = sample(400000, 13, std::normal_distribution<double>(0, 50));
  const auto b = sample(400000, 14, std::uniform_real_distribution<double>(-60, 90));
  double one = 0;
  tbb::task_arena(1).execute([&] { one = w1(a, b); });
  EXPECT_EQ(w1(a, b), one);
  EXPECT_NEAR(one, bruteW1(a, b), 1e-9);
}

TEST(Wasserstein, RefusesUnequalEmptyOrNonFiniteSamples) {
  EXPECT_THROW(w1({1.0f}, {1.0f, 2.0f}), ParameterError);
  EXPECT_THROW(w1({}, {}), ParameterError);
  EXPECT_THROW(w1({1.0f, std::numeric_limits<float>::quiet_NaN()}, {1.0f, 2.0f}), ParameterError);
  EXPECT_THROW(w1({1.0f, 2.0f}, {1.0f, std::numeric_limits<float>::infinity()}), ParameterError);
}
