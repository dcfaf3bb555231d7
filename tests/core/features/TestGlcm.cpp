// GLCM features (IBSI 1, docs/04_Image_features.rst, "Grey level co-occurrence
// based features"): the IBSI reference values of the digital phantom and the
// CT phantom (configuration A), IBSI's hand-computed matrices of the digital
// phantom, a brute-force matrix and literal formulas on a random volume, and
// the undefined cases.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "DirectionalTextureTestSupport.h"
#include "IbsiTestSupport.h"
#include "core/features/Families.h"
#include "core/features/GlcmMatrix.h"

namespace harmonia::test {

namespace {

using features::GreyLevelVolume;
using features::TextureSettings;
namespace glcm = features::glcm;
namespace directional = features::directional;

features::FeatureSet glcmOf(const GreyLevelVolume& v, const TextureSettings& s = {}) {
  features::FeatureSet out;
  features::computeGlcm(v, s, out, noProgress());
  return out;
}

/// The merged (4 in-plane directions) matrix of one slice.
std::vector<std::uint64_t> sliceMerged(const GreyLevelVolume& v, int k) {
  const int ng = v.level_count;
  std::vector<std::uint64_t> m(static_cast<std::size_t>(ng) * ng, 0);
  for (int d = 0; d < directional::kInPlaneCount; ++d)
    glcm::addCooccurrences(v, directional::kDirections[static_cast<std::size_t>(d)], 1, k, ng,
                           m.data());
  return m;
}

/// Brute force: every ordered pair of ROI voxels whose offset has each
/// component in {-delta, 0, delta} (the 26 directions times delta), not equal.
std::vector<std::uint64_t> bruteForce3D(const GreyLevelVolume& v, int delta) {
  const int ng = v.level_count;
  std::vector<std::uint64_t> m(static_cast<std::size_t>(ng) * ng, 0);
  auto ok = [&](int d) { return d == 0 || d == delta || d == -delta; };
  const auto& s = v.size;
  for (int k = 0; k < s[2]; ++k)
    for (int j = 0; j < s[1]; ++j)
      for (int i = 0; i < s[0]; ++i)
        for (int kk = 0; kk < s[2]; ++kk)
          for (int jj = 0; jj < s[1]; ++jj)
            for (int ii = 0; ii < s[0]; ++ii) {
              if (ii == i && jj == j && kk == k) continue;
              if (!ok(ii - i) || !ok(jj - j) || !ok(kk - k)) continue;
              const int a = v.at(i, j, k);
              const int b = v.at(ii, jj, kk);
              if (a > 0 && b > 0) ++m[static_cast<std::size_t>(a - 1) * ng + (b - 1)];
            }
  return m;
}

}  // namespace

TEST(Glcm, DigitalPhantomMatchesIbsiReferenceInAllAggregations) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const features::FeatureSet out = glcmOf(digitalPhantomRoi().grey_levels);
  EXPECT_EQ(out.size(), 6u * 25u);
  EXPECT_EQ(
      compareWithIbsi(out, readIbsiReference("digital_phantom"), {"cm_"}, "digital phantom GLCM"),
      0);
}

