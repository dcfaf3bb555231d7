// Speed of GLCM and GLRLM on a 100,000-voxel ROI (issue 13: the whole IBSI
// set, every family and aggregation, under 2 s on 2 cores; these two
// families must take a small part of it).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>

#include "DirectionalTextureTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

TEST(DirectionalTextureSpeed, HundredThousandVoxelBallInAllAggregations) {
  // A ball of radius 29 voxels (about 102,000 voxels) in a 64^3 grid, grey
  // levels 1..32: a smooth gradient plus noise, so runs and co-occurrences vary.
  features::GreyLevelVolume v = boxLevels({64, 64, 64}, 0);
  v.levelCount = 32;
  std::mt19937 rng(1u);
  std::normal_distribution<double> noise(0.0, 3.0);
  std::size_t roi = 0;
  for (int k = 0; k < 64; ++k)
    for (int j = 0; j < 64; ++j)
      for (int i = 0; i < 64; ++i) {
        const double x = i - 31.5, y = j - 31.5, z = k - 31.5;
        if (x * x + y * y + z * z > 29.0 * 29.0) continue;
        const double g = 16.5 + 0.4 * x + noise(rng);
        v.levels[v.index(i, j, k)] = std::clamp(static_cast<int>(g), 1, 32);
        ++roi;
      }
  ASSERT_GT(roi, 95000u);
  const features::TextureSettings s;  // all six aggregations
  using Clock = std::chrono::steady_clock;
  features::FeatureSet cm, rlm;
  const auto t0 = Clock::now();
  features::computeGlcm(v, s, cm, noProgress());
  const auto t1 = Clock::now();
  features::computeGlrlm(v, s, rlm, noProgress());
  const auto t2 = Clock::now();
  const double glcmS = std::chrono::duration<double>(t1 - t0).count();
  const double glrlmS = std::chrono::duration<double>(t2 - t1).count();
  std::cout << "[speed] " << roi << " voxels, 32 levels, 6 aggregations: GLCM " << glcmS * 1e3
            << " ms (" << cm.size() << " features), GLRLM " << glrlmS * 1e3 << " ms (" << rlm.size()
            << " features)\n";
  EXPECT_EQ(cm.size(), 150u);
  EXPECT_EQ(rlm.size(), 96u);
  // Generous bound (a loaded shared machine): well under the 2 s of the whole set.
  EXPECT_LT(glcmS + glrlmS, 1.0);
}

}  // namespace harmonia::test
