#pragma once
// Quantiles, and the range scan and fine bin counts they are built on.
//
// THE quantile definition of Harmonia (every percentile, median and quartile
// in core, CLI and UI uses it): linear interpolation between order
// statistics, numpy's and R's default (Hyndman & Fan 1996, type 7). With the
// sorted values v_0 <= ... <= v_(N-1) and h = (N - 1) p,
//     Q(p) = v_floor(h) + (h - floor(h)) (v_floor(h)+1 - v_floor(h)).
// quantilePosition() gives floor(h) and the weight; quantileOfSorted() applies
// it to sorted values; sampleQuantiles() finds it exactly in O(N) for masked
// float data. (A histogram only estimates quantiles: histogramQuantile() in
// Histogram.h says how.)
//
// Masked float data: float32 arrays with an optional mask of the same length
// (nonzero = inside); NaN and infinite values are skipped. sampleQuantiles()
// is exact (not a histogram estimate): it bins the values into 65,536 bins to
// find which bins hold the wanted order statistics, then selects them exactly
// among the few values of those bins (nth_element). These are also the
// building blocks of histogram matching, the landmark method, the robust
// z-score, the Wasserstein distance and summarizeValues() (Summary.h).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/job/Progress.h"

namespace harmonia {

/// Where probability p (0..1) falls among n >= 1 sorted values (type 7):
/// the lower order statistic's index floor(h) and the weight h - floor(h).
struct QuantilePosition {
  std::size_t lower = 0;
  double fraction = 0.0;
};
inline QuantilePosition quantilePosition(std::size_t n, double p) {
  const double h = static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0);
  QuantilePosition q;
  q.lower = static_cast<std::size_t>(std::floor(h));
  q.fraction = h - std::floor(h);
  if (q.lower >= n - 1) {
    q.lower = n - 1;
    q.fraction = 0.0;
  }
  return q;
}

/// Type-7 quantile of ascending values (p clamped to [0, 1]); 0 when empty.
template <typename T>
double quantileOfSorted(std::span<const T> sorted, double p) {
  if (sorted.empty()) return 0.0;
  const QuantilePosition q = quantilePosition(sorted.size(), p);
  const double lo = static_cast<double>(sorted[q.lower]);
  if (q.fraction == 0.0) return lo;
  return lo + q.fraction * (static_cast<double>(sorted[q.lower + 1]) - lo);
}

/// Type-7 median of `values` (the mean of the two middle values for an even
/// count), reordering them (nth_element: O(N)); 0 when empty. Every median in
/// core uses it.
template <typename T>
double medianInPlace(std::vector<T>& values) {
  if (values.empty()) return 0.0;
  const auto upper = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), upper, values.end());
  const double hi = static_cast<double>(*upper);
  if (values.size() % 2 == 1) return hi;
  // After nth_element everything before `upper` is <= it: the lower middle is their maximum.
  const double lo = static_cast<double>(*std::max_element(values.begin(), upper));
  return lo + 0.5 * (hi - lo);
}

/// Range, count and integrality of the finite values inside a mask: the one
/// pass that binning needs (vectorised, float32). For a summary of values
/// (mean, SD, quantiles) see ValueSummary (Summary.h).
struct ValueScan {
  std::uint64_t count = 0;       ///< finite values inside the mask
  std::uint64_t non_finite = 0;  ///< NaN or infinite values inside the mask
  double min = 0.0;              ///< smallest (0 when count is 0)
  double max = 0.0;              ///< largest (0 when count is 0)
  bool integral = true;          ///< every counted value is a whole number
};

/// Scans the finite values of `values` where `mask` (nullptr: everywhere) is nonzero.
ValueScan scanValues(std::span<const float> values, const std::uint8_t* mask,
                     Progress& progress = noProgress());

/// The float scale countBins uses: bin(v) = min(bins - 1, int((v - lo) * scale)),
/// evaluated in float32 (a monotone function of v, shared by every user).
float binScale(double lo, double hi, int bins);

/// Counts of the finite masked values in `bins` equal bins over [lo, hi]
/// (lo and hi rounded to float; value v goes to bin min(bins - 1,
/// int((v - lo) * binScale(lo, hi, bins))) computed in float32; values
/// outside [lo, hi] are not counted). Parallel, vectorised, O(N).
std::vector<std::uint64_t> countBins(std::span<const float> values, const std::uint8_t* mask,
                                     int bins, double lo, double hi,
                                     Progress& progress = noProgress());

/// Exact type-7 quantiles (see above) of the finite masked values, one per
/// probability in [0, 1]. Throws InputError when no value is inside the mask.
std::vector<double> sampleQuantiles(std::span<const float> values, const std::uint8_t* mask,
                                    std::span<const double> probabilities,
                                    Progress& progress = noProgress());

}  // namespace harmonia