TEST(Glcm, DigitalPhantomSliceMatricesMatchIbsiHandComputedOnes) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const GreyLevelVolume v = digitalPhantomRoi().grey_levels;
  ASSERT_EQ(v.size[2], 4);
  ASSERT_EQ(v.level_count, 6);
  // IBSI docs/08_Digital_phantom_texture_matrices.rst, "Grey level
  // co-occurrence matrix (2D, merged)": the 4 in-plane directions merged,
  // one table per slice, slices in order; entries (i, j, n), zero elsewhere.
  using Entries = std::vector<std::array<int, 3>>;
  const std::array<Entries, 4> ibsi = {{
      {{1, 1, 22},
       {1, 4, 17},
       {1, 6, 6},
       {4, 1, 17},
       {4, 4, 16},
       {4, 6, 11},
       {6, 1, 6},
       {6, 4, 11},
       {6, 6, 4}},
      {{1, 1, 42},
       {1, 3, 5},
       {1, 4, 8},
       {1, 6, 8},
       {3, 1, 5},
       {3, 4, 1},
       {3, 6, 2},
       {4, 1, 8},
       {4, 3, 1},
       {4, 4, 4},
       {4, 6, 3},
       {6, 1, 8},
       {6, 3, 2},
       {6, 4, 3}},
      {{1, 1, 56}, {1, 4, 7}, {1, 6, 4}, {4, 1, 7}, {4, 4, 2}, {6, 1, 4}},
      {{1, 1, 70}, {1, 4, 7}, {1, 6, 5}, {4, 1, 7}, {4, 4, 2}, {6, 1, 5}},
  }};
  for (int k = 0; k < 4; ++k) {
    std::vector<std::uint64_t> expected(36, 0);
    for (const auto& e : ibsi[static_cast<std::size_t>(k)])
      expected[static_cast<std::size_t>(e[0] - 1) * 6 + (e[1] - 1)] =
          static_cast<std::uint64_t>(e[2]);
    EXPECT_EQ(sliceMerged(v, k), expected) << "slice " << k + 1;
  }
}

TEST(Glcm, DigitalPhantomMergedThreeDMatrixMatchesIbsiHandComputedOne) {
  HARMONIA_REQUIRE_IBSI_DATA();
  const GreyLevelVolume v = digitalPhantomRoi().grey_levels;
  std::vector<std::uint64_t> merged(36, 0);
  for (const auto& d : directional::kDirections)
    glcm::addCooccurrences(v, d, 1, -1, 6, merged.data());
  // IBSI docs/08_Digital_phantom_texture_matrices.rst, "Grey level
  // co-occurrence matrix (3D, merged)" (levels 1..6; rows/columns 2 and 5 are
  // empty, as is (3, 3)).
  const std::vector<std::uint64_t> ibsi = {536, 0, 14, 105, 0, 61,  //
                                           0,   0, 0,  0,   0, 0,   //
                                           14,  0, 0,  5,   0, 6,   //
                                           105, 0, 5,  64,  0, 28,  //
                                           0,   0, 0,  0,   0, 0,   //
                                           61,  0, 6,  28,  0, 16};
  EXPECT_EQ(merged, ibsi);
}

TEST(Glcm, MergedThreeDMatrixEqualsBruteForceOnRandomVolume) {
  for (int delta : {1, 2}) {
    const GreyLevelVolume v = randomLevels({7, 6, 5}, 5, 0.25, 17u + static_cast<unsigned>(delta));
    const int ng = v.level_count;
    std::vector<std::uint64_t> merged(static_cast<std::size_t>(ng) * ng, 0);
    for (const auto& d : directional::kDirections)
      glcm::addCooccurrences(v, d, delta, -1, ng, merged.data());
    const std::vector<std::uint64_t> brute = bruteForce3D(v, delta);
    EXPECT_EQ(merged, brute) << "distance " << delta;

    // The extractor's 3D_comb features are those of that brute-force matrix.
    TextureSettings s;
    s.glcm_distance = delta;
    const features::FeatureSet out = glcmOf(v, s);
    glcm::Scratch scratch;
    const glcm::Features f = glcm::glcmFeatures(brute.data(), ng, scratch);
    for (int n = 0; n < glcm::kFeatureCount; ++n) {
      const std::string tag =
          std::string(glcm::kFeatureNames[static_cast<std::size_t>(n)]) + "_3D_comb";
      EXPECT_NEAR(out.value(tag), f[static_cast<std::size_t>(n)],
                  1e-12 * std::max(1.0, std::abs(f[static_cast<std::size_t>(n)])))
          << tag;
    }
  }
}

