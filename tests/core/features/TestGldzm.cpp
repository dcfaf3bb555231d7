// GLDZM (IBSI 1, docs/04_Image_features.rst "Grey level distance zone based
// features"): the digital phantom against the IBSI reference values and the
// IBSI hand-computed matrices, the distance map against a brute-force search,
// the use of the morphological mask, and the CT phantom in configuration A
// for all four zone and neighbourhood families.

#include "ZoneTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

TEST(Gldzm, DigitalPhantomMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  features::FeatureSet out;
  features::computeGldzm(digitalPhantomRoi().grey_levels, features::TextureSettings{}, out,
                         noProgress());
  EXPECT_EQ(out.size(), 48u);
  const int bad =
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"dzm_"}, "digital phantom GLDZM");
  EXPECT_EQ(bad, 0);
}

TEST(Gldzm, DigitalPhantomMatricesMatchIbsiTables) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  // docs/08_Digital_phantom_texture_matrices.rst, "Grey level distance zone matrix (3D)".
  const auto volume = features::zone::distanceZoneMatrices(roi.grey_levels, false);
  ASSERT_EQ(volume.size(), 1u);
  EXPECT_EQ(volume[0].entries, entries({{1, 1, 1}, {3, 1, 1}, {4, 1, 2}, {6, 1, 1}}));
  // "Grey level distance zone matrix (2D)".
  const auto slices = features::zone::distanceZoneMatrices(roi.grey_levels, true);
  EXPECT_EQ(sliceStrings(slices),
            sortedStrings({entries({{1, 1, 2}, {4, 1, 2}, {6, 1, 1}}),
                           entries({{1, 1, 2}, {3, 2, 1}, {4, 1, 2}, {6, 1, 1}, {6, 2, 1}}),
                           entries({{1, 1, 1}, {4, 1, 1}, {6, 1, 1}}),
                           entries({{1, 1, 1}, {4, 1, 1}, {6, 1, 1}})}));
}

TEST(Gldzm, DistanceMapMatchesBruteForceManhattanDistance) {
  // IBSI: the distance of a voxel is the number of 4- (2D) or 6- (3D)
  // connected steps to the ROI edge, 1 on the edge; outside the grid is
  // outside the ROI. Brute force: the Manhattan distance to the nearest
  // voxel outside the mask (inside the grid or just beyond it).
  std::mt19937 rng(99);
  for (int trial = 0; trial < 20; ++trial) {
    const auto g = randomVolume(rng, 4 + trial % 4, 5 + trial % 3, 2 + trial % 4, 2, 0.85);
    for (const bool planar : {true, false}) {
      const auto grid = features::zone::padGrid(g, 1);
      const auto dist = features::zone::distanceMap(grid, planar);
      const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
      for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i) {
            if (g.morphological[g.index(i, j, k)] == 0) continue;
            int best = std::min({i + 1, j + 1, nx - i, ny - j});  // leave the grid
            if (!planar) best = std::min({best, k + 1, nz - k});
            for (int c = 0; c < nz; ++c)
              for (int b = 0; b < ny; ++b)
                for (int a = 0; a < nx; ++a) {
                  if (planar && c != k) continue;
                  if (g.morphological[g.index(a, b, c)] != 0) continue;
                  best = std::min(best, std::abs(a - i) + std::abs(b - j) + std::abs(c - k));
                }
            EXPECT_EQ(dist[grid.index(i + 1, j + 1, k + 1)], best)
                << "trial " << trial << " planar " << planar << " at " << i << "," << j << "," << k;
          }
    }
  }
}

TEST(Gldzm, DistanceComesFromTheMorphologicalMask) {
  // A 5x5 slice, all in the morphological mask, only the centre voxel in the
  // intensity mask: its distance to the edge of the morphological mask is 3.
  features::GreyLevelVolume g;
  g.size = {5, 5, 1};
  g.level_count = 1;
  g.levels.assign(25, 0);
  g.morphological.assign(25, 1);
  g.levels[12] = 1;
  features::FeatureSet out;
  features::computeGldzm(g, features::TextureSettings{}, out, noProgress());
  EXPECT_DOUBLE_EQ(out.value("dzm_sde_2D"), 1.0 / 9.0);
  EXPECT_DOUBLE_EQ(out.value("dzm_lde_2D"), 9.0);
  // 3D: one slice, so the voxel is on the edge (above and below are outside).
  EXPECT_DOUBLE_EQ(out.value("dzm_lde_3D"), 1.0);
  EXPECT_DOUBLE_EQ(out.value("dzm_z_perc_3D"), 1.0);
}

TEST(Gldzm, EmptyRoiIsUndefinedWithAReason) {
  features::GreyLevelVolume g;
  g.size = {2, 2, 2};
  g.levels.assign(8, 0);
  g.morphological.assign(8, 1);
  features::FeatureSet out;
  features::computeGldzm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 48u);
  for (const auto& f : out.features()) EXPECT_FALSE(f.defined()) << f.tag;
}

TEST(ZoneTexture, CtPhantomConfigAMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::GreyLevelVolume g = ctPhantomConfigARoi().grey_levels;
  features::TextureSettings s;
  s.aggregations = {true, true, false};  // configuration A: 2D
  features::FeatureSet out;
  features::computeGlszm(g, s, out, noProgress());
  features::computeGldzm(g, s, out, noProgress());
  features::computeNgtdm(g, s, out, noProgress());
  features::computeNgldm(g, s, out, noProgress());
  const int bad = compareWithIbsi(out, readIbsiReference("config_A"),
                                  {"szm_", "dzm_", "ngt_", "ngl_"}, "config A zone families");
  EXPECT_EQ(bad, 0);
}

// A 100,000-voxel ball (radius 29 voxels), random 32 levels and a smooth
// variant, all aggregations: every feature is defined, and the merged 3D
// dependence count covers every voxel. (Timing belongs to bench_features.)
TEST(ZoneTexture, HundredThousandVoxelBallAllFeaturesDefined) {
  const int r = 29;
  const int n = 2 * r + 3;
  for (const bool smooth : {false, true}) {
    features::GreyLevelVolume g;
    g.size = {n, n, n};
    g.level_count = 32;
    g.levels.assign(static_cast<std::size_t>(n) * n * n, 0);
    g.morphological.assign(g.levels.size(), 0);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> level(1, 32);
    int voxels = 0;
    for (int k = 0; k < n; ++k)
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          const double x = i - n / 2, y = j - n / 2, z = k - n / 2;
          if (x * x + y * y + z * z > r * r) continue;
          const std::size_t v = g.index(i, j, k);
          g.levels[v] =
              smooth ? 1 + static_cast<int>(std::floor(16.0 + 15.9 * std::sin(0.11 * x + 0.07 * y) *
                                                                  std::cos(0.09 * z)))
                     : level(rng);
          g.morphological[v] = 1;
          ++voxels;
        }
    features::FeatureSet out;
    features::computeGlszm(g, {}, out, noProgress());
    features::computeGldzm(g, {}, out, noProgress());
    features::computeNgtdm(g, {}, out, noProgress());
    features::computeNgldm(g, {}, out, noProgress());
    EXPECT_GT(voxels, 100000);
    EXPECT_EQ(out.size(), 48u + 48u + 15u + 51u);
    for (const auto& f : out.features()) EXPECT_TRUE(f.defined()) << f.tag << ": " << f.reason;
    EXPECT_DOUBLE_EQ(out.value("ngl_dc_perc_3D"), 1.0);
  }
}

}  // namespace harmonia::test
