// NGTDM (IBSI 1, docs/04_Image_features.rst "Neighbourhood grey tone
// difference based features"): the digital phantom against the IBSI
// reference values and hand-computed matrices, a brute-force neighbourhood
// average, analytic small cases and IBSI's conventions for degenerate ROIs.
#include "ZoneTestSupport.h"
#include "core/features/Families.h"

namespace harmonia::test {

using features::zone::ToneMatrix;

TEST(Ngtdm, DigitalPhantomMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  features::FeatureSet out;
  features::computeNgtdm(digitalPhantomRoi().grey_levels, features::TextureSettings{}, out,
                         noProgress());
  EXPECT_EQ(out.size(), 15u);
  const int bad =
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"ngt_"}, "digital phantom NGTDM");
  EXPECT_EQ(bad, 0);
}

// {level, s_i, n_i} rows of an IBSI table.
struct ToneRow {
  int level;
  double s;
  double n;
};

void expectTone(const ToneMatrix& m, const std::vector<ToneRow>& rows, const std::string& what) {
  double n = 0.0;
  for (const ToneRow& r : rows) {
    ASSERT_LE(r.level, static_cast<int>(m.n.size())) << what;
    EXPECT_NEAR(m.s[r.level - 1], r.s, 1e-6) << what << " level " << r.level;
    EXPECT_EQ(m.n[r.level - 1], r.n) << what << " level " << r.level;
    n += r.n;
  }
  EXPECT_EQ(m.validVoxels(), n) << what;  // no other level present
}

TEST(Ngtdm, DigitalPhantomMatricesMatchIbsiTables) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::PreparedRoi roi = digitalPhantomRoi();
  // docs/08_Digital_phantom_texture_matrices.rst, "Neighbourhood grey tone
  // difference matrix (3D)" and "(2D)", Chebyshev distance 1.
  const auto volume = features::zone::toneDifferenceMatrices(roi.grey_levels, false, 1);
  expectTone(volume.front(),
             {{1, 39.946954, 50}, {3, 0.2, 1}, {4, 20.825401, 16}, {6, 24.127005, 7}}, "3D");
  const std::vector<std::vector<ToneRow>> tables = {
      {{1, 14.575, 9}, {4, 5.775, 8}, {6, 7.325, 3}},
      {{1, 11.928571, 12}, {3, 0.375, 1}, {4, 4.8, 4}, {6, 8.0, 2}},
      {{1, 7.985714, 14}, {4, 4.65, 2}, {6, 5.0, 1}},
      {{1, 7.582143, 15}, {4, 4.65, 2}, {6, 5.0, 1}}};
  const auto slices = features::zone::toneDifferenceMatrices(roi.grey_levels, true, 1);
  ASSERT_EQ(slices.size(), 4u);
  // The tables do not say which slice is which: match by the level-1 count.
  for (const auto& table : tables) {
    const auto it = std::find_if(slices.begin(), slices.end(),
                                 [&](const ToneMatrix& m) { return m.n[0] == table[0].n; });
    ASSERT_NE(it, slices.end());
    expectTone(*it, table, "2D slice with n_1 = " + std::to_string(table[0].n));
  }
}

TEST(Ngtdm, MatchesBruteForceNeighbourhoodAverage) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const auto g = randomVolume(rng, 4 + trial % 3, 3 + trial % 4, 1 + trial % 3, 4, 0.7);
    const int delta = 1 + trial % 2;
    for (const bool planar : {true, false}) {
      const auto m = features::zone::mergeToneMatrices(
          features::zone::toneDifferenceMatrices(g, planar, delta));
      std::vector<double> s(4, 0.0), n(4, 0.0);
      const int nx = g.size[0], ny = g.size[1], nz = g.size[2];
      for (int k = 0; k < nz; ++k)
        for (int j = 0; j < ny; ++j)
          for (int i = 0; i < nx; ++i) {
            const int level = g.levels[g.index(i, j, k)];
            if (level == 0) continue;
            double sum = 0.0;
            int count = 0;
            for (int c = 0; c < nz; ++c)
              for (int b = 0; b < ny; ++b)
                for (int a = 0; a < nx; ++a) {
                  const int cheb = std::max({std::abs(a - i), std::abs(b - j), std::abs(c - k)});
                  if (cheb == 0 || cheb > delta || (planar && c != k)) continue;
                  const int other = g.levels[g.index(a, b, c)];
                  if (other == 0) continue;
                  sum += other;
                  ++count;
                }
            if (count == 0) continue;
            s[level - 1] += std::abs(level - sum / count);
            n[level - 1] += 1.0;
          }
      for (int l = 0; l < 4; ++l) {
        EXPECT_NEAR(m.s[l], s[l], 1e-9) << "trial " << trial;
        EXPECT_EQ(m.n[l], n[l]) << "trial " << trial;
      }
    }
  }
}