TEST(Glcm, FeaturesMatchLiteralIbsiFormulasOnRandomMatrix) {
  // The literal double sums of IBSI's definitions (no symmetry shortcuts),
  // on a symmetric matrix of random counts.
  const int ng = 7;
  std::mt19937 rng(5u);
  std::uniform_int_distribution<int> count(0, 9);
  std::vector<std::uint64_t> c(static_cast<std::size_t>(ng) * ng, 0);
  for (int i = 0; i < ng; ++i)
    for (int j = 0; j <= i; ++j) {
      const auto x = static_cast<std::uint64_t>(count(rng));
      c[static_cast<std::size_t>(i) * ng + j] += x;
      if (i != j) c[static_cast<std::size_t>(j) * ng + i] += x;
    }
  double total = 0;
  for (auto x : c) total += static_cast<double>(x);
  auto p = [&](int i, int j) {  // 1-based
    return static_cast<double>(c[static_cast<std::size_t>(i - 1) * ng + (j - 1)]) / total;
  };
  std::vector<double> pi(ng + 1, 0.0), pj(ng + 1, 0.0);
  for (int i = 1; i <= ng; ++i)
    for (int j = 1; j <= ng; ++j) {
      pi[i] += p(i, j);
      pj[j] += p(i, j);
    }
  double mui = 0, muj = 0;
  for (int i = 1; i <= ng; ++i) {
    mui += i * pi[i];
    muj += i * pj[i];
  }
  double si = 0, sj = 0, hx = 0;
  for (int i = 1; i <= ng; ++i) {
    si += (i - mui) * (i - mui) * pi[i];
    sj += (i - muj) * (i - muj) * pj[i];
    if (pi[i] > 0) hx -= pi[i] * std::log2(pi[i]);
  }
  double corr = 0, hxy = 0, hxy1 = 0, hxy2 = 0, shade = 0, invVar = 0, idn = 0, idmn = 0;
  for (int i = 1; i <= ng; ++i)
    for (int j = 1; j <= ng; ++j) {
      const double q = p(i, j);
      corr += (i - mui) * (j - muj) * q;
      shade += std::pow(i + j - mui - muj, 3) * q;
      if (j > i) invVar += 2 * q / ((i - j) * (i - j));
      idn += q / (1.0 + std::abs(i - j) / static_cast<double>(ng));
      idmn += q / (1.0 + (i - j) * (i - j) / static_cast<double>(ng * ng));
      if (pi[i] * pj[j] > 0) hxy2 -= pi[i] * pj[j] * std::log2(pi[i] * pj[j]);
      if (q > 0) {
        hxy -= q * std::log2(q);
        hxy1 -= q * std::log2(pi[i] * pj[j]);
      }
    }
  corr /= std::sqrt(si) * std::sqrt(sj);
  glcm::Scratch scratch;
  const glcm::Features f = glcm::glcmFeatures(c.data(), ng, scratch);
  EXPECT_NEAR(f[glcm::kCorr], corr, 1e-12);
  EXPECT_NEAR(f[glcm::kJointEntr], hxy, 1e-12);
  EXPECT_NEAR(f[glcm::kClustShade], shade, 1e-9);
  EXPECT_NEAR(f[glcm::kInvVar], invVar, 1e-12);
  EXPECT_NEAR(f[glcm::kInvDiffNorm], idn, 1e-12);
  EXPECT_NEAR(f[glcm::kInvDiffMomNorm], idmn, 1e-12);
  EXPECT_NEAR(f[glcm::kInfoCorr1], (hxy - hxy1) / hx, 1e-12);
  EXPECT_NEAR(f[glcm::kInfoCorr2], std::sqrt(1.0 - std::exp(-2.0 * (hxy2 - hxy))), 1e-12);
  EXPECT_NEAR(f[glcm::kSumAvg], 2.0 * mui, 1e-12);            // IBSI: sum average = 2 joint average
  EXPECT_NEAR(f[glcm::kSumVar], f[glcm::kClustTend], 1e-12);  // IBSI: identical
}

TEST(Glcm, OneGreyLevelLeavesCorrelationAndInfoCorrelationUndefined) {
  GreyLevelVolume v = boxLevels({4, 4, 3}, 1);
  const features::FeatureSet out = glcmOf(v);
  EXPECT_EQ(out.size(), 6u * 25u);
  for (const char* agg : {"2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb", "3D_avg", "3D_comb"}) {
    const std::string a = agg;
    EXPECT_DOUBLE_EQ(out.value("cm_joint_max_" + a), 1.0) << a;  // a single cell
    EXPECT_DOUBLE_EQ(out.value("cm_contrast_" + a), 0.0) << a;
    EXPECT_DOUBLE_EQ(out.value("cm_info_corr2_" + a), 0.0) << a;
    for (const char* tag : {"cm_corr_", "cm_info_corr1_"}) {
      const features::Feature* f = out.find(tag + a);
      ASSERT_NE(f, nullptr) << tag << a;
      EXPECT_FALSE(f->defined()) << tag << a;
      EXPECT_NE(f->reason.find("single grey level"), std::string::npos) << f->reason;
    }
  }
}

