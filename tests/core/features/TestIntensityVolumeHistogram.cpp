// Intensity-volume histogram features (IBSI 1 3.5): the IBSI reference
// values of the digital phantom and of CT configuration A, the IBSI example
// IVH of the digital phantom (its table in docs/04_Image_features.rst), a
// brute-force reference straight from the definitions for all three IVH
// discretisations, and the undefined cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "FirstOrderTestSupport.h"
#include "IbsiTestSupport.h"
#include "core/features/Families.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

namespace {

IvhSettings ivhOf(DiscretisationMethod method, int binCount = 1000, double binWidth = 2.5) {
  IvhSettings s;
  s.discretisation.method = method;
  s.discretisation.bin_count = binCount;
  s.discretisation.bin_width = binWidth;
  return s;
}

/// The IVH straight from IBSI's definitions: the discretised values X_d,gl,
/// the evaluated levels i of G (plus levels above G up to one past the
/// highest value, where nu = 0), nu_i = 1 - #(X < i) / N counted per level,
/// gamma_i = (i - min G) / (max G - min G).
struct BruteIvh {
  double v10, v90, i10, i90, auc;
};
BruteIvh bruteForce(const std::vector<double>& xdgl, double gMin, double gMax, double wd) {
  const auto n = static_cast<double>(xdgl.size());
  const double highest = *std::max_element(xdgl.begin(), xdgl.end());
  std::vector<double> level, nu, gamma;
  for (int k = 0;; ++k) {
    const double i = gMin + k * wd;
    if (i > std::max(gMax, highest) + wd + 1e-9) break;
    const double smaller = static_cast<double>(
        std::count_if(xdgl.begin(), xdgl.end(), [&](double x) { return x < i - 1e-9; }));
    level.push_back(i);
    nu.push_back(1.0 - smaller / n);
    gamma.push_back((i - gMin) / (gMax - gMin));
  }
  BruteIvh r{};
  auto vAt = [&](double x) {
    double best = 0.0;
    for (std::size_t k = 0; k < level.size(); ++k)
      if (level[k] <= gMax + 1e-9 && gamma[k] >= x - 1e-12) best = std::max(best, nu[k]);
    return best;
  };
  auto iAt = [&](double x) {
    for (std::size_t k = 0; k < level.size(); ++k)
      if (nu[k] <= x) return level[k];
    return level.back();
  };
  r.v10 = vAt(0.1);
  r.v90 = vAt(0.9);
  r.i10 = iAt(0.1);
  r.i90 = iAt(0.9);
  r.auc = 0.0;
  for (std::size_t k = 0; k + 1 < level.size() && level[k + 1] <= gMax + 1e-9; ++k)
    r.auc += (gamma[k + 1] - gamma[k]) * (nu[k] + nu[k + 1]) / 2.0;
  return r;
}

void expectMatches(const FeatureSet& out, const BruteIvh& b) {
  EXPECT_NEAR(out.value("ivh_v10"), b.v10, 1e-12);
  EXPECT_NEAR(out.value("ivh_v90"), b.v90, 1e-12);
  EXPECT_NEAR(out.value("ivh_i10"), b.i10, 1e-9);
  EXPECT_NEAR(out.value("ivh_i90"), b.i90, 1e-9);
  EXPECT_NEAR(out.value("ivh_diff_v10_v90"), b.v10 - b.v90, 1e-12);
  EXPECT_NEAR(out.value("ivh_diff_i10_i90"), b.i10 - b.i90, 1e-9);
  EXPECT_NEAR(out.value("ivh_auc"), b.auc, 1e-9);
}

}  // namespace

TEST(IntensityVolumeHistogram, DigitalPhantomMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  FeatureSet out;
  computeIntensityVolumeHistogram(digitalPhantomRoi(), ivhOf(DiscretisationMethod::None), {}, out);
  EXPECT_EQ(out.size(), 7u);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("digital_phantom"), {"ivh_"},
                            "digital phantom, intensity-volume histogram"),
            0);
  // IBSI's example IVH of the digital phantom (gamma 0, 0.2, ..., 1 and
  // nu = 1.000, 0.324, 0.324, 0.311, 0.095, 0.095): trapezoidal area.
  const double nu[] = {1.000, 0.324, 0.324, 0.311, 0.095, 0.095};
  double auc = 0.0;
  for (int k = 0; k < 5; ++k) auc += 0.2 * (nu[k] + nu[k + 1]) / 2.0;
  EXPECT_NEAR(out.value("ivh_auc"), auc, 1e-3);
}

TEST(IntensityVolumeHistogram, CtPhantomConfigAMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  ResegmentationSettings reseg;
  reseg.range_min = -500.0;
  reseg.range_max = 400.0;
  FeatureSet out;
  computeIntensityVolumeHistogram(ctPhantomConfigARoi(), ivhOf(DiscretisationMethod::None), reseg,
                                  out);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("config_A"), {"ivh_"},
                            "CT phantom config A, intensity-volume histogram"),
            0);
}

