// GLCM and GLRLM on a 100,000-voxel ROI in every aggregation: every feature
// is there and defined. (Their speed is measured by bench_features.)
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "DirectionalTextureTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

TEST(DirectionalTexture, HundredThousandVoxelBallInAllAggregations) {
  // A ball of radius 29 voxels (about 102,000 voxels) in a 64^3 grid, grey
  // levels 1..32: a smooth gradient plus noise, so runs and co-occurrences vary.
  features::GreyLevelVolume v = boxLevels({64, 64, 64}, 0);
  v.level_count = 32;
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
  features::FeatureSet cm, rlm;
  features::computeGlcm(v, s, cm, noProgress());
  features::computeGlrlm(v, s, rlm, noProgress());
  EXPECT_EQ(cm.size(), 150u);
  EXPECT_EQ(rlm.size(), 96u);
  for (const auto* set : {&cm, &rlm})
    for (const auto& f : set->features()) EXPECT_TRUE(f.defined()) << f.tag << ": " << f.reason;
}

}  // namespace harmonia::test
