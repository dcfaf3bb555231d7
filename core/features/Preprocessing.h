#pragma once
// The IBSI image-processing chain (IBSI 1 chapter 2): interpolation on the
// IBSI grid, mask interpolation with a partial-volume threshold, intensity
// rounding, re-segmentation (range, 3-sigma outliers) into separate
// morphological and intensity masks, discretisation, and the diagnostic
// features after each step.

#include "core/features/FeatureSettings.h"
#include "core/features/PreparedRoi.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia::features {

/// Runs the chain on `image` with `mask` (same grid; nonzero = inside).
/// Throws InputError with a clear message when the mask is empty, has no
/// voxel inside the image after interpolation, or the ROI holds NaNs.
PreparedRoi prepareRoi(const Volume& image, const MaskVolume& mask, const FeatureSettings& settings,
                       Progress& progress);

/// Discretises `values` (IBSI 2.7). Returns levels 1..Ng; sets bin_width,
/// lower_bound and level_count. `reseg` supplies FBS's default lower bound.
struct Discretised {
  std::vector<std::int32_t> levels;
  int level_count = 0;
  double bin_width = 1.0;
  double lower_bound = 0.0;
};
Discretised discretise(const std::vector<double>& values, const DiscretisationSettings& settings,
                       const ResegmentationSettings& reseg);

}  // namespace harmonia::features
