// GLRLM features (IBSI 1, docs/04_Image_features.rst, "Grey level run length
// based features"): the IBSI reference values of the digital phantom and the
// CT phantom (configuration A), IBSI's hand-computed matrices of the digital
// phantom, a brute-force run count on a random volume, an analytic case and
// the undefined cases.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "DirectionalTextureTestSupport.h"
#include "IbsiTestSupport.h"
#include "core/features/Families.h"
#include "core/features/GlrlmMatrix.h"

namespace harmonia::test {

namespace {

using features::GreyLevelVolume;
using features::TextureSettings;
namespace glrlm = features::glrlm;
namespace directional = features::directional;
using Entries = std::vector<std::array<int, 3>>;  // (grey level, run length, count)

features::FeatureSet glrlmOf(const GreyLevelVolume& v, const TextureSettings& s = {}) {
  features::FeatureSet out;
  features::computeGlrlm(v, s, out, noProgress());
  return out;
}

std::vector<std::uint64_t> matrixOf(const Entries& entries, int ng, int maxRun) {
  std::vector<std::uint64_t> m(static_cast<std::size_t>(ng) * maxRun, 0);
  for (const auto& e : entries)
    m[static_cast<std::size_t>(e[0] - 1) * maxRun + (e[1] - 1)] = static_cast<std::uint64_t>(e[2]);
  return m;
}

/// Brute force: for every ROI voxel, the length of its run (walking both ways
/// along d); a run of length L is seen by its L voxels.
std::vector<std::uint64_t> bruteForceRuns(const GreyLevelVolume& v, directional::Offset d,
                                          int maxRun) {
  const int ng = v.level_count;
  std::vector<std::uint64_t> voxelsInRuns(static_cast<std::size_t>(ng) * maxRun, 0);
  auto level = [&](int i, int j, int k) {
    if (i < 0 || j < 0 || k < 0 || i >= v.size[0] || j >= v.size[1] || k >= v.size[2]) return 0;
    return static_cast<int>(v.at(i, j, k));
  };
  for (int k = 0; k < v.size[2]; ++k)
    for (int j = 0; j < v.size[1]; ++j)
      for (int i = 0; i < v.size[0]; ++i) {
        const int a = level(i, j, k);
        if (a == 0) continue;
        int length = 1;
        for (int s = 1; level(i + s * d.dx, j + s * d.dy, k + s * d.dz) == a; ++s) ++length;
        for (int s = 1; level(i - s * d.dx, j - s * d.dy, k - s * d.dz) == a; ++s) ++length;
        ++voxelsInRuns[static_cast<std::size_t>(a - 1) * maxRun + (length - 1)];
      }
  for (int a = 0; a < ng; ++a)
    for (int l = 1; l <= maxRun; ++l) {
      auto& c = voxelsInRuns[static_cast<std::size_t>(a) * maxRun + (l - 1)];
      EXPECT_EQ(c % static_cast<std::uint64_t>(l), 0u);
      c /= static_cast<std::uint64_t>(l);
    }
  return voxelsInRuns;
}

}  // namespace

TEST(Glrlm, DigitalPhantomMatchesIbsiReferenceInAllAggregations) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::FeatureSet out = glrlmOf(digitalPhantomRoi().grey_levels);
  EXPECT_EQ(out.size(), 6u * 16u);
  EXPECT_EQ(
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"rlm_"}, "digital phantom GLRLM"),
      0);
}

