#pragma once
// Histograms and summary statistics of image values.

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
  double min = 0.0;  ///< left edge of the first bin
  double max = 1.0;  ///< right edge of the last bin
  std::vector<std::uint64_t> counts;
  std::uint64_t total = 0;  ///< values counted (inside the range and mask)

  [[nodiscard]] double binWidth() const {
    return counts.empty() ? 0.0 : (max - min) / counts.size();
  }
  [[nodiscard]] double binCentre(std::size_t bin) const { return min + (bin + 0.5) * binWidth(); }
};

/// How to bin.
struct HistogramParams {
  int bins = 256;
  /// Value range; when absent, the data's finite min and max.
  std::optional<std::pair<double, double>> range;
};

/// Histogram of a volume, inside `mask` (same grid) when given. NaNs are skipped.
Histogram computeHistogram(const Volume& volume, const MaskVolume* mask,
                           const HistogramParams& params, Progress& progress = noProgress());
/// Histogram of one channel of a 2-D image.
Histogram computeHistogram(const Image2D& image, int channel, const HistogramParams& params,
                           Progress& progress = noProgress());

/// Summary statistics of finite values.
struct ValueStats {
  std::uint64_t count = 0;
  std::uint64_t nonFinite = 0;  ///< NaN or infinite values skipped
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double stddev = 0.0;  ///< population standard deviation
};

/// Statistics of a volume's values, inside `mask` when given.
ValueStats computeStats(const Volume& volume, const MaskVolume* mask = nullptr);
/// Statistics of one channel of a 2-D image.
ValueStats computeStats(const Image2D& image, int channel);

}  // namespace harmonia
