#pragma once
// Descriptive statistics of a volume's values inside a region.
//
// Contract: the region is the voxels where the mask (on the volume's grid) is
// nonzero, or every voxel without a mask. NaN and infinite values are skipped
// and not counted. N is the number of finite values counted; mean and SD are
// accumulated in double precision in a fixed order, independent of the thread
// count (two passes: the mean, then the squared deviations from it); SD is the sample standard
// deviation, with N - 1 in the denominator (NaN when N is 1). Median, P5 and P95 are exact type-7
// quantiles (sampleQuantiles, Quantiles.h: numpy's and R's default), found by
// selection in O(N), not by sorting. A region without a finite value is an
// InputError; values are never changed.

#include <cstdint>
#include <span>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Statistics of the finite values inside a region, in the volume's units.
struct RegionStatistics {
  std::uint64_t count = 0;  ///< N: finite values counted
  double mean = 0.0;
  double sd = 0.0;      ///< sample standard deviation (divisor N - 1); NaN when N is 1
  double median = 0.0;  ///< type-7 quantile at 0.5
  double p5 = 0.0;      ///< type-7 quantile at 0.05
  double p95 = 0.0;     ///< type-7 quantile at 0.95
  double min = 0.0;
  double max = 0.0;
};

/// Statistics of `values` where `mask` (same length; nullptr: everywhere) is
/// nonzero. Throws InputError when the region holds no finite value.
RegionStatistics regionStatistics(std::span<const float> values, const std::uint8_t* mask,
                                  Progress& progress = noProgress());

/// Statistics of `volume` inside `mask` (nullptr: the whole volume). Throws
/// InputError when the mask is on another grid or the region holds no finite value.
RegionStatistics regionStatistics(const Volume& volume, const MaskVolume* mask = nullptr,
                                  Progress& progress = noProgress());

}  // namespace harmonia
