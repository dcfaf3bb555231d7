// Intensity-based statistical features (IBSI 1 3.3): the IBSI reference
// values of the digital phantom and of CT configuration A, a sort-based
// brute-force reference on random values, and the undefined cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "FirstOrderTestSupport.h"
#include "IbsiTestSupport.h"
#include "core/features/Families.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

namespace {

/// Type-7 percentile of sorted values (linear interpolation between order
/// statistics at h = (N - 1) p), written independently of FirstOrder.h.
double sortedPercentile(const std::vector<double>& sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(h);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

TEST(IntensityStatistics, DigitalPhantomMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  FeatureSet out;
  computeIntensityStatistics(digitalPhantomRoi(), out);
  EXPECT_EQ(out.size(), 18u);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("digital_phantom"), {"stat_"},
                            "digital phantom, intensity statistics"),
            0);
}

TEST(IntensityStatistics, CtPhantomConfigAMatchesIbsi) {
  HARMONIA_REQUIRE_IBSI_DATA();
  FeatureSet out;
  computeIntensityStatistics(ctPhantomConfigARoi(), out);
  EXPECT_EQ(compareWithIbsi(out, readIbsiReference("config_A"), {"stat_"},
                            "CT phantom config A, intensity statistics"),
            0);
}

TEST(IntensityStatistics, MatchesSortBasedBruteForce) {
  std::mt19937 rng(13);
  for (const std::size_t count : {2u, 3u, 7u, 10u, 101u, 5000u}) {
    // Integer HU-like values with many ties, and continuous ones.
    for (const bool integers : {true, false}) {
      std::uniform_real_distribution<double> dist(-900.0, 400.0);
      std::vector<float> values(count);
      for (float& v : values) {
        const double x = dist(rng);
        v = static_cast<float>(integers ? std::round(x / 50.0) * 50.0 : x);
      }
      FeatureSet out;
      computeIntensityStatistics(roiFromValues(values), out);

      std::vector<double> x(values.begin(), values.end());
      std::sort(x.begin(), x.end());
      const double n = static_cast<double>(x.size());
      const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
      double var = 0.0, m3 = 0.0, m4 = 0.0, mad = 0.0, energy = 0.0;
      for (const double v : x) {
        var += (v - mean) * (v - mean) / n;
        m3 += std::pow(v - mean, 3) / n;
        m4 += std::pow(v - mean, 4) / n;
        mad += std::abs(v - mean) / n;
        energy += v * v;
      }
      const double p10 = sortedPercentile(x, 0.10), p25 = sortedPercentile(x, 0.25);
      const double med = sortedPercentile(x, 0.50), p75 = sortedPercentile(x, 0.75);
      const double p90 = sortedPercentile(x, 0.90);
      double medad = 0.0;
      for (const double v : x) medad += std::abs(v - med) / n;
      std::vector<double> robust;
      std::copy_if(x.begin(), x.end(), std::back_inserter(robust),
                   [&](double v) { return v >= p10 && v <= p90; });
      double rmad = std::numeric_limits<double>::quiet_NaN();  // empty robust set
      if (!robust.empty()) {
        const double rmean =
            std::accumulate(robust.begin(), robust.end(), 0.0) / static_cast<double>(robust.size());
        rmad = 0.0;
        for (const double v : robust)
          rmad += std::abs(v - rmean) / static_cast<double>(robust.size());
      }

      SCOPED_TRACE(testing::Message() << count << " values, integers " << integers);
      const double tol = 1e-9 * std::max(1.0, energy);
      EXPECT_NEAR(out.value("stat_mean"), mean, 1e-9 * 1000);
      EXPECT_NEAR(out.value("stat_var"), var, tol);
      EXPECT_NEAR(out.value("stat_skew"), m3 / std::pow(var, 1.5), 1e-9);
      EXPECT_NEAR(out.value("stat_kurt"), m4 / (var * var) - 3.0, 1e-9);
      EXPECT_DOUBLE_EQ(out.value("stat_median"), med);
      EXPECT_DOUBLE_EQ(out.value("stat_min"), x.front());
      EXPECT_DOUBLE_EQ(out.value("stat_max"), x.back());
      EXPECT_DOUBLE_EQ(out.value("stat_p10"), p10);
      EXPECT_DOUBLE_EQ(out.value("stat_p90"), p90);
      EXPECT_NEAR(out.value("stat_iqr"), p75 - p25, 1e-9);
      EXPECT_DOUBLE_EQ(out.value("stat_range"), x.back() - x.front());
      EXPECT_NEAR(out.value("stat_mad"), mad, 1e-7);
      if (robust.empty()) {
        EXPECT_FALSE(out.find("stat_rmad")->defined());
        EXPECT_FALSE(out.find("stat_rmad")->reason.empty());
      } else {
        EXPECT_NEAR(out.value("stat_rmad"), rmad, 1e-7);
      }
      EXPECT_NEAR(out.value("stat_medad"), medad, 1e-7);
      EXPECT_NEAR(out.value("stat_cov"), std::sqrt(var) / mean,
                  1e-9 * std::abs(std::sqrt(var) / mean) + 1e-12);
      EXPECT_NEAR(out.value("stat_qcod"), (p75 - p25) / (p75 + p25),
                  1e-9 * std::abs((p75 - p25) / (p75 + p25)) + 1e-12);
      EXPECT_NEAR(out.value("stat_energy"), energy, 1e-12 * energy);
      EXPECT_NEAR(out.value("stat_rms"), std::sqrt(energy / n), 1e-9);
    }
  }
}