features::GreyLevelVolume row(std::vector<int> levels) {
  features::GreyLevelVolume g;
  g.size = {static_cast<int>(levels.size()), 1, 1};
  for (int l : levels) {
    g.levels.push_back(l);
    g.morphological.push_back(l > 0 ? 1 : 0);
    g.level_count = std::max(g.level_count, l);
  }
  return g;
}

TEST(Ngtdm, TwoNeighboursOfLevelsOneAndTwo) {
  // s_1 = s_2 = 1, p_1 = p_2 = 1/2, N_v,c = 2. By IBSI's formulas:
  // coarseness 1/(1/2 + 1/2) = 1; contrast 1/(2*1) * (2 * 1/4 * 1) * (2/2)
  // = 1/4; busyness 1 / (2 * |1/2 - 1|) = 1; complexity 1/2 * 2 * 1 * 1 = 1;
  // strength 2 * 1 * 1 / 2 = 1.
  features::FeatureSet out;
  features::computeNgtdm(row({1, 2}), features::TextureSettings{}, out, noProgress());
  for (const char* a : {"2D", "2_5D", "3D"}) {
    const std::string agg(a);
    EXPECT_DOUBLE_EQ(out.value("ngt_coarseness_" + agg), 1.0);
    EXPECT_DOUBLE_EQ(out.value("ngt_contrast_" + agg), 0.25);
    EXPECT_DOUBLE_EQ(out.value("ngt_busyness_" + agg), 1.0);
    EXPECT_DOUBLE_EQ(out.value("ngt_complexity_" + agg), 1.0);
    EXPECT_DOUBLE_EQ(out.value("ngt_strength_" + agg), 1.0);
  }
}

TEST(Ngtdm, OneGreyLevelFollowsIbsiConventions) {
  // sum p_i s_i = 0: coarseness 10^6; N_g,p = 1: contrast and busyness 0;
  // sum s_i = 0: strength 0 (IBSI, the respective feature sections).
  features::FeatureSet out;
  features::computeNgtdm(row({3, 3, 3}), features::TextureSettings{}, out, noProgress());
  EXPECT_DOUBLE_EQ(out.value("ngt_coarseness_3D"), 1e6);
  EXPECT_DOUBLE_EQ(out.value("ngt_contrast_3D"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("ngt_busyness_3D"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("ngt_complexity_3D"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("ngt_strength_3D"), 0.0);
}

TEST(Ngtdm, OneVoxelRoiIsUndefinedWithAReason) {
  features::FeatureSet out;
  features::computeNgtdm(row({0, 2, 0}), features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 15u);
  for (const auto& f : out.features()) {
    EXPECT_FALSE(f.defined()) << f.tag;
    EXPECT_NE(f.reason.find("neighbour"), std::string::npos) << f.reason;
  }
}

TEST(Ngtdm, BusynessWithAZeroDenominatorIsUndefined) {
  // Levels 1, 1, 2: p_1 = 2/3, p_2 = 1/3, so 1 * p_1 = 2 * p_2 and every
  // |i1 p_i1 - i2 p_i2| vanishes: IBSI gives no convention for this case.
  features::FeatureSet out;
  features::computeNgtdm(row({1, 1, 2}), features::TextureSettings{}, out, noProgress());
  const auto* f = out.find("ngt_busyness_3D");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->defined());
  EXPECT_FALSE(f->reason.empty());
  EXPECT_TRUE(out.find("ngt_coarseness_3D")->defined());
}

TEST(Ngtdm, ColumnAlongZIsUndefinedIn2DButDefinedIn3D) {
  // One voxel per slice: no in-slice neighbour, so the 2D and 2.5D NGTDMs are
  // empty; in 3D the voxels neighbour each other (levels 1, 2, 1).
  features::GreyLevelVolume g;
  g.size = {1, 1, 3};
  g.level_count = 2;
  g.levels = {1, 2, 1};
  g.morphological = {1, 1, 1};
  features::FeatureSet out;
  features::computeNgtdm(g, features::TextureSettings{}, out, noProgress());
  ASSERT_EQ(out.size(), 15u);
  EXPECT_FALSE(out.find("ngt_coarseness_2D")->defined());
  EXPECT_FALSE(out.find("ngt_strength_2_5D")->defined());
  // 3D: s_1 = 1 + 1 = 2, s_2 = 1, p_1 = 2/3, p_2 = 1/3: coarseness
  // 1 / (2/3 * 2 + 1/3 * 1) = 3/5.
  EXPECT_DOUBLE_EQ(out.value("ngt_coarseness_3D"), 0.6);
}

}  // namespace harmonia::test
