// Intensity histogram features (IBSI 1 3.4): the IBSI reference values of the
// digital phantom and of CT configuration A, a voxel-wise brute-force
// reference, the mode and gradient rules, and the undefined cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "FirstOrderTestSupport.h"
#include "IbsiTestSupport.h"
#include "core/features/Families.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

TEST(IntensityHistogram, DigitalPhantomMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  FeatureSet out;
  computeIntensityHistogram(digitalPhantomRoi(), out);
  EXPECT_EQ(out.size(), 23u);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("digital_phantom"), {"ih_"},
                            "digital phantom, intensity histogram"),
            0);
}

TEST(IntensityHistogram, CtPhantomConfigAMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  FeatureSet out;
  computeIntensityHistogram(ctPhantomConfigARoi(), out);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("config_A"), {"ih_"},
                            "CT phantom config A, intensity histogram"),
            0);
}

TEST(IntensityHistogram, MatchesVoxelWiseStatisticsOfTheLevels) {
  // The histogram features of levels X_d equal the intensity statistics of
  // the same levels used as intensities (IBSI gives both formulations).
  std::mt19937 rng(7);
  std::binomial_distribution<int> dist(20, 0.3);
  std::vector<float> levels(3001);
  for (float& v : levels) v = static_cast<float>(dist(rng) + 1);
  const PreparedRoi roi = roiFromValues(levels, 0.5, 1.0);  // level = value
  FeatureSet ih;
  FeatureSet stat;
  computeIntensityHistogram(roi, ih);
  computeIntensityStatistics(roi, stat);
  for (const char* name : {"mean", "var", "skew", "kurt", "median", "min", "p10", "p90", "max",
                           "iqr", "range", "mad", "rmad", "medad", "cov", "qcod"})
    EXPECT_NEAR(ih.value(std::string("ih_") + name), stat.value(std::string("stat_") + name), 1e-9)
        << name;

  // Entropy, uniformity, mode and gradient by direct counting.
  const int ng = roi.grey_levels.level_count;
  std::vector<double> n(static_cast<std::size_t>(ng) + 2, 0.0);
  for (const float v : levels) n[static_cast<std::size_t>(v)] += 1.0;
  double entropy = 0.0, uniformity = 0.0;
  for (int i = 1; i <= ng; ++i) {
    const double p = n[static_cast<std::size_t>(i)] / static_cast<double>(levels.size());
    if (p > 0) entropy -= p * std::log2(p);
    uniformity += p * p;
  }
  EXPECT_NEAR(ih.value("ih_entropy"), entropy, 1e-12);
  EXPECT_NEAR(ih.value("ih_uniformity"), uniformity, 1e-12);
  const auto modeIt = std::max_element(n.begin() + 1, n.begin() + ng + 1);
  EXPECT_DOUBLE_EQ(ih.value("ih_mode"), static_cast<double>(modeIt - n.begin()));
  double maxGrad = -1e300, minGrad = 1e300;
  for (int i = 1; i <= ng; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const double h = i == 1 ? n[2] - n[1] : i == ng ? n[u] - n[u - 1] : (n[u + 1] - n[u - 1]) / 2;
    maxGrad = std::max(maxGrad, h);
    minGrad = std::min(minGrad, h);
  }
  EXPECT_DOUBLE_EQ(ih.value("ih_max_grad"), maxGrad);
  EXPECT_DOUBLE_EQ(ih.value("ih_min_grad"), minGrad);
}

TEST(IntensityHistogram, ModeTiesGoToTheBinClosestToTheMeanThenLeft) {
  // Counts 2, 0, 2, 2 at levels 1, 2, 3, 4: mean 8/3 -> level 3 is closest.
  FeatureSet a;
  computeIntensityHistogram(roiFromValues({1, 1, 3, 3, 4, 4}, 0.5), a);
  EXPECT_DOUBLE_EQ(a.value("ih_mode"), 3.0);
  // Counts 1, 0, 1 at levels 1, 3: mean 2, both equidistant -> the left one.
  FeatureSet b;
  computeIntensityHistogram(roiFromValues({1, 3}, 0.5), b);
  EXPECT_DOUBLE_EQ(b.value("ih_mode"), 1.0);
}

TEST(IntensityHistogram, GradientUsesTheNonSparseHistogramAndOneSidedEnds) {
  // Levels 1..4 with counts 3, 0, 1, 5 (level 2 absent but kept):
  // H' = (0 - 3, (1 - 3) / 2, (5 - 0) / 2, 5 - 1) = (-3, -1, 2.5, 4).
  FeatureSet out;
  computeIntensityHistogram(roiFromValues({1, 1, 1, 3, 4, 4, 4, 4, 4}, 0.5), out);
  EXPECT_DOUBLE_EQ(out.value("ih_max_grad"), 4.0);
  EXPECT_DOUBLE_EQ(out.value("ih_max_grad_g"), 4.0);
  EXPECT_DOUBLE_EQ(out.value("ih_min_grad"), -3.0);
  EXPECT_DOUBLE_EQ(out.value("ih_min_grad_g"), 1.0);
}

TEST(IntensityHistogram, OneLevelAndEmptyRoiDoNotCrash) {
  FeatureSet one;
  computeIntensityHistogram(roiFromValues({1.0f, 1.0f, 1.0f}, 0.5), one);
  ASSERT_EQ(one.size(), 23u);
  EXPECT_DOUBLE_EQ(one.value("ih_var"), 0.0);
  EXPECT_DOUBLE_EQ(one.value("ih_skew"), 0.0);  // IBSI: 0 when the variance is 0
  EXPECT_DOUBLE_EQ(one.value("ih_kurt"), 0.0);
  EXPECT_DOUBLE_EQ(one.value("ih_entropy"), 0.0);
  EXPECT_DOUBLE_EQ(one.value("ih_uniformity"), 1.0);
  ASSERT_NE(one.find("ih_max_grad"), nullptr);
  EXPECT_FALSE(one.find("ih_max_grad")->defined());
  EXPECT_FALSE(one.find("ih_max_grad")->reason.empty());
  EXPECT_FALSE(one.find("ih_min_grad_g")->defined());

  PreparedRoi empty = roiFromValues({1.0f, 2.0f}, 0.5);
  std::fill(empty.grey_levels.levels.begin(), empty.grey_levels.levels.end(), 0);
  FeatureSet out;
  computeIntensityHistogram(empty, out);
  ASSERT_EQ(out.size(), 23u);
  for (const Feature& f : out.features()) EXPECT_FALSE(f.defined()) << f.tag;
}