TEST(Glrlm, DigitalPhantomMatricesMatchIbsiHandComputedOnes) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const GreyLevelVolume v = digitalPhantomRoi().grey_levels;
  ASSERT_EQ(v.size[2], 4);
  ASSERT_EQ(v.level_count, 6);
  const int maxRun = glrlm::maxRunLength(v);
  // IBSI docs/08_Digital_phantom_texture_matrices.rst, "Grey level run length
  // matrix (2D, merged)": the 4 in-plane directions merged, one table per
  // slice in slice order; and "(3D, merged)": the 13 directions merged.
  const std::array<Entries, 4> slices = {{
      {{1, 1, 16}, {1, 2, 8}, {1, 4, 1}, {4, 1, 17}, {4, 2, 6}, {4, 3, 1}, {6, 1, 9}, {6, 3, 1}},
      {{1, 1, 10}, {1, 2, 15}, {1, 4, 2}, {3, 1, 4}, {4, 1, 12}, {4, 2, 2}, {6, 1, 8}},
      {{1, 1, 10}, {1, 2, 11}, {1, 3, 5}, {1, 4, 1}, {1, 5, 1}, {4, 1, 6}, {4, 2, 1}, {6, 1, 4}},
      {{1, 1, 6}, {1, 2, 9}, {1, 3, 6}, {1, 4, 2}, {1, 5, 2}, {4, 1, 6}, {4, 2, 1}, {6, 1, 4}},
  }};
  for (int k = 0; k < 4; ++k) {
    std::vector<std::uint64_t> m(static_cast<std::size_t>(6) * maxRun, 0);
    for (int d = 0; d < directional::kInPlaneCount; ++d)
      glrlm::addRuns(v, directional::kDirections[static_cast<std::size_t>(d)], k, 6, maxRun,
                     m.data());
    EXPECT_EQ(m, matrixOf(slices[static_cast<std::size_t>(k)], 6, maxRun)) << "slice " << k + 1;
  }
  const Entries merged3D = {{1, 1, 190}, {1, 2, 140}, {1, 3, 31}, {1, 4, 18}, {1, 5, 3},
                            {3, 1, 13},  {4, 1, 149}, {4, 2, 24}, {4, 3, 1},  {4, 4, 2},
                            {6, 1, 78},  {6, 2, 3},   {6, 3, 1},  {6, 4, 1}};
  std::vector<std::uint64_t> m(static_cast<std::size_t>(6) * maxRun, 0);
  for (const auto& d : directional::kDirections) glrlm::addRuns(v, d, -1, 6, maxRun, m.data());
  EXPECT_EQ(m, matrixOf(merged3D, 6, maxRun));
}

TEST(Glrlm, RunsEqualBruteForceOnRandomVolumeInEveryDirection) {
  const GreyLevelVolume v = randomLevels({8, 7, 6}, 3, 0.2, 11u);
  const int maxRun = glrlm::maxRunLength(v);
  for (const auto& d : directional::kDirections) {
    std::vector<std::uint64_t> m(static_cast<std::size_t>(v.level_count) * maxRun, 0);
    glrlm::addRuns(v, d, -1, v.level_count, maxRun, m.data());
    EXPECT_EQ(m, bruteForceRuns(v, d, maxRun)) << d.dx << "," << d.dy << "," << d.dz;
  }
}

