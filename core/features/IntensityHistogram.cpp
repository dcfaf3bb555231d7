// Intensity histogram features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Intensity histogram features"): 23 features of
// the discretised grey levels X_d of the ROI intensity mask
// (roi.grey_levels), computed on the 3D volume from the histogram
// H = {n_1, ..., n_Ng}, so every sum runs over Ng levels, not over voxels.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/features/Families.h"
#include "core/features/FirstOrder.h"

namespace harmonia::features {

namespace {

constexpr const char* kHistogramFamily = "intensity_histogram";

}  // namespace

void computeIntensityHistogram(const PreparedRoi& roi, FeatureSet& out) {
  const GreyLevelVolume& g = roi.grey_levels;
  // Ng: the discretisation's level count; levels above it (should not occur)
  // widen the histogram rather than being dropped.
  int ng = std::max(g.level_count, 0);
  for (const std::int32_t level : g.levels) ng = std::max(ng, static_cast<int>(level));

  std::vector<std::int64_t> counts(static_cast<std::size_t>(ng) + 1, 0);
  std::int64_t total = 0;
  for (const std::int32_t level : g.levels) {
    if (level <= 0) continue;  // outside the intensity mask
    ++counts[static_cast<std::size_t>(level)];
    ++total;
  }
  if (total == 0) {
    first_order::addAllUndefined(
        out, {"ih_mean",       "ih_var",      "ih_skew",      "ih_kurt",       "ih_median",
              "ih_min",        "ih_p10",      "ih_p90",       "ih_max",        "ih_mode",
              "ih_iqr",        "ih_range",    "ih_mad",       "ih_rmad",       "ih_medad",
              "ih_cov",        "ih_qcod",     "ih_entropy",   "ih_uniformity", "ih_max_grad",
              "ih_max_grad_g", "ih_min_grad", "ih_min_grad_g"},
        kHistogramFamily, "the ROI intensity mask is empty");
    return;
  }
  const auto n = static_cast<double>(total);
  const auto levels = static_cast<std::size_t>(ng);

  // Probabilities p_i = n_i / N_v, mean and extremes.
  double mean = 0.0;
  int minLevel = 0;
  int maxLevel = 0;
  for (std::size_t i = 1; i <= levels; ++i) {
    if (counts[i] == 0) continue;
    mean += static_cast<double>(i) * static_cast<double>(counts[i]);
    if (minLevel == 0) minLevel = static_cast<int>(i);
    maxLevel = static_cast<int>(i);
  }
  mean /= n;

  double m2 = 0.0;
  double m3 = 0.0;
  double m4 = 0.0;
  double mad = 0.0;
  double entropy = 0.0;
  double uniformity = 0.0;
  for (std::size_t i = 1; i <= levels; ++i) {
    if (counts[i] == 0) continue;
    const double pi = static_cast<double>(counts[i]) / n;
    const double d = static_cast<double>(i) - mean;
    const double d2 = d * d;
    m2 += pi * d2;
    m3 += pi * d2 * d;
    m4 += pi * d2 * d2;
    mad += pi * std::abs(d);
    entropy -= pi * std::log2(pi);  // IBSI "Intensity histogram entropy": log base 2
    uniformity += pi * pi;
  }

  const double p10 = first_order::quantileFromCounts(counts, total, 0.10);
  const double p25 = first_order::quantileFromCounts(counts, total, 0.25);
  const double median = first_order::quantileFromCounts(counts, total, 0.50);
  const double p75 = first_order::quantileFromCounts(counts, total, 0.75);
  const double p90 = first_order::quantileFromCounts(counts, total, 0.90);

  // Median absolute deviation; robust set X_d,10-90 = {P10 <= x <= P90}.
  double medad = 0.0;
  double robustSum = 0.0;
  std::int64_t robustCount = 0;
  for (std::size_t i = 1; i <= levels; ++i) {
    if (counts[i] == 0) continue;
    const double x = static_cast<double>(i);
    medad += static_cast<double>(counts[i]) * std::abs(x - median);
    if (x >= p10 && x <= p90) {
      robustSum += static_cast<double>(counts[i]) * x;
      robustCount += counts[i];
    }
  }
  medad /= n;
  // Empty only for two voxels of distinct levels (P10 and P90 between them).
  double rmad = 0.0;
  if (robustCount > 0) {
    const double robustMean = robustSum / static_cast<double>(robustCount);
    for (std::size_t i = 1; i <= levels; ++i) {
      const double x = static_cast<double>(i);
      if (counts[i] != 0 && x >= p10 && x <= p90) {
        rmad += static_cast<double>(counts[i]) * std::abs(x - robustMean);
      }
    }
    rmad /= static_cast<double>(robustCount);
  }

  // IBSI "Intensity histogram mode": the most frequent level; among ties the
  // one closest to the mean, and of two equidistant ones the one left of it.
  int mode = 0;
  for (std::size_t i = 1; i <= levels; ++i) {
    if (counts[i] == 0) continue;
    if (mode == 0 || counts[i] > counts[static_cast<std::size_t>(mode)]) {
      mode = static_cast<int>(i);
    } else if (counts[i] == counts[static_cast<std::size_t>(mode)]) {
      // i > mode: take i only when strictly closer to the mean (a tie keeps
      // the left one).
      if (std::abs(static_cast<double>(i) - mean) < std::abs(static_cast<double>(mode) - mean)) {
        mode = static_cast<int>(i);
      }
    }
  }

  const auto lowest = static_cast<double>(minLevel);
  const auto highest = static_cast<double>(maxLevel);
  // In the order of Distribution's fields.
  const first_order::Distribution d{mean,    m2,  m3,     m4,    lowest,
                                    p10,     p25, median, p75,   p90,
                                    highest, mad, rmad,   medad, robustCount > 0};
  // Levels are >= 1, so the mean and P75 + P25 are positive: CoV and QCoD are defined.
  first_order::addLocationFeatures(out, "ih", kHistogramFamily, d);
  out.add("ih_mode", kHistogramFamily, "", mode);
  first_order::addSpreadFeatures(out, "ih", kHistogramFamily, d, "grey level");
  out.add("ih_entropy", kHistogramFamily, "", entropy);
  out.add("ih_uniformity", kHistogramFamily, "", uniformity);

  // IBSI "Maximum histogram gradient": H' over the non-sparse histogram of
  // levels 1..Ng; one-sided differences at both ends, central ones inside.
  if (levels < 2) {
    first_order::addAllUndefined(
        out, {"ih_max_grad", "ih_max_grad_g", "ih_min_grad", "ih_min_grad_g"}, kHistogramFamily,
        "one grey level: the histogram gradient needs at least two levels");
    return;
  }
  auto gradient = [&](std::size_t i) {
    if (i == 1) return static_cast<double>(counts[2] - counts[1]);
    if (i == levels) return static_cast<double>(counts[levels] - counts[levels - 1]);
    return static_cast<double>(counts[i + 1] - counts[i - 1]) / 2.0;
  };
  // The first level reaching the extreme is reported.
  std::size_t maxAt = 1;
  std::size_t minAt = 1;
  double maxGrad = gradient(1);
  double minGrad = maxGrad;
  for (std::size_t i = 2; i <= levels; ++i) {
    const double h = gradient(i);
    if (h > maxGrad) {
      maxGrad = h;
      maxAt = i;
    }
    if (h < minGrad) {
      minGrad = h;
      minAt = i;
    }
  }
  out.add("ih_max_grad", kHistogramFamily, "", maxGrad);
  out.add("ih_max_grad_g", kHistogramFamily, "", static_cast<double>(maxAt));
  out.add("ih_min_grad", kHistogramFamily, "", minGrad);
  out.add("ih_min_grad_g", kHistogramFamily, "", static_cast<double>(minAt));
}

}  // namespace harmonia::features
