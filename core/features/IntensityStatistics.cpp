// Intensity-based statistical features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Intensity-based statistical features"): 18
// features of the intensities X_gl of the voxels in the ROI intensity mask,
// computed on the 3D volume as IBSI recommends.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/features/Families.h"
#include "core/features/FirstOrder.h"

namespace harmonia::features {

namespace {

constexpr const char* kStatisticsFamily = "intensity_statistics";

}  // namespace

void computeIntensityStatistics(const PreparedRoi& roi, FeatureSet& out) {
  std::vector<double> values = roi.roiIntensities();
  if (values.empty()) {
    first_order::addAllUndefined(
        out,
        {"stat_mean", "stat_var", "stat_skew", "stat_kurt", "stat_median", "stat_min", "stat_p10",
         "stat_p90", "stat_max", "stat_iqr", "stat_range", "stat_mad", "stat_rmad", "stat_medad",
         "stat_cov", "stat_qcod", "stat_energy", "stat_rms"},
        kStatisticsFamily, "the ROI intensity mask is empty");
    return;
  }
  const auto n = static_cast<double>(values.size());

  // Pass 1: sum, energy (IBSI: sum of X^2, not volume-weighted), extremes.
  double sum = 0.0;
  double energy = 0.0;
  double minimum = values.front();
  double maximum = values.front();
  for (const double x : values) {
    sum += x;
    energy += x * x;
    minimum = std::min(minimum, x);
    maximum = std::max(maximum, x);
  }
  const double mean = sum / n;

  // Pass 2: central moments and the mean absolute deviation (about the mean,
  // so no cancellation for large CT values).
  double m2 = 0.0;
  double m3 = 0.0;
  double m4 = 0.0;
  double mad = 0.0;
  for (const double x : values) {
    const double d = x - mean;
    const double d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    mad += std::abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  mad /= n;

  // Percentiles: P10, P25, median, P75, P90 (type 7, see FirstOrder.h). This
  // reorders `values`, which the remaining sums do not mind.
  const auto p = first_order::quantiles<5>(values, {0.10, 0.25, 0.50, 0.75, 0.90});
  const double p10 = p[0];
  const double p25 = p[1];
  const double median = p[2];
  const double p75 = p[3];
  const double p90 = p[4];

  // Pass 3: median absolute deviation, and the robust set X_gl,10-90
  // (P10 <= x <= P90, IBSI "Robust mean absolute deviation").
  double medad = 0.0;
  double robustSum = 0.0;
  std::size_t robustCount = 0;
  for (const double x : values) {
    medad += std::abs(x - median);
    if (x >= p10 && x <= p90) {
      robustSum += x;
      ++robustCount;
    }
  }
  medad /= n;
  // The robust set is empty only for two distinct values (both P10 and P90
  // then lie strictly between them).
  double rmad = std::numeric_limits<double>::quiet_NaN();
  if (robustCount > 0) {
    const double robustMean = robustSum / static_cast<double>(robustCount);
    rmad = 0.0;
    for (const double x : values) {
      if (x >= p10 && x <= p90) rmad += std::abs(x - robustMean);
    }
    rmad /= static_cast<double>(robustCount);
  }

  // In the order of Distribution's fields.
  const first_order::Distribution d{mean,    m2,  m3,     m4,    minimum,
                                    p10,     p25, median, p75,   p90,
                                    maximum, mad, rmad,   medad, robustCount > 0};
  first_order::addLocationFeatures(out, "stat", kStatisticsFamily, d);
  first_order::addSpreadFeatures(out, "stat", kStatisticsFamily, d, "intensity");
  out.add("stat_energy", kStatisticsFamily, "", energy);
  out.add("stat_rms", kStatisticsFamily, "", std::sqrt(energy / n));
}

}  // namespace harmonia::features
