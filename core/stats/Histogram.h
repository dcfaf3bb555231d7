#pragma once
// Histograms of image values: exact, or estimated from a sample for live
// display of large volumes.
//
// Sampled histograms (HistogramParams::max_samples, volumes of more voxels
// than that): the voxels are read in runs of 16 (one 64-byte cache line of
// floats, so sampling also cuts memory traffic) by JitteredSampler
// (Sampling.h); every voxel has the same chance 1 / stride of being read, so
// each bin's expected fraction is exact, and the counts are the sampled
// counts times stride (estimates of the full counts). Error: counting each
// sampled run as one observation (conservative: the 16 voxels of a run are
// at worst identical), the sampled fraction of voxels in any bin differs from
// the true fraction by at most
//     bin_fraction_error = 1.96 * 0.5 / sqrt(runs read)
// with 95 % confidence (~1e-3 at kLiveHistogramSamples). A 100-M-voxel
// volume then takes tens of milliseconds instead of a full pass.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Counts of values in equal-width bins over [min, max].
struct Histogram {
  double min = 0.0;                   ///< left edge of the first bin
  double max = 1.0;                   ///< right edge of the last bin
  std::vector<std::uint64_t> counts;  ///< per bin (estimates when not exact)
  std::uint64_t total = 0;            ///< values counted (inside the range and mask)
  bool exact = true;                  ///< every value was read (else estimated, see above)
  std::uint64_t values_read = 0;      ///< values read, inside the mask or not
  double bin_fraction_error = 0.0;    ///< 95 % bound on a bin's fraction error (0 when exact)

  [[nodiscard]] double binWidth() const {
    return counts.empty() ? 0.0 : (max - min) / counts.size();
  }
  [[nodiscard]] double binCentre(std::size_t bin) const { return min + (bin + 0.5) * binWidth(); }
};

/// How to bin.
struct HistogramParams {
  int bins = 256;
  /// Value range; when absent, the finite min and max of the values read.
  /// Give the same range to histograms that are overlaid.
  std::optional<std::pair<double, double>> range;
  /// 0: read every value. Else read at most about this many voxels of a
  /// volume (>= 16; see above). 2-D images are always read whole.
  std::uint64_t max_samples = 0;
};

/// The sample size of display histograms (live overlays while a user works).
inline constexpr std::uint64_t kLiveHistogramSamples = std::uint64_t{1} << 24;

/// Histogram of a volume, inside `mask` (same grid) when given. NaNs are skipped.
Histogram computeHistogram(const Volume& volume, const MaskVolume* mask,
                           const HistogramParams& params, Progress& progress = noProgress());
/// Histogram of one channel of a 2-D image.
Histogram computeHistogram(const Image2D& image, int channel, const HistogramParams& params,
                           Progress& progress = noProgress());

/// Estimate of the value below which a fraction q (0..1) of the counts lie,
/// linear within a bin (values spread evenly in each bin); h.min when empty.
/// This is not the type-7 quantile of the values (Quantiles.h), which needs the
/// values themselves; it is what a histogram alone can tell.
double histogramQuantile(const Histogram& h, double q);

}  // namespace harmonia
