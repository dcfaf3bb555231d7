#pragma once
// Small result types shared by the phantom measurements (core/measure/), the
// harmonization plan and the Phantom workspace's plots and tables.

#include <cstddef>
#include <vector>

namespace harmonia {

/// A sampled curve for plots and reports: x and y of equal length.
struct Curve {
  std::vector<double> x;
  std::vector<double> y;
};

/// Mean, standard deviation and coefficient of variation of the voxels of a region.
struct RegionStatistics {
  double mean = 0.0;
  double sd = 0.0;  ///< sample standard deviation (n - 1)
  double cv = 0.0;  ///< sd / |mean| (0 when the mean is 0)
  std::size_t voxels = 0;
};

/// Least-squares line measured = slope * nominal + intercept.
struct LinearityFit {
  double slope = 1.0;
  double intercept = 0.0;
  double r2 = 1.0;
};

}  // namespace harmonia
