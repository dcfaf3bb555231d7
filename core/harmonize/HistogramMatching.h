#pragma once
// Histogram matching: give an image the intensity distribution of another.
//
// Full quantile mapping. Each value x of the source maps to
//     T(x) = Q_t(F_s(x)),
// where F_s(x) = (number of masked source values <= x) / N_s is the source's
// empirical CDF inside the source mask, and Q_t is the target's quantile
// function inside the target mask, interpolated linearly between its distinct
// values u_1 < ... < u_m placed at their cumulative fractions P(u_l) (clamped
// to u_1 and u_m beyond; this is scikit-image's match_histograms). The CDFs
// come from the masks; the map is applied to every voxel of the source.
//
//  - Integer data (every source voxel and every masked target value a whole
//    number, ranges <= 2^24): one histogram bin per integer, which is exactly
//    the sort-based map above, in O(N + range).
//  - Float data: fine histograms (`bins`, default 65,536, over each masked
//    range), F_s linear inside each source bin and Q_t linear inside each target
//    bin, the composed map tabulated at the source bin edges and interpolated
//    linearly; O(N). Error bound, for every voxel x (proved in the .cpp):
//        Q_t(F_s(x) - delta) - w_t  <=  T_approx(x)  <=  Q_t(F_s(x) + delta) + w_t,
//    delta = (largest fraction of masked source values in one bin) + (the
//    same for the target), w_t = (target max - min) / bins. In words: the
//    result is the exact map's value at a quantile off by at most delta, give
//    or take one target bin. Both are reported (quantile_error_bound,
//    value_error_bound); for spread-out data delta is a few / bins.
//
// Landmark method (Nyul & Udupa 1999): percentiles 1, 10, 20, ..., 90, 99 of
// the source (inside its mask, exact, see Quantiles.h) are mapped piecewise
// linearly onto a standard's landmarks, and the end segments are extended
// beyond. The standard is another image's landmarks, or a population standard
// learned from several images: each training image's landmarks are mapped
// linearly so that its first and last landmarks go to standard_range, and
// the mapped landmarks are averaged.
//
// Errors (InputError): a mask with no voxel inside, a source or target that
// is constant inside its mask, mask size not matching its image.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Which histogram matching.
enum class HistogramMatchMethod {
  Full,       ///< full quantile mapping (exact for integers, fine histograms for floats)
  Landmarks,  ///< Nyul-Udupa piecewise-linear landmark mapping
};

/// "full" or "landmarks".
const char* toString(HistogramMatchMethod method);

/// Parameters of histogram matching.
struct HistogramMatchParams {
  HistogramMatchMethod method = HistogramMatchMethod::Full;
  int bins = 65536;            ///< fine-histogram bins for float data (>= 256)
  bool exact_integers = true;  ///< integer data: one bin per integer (exact map)
  /// Landmark percentiles (0..100, increasing) for the landmark method.
  std::vector<double> landmark_percentiles{1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99};
};

/// What was done, for reports.
struct HistogramMatchReport {
  HistogramMatchMethod method = HistogramMatchMethod::Full;
  bool exact = false;                    ///< the integer path: identical to the sort-based map
  int bins = 0;                          ///< histogram bins used (integer path: range + 1)
  std::uint64_t source_count = 0;        ///< finite source values inside the source mask
  std::uint64_t target_count = 0;        ///< finite target values inside the target mask
  double quantile_error_bound = 0;       ///< delta above (0 when exact)
  double value_error_bound = 0;          ///< w_t above (0 when exact)
  std::vector<double> source_landmarks;  ///< landmark method: the source's landmarks
  std::vector<double> target_landmarks;  ///< landmark method: the standard's landmarks
};

/// A matched volume and its report.
struct HistogramMatchResult {
  Volume image;
  HistogramMatchReport report;
};

/// Matches `source`'s histogram (inside `source_mask`, nullptr: all voxels)
/// to `target`'s (inside `target_mask`). The map is applied to all of
/// `source`; the result has its grid and metadata and the target's units.
/// NaN stays NaN; -inf and +inf map to the ends of the target range.
HistogramMatchResult matchHistogram(const Volume& source, const Volume& target,
                                    const MaskVolume* source_mask, const MaskVolume* target_mask,
                                    const HistogramMatchParams& params = {},
                                    Progress& progress = noProgress());

/// A matched 2-D image (float32, one map per channel) and one report per channel.
struct HistogramMatchResult2D {
  Image2D image;
  std::vector<HistogramMatchReport> reports;
};

/// Matches each channel of `source` to the same channel of `target` (same
/// channel count), inside optional 2-D masks of each image's size (inside:
/// first channel >= half of full scale, core/image/Mask2D.h).
HistogramMatchResult2D matchHistogram(const Image2D& source, const Image2D& target,
                                      const Image2D* source_mask, const Image2D* target_mask,
                                      const HistogramMatchParams& params = {},
                                      Progress& progress = noProgress());

/// Landmarks of a standard: intensities at the landmark percentiles.
struct LandmarkStandard {
  std::vector<double> percentiles;  ///< 0..100, increasing
  std::vector<double> values;       ///< standard intensity at each percentile
};

/// The landmarks of one image (inside `mask`): a standard to match others to.
LandmarkStandard imageLandmarks(
    const Volume& image, const MaskVolume* mask,
    const std::vector<double>& percentiles = HistogramMatchParams{}.landmark_percentiles,
    Progress& progress = noProgress());

/// Learns a population standard from several images (masks may be nullptr):
/// each image's landmarks are mapped linearly so the first and last go to
/// standard_min and standard_max, and the mapped landmarks are averaged.
LandmarkStandard learnLandmarkStandard(
    std::span<const Volume* const> images, std::span<const MaskVolume* const> masks,
    double standard_min = 0.0, double standard_max = 100.0,
    const std::vector<double>& percentiles = HistogramMatchParams{}.landmark_percentiles,
    Progress& progress = noProgress());

/// Maps `source` piecewise linearly from its landmarks (inside `mask`) onto
/// `standard`'s, extending the end segments beyond the first and last landmark.
HistogramMatchResult matchLandmarks(const Volume& source, const MaskVolume* mask,
                                    const LandmarkStandard& standard,
                                    Progress& progress = noProgress());

}  // namespace harmonia