TEST(IntensityStatistics, PercentilesInterpolateBetweenOrderStatistics) {
  // Analytic: 1..5 -> h = 4p: P10 = 1.4, P25 = 2, median = 3, P75 = 4, P90 = 4.6.
  FeatureSet out;
  computeIntensityStatistics(roiFromValues({5, 3, 1, 4, 2}), out);
  EXPECT_DOUBLE_EQ(out.value("stat_p10"), 1.4);
  EXPECT_DOUBLE_EQ(out.value("stat_median"), 3.0);
  EXPECT_DOUBLE_EQ(out.value("stat_p90"), 4.6);
  EXPECT_DOUBLE_EQ(out.value("stat_iqr"), 2.0);
  EXPECT_DOUBLE_EQ(out.value("stat_qcod"), 2.0 / 6.0);
  // Robust set [1.4, 4.6] = {2, 3, 4}: mean 3, mean |deviation| 2/3.
  EXPECT_DOUBLE_EQ(out.value("stat_rmad"), 2.0 / 3.0);
}

TEST(IntensityStatistics, OneVoxelRoiFollowsIbsiZeroVarianceRule) {
  FeatureSet out;
  computeIntensityStatistics(roiFromValues({42.0f}), out);
  ASSERT_EQ(out.size(), 18u);
  EXPECT_DOUBLE_EQ(out.value("stat_mean"), 42.0);
  EXPECT_DOUBLE_EQ(out.value("stat_var"), 0.0);
  // IBSI 3.3 "Skewness", "Kurtosis": 0 when the variance is 0.
  EXPECT_DOUBLE_EQ(out.value("stat_skew"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("stat_kurt"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("stat_cov"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("stat_p10"), 42.0);
  EXPECT_DOUBLE_EQ(out.value("stat_rmad"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("stat_qcod"), 0.0);
  EXPECT_DOUBLE_EQ(out.value("stat_energy"), 42.0 * 42.0);
}

TEST(IntensityStatistics, ZeroMeanAndEmptyRoiAreUndefinedWithReason) {
  FeatureSet zero;
  computeIntensityStatistics(roiFromValues({0.0f}), zero);
  ASSERT_NE(zero.find("stat_cov"), nullptr);
  EXPECT_FALSE(zero.find("stat_cov")->defined());
  EXPECT_FALSE(zero.find("stat_cov")->reason.empty());
  EXPECT_FALSE(zero.find("stat_qcod")->defined());
  EXPECT_DOUBLE_EQ(zero.value("stat_skew"), 0.0);

  PreparedRoi empty = roiFromValues({1.0f, 2.0f});
  for (auto& m : empty.intensity_mask.voxels()) m = 0;
  FeatureSet out;
  computeIntensityStatistics(empty, out);
  ASSERT_EQ(out.size(), 18u);
  for (const Feature& f : out.features()) {
    EXPECT_FALSE(f.defined()) << f.tag;
    EXPECT_FALSE(f.reason.empty()) << f.tag;
    EXPECT_EQ(f.family, "intensity_statistics");
  }
}