TEST(Glrlm, LineOfFiveVoxelsHasAnalyticFeatures) {
  // Five voxels of level 2 along x, in a 7x3x3 box: along (1,0,0) one run of
  // length 5; along each of the 12 other directions five runs of length 1.
  GreyLevelVolume v = boxLevels({7, 3, 3}, 0);
  for (int i = 1; i <= 5; ++i) v.levels[v.index(i, 1, 1)] = 2;
  v.level_count = 3;
  const features::FeatureSet out = glrlmOf(v);
  // 3D merged: Ns = 1 + 60 runs, N_v = 13 x 5 (IBSI: summed with the matrices).
  EXPECT_NEAR(out.value("rlm_r_perc_3D_comb"), 61.0 / 65.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_sre_3D_comb"), (1.0 / 25.0 + 60.0) / 61.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_lre_3D_comb"), (25.0 + 60.0) / 61.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_lgre_3D_comb"), 0.25, 1e-12);
  EXPECT_NEAR(out.value("rlm_hgre_3D_comb"), 4.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_glnu_3D_comb"), 61.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_glnu_norm_3D_comb"), 1.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_rlnu_3D_comb"), (1.0 + 3600.0) / 61.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_gl_var_3D_comb"), 0.0, 1e-12);
  const double mean = (5.0 + 60.0) / 61.0;
  EXPECT_NEAR(out.value("rlm_rl_var_3D_comb"),
              ((5.0 - mean) * (5.0 - mean) + 60.0 * (1.0 - mean) * (1.0 - mean)) / 61.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_rl_entr_3D_comb"),
              -(1.0 / 61.0) * std::log2(1.0 / 61.0) - (60.0 / 61.0) * std::log2(60.0 / 61.0),
              1e-12);
  // 3D averaged: r_perc 1/5 along x, 1 along the 12 others.
  EXPECT_NEAR(out.value("rlm_r_perc_3D_avg"), (0.2 + 12.0) / 13.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_sre_3D_avg"), (1.0 / 25.0 + 12.0) / 13.0, 1e-12);
  // 2D (one slice): along x one run of 5, along y and the diagonals 5 of 1.
  EXPECT_NEAR(out.value("rlm_r_perc_2D_avg"), (0.2 + 3.0) / 4.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_r_perc_2D_comb"), 16.0 / 20.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_r_perc_2_5D_avg"), (0.2 + 3.0) / 4.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_r_perc_2_5D_comb"), 16.0 / 20.0, 1e-12);
  EXPECT_NEAR(out.value("rlm_lre_2_5D_comb"), (25.0 + 15.0) / 16.0, 1e-12);
}

TEST(Glrlm, OneVoxelIsDefinedAndEmptyRoiIsUndefined) {
  GreyLevelVolume one = boxLevels({3, 3, 3}, 0);
  one.levels[one.index(1, 1, 1)] = 2;
  one.level_count = 4;
  const features::FeatureSet a = glrlmOf(one);
  ASSERT_EQ(a.size(), 6u * 16u);
  for (const char* agg : {"2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg", "3D_comb"}) {
    const std::string s = agg;
    EXPECT_DOUBLE_EQ(a.value("rlm_r_perc_" + s), 1.0) << s;  // one run of one voxel
    EXPECT_DOUBLE_EQ(a.value("rlm_sre_" + s), 1.0) << s;
    EXPECT_DOUBLE_EQ(a.value("rlm_hgre_" + s), 4.0) << s;
    EXPECT_DOUBLE_EQ(a.value("rlm_rl_entr_" + s), 0.0) << s;
  }
  GreyLevelVolume empty = boxLevels({3, 3, 3}, 0);
  empty.level_count = 4;
  const features::FeatureSet b = glrlmOf(empty);
  ASSERT_EQ(b.size(), 6u * 16u);
  for (const auto& f : b.features()) {
    EXPECT_FALSE(f.defined()) << f.tag;
    EXPECT_TRUE(std::isnan(f.value)) << f.tag;
    EXPECT_FALSE(f.reason.empty()) << f.tag;
  }
}

TEST(Glrlm, ThreeDOnlyEqualsThreeDOfAllAggregations) {
  const GreyLevelVolume v = randomLevels({6, 5, 4}, 4, 0.1, 9u);
  TextureSettings s;
  s.aggregations = {false, false, true};
  const features::FeatureSet out = glrlmOf(v, s);
  EXPECT_EQ(out.size(), 32u);
  const features::FeatureSet all = glrlmOf(v);
  for (const auto& f : out.features()) EXPECT_DOUBLE_EQ(f.value, all.value(f.tag)) << f.tag;
}

TEST(Glrlm, CtPhantomConfigurationAMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  TextureSettings s;
  s.aggregations = {true, true, false};
  const features::FeatureSet out = glrlmOf(ctPhantomConfigARoi().grey_levels, s);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("config_A"), {"rlm_"}, "config A GLRLM"), 0);
}

}  // namespace harmonia::test
