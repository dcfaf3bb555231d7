#pragma once
// Small result types shared by the phantom measurements (core/measure/), the
// harmonization plan and the Phantom workspace's plots and tables.

#include <vector>

// Region statistics are core/stats' ValueSummary (with coefficientOfVariation).
#include "core/stats/Summary.h"

namespace harmonia {

/// A sampled curve for plots and reports: x and y of equal length.
struct Curve {
  std::vector<double> x;
  std::vector<double> y;
};

/// Least-squares line measured = slope * nominal + intercept.
struct LinearityFit {
  double slope = 1.0;
  double intercept = 0.0;
  double r2 = 1.0;
};

}  // namespace harmonia