TEST(Glcm, SliceWithOneGreyLevelIsLeftOutOfTheCorrelationAverageOnly) {
  // Slice 0: one grey level (correlation undefined there); slice 1: varied.
  GreyLevelVolume v = boxLevels({3, 3, 2}, 2);
  const std::array<int, 9> pattern = {1, 2, 3, 3, 1, 2, 2, 3, 1};
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 3; ++i)
      v.levels[v.index(i, j, 1)] = pattern[static_cast<std::size_t>(j * 3 + i)];
  v.level_count = 3;
  const features::FeatureSet out = glcmOf(v);
  glcm::Scratch scratch;
  double corr = 0.0;
  double energy = 0.0;
  for (int d = 0; d < directional::kInPlaneCount; ++d) {
    for (int k = 0; k < 2; ++k) {
      std::vector<std::uint64_t> m(9, 0);
      glcm::addCooccurrences(v, directional::kDirections[static_cast<std::size_t>(d)], 1, k, 3,
                             m.data());
      const glcm::Features f = glcm::glcmFeatures(m.data(), 3, scratch);
      if (k == 1) corr += f[glcm::kCorr] / 4.0;
      energy += f[glcm::kEnergy] / 8.0;
    }
  }
  EXPECT_NEAR(out.value("cm_corr_2D_avg"), corr, 1e-12);      // mean of slice 1's 4
  EXPECT_NEAR(out.value("cm_energy_2D_avg"), energy, 1e-12);  // mean of all 8
}

TEST(Glcm, OneVoxelAndEmptyRoiGiveUndefinedFeaturesNotZeros) {
  GreyLevelVolume one = boxLevels({3, 3, 3}, 0);
  one.levels[one.index(1, 1, 1)] = 2;
  one.level_count = 4;
  GreyLevelVolume empty = boxLevels({3, 3, 3}, 0);
  empty.level_count = 4;
  for (const GreyLevelVolume* v : {&one, &empty}) {
    const features::FeatureSet out = glcmOf(*v);
    ASSERT_EQ(out.size(), 6u * 25u);
    for (const auto& f : out.features()) {
      EXPECT_FALSE(f.defined()) << f.tag;
      EXPECT_TRUE(std::isnan(f.value)) << f.tag;
      EXPECT_FALSE(f.reason.empty()) << f.tag;
    }
  }
}

TEST(Glcm, OnlyTheEnabledAggregationsAreComputed) {
  const GreyLevelVolume v = randomLevels({6, 6, 4}, 4, 0.1, 3u);
  TextureSettings s;
  s.aggregations = {false, false, true};
  const features::FeatureSet out = glcmOf(v, s);
  EXPECT_EQ(out.size(), 50u);
  EXPECT_EQ(out.find("cm_energy_2D_avg"), nullptr);
  EXPECT_NE(out.find("cm_energy_3D_avg"), nullptr);
  // The in-plane 3D matrices do not depend on whether 2D was computed too.
  const features::FeatureSet all = glcmOf(v);
  for (const auto& f : out.features()) EXPECT_DOUBLE_EQ(f.value, all.value(f.tag)) << f.tag;
}

TEST(Glcm, CtPhantomConfigurationAMatchesIbsiReference) {
  HARMONIA_REQUIRE_IBSI_DATA();
  TextureSettings s;
  s.aggregations = {true, true, false};
  const features::FeatureSet out = glcmOf(ctPhantomConfigARoi().grey_levels, s);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("config_A"), {"cm_"}, "config A GLCM"), 0);
}

}  // namespace harmonia::test
