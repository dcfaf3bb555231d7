#pragma once
// Brute-force references for the comparison tests: plain loops in double
// precision and std::sort, written independently of core/compare.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/image/Volume.h"
#include "core/stats/Summary.h"

namespace harmonia::test {

/// Statistics of a list of (finite) values, by sorting.
struct BruteStats {
  std::size_t count = 0;
  double mean = 0, sd = 0, median = 0, p5 = 0, p95 = 0, min = 0, max = 0;
};

/// Type-7 quantile of sorted values: v[floor(h)] + frac(h) (v[floor(h)+1] - v[floor(h)]), h =
/// (n-1)p.
inline double type7(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - std::floor(h)) * (sorted[hi] - sorted[lo]);
}

/// Mean, sample SD (n - 1), type-7 median/P5/P95, min and max of `values`.
inline BruteStats bruteStats(std::vector<double> values) {
  BruteStats s;
  s.count = values.size();
  if (values.empty()) return s;
  long double sum = 0;
  for (double v : values) sum += v;
  s.mean = static_cast<double>(sum / values.size());
  long double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.sd = values.size() > 1 ? std::sqrt(static_cast<double>(squares / (values.size() - 1))) : NAN;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  s.median = type7(values, 0.5);
  s.p5 = type7(values, 0.05);
  s.p95 = type7(values, 0.95);
  return s;
}

/// The finite values of `v` where `mask` (nullptr: everywhere) is nonzero.
inline std::vector<double> finiteValues(const Volume& v, const MaskVolume* mask = nullptr) {
  std::vector<double> out;
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    if (mask != nullptr && mask->data()[i] == 0) continue;
    if (std::isfinite(v.data()[i])) out.push_back(v.data()[i]);
  }
  return out;
}

/// Checks every field of `s` against the brute-force `e`: the count and the
/// extremes exactly, the others within `tol` (absolute).
inline void expectStats(const ValueSummary& s, const BruteStats& e, double tol) {
  EXPECT_EQ(s.count, e.count);
  EXPECT_NEAR(s.mean, e.mean, tol);
  if (std::isnan(e.sd)) {
    EXPECT_TRUE(std::isnan(s.sd));
  } else {
    EXPECT_NEAR(s.sd, e.sd, tol);
  }
  EXPECT_NEAR(s.median, e.median, tol);
  EXPECT_NEAR(s.p5, e.p5, tol);
  EXPECT_NEAR(s.p95, e.p95, tol);
  EXPECT_EQ(s.min, e.min);
  EXPECT_EQ(s.max, e.max);
}

/// Paired-difference measures of two equally long value lists, brute force.
struct BrutePairs {
  double mean_diff = 0, rmse = 0, pearson = 0, wasserstein1 = 0;
};

/// mean(b - a), rmse, Pearson correlation (from centred sums) and W1 = mean
/// |sorted(a) - sorted(b)|.
inline BrutePairs brutePairs(std::vector<double> a, std::vector<double> b) {
  BrutePairs p;
  const double n = static_cast<double>(a.size());
  long double ma = 0, mb = 0, d = 0, d2 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
    d += b[i] - a[i];
    d2 += (b[i] - a[i]) * (b[i] - a[i]);
  }
  ma /= n;
  mb /= n;
  long double saa = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
    sab += (a[i] - ma) * (b[i] - mb);
  }
  p.mean_diff = static_cast<double>(d / n);
  p.rmse = std::sqrt(static_cast<double>(d2 / n));
  p.pearson = static_cast<double>(sab / std::sqrt(saa * sbb));
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  long double w = 0;
  for (std::size_t i = 0; i < a.size(); ++i) w += std::abs(a[i] - b[i]);
  p.wasserstein1 = static_cast<double>(w / n);
  return p;
}

/// A mask with each voxel inside with probability `fraction`.
inline MaskVolume randomMask(const Geometry3D& g, std::uint32_t seed, double fraction) {
  MaskVolume m(g, 0);
  std::mt19937 rng(seed);
  std::bernoulli_distribution inside(fraction);
  for (auto& x : m.voxels()) x = inside(rng) ? 1 : 0;
  return m;
}

}  // namespace harmonia::test
