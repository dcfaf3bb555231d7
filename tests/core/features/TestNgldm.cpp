// NGLDM (IBSI 1, docs/04_Image_features.rst "Neighbouring grey level
// dependence based features"): the digital phantom against the IBSI
// reference values and hand-computed matrices, a brute-force dependence
// count, and degenerate ROIs.
#include "ZoneTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

using features::zone::MatrixEntry;

TEST(Ngldm, DigitalPhantomMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  features::FeatureSet out;
  features::computeNgldm(digitalPhantomRoi().grey_levels, features::TextureSettings{}, out,
                         noProgress());
  EXPECT_EQ(out.size(), 51u);
  const int bad =
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"ngl_"}, "digital phantom NGLDM");
  EXPECT_EQ(bad, 0);
}

TEST(Ngldm, DigitalPhantomMatricesMatchIbsiTables) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  // docs/08_Digital_phantom_texture_matrices.rst, "Neighbouring grey level
  // dependence matrix (3D)" and "(2D)", Chebyshev distance 1, coarseness 0.
  const auto volume = features::zone::dependenceMatrices(roi.grey_levels, false, 1, 0);
  EXPECT_EQ(
      volume.front().entries,
      entries({{1, 5, 2},  {1, 6, 2},  {1, 7, 1},  {1, 8, 6},  {1, 9, 4},  {1, 10, 6}, {1, 11, 5},
               {1, 12, 5}, {1, 13, 3}, {1, 14, 2}, {1, 15, 5}, {1, 16, 3}, {1, 17, 3}, {1, 18, 2},
               {1, 21, 1}, {3, 1, 1},  {4, 2, 2},  {4, 4, 2},  {4, 5, 6},  {4, 6, 4},  {4, 7, 2},
               {6, 2, 1},  {6, 3, 4},  {6, 4, 1},  {6, 5, 1}}));
  EXPECT_EQ(volume.front().voxel_count, 74.0);
  const auto slices = features::zone::dependenceMatrices(roi.grey_levels, true, 1, 0);
  EXPECT_EQ(
      sliceStrings(slices),
      sortedStrings(
          {entries({{1, 2, 3},
                    {1, 3, 1},
                    {1, 4, 3},
                    {1, 5, 2},
                    {4, 2, 2},
                    {4, 3, 4},
                    {4, 4, 2},
                    {6, 2, 2},
                    {6, 3, 1}}),
           entries({{1, 3, 2}, {1, 4, 6}, {1, 6, 4}, {3, 1, 1}, {4, 2, 4}, {6, 1, 2}}),
           entries({{1, 3, 1}, {1, 4, 5}, {1, 5, 3}, {1, 6, 3}, {1, 7, 2}, {4, 2, 2}, {6, 1, 1}}),
           entries({{1, 3, 1},
                    {1, 4, 3},
                    {1, 5, 3},
                    {1, 6, 4},
                    {1, 7, 1},
                    {1, 8, 3},
                    {4, 2, 2},
                    {6, 1, 1}})}));
}

TEST(Ngldm, MatchesBruteForceDependenceCount) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 24; ++trial) {
    const auto g = randomVolume(rng, 3 + trial % 4, 4 + trial % 3, 1 + trial % 3, 5, 0.75);
    const int delta = 1 + trial % 2;
    const int alpha = trial % 3;
    for (const bool planar : {true, false}) {
      const auto merged = features::zone::mergeMatrices(
          features::zone::dependenceMatrices(g, planar, delta, alpha));
      std::vector<MatrixEntry> expected;
      const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
      for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i) {
            const int level = g.levels[g.index(i, j, k)];
            if (level == 0) continue;
            int dependence = 0;  // the centre counts itself
            for (int c = 0; c < nz; ++c)
              for (int b = 0; b < ny; ++b)
                for (int a = 0; a < nx; ++a) {
                  const int cheb = std::max({std::abs(a - i), std::abs(b - j), std::abs(c - k)});
                  if (cheb > delta || (planar && c != k)) continue;
                  const int other = g.levels[g.index(a, b, c)];
                  if (other != 0 && std::abs(other - level) <= alpha) ++dependence;
                }
            expected.push_back({level, dependence, 1.0});
          }
      features::zone::normalise(expected);
      EXPECT_EQ(merged.entries, expected) << "trial " << trial << " planar " << planar;
    }
  }
}

TEST(Ngldm, OneVoxelRoi) {
  features::GreyLevelVolume g;
  g.size = {3, 3, 3};
  g.level_count = 4;
  g.levels.assign(27, 0);
  g.morphological.assign(27, 0);
  g.levels[13] = 4;
  g.morphological[13] = 1;
  features::FeatureSet out;
  features::computeNgldm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 51u);
  // One neighbourhood, i = 4, j = 1: IBSI's definitions give these directly.
  EXPECT_DOUBLE_EQ(out.value("ngl_lde_3D"), 1.0);
  EXPECT_DOUBLE_EQ(out.value("ngl_hgce_3D"), 16.0);
  EXPECT_DOUBLE_EQ(out.value("ngl_lgce_2D"), 1.0 / 16.0);
  EXPECT_DOUBLE_EQ(out.value("ngl_dc_energy_2_5D"), 1.0);
  EXPECT_DOUBLE_EQ(out.value("ngl_dc_entr_3D"), 0.0);
}

TEST(Ngldm, EmptyRoiIsUndefinedWithAReason) {
  features::GreyLevelVolume g;
  g.size = {2, 2, 1};
  g.levels.assign(4, 0);
  g.morphological.assign(4, 0);
  features::FeatureSet out;
  features::computeNgldm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 51u);
  for (const auto& f : out.features()) {
    EXPECT_FALSE(f.defined()) << f.tag;
    EXPECT_FALSE(f.reason.empty()) << f.tag;
  }
}

}  // namespace harmonia::test
