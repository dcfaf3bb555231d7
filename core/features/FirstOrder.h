#pragma once
// Helpers shared by the first-order families (intensity statistics, intensity
// histogram, intensity-volume histogram; IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst).
//
// Percentiles: IBSI does not spell out a percentile estimator; its reference
// values are reproduced by the usual linear interpolation between order
// statistics (Hyndman & Fan type 7, numpy's default): for probability p and
// N sorted values x_0..x_{N-1}, h = (N - 1) p and
// P = x_floor(h) + (h - floor(h)) (x_floor(h)+1 - x_floor(h)): Harmonia's one
// quantile definition (quantilePosition, core/stats/Quantiles.h).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/stats/Quantiles.h"

namespace harmonia::features::first_order {

/// Adds every tag of `tags` as undefined with `reason`.
inline void addAllUndefined(FeatureSet& out, std::initializer_list<const char*> tags,
                            const char* family, const std::string& reason) {
  for (const char* tag : tags) out.addUndefined(tag, family, "", reason);
}

/// What the intensity-statistics and intensity-histogram families define alike
/// (IBSI 1 "Mean" to "Quartile coefficient of dispersion"), of intensities or
/// of grey levels.
struct Distribution {
  double mean = 0.0;
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;  ///< central moments (m2: the variance)
  double minimum = 0.0, p10 = 0.0, p25 = 0.0, median = 0.0, p75 = 0.0, p90 = 0.0, maximum = 0.0;
  double mad = 0.0;         ///< mean absolute deviation
  double rmad = 0.0;        ///< robust mean absolute deviation (over P10 <= x <= P90)
  double medad = 0.0;       ///< median absolute deviation
  bool has_robust = false;  ///< false when no value lies in [P10, P90] (rmad undefined)
};

/// Adds `prefix`_mean, _var, _skew, _kurt, _median, _min, _p10, _p90, _max.
inline void addLocationFeatures(FeatureSet& out, const std::string& prefix, const char* family,
                                const Distribution& d) {
  out.add(prefix + "_mean", family, "", d.mean);
  out.add(prefix + "_var", family, "", d.m2);
  // IBSI "Skewness" and "Kurtosis": both are 0 when the variance is 0.
  out.add(prefix + "_skew", family, "", d.m2 > 0.0 ? d.m3 / std::pow(d.m2, 1.5) : 0.0);
  out.add(prefix + "_kurt", family, "", d.m2 > 0.0 ? d.m4 / (d.m2 * d.m2) - 3.0 : 0.0);
  out.add(prefix + "_median", family, "", d.median);
  out.add(prefix + "_min", family, "", d.minimum);
  out.add(prefix + "_p10", family, "", d.p10);
  out.add(prefix + "_p90", family, "", d.p90);
  out.add(prefix + "_max", family, "", d.maximum);
}

/// Adds `prefix`_iqr, _range, _mad, _rmad, _medad, _cov, _qcod. `values`
/// names what was measured in the reasons for undefined ones ("intensity").
inline void addSpreadFeatures(FeatureSet& out, const std::string& prefix, const char* family,
                              const Distribution& d, const std::string& values) {
  out.add(prefix + "_iqr", family, "", d.p75 - d.p25);
  out.add(prefix + "_range", family, "", d.maximum - d.minimum);
  out.add(prefix + "_mad", family, "", d.mad);
  if (d.has_robust) {
    out.add(prefix + "_rmad", family, "", d.rmad);
  } else {
    out.addUndefined(prefix + "_rmad", family, "", "no " + values + " lies between P10 and P90");
  }
  out.add(prefix + "_medad", family, "", d.medad);
  if (d.mean != 0.0) {
    out.add(prefix + "_cov", family, "", std::sqrt(d.m2) / d.mean);
  } else {
    out.addUndefined(prefix + "_cov", family, "", "the mean " + values + " is 0 (sigma / mu)");
  }
  if (d.p75 + d.p25 != 0.0) {
    out.add(prefix + "_qcod", family, "", (d.p75 - d.p25) / (d.p75 + d.p25));
  } else {
    out.addUndefined(prefix + "_qcod", family, "", "P75 + P25 is 0 ((P75 - P25) / (P75 + P25))");
  }
}

/// Type-7 quantiles of `values` for the ascending probabilities `probs`.
/// Reorders `values` (nth_element on shrinking ranges, so O(N) per quantile
/// and no full sort). `values` must not be empty.
template <std::size_t K>
std::array<double, K> quantiles(std::vector<double>& values, const std::array<double, K>& probs) {
  const std::size_t n = values.size();
  std::array<double, K> result{};
  std::size_t settled = 0;  // values[0..settled) hold the smallest, in place
  auto orderStatistic = [&](std::size_t rank) {
    if (rank >= settled) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(settled),
                       values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
      // After nth_element, everything beyond `rank` is >= values[rank]; the
      // next order statistic is the minimum of the rest.
      settled = rank + 1;
    }
    return values[rank];
  };
  for (std::size_t k = 0; k < K; ++k) {
    const QuantilePosition q = quantilePosition(n, probs[k]);
    const double lo = orderStatistic(q.lower);
    double hi = lo;
    if (q.fraction > 0.0) {
      // The (lower + 1)-th order statistic: the minimum of the unsettled tail.
      hi = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(q.lower + 1),
                             values.end());
    }
    result[k] = lo + q.fraction * (hi - lo);
  }
  return result;
}

/// Type-7 quantile of the levels 1..counts.size()-1 with counts[i] voxels at
/// level i (counts[0] unused), total voxels `total` > 0.
inline double quantileFromCounts(const std::vector<std::int64_t>& counts, std::int64_t total,
                                 double p) {
  const QuantilePosition q = quantilePosition(static_cast<std::size_t>(total), p);
  // The level of 0-based order statistic r: the first level whose cumulative
  // count exceeds r.
  auto levelOfRank = [&](std::size_t r) {
    std::int64_t cumulative = 0;
    for (std::size_t i = 1; i < counts.size(); ++i) {
      cumulative += counts[i];
      if (static_cast<std::size_t>(cumulative) > r) return static_cast<double>(i);
    }
    return static_cast<double>(counts.size() - 1);
  };
  const double lo = levelOfRank(q.lower);
  if (q.fraction == 0.0) return lo;
  const double hi = levelOfRank(q.lower + 1);
  return lo + q.fraction * (hi - lo);
}

}  // namespace harmonia::features::first_order
