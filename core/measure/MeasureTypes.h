#pragma once
// Small result types shared by the phantom measurements (core/measure/), the
// harmonization plan and the Phantom workspace's plots and tables.

#include <cmath>
#include <vector>

#include "core/compare/RegionStatistics.h"

namespace harmonia {

/// A sampled curve for plots and reports: x and y of equal length.
struct Curve {
  std::vector<double> x;
  std::vector<double> y;
};

/// Region statistics are core/compare's RegionStatistics (count, mean, sd,
/// median, percentiles, min, max): one type for every "summary of a region".
/// Its coefficient of variation, sd / |mean| (0 when the mean is 0).
inline double coefficientOfVariation(const RegionStatistics& s) {
  return s.mean != 0.0 ? s.sd / std::abs(s.mean) : 0.0;
}

/// Least-squares line measured = slope * nominal + intercept.
struct LinearityFit {
  double slope = 1.0;
  double intercept = 0.0;
  double r2 = 1.0;
};

}  // namespace harmonia
