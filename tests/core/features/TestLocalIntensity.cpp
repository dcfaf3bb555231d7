// Local intensity peaks against a brute-force sphere average (IBSI 1,
// docs/04_Image_features.rst, "Local intensity features").
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/features/Families.h"
#include "tests/core/features/MorphologyTestSupport.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

namespace {

/// Mean of every grid voxel whose centre lies within r = (3 / (4 pi))^(1/3)
/// cm of voxel (i, j, k), by testing every voxel of the grid.
double bruteForcePeak(const PreparedRoi& roi, int i, int j, int k) {
  const double r = 10.0 * std::cbrt(3.0 / (4.0 * std::numbers::pi));
  const Eigen::Vector3d s = roi.image.geometry().spacing_mm;
  double sum = 0.0;
  int count = 0;
  for (int z = 0; z < roi.image.nz(); ++z)
    for (int y = 0; y < roi.image.ny(); ++y)
      for (int x = 0; x < roi.image.nx(); ++x) {
        const Eigen::Vector3d d((x - i) * s.x(), (y - j) * s.y(), (z - k) * s.z());
        if (d.norm() <= r) {
          sum += roi.image.at(x, y, z);
          ++count;
        }
      }
  return sum / count;
}

}  // namespace

TEST(LocalIntensity, MatchesBruteForceSphereMeans) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> value(-50, 50);
  std::bernoulli_distribution in(0.3);
  for (const Eigen::Vector3d& spacing :
       {Eigen::Vector3d(1.0, 1.0, 1.0), Eigen::Vector3d(1.2, 0.9, 2.0),
        Eigen::Vector3d(2.0, 2.0, 2.0)}) {
    PreparedRoi roi = makeRoi(
        {14, 12, 9}, spacing, [&](int, int, int) { return in(rng); },
        [&](int, int, int) { return value(rng); });
    // Ties at the maximum: the local peak is the highest of their peaks.
    roi.image.at(2, 2, 2) = roi.image.at(10, 9, 6) = 60.0f;
    roi.intensity_mask.at(2, 2, 2) = roi.intensity_mask.at(10, 9, 6) = 1;
    double local = -1e300, global = -1e300;
    for (int k = 0; k < roi.image.nz(); ++k)
      for (int j = 0; j < roi.image.ny(); ++j)
        for (int i = 0; i < roi.image.nx(); ++i) {
          if (roi.intensity_mask.at(i, j, k) == 0) continue;
          const double peak = bruteForcePeak(roi, i, j, k);
          global = std::max(global, peak);
          if (roi.image.at(i, j, k) == 60.0f) local = std::max(local, peak);
        }
    FeatureSet f;
    computeLocalIntensity(roi, f, noProgress());
    ASSERT_EQ(f.size(), 2u);
    EXPECT_NEAR(f.value("loc_peak_loc"), local, 1e-12);
    EXPECT_NEAR(f.value("loc_peak_glob"), global, 1e-12);
    EXPECT_EQ(f.find("loc_peak_loc")->family, "local_intensity");
  }
}

TEST(LocalIntensity, EmptyRoiIsUndefined) {
  const PreparedRoi roi = makeRoi(
      {3, 3, 3}, Eigen::Vector3d(1, 1, 1), [](int, int, int) { return false; },
      [](int, int, int) { return 1.0; });
  FeatureSet f;
  computeLocalIntensity(roi, f, noProgress());
  ASSERT_EQ(f.size(), 2u);
  EXPECT_FALSE(f.find("loc_peak_loc")->defined());
  EXPECT_FALSE(f.find("loc_peak_glob")->defined());
}