TEST(IntensityVolumeHistogram, MatchesBruteForceForEachDiscretisation) {
  std::mt19937 rng(3);
  std::normal_distribution<double> dist(-100.0, 180.0);
  std::vector<float> values(2000);
  for (float& v : values) v = static_cast<float>(std::clamp(std::round(dist(rng)), -1000.0, 400.0));
  const PreparedRoi roi = roiFromValues(values);
  const double lo = *std::min_element(values.begin(), values.end());
  const double hi = *std::max_element(values.begin(), values.end());

  {  // None, with a re-segmentation range: G = the range, w_d = 1.
    ResegmentationSettings reseg;
    reseg.range_min = -1000.0;
    reseg.range_max = 400.0;
    FeatureSet out;
    computeIntensityVolumeHistogram(roi, ivhOf(DiscretisationMethod::None), reseg, out);
    SCOPED_TRACE("None, range");
    expectMatches(out, bruteForce({values.begin(), values.end()}, -1000.0, 400.0, 1.0));
  }
  {  // None without a range: G = [min, max].
    FeatureSet out;
    computeIntensityVolumeHistogram(roi, ivhOf(DiscretisationMethod::None), {}, out);
    SCOPED_TRACE("None, no range");
    expectMatches(out, bruteForce({values.begin(), values.end()}, lo, hi, 1.0));
  }
  {  // FBS 2.5 from the range minimum (configuration C): bin centres.
    ResegmentationSettings reseg;
    reseg.range_min = -1000.0;
    reseg.range_max = 400.0;
    std::vector<double> centres;
    for (const float v : values)
      centres.push_back(-1000.0 + (std::floor((v + 1000.0) / 2.5) + 1 - 0.5) * 2.5);
    FeatureSet out;
    computeIntensityVolumeHistogram(roi, ivhOf(DiscretisationMethod::FixedBinSize), reseg, out);
    SCOPED_TRACE("FBS");
    expectMatches(out, bruteForce(centres, -1000.0 + 1.25, 400.0 - 1.25, 2.5));
  }
  {  // FBN 1000 between the ROI minimum and maximum (configuration E).
    std::vector<double> bins;
    for (const float v : values)
      bins.push_back(std::min(std::floor(1000.0 * (v - lo) / (hi - lo)) + 1, 1000.0));
    FeatureSet out;
    computeIntensityVolumeHistogram(roi, ivhOf(DiscretisationMethod::FixedBinNumber), {}, out);
    SCOPED_TRACE("FBN");
    expectMatches(out, bruteForce(bins, 1.0, 1000.0, 1.0));
  }
}

TEST(IntensityVolumeHistogram, AnalyticSmallCase) {
  // Values 0, 0, 5, 10 with G = [0, 10]: nu = 1 for i <= 0, 0.5 for 1..5,
  // 0.25 for 6..10. V10 = nu(1) = 0.5, V90 = nu(9) = 0.25; I10 = 11 (no level
  // of G is at most 10 % of the volume, the next level is), I90 = 1.
  FeatureSet out;
  computeIntensityVolumeHistogram(roiFromValues({0, 0, 5, 10}), ivhOf(DiscretisationMethod::None),
                                  {}, out);
  EXPECT_DOUBLE_EQ(out.value("ivh_v10"), 0.5);
  EXPECT_DOUBLE_EQ(out.value("ivh_v90"), 0.25);
  EXPECT_DOUBLE_EQ(out.value("ivh_i10"), 11.0);
  EXPECT_DOUBLE_EQ(out.value("ivh_i90"), 1.0);
  EXPECT_DOUBLE_EQ(out.value("ivh_diff_i10_i90"), 10.0);
}

TEST(IntensityVolumeHistogram, OneLevelAndEmptyRoiAreHandled) {
  FeatureSet one;
  computeIntensityVolumeHistogram(roiFromValues({7, 7, 7}), ivhOf(DiscretisationMethod::None), {},
                                  one);
  ASSERT_EQ(one.size(), 7u);
  EXPECT_FALSE(one.find("ivh_v10")->defined());
  EXPECT_FALSE(one.find("ivh_v10")->reason.empty());
  EXPECT_FALSE(one.find("ivh_diff_v10_v90")->defined());
  EXPECT_DOUBLE_EQ(one.value("ivh_auc"), 0.0);  // IBSI: 0 for one grey level

  // A value far beyond the re-segmentation range: refused, not a huge histogram.
  ResegmentationSettings reseg;
  reseg.range_min = 0.0;
  reseg.range_max = 10.0;
  FeatureSet far;
  computeIntensityVolumeHistogram(roiFromValues({1.0f, 1e30f}), ivhOf(DiscretisationMethod::None),
                                  reseg, far);
  ASSERT_EQ(far.size(), 7u);
  EXPECT_FALSE(far.find("ivh_i10")->defined());

  PreparedRoi empty = roiFromValues({1.0f});
  for (auto& m : empty.intensity_mask.voxels()) m = 0;
  FeatureSet out;
  computeIntensityVolumeHistogram(empty, ivhOf(DiscretisationMethod::FixedBinNumber), {}, out);
  ASSERT_EQ(out.size(), 7u);
  for (const Feature& f : out.features()) EXPECT_FALSE(f.defined()) << f.tag;
}
