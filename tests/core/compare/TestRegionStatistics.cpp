// Region statistics: N, mean, sample SD, type-7 median/P5/P95, min and max
// against a brute-force reference (sorting, long double sums) and a
// hand-computed case; NaN and infinities skipped; errors for empty regions
// and masks on another grid.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "CompareTestSupport.h"
#include "core/compare/RegionStatistics.h"
#include "core/util/Error.h"
#include "harmonize/HarmonizeTestSupport.h"

using namespace harmonia;
using harmonia::test::bruteStats;
using harmonia::test::expectStats;
using harmonia::test::finiteValues;

namespace {

Geometry3D grid(int nx, int ny, int nz) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  g.spacing_mm = {0.8, 0.8, 2.5};
  g.origin_mm = {-12.0, 4.0, 30.0};
  return g;
}

}  // namespace

TEST(RegionStatistics, HandComputedValuesUseSampleSdAndType7Quantiles) {
  // Values 1, 2, 3, 4, 100: mean 22; squared deviations 441 + 400 + 361 + 324
  // + 6084 = 7610, sample SD sqrt(7610 / 4) (not / 5); type 7 with h = 4p:
  // median v2 = 3, P5 (h = 0.2) 1.2, P95 (h = 3.8) 4 + 0.8 * 96 = 80.8. Only
  // double rounding separates the result from these: tolerance 1e-12.
  Volume v(grid(5, 1, 1));
  const float values[] = {4, 100, 1, 3, 2};
  for (int i = 0; i < 5; ++i) v.at(i, 0, 0) = values[i];
  const RegionStatistics s = regionStatistics(v);
  EXPECT_EQ(s.count, 5u);
  EXPECT_NEAR(s.mean, 22.0, 1e-12);
  EXPECT_NEAR(s.sd, std::sqrt(7610.0 / 4.0), 1e-12);
  EXPECT_NEAR(s.median, 3.0, 1e-12);
  EXPECT_NEAR(s.p5, 1.2, 1e-12);
  EXPECT_NEAR(s.p95, 80.8, 1e-12);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 100.0);
}

TEST(RegionStatistics, MatchesBruteForceInsideARandomMaskSkippingNanAndInfinity) {
  // 40x30x20 random values in [-1000, 3000) (a CT-like range), a mask with
  // 30 % of the voxels, and NaN, +inf and -inf sprinkled in and outside it.
  // Counts and extremes must be exact; the reference's sums are long double
  // and the quantiles are the same order statistics, so the rest differs only
  // by double rounding of ~7,000 summed values of up to 3000: tolerance 1e-8.
  const Geometry3D g = grid(40, 30, 20);
  Volume v = harmonia::test::randomVolume(g, 11, -1000.0f, 3000.0f);
  const MaskVolume mask = harmonia::test::randomMask(g, 12, 0.3);
  const float special[] = {std::numeric_limits<float>::quiet_NaN(),
                           std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity()};
  for (std::size_t i = 0; i < v.voxelCount(); i += 37) v.data()[i] = special[(i / 37) % 3];
  const std::vector<double> inside = finiteValues(v, &mask);
  expectStats(regionStatistics(v, &mask), bruteStats(inside), 1e-8);
  // Without a mask: every finite voxel.
  const std::vector<double> all = finiteValues(v);
  EXPECT_EQ(all.size(), v.voxelCount() - (v.voxelCount() + 36) / 37);
  expectStats(regionStatistics(v), bruteStats(all), 1e-8);
}

TEST(RegionStatistics, IntegerValuesWithManyTiesMatchBruteForce) {
  // Whole numbers in [-5, 5] (many ties, as in CT HU): quantiles fall on and
  // between equal order statistics. Tolerance 1e-9 (double rounding).
  const Geometry3D g = grid(17, 13, 7);
  Volume v = harmonia::test::randomVolume(g, 3, -5.0f, 6.0f);
  for (float& x : v.voxels()) x = std::floor(x);
  const MaskVolume mask = harmonia::test::randomMask(g, 4, 0.5);
  expectStats(regionStatistics(v, &mask), bruteStats(finiteValues(v, &mask)), 1e-9);
}

TEST(RegionStatistics, OneValueHasNoSampleSd) {
  Volume v(grid(3, 3, 1), std::numeric_limits<float>::quiet_NaN());
  v.at(1, 1, 0) = 7.5f;
  const RegionStatistics s = regionStatistics(v);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.mean, 7.5);
  EXPECT_TRUE(std::isnan(s.sd));
  EXPECT_EQ(s.median, 7.5);
  EXPECT_EQ(s.p5, 7.5);
  EXPECT_EQ(s.p95, 7.5);
}

TEST(RegionStatistics, EmptyRegionsAndMasksOnAnotherGridAreInputErrors) {
  const Geometry3D g = grid(6, 5, 4);
  Volume v = harmonia::test::randomVolume(g, 5, 0.0f, 1.0f);
  const MaskVolume empty(g, 0);
  EXPECT_THROW(regionStatistics(v, &empty), InputError);
  try {
    (void)regionStatistics(v, &empty);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no finite value"), std::string::npos) << e.what();
  }
  // A mask whose only voxels hold NaN.
  MaskVolume one(g, 0);
  one.at(2, 2, 2) = 1;
  v.at(2, 2, 2) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(regionStatistics(v, &one), InputError);
  // Same size, other origin: refused, not matched by index.
  Geometry3D moved = g;
  moved.origin_mm.x() += 5.0;
  const MaskVolume elsewhere(moved, 1);
  EXPECT_THROW(regionStatistics(v, &elsewhere), InputError);
}
