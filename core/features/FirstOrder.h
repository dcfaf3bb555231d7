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
