// GLSZM (IBSI 1, docs/04_Image_features.rst "Grey level size zone based
// features"): the digital phantom against the IBSI reference values and the
// IBSI hand-computed matrices (docs/08_Digital_phantom_texture_matrices.rst),
// zones against a brute-force labelling, and degenerate ROIs.
#include <map>

#include "ZoneTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

using features::zone::CountMatrix;
using features::zone::MatrixEntry;

TEST(Glszm, DigitalPhantomMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  features::FeatureSet out;
  features::computeGlszm(roi.grey_levels, features::TextureSettings{}, out, noProgress());
  EXPECT_EQ(out.size(), 48u);
  const int bad =
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"szm_"}, "digital phantom GLSZM");
  EXPECT_EQ(bad, 0);
}

TEST(Glszm, DigitalPhantomMatricesMatchIbsiTables) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  // docs/08_Digital_phantom_texture_matrices.rst, "Grey level size zone matrix (3D)".
  const auto volume = features::zone::sizeZoneMatrices(roi.grey_levels, false);
  ASSERT_EQ(volume.size(), 1u);
  EXPECT_EQ(volume[0].entries, entries({{1, 50, 1}, {3, 1, 1}, {4, 2, 1}, {4, 14, 1}, {6, 7, 1}}));
  EXPECT_EQ(volume[0].voxel_count, 74.0);
  // "Grey level size zone matrix (2D)": one table per slice.
  const auto slices = features::zone::sizeZoneMatrices(roi.grey_levels, true);
  ASSERT_EQ(slices.size(), 4u);
  EXPECT_EQ(sliceStrings(slices),
            sortedStrings({entries({{1, 3, 1}, {1, 6, 1}, {4, 2, 1}, {4, 6, 1}, {6, 3, 1}}),
                           entries({{1, 4, 1}, {1, 8, 1}, {3, 1, 1}, {4, 2, 2}, {6, 1, 2}}),
                           entries({{1, 14, 1}, {4, 2, 1}, {6, 1, 1}}),
                           entries({{1, 15, 1}, {4, 2, 1}, {6, 1, 1}})}));
}

// Brute force: every ROI voxel starts with its own label; each label becomes
// the smallest label among its same-level neighbours until nothing changes.
std::vector<MatrixEntry> bruteForceZones(const features::GreyLevelVolume& g, bool planar) {
  const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
  std::vector<long> label(g.levels.size(), -1);
  for (std::size_t n = 0; n < label.size(); ++n)
    if (g.levels[n] > 0) label[n] = static_cast<long>(n);
  for (bool changed = true; changed;) {
    changed = false;
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const std::size_t v = g.index(i, j, k);
          if (label[v] < 0) continue;
          for (int dz = planar ? 0 : -1; dz <= (planar ? 0 : 1); ++dz)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                const int a = i + dx, b = j + dy, c = k + dz;
                if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
                const std::size_t w = g.index(a, b, c);
                if (g.levels[w] == g.levels[v] && label[w] < label[v]) {
                  label[v] = label[w];
                  changed = true;
                }
              }
        }
  }
  std::map<long, std::pair<int, int>> zones;  // label -> (level, size)
  for (std::size_t n = 0; n < label.size(); ++n)
    if (label[n] >= 0) {
      auto& z = zones[label[n]];
      z.first = g.levels[n];
      ++z.second;
    }
  std::vector<MatrixEntry> e;
  for (const auto& [l, z] : zones) e.push_back({z.first, z.second, 1.0});
  features::zone::normalise(e);
  return e;
}

TEST(Glszm, ZonesMatchBruteForceLabellingOnRandomVolumes) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 30; ++trial) {
    const auto g = randomVolume(rng, 3 + trial % 5, 4 + trial % 3, 1 + trial % 4, 1 + trial % 3,
                                0.5 + 0.05 * (trial % 10));
    const CountMatrix volume = features::zone::sizeZoneMatrices(g, false).front();
    EXPECT_EQ(volume.entries, bruteForceZones(g, false)) << "trial " << trial;
    const CountMatrix merged =
        features::zone::mergeMatrices(features::zone::sizeZoneMatrices(g, true));
    EXPECT_EQ(merged.entries, bruteForceZones(g, true)) << "trial " << trial;
  }
}

TEST(Glszm, OneVoxelRoiGivesOneZoneOfSizeOne) {
  features::GreyLevelVolume g;
  g.size = {3, 3, 3};
  g.level_count = 1;
  g.levels.assign(27, 0);
  g.morphological.assign(27, 0);
  g.levels[13] = 1;
  g.morphological[13] = 1;
  features::FeatureSet out;
  features::computeGlszm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 48u);
  for (const char* agg : {"2D", "2_5D", "3D"}) {
    const std::string a(agg);
    // One zone, i = j = 1, N_s = N_v = 1: every emphasis is 1, variances and
    // entropy are 0, zone percentage is 1.
    EXPECT_DOUBLE_EQ(out.value("szm_sze_" + a), 1.0);
    EXPECT_DOUBLE_EQ(out.value("szm_lzhge_" + a), 1.0);
    EXPECT_DOUBLE_EQ(out.value("szm_z_perc_" + a), 1.0);
    EXPECT_DOUBLE_EQ(out.value("szm_gl_var_" + a), 0.0);
    EXPECT_DOUBLE_EQ(out.value("szm_zs_entr_" + a), 0.0);
  }
}

TEST(Glszm, UniformBlockIsOneZone) {
  features::GreyLevelVolume g;
  g.size = {4, 3, 2};
  g.level_count = 2;
  g.levels.assign(24, 2);
  g.morphological.assign(24, 1);
  features::FeatureSet out;
  features::computeGlszm(g, features::TextureSettings{}, out, noProgress());
  EXPECT_DOUBLE_EQ(out.value("szm_lze_3D"), 24.0 * 24.0);
  EXPECT_DOUBLE_EQ(out.value("szm_z_perc_3D"), 1.0 / 24.0);
  EXPECT_DOUBLE_EQ(out.value("szm_hgze_3D"), 4.0);
  // 2D: one zone of 12 voxels per slice; 2.5D: two such zones.
  EXPECT_DOUBLE_EQ(out.value("szm_lze_2D"), 144.0);
  EXPECT_DOUBLE_EQ(out.value("szm_zsnu_2_5D"), 2.0);
  EXPECT_DOUBLE_EQ(out.value("szm_z_perc_2_5D"), 2.0 / 24.0);
}

TEST(Glszm, EmptyRoiIsUndefinedWithAReason) {
  features::GreyLevelVolume g;
  g.size = {2, 2, 2};
  g.levels.assign(8, 0);
  g.morphological.assign(8, 0);
  features::FeatureSet out;
  features::computeGlszm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 48u);
  for (const auto& f : out.features()) {
    EXPECT_FALSE(f.defined()) << f.tag;
    EXPECT_FALSE(f.reason.empty()) << f.tag;
  }
}

TEST(Glszm, OnlyEnabledAggregations) {
  HARMONIA_REQUIRE_IBSI_DATA();
  features::TextureSettings s;
  s.aggregations = {false, false, true};
  features::FeatureSet out;
  features::computeGlszm(digitalPhantomRoi().grey_levels, s, out, noProgress());
  EXPECT_EQ(out.size(), 16u);
  EXPECT_NE(out.find("szm_sze_3D"), nullptr);
  EXPECT_EQ(out.find("szm_sze_2D"), nullptr);
}

}  // namespace harmonia::test
