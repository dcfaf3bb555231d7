#pragma once
// Exact quantiles and fine histograms of masked float data, in O(N).
//
// These are the building blocks of histogram matching, the landmark method
// and the robust z-score. Values are float32 arrays with an optional mask of
// the same length (nonzero = inside); NaN and infinite values are skipped.
//
// sampleQuantiles() is exact (not a histogram estimate): it bins the values
// into 65,536 bins to find which bins hold the wanted order statistics, then
// selects them exactly among the few values of those bins (nth_element). The
// quantile definition is the linear one numpy and R use by default ("type 7"):
// with the sorted values v_0 <= ... <= v_(N-1) and h = (N - 1) p,
// Q(p) = v_floor(h) + (h - floor(h)) (v_floor(h)+1 - v_floor(h)).

#include <cstdint>
#include <span>
#include <vector>

#include "core/job/Progress.h"

namespace harmonia {

/// Range, count and integrality of the finite values inside a mask.
struct ValueScan {
  std::uint64_t count = 0;  ///< finite values inside the mask
  double min = 0.0;         ///< smallest (0 when count is 0)
  double max = 0.0;         ///< largest (0 when count is 0)
  bool integral = true;     ///< every counted value is a whole number
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
