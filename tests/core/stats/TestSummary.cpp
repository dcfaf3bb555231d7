// Value summaries: N, mean, sample SD, type-7 median/P5/P95, min and max
// against a brute-force reference (sorting, long double sums) and a
// hand-computed case; NaN and infinities skipped and counted; 2-D image
// channels; errors for empty regions and masks on another grid.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "compare/CompareTestSupport.h"
#include "core/stats/Summary.h"
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

TEST(ValueSummary, HandComputedValuesUseSampleSdAndType7Quantiles) {
  // Values 1, 2, 3, 4, 100: mean 22; squared deviations 441 + 400 + 361 + 324
  // + 6084 = 7610, sample SD sqrt(7610 / 4) (not / 5); type 7 with h = 4p:
  // median v2 = 3, P5 (h = 0.2) 1.2, P95 (h = 3.8) 4 + 0.8 * 96 = 80.8. Only
  // double rounding separates the result from these: tolerance 1e-12.
  Volume v(grid(5, 1, 1));
  const float values[] = {4, 100, 1, 3, 2};
  for (int i = 0; i < 5; ++i) v.at(i, 0, 0) = values[i];
  const ValueSummary s = summarizeValues(v);
  EXPECT_EQ(s.count, 5u);
  EXPECT_NEAR(s.mean, 22.0, 1e-12);
  EXPECT_NEAR(s.sd, std::sqrt(7610.0 / 4.0), 1e-12);
  EXPECT_NEAR(s.median, 3.0, 1e-12);
  EXPECT_NEAR(s.p5, 1.2, 1e-12);
  EXPECT_NEAR(s.p95, 80.8, 1e-12);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 100.0);
}

TEST(ValueSummary, MatchesBruteForceInsideARandomMaskSkippingNanAndInfinity) {
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
  const ValueSummary s = summarizeValues(v, &mask);
  expectStats(s, bruteStats(inside), 1e-8);
  std::uint64_t insideMask = 0;
  for (std::uint8_t m : mask.voxels()) insideMask += m != 0;
  EXPECT_EQ(s.non_finite, insideMask - inside.size());
  EXPECT_GT(s.non_finite, 0u);
  // Without a mask: every finite voxel.
  const std::vector<double> all = finiteValues(v);
  EXPECT_EQ(all.size(), v.voxelCount() - (v.voxelCount() + 36) / 37);
  expectStats(summarizeValues(v), bruteStats(all), 1e-8);
}

TEST(ValueSummary, IntegerValuesWithManyTiesMatchBruteForce) {
  // Whole numbers in [-5, 5] (many ties, as in CT HU): quantiles fall on and
  // between equal order statistics. Tolerance 1e-9 (double rounding).
  const Geometry3D g = grid(17, 13, 7);
  Volume v = harmonia::test::randomVolume(g, 3, -5.0f, 6.0f);
  for (float& x : v.voxels()) x = std::floor(x);
  const MaskVolume mask = harmonia::test::randomMask(g, 4, 0.5);
  expectStats(summarizeValues(v, &mask), bruteStats(finiteValues(v, &mask)), 1e-9);
}

TEST(ValueSummary, OneValueHasNoSampleSd) {
  Volume v(grid(3, 3, 1), std::numeric_limits<float>::quiet_NaN());
  v.at(1, 1, 0) = 7.5f;
  const ValueSummary s = summarizeValues(v);
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.mean, 7.5);
  EXPECT_TRUE(std::isnan(s.sd));
  EXPECT_EQ(s.median, 7.5);
  EXPECT_EQ(s.p5, 7.5);
  EXPECT_EQ(s.p95, 7.5);
}

TEST(ValueSummary, EmptyRegionsAndMasksOnAnotherGridAreInputErrors) {
  const Geometry3D g = grid(6, 5, 4);
  Volume v = harmonia::test::randomVolume(g, 5, 0.0f, 1.0f);
  const MaskVolume empty(g, 0);
  EXPECT_THROW(summarizeValues(v, &empty), InputError);
  try {
    (void)summarizeValues(v, &empty);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no finite value"), std::string::npos) << e.what();
  }
  // A mask whose only voxels hold NaN.
  MaskVolume one(g, 0);
  one.at(2, 2, 2) = 1;
  v.at(2, 2, 2) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(summarizeValues(v, &one), InputError);
  // Same size, other origin: refused, not matched by index.
  Geometry3D moved = g;
  moved.origin_mm.x() += 5.0;
  const MaskVolume elsewhere(moved, 1);
  EXPECT_THROW(summarizeValues(v, &elsewhere), InputError);
}

TEST(ValueSummary, MomentsOnlyLeaveTheQuantilesOut) {
  const Geometry3D g = grid(9, 8, 7);
  Volume v = harmonia::test::randomVolume(g, 21, -3.0f, 8.0f);
  v.at(1, 2, 3) = std::numeric_limits<float>::infinity();
  const std::vector<double> all = finiteValues(v);
  const harmonia::test::BruteStats e = bruteStats(all);
  const ValueSummary s = summarizeValues(v, nullptr, SummaryDetail::Moments);
  EXPECT_EQ(s.count, all.size());
  EXPECT_EQ(s.non_finite, 1u);
  EXPECT_NEAR(s.mean, e.mean, 1e-12);
  EXPECT_NEAR(s.sd, e.sd, 1e-12);
  EXPECT_EQ(s.min, e.min);
  EXPECT_EQ(s.max, e.max);
  EXPECT_TRUE(std::isnan(s.median));
  EXPECT_TRUE(std::isnan(s.p5));
  EXPECT_TRUE(std::isnan(s.p95));
}

TEST(ValueSummary, ImageChannelsAreSummarisedApart) {
  // Channel 1 holds 0..99 (one each), channel 0 the constant 10: type-7
  // median of 0..99 is 49.5, P95 (h = 94.05) 94.05, sample SD sqrt(841.66...).
  Image2D img(10, 10, 3, SampleType::UInt16);
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 10; ++x) {
      img.mat().at<cv::Vec3w>(y, x) = cv::Vec3w(10, static_cast<std::uint16_t>(10 * y + x), 300);
    }
  const ValueSummary ramp = summarizeValues(img, 1);
  EXPECT_EQ(ramp.count, 100u);
  EXPECT_NEAR(ramp.mean, 49.5, 1e-12);
  EXPECT_NEAR(ramp.sd, std::sqrt(100.0 * 101.0 / 12.0), 1e-12);  // (n^2 - 1)/12 * n/(n-1)
  EXPECT_NEAR(ramp.median, 49.5, 1e-12);
  EXPECT_NEAR(ramp.p95, 94.05, 1e-9);
  EXPECT_EQ(summarizeValues(img, 0).max, 10.0);
  EXPECT_EQ(summarizeValues(img, 2).mean, 300.0);
  EXPECT_THROW((void)summarizeValues(img, 3), ParameterError);
}

TEST(ValueSummary, CoefficientOfVariationIsSdOverAbsoluteMean) {
  ValueSummary s;
  s.mean = -4.0;
  s.sd = 1.0;
  EXPECT_DOUBLE_EQ(coefficientOfVariation(s), 0.25);
  s.mean = 0.0;
  EXPECT_EQ(coefficientOfVariation(s), 0.0);
}
