#pragma once
// The summary of a set of values: count, range, mean, SD and quantiles. The
// one "summary of values" type of core, CLI and UI (info, inspect, compare,
// the phantom measurements, the UI's tables).
//
// Contract: the values are those where the mask (same length, or on the
// volume's grid) is nonzero, or all of them without a mask. NaN and infinite
// values are skipped and counted apart (non_finite). N is the number of finite
// values counted; mean and SD are accumulated in double precision in a fixed
// order, independent of the thread count (two passes: the mean, then the
// squared deviations from it); SD is the sample standard deviation, with
// N - 1 in the denominator (NaN when N is 1). Median, P5 and P95 are exact
// type-7 quantiles (sampleQuantiles, Quantiles.h: numpy's and R's default),
// found by selection in O(N), not by sorting; SummaryDetail::Moments skips
// them (NaN). Values without a finite one are an InputError; values are never
// changed.

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Statistics of the finite values inside a region, in the values' units.
struct ValueSummary {
  std::uint64_t count = 0;       ///< N: finite values counted
  std::uint64_t non_finite = 0;  ///< NaN or infinite values inside the region, skipped
  double mean = 0.0;
  double sd = 0.0;  ///< sample standard deviation (divisor N - 1); NaN when N is 1
  double median = std::numeric_limits<double>::quiet_NaN();  ///< type-7 quantile at 0.5
  double p5 = std::numeric_limits<double>::quiet_NaN();      ///< type-7 quantile at 0.05
  double p95 = std::numeric_limits<double>::quiet_NaN();     ///< type-7 quantile at 0.95
  double min = 0.0;
  double max = 0.0;
};

/// How much of a ValueSummary to compute.
enum class SummaryDetail {
  Moments,    ///< count, range, mean and SD (quantiles stay NaN): two passes fewer
  Quantiles,  ///< also median, P5 and P95
};

/// Summary of `values` where `mask` (same length; nullptr: everywhere) is
/// nonzero. Throws InputError when the region holds no finite value.
ValueSummary summarizeValues(std::span<const float> values, const std::uint8_t* mask,
                             SummaryDetail detail = SummaryDetail::Quantiles,
                             Progress& progress = noProgress());

/// Summary of `volume` inside `mask` (nullptr: the whole volume). Throws
/// InputError when the mask is on another grid or the region holds no finite value.
ValueSummary summarizeValues(const Volume& volume, const MaskVolume* mask = nullptr,
                             SummaryDetail detail = SummaryDetail::Quantiles,
                             Progress& progress = noProgress());

/// Summary of one channel of a 2-D image (ParameterError for a channel out
/// of range; InputError when it holds no finite value).
ValueSummary summarizeValues(const Image2D& image, int channel,
                             SummaryDetail detail = SummaryDetail::Quantiles);

/// Coefficient of variation, sd / |mean| (0 when the mean is 0).
inline double coefficientOfVariation(const ValueSummary& s) {
  return s.mean != 0.0 ? s.sd / std::abs(s.mean) : 0.0;
}

}  // namespace harmonia
