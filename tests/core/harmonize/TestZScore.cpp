// Z-score in an ROI: float64 reference statistics, exact robust quantiles,
// the reported gain and offset, invariance to gain and offset, 2-D channels,
// errors.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "HarmonizeTestSupport.h"
#include "core/harmonize/ZScore.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

Geometry3D cube(int n) {
  Geometry3D g;
  g.size = {n, n, n};
  return g;
}

MaskVolume boxRoi(const Geometry3D& g, int lo, int hi) {
  MaskVolume m(g, 0);
  for (int k = lo; k < hi; ++k)
    for (int j = lo; j < hi; ++j)
      for (int i = lo; i < hi; ++i) m.at(i, j, k) = 1;
  return m;
}

}  // namespace

TEST(ZScore, MeanAndStdInsideTheRoiAppliedEverywhere) {
  const Geometry3D g = cube(24);
  const Volume v = harmonia::test::randomVolume(g, 1, 100.0f, 900.0f);
  const MaskVolume roi = boxRoi(g, 4, 14);
  double sum = 0, n = 0;
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    if (roi.data()[i]) {
      sum += v.data()[i];
      ++n;
    }
  }
  const double mean = sum / n;
  double ss = 0;
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    if (roi.data()[i]) ss += (v.data()[i] - mean) * (v.data()[i] - mean);
  }
  const double sd = std::sqrt(ss / n);
  const ZScoreResult r = zscore(v, roi);
  EXPECT_EQ(r.report.roi_count, 1000u);
  EXPECT_NEAR(r.report.centre, mean, 1e-9 * mean);
  EXPECT_NEAR(r.report.scale, sd, 1e-9 * sd);
  EXPECT_EQ(r.report.alpha_removed, r.report.scale);
  EXPECT_EQ(r.report.beta_removed, r.report.centre);
  EXPECT_EQ(r.image.units(), "z");
  // Applied to every voxel, inside the ROI or not: float32 rounding, 1e-6.
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    ASSERT_NEAR(r.image.data()[i], (v.data()[i] - mean) / sd, 1e-5);
  }
}

TEST(ZScore, RobustUsesExactMedianAndIqr) {
  const Geometry3D g = cube(20);
  Volume v = harmonia::test::randomVolume(g, 2, 0.0f, 10.0f);
  const MaskVolume roi = boxRoi(g, 2, 18);
  // Outliers inside the ROI hardly move the robust statistics.
  for (std::size_t i = 0; i < v.voxelCount(); i += 50) v.data()[i] = 1e5f;
  const std::vector<float> sorted = harmonia::test::sortedMasked(v.voxels(), roi.data());
  const double q1 = harmonia::test::sortedQuantile(sorted, 0.25);
  const double med = harmonia::test::sortedQuantile(sorted, 0.5);
  const double q3 = harmonia::test::sortedQuantile(sorted, 0.75);
  const ZScoreResult r = zscore(v, roi, {true});
  EXPECT_TRUE(r.report.robust);
  EXPECT_DOUBLE_EQ(r.report.centre, med);
  EXPECT_DOUBLE_EQ(r.report.iqr, q3 - q1);
  EXPECT_DOUBLE_EQ(r.report.scale, (q3 - q1) / 1.3489795003921634);
  EXPECT_NEAR(r.image.data()[1], (v.data()[1] - med) / r.report.scale, 1e-5);
}

TEST(ZScore, RemovesGainAndOffset) {
  // z(a x + b) = z(x) for a > 0: the reported alpha and beta are a sd and a mean + b.
  const Geometry3D g = cube(16);
  const Volume v = harmonia::test::randomVolume(g, 3, -50.0f, 50.0f);
  Volume w(g);
  for (std::size_t i = 0; i < v.voxelCount(); ++i) w.data()[i] = 3.0f * v.data()[i] + 1000.0f;
  const MaskVolume roi = boxRoi(g, 3, 12);
  for (bool robust : {false, true}) {
    const ZScoreResult a = zscore(v, roi, {robust}), b = zscore(w, roi, {robust});
    EXPECT_NEAR(b.report.alpha_removed, 3.0 * a.report.alpha_removed,
                1e-5 * b.report.alpha_removed);
    EXPECT_NEAR(b.report.beta_removed, 3.0 * a.report.beta_removed + 1000.0, 1e-3);
    for (std::size_t i = 0; i < v.voxelCount(); ++i) {
      // float32 inputs near 1000 carry 6e-5 absolute rounding: 1e-4 in z units here.
      ASSERT_NEAR(a.image.data()[i], b.image.data()[i], 2e-4) << robust;
    }
  }
}

TEST(ZScore, TwoDimensionalChannelsAndErrors) {
  Image2D img(30, 20, 3, SampleType::UInt8);
  std::mt19937 rng(4);
  for (int y = 0; y < 20; ++y)
    for (int x = 0; x < 90; ++x) img.mat().ptr<std::uint8_t>(y)[x] = rng() % (50 + 50 * (x % 3));
  Image2D roi(30, 20, 1, SampleType::UInt8);
  for (int y = 5; y < 15; ++y)
    for (int x = 5; x < 25; ++x) roi.mat().ptr<std::uint8_t>(y)[x] = 255;
  const ZScoreResult2D r = zscore(img, roi);
  ASSERT_EQ(r.reports.size(), 3u);
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(r.reports[c].roi_count, 200u);
    EXPECT_NEAR(r.image.sample(0, 0, c),
                (img.sample(0, 0, c) - r.reports[c].centre) / r.reports[c].scale, 1e-5);
  }
  const Image2D emptyRoi(30, 20, 1, SampleType::UInt8);
  EXPECT_THROW((void)zscore(img, emptyRoi), InputError);
  const Volume constant(cube(8), 7.0f);
  try {
    (void)zscore(constant, boxRoi(cube(8), 0, 8));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("constant inside the ROI"), std::string::npos);
  }
  EXPECT_THROW((void)zscore(constant, MaskVolume(cube(8), 0)), InputError);
  EXPECT_THROW((void)zscore(constant, MaskVolume(cube(4), 1)), InputError);
}
