// IBSI 1 section 2.7, intensity discretisation (theibsi/ibsi-doc,
// docs/03_Image_processing.rst, "Intensity discretisation").
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/features/Preprocessing.h"
#include "core/util/Error.h"

namespace harmonia::features {

Discretised discretise(const std::vector<double>& values, const DiscretisationSettings& settings,
                       const ResegmentationSettings& reseg) {
  Discretised d;
  d.levels.resize(values.size());
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  for (const double v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  switch (settings.method) {
    case DiscretisationMethod::FixedBinNumber: {
      if (settings.bin_count < 1) {
        throw InputError("fixed bin number discretisation needs at least 1 bin, not " +
                         std::to_string(settings.bin_count));
      }
      // "Fixed bin number": X_d = floor(Ng (X - X_min) / (X_max - X_min)) + 1,
      // and Ng where X = X_max. The bins span the ROI's own range, not the
      // re-segmentation range (IBSI table "Recommendations", note 2).
      const int ng = settings.bin_count;
      d.level_count = ng;
      d.lower_bound = values.empty() ? 0.0 : lo;
      const double range = values.empty() ? 0.0 : hi - lo;
      d.bin_width = range / ng;
      for (std::size_t n = 0; n < values.size(); ++n) {
        // A constant ROI (range 0) leaves the formula undefined (0/0): every
        // voxel takes level 1, and the bin width is 0.
        int level = 1;
        if (range > 0.0) {
          level = values[n] >= hi ? ng
                                  : static_cast<int>(std::floor(ng * (values[n] - lo) / range)) + 1;
          level = std::clamp(level, 1, ng);
        }
        d.levels[n] = level;
      }
      break;
    }
    case DiscretisationMethod::FixedBinSize: {
      if (!(settings.bin_width > 0.0) || !std::isfinite(settings.bin_width)) {
        throw InputError("fixed bin size discretisation needs a positive bin width, not " +
                         std::to_string(settings.bin_width));
      }
      // "Fixed bin size": X_d = floor((X - X_min) / w_b) + 1, X_min being the
      // set lower bound, else the re-segmentation range's lower bound, else
      // the ROI minimum.
      const double lb = settings.lower_bound ? *settings.lower_bound
                        : reseg.range_min    ? *reseg.range_min
                        : values.empty()     ? 0.0
                                             : lo;
      d.lower_bound = lb;
      d.bin_width = settings.bin_width;
      for (std::size_t n = 0; n < values.size(); ++n) {
        // Intensities below an explicit lower bound share the first bin.
        const double level = std::floor((values[n] - lb) / settings.bin_width) + 1.0;
        d.levels[n] = static_cast<std::int32_t>(std::clamp(level, 1.0, 2.0e9));
        d.level_count = std::max<int>(d.level_count, d.levels[n]);
      }
      break;
    }
    case DiscretisationMethod::None: {
      // The intensities are the grey levels (the digital phantom; IVH of
      // calibrated, discrete CT), rounded to integers. Level k spans
      // [k - 0.5, k + 0.5).
      d.bin_width = 1.0;
      d.lower_bound = 0.5;
      d.level_count = values.empty() ? 0 : std::numeric_limits<int>::min();
      for (std::size_t n = 0; n < values.size(); ++n) {
        const double r = std::clamp(std::round(values[n]), -2.0e9, 2.0e9);
        d.levels[n] = static_cast<std::int32_t>(r);
        d.level_count = std::max<int>(d.level_count, d.levels[n]);
      }
      break;
    }
  }
  return d;
}

}  // namespace harmonia::features
