#pragma once
// Resolution standardization of N studies onto one common isotropic grid.
//
// Given each study's per-axis resolution (Gaussian PSF FWHM, mm) and its grid:
//  1. the target resolution is the worst FWHM over all studies and all axes
//     (an isotropic Gaussian of that FWHM), or with per_axis_target the worst
//     FWHM per axis over all studies (an anisotropic Gaussian: less blur where
//     every study is sharp, e.g. in-plane when only the slices are thick);
//  2. every study is blurred to it (kernel matching, KernelMatching.h: only
//     ever blurring, so no study is sharpened);
//  3. every study is resampled (Resample.h, physical coordinates) onto one
//     common isotropic grid: spacing_mm when given, else the coarsest voxel
//     spacing over all studies and axes; the grid covers the reference study's
//     box (same centre and direction cosines, isotropicGrid()).
// Blurring before resampling also limits aliasing when the common grid is
// coarser than a study's own.

#include <Eigen/Core>
#include <optional>
#include <span>
#include <vector>

#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/Resample.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Parameters of resolution standardization.
struct StandardizationParams {
  std::optional<double> spacing_mm;  ///< common isotropic spacing; absent: the coarsest
  Interpolation interpolation = Interpolation::Linear;  ///< resampling interpolation
  std::size_t reference_study = 0;  ///< whose box (centre, direction) the grid covers
  double truncate_sigmas = 4.0;     ///< blur kernel radius in standard deviations
  float outside_value = 0.0f;       ///< value where a study does not cover the grid
  bool per_axis_target = false;     ///< target = worst FWHM per axis (not the isotropic worst)
  KernelMethod kernel_method = KernelMethod::Spatial;  ///< how the extra blur is applied
  /// A floor under the target per axis (target = max(worst, floor)); zero: none.
  Eigen::Vector3d min_target_fwhm_mm{0.0, 0.0, 0.0};
};

/// What standardization decided, before doing it.
struct StandardizationPlan {
  double target_fwhm_mm = 0.0;                             ///< worst FWHM over studies and axes
  Eigen::Vector3d target_fwhm_per_axis_mm{0.0, 0.0, 0.0};  ///< the target actually used, per axis
  double spacing_mm = 0.0;                                 ///< the common isotropic spacing
  Geometry3D grid;                                         ///< the common grid
  std::vector<Eigen::Vector3d> extra_fwhm_mm;              ///< blur each study gets, per axis
};

/// Plans standardization of studies with these grids and resolutions.
StandardizationPlan planStandardization(std::span<const Geometry3D> grids,
                                        std::span<const Eigen::Vector3d> fwhm_mm,
                                        const StandardizationParams& params = {});

/// Standardized studies (same order as the input) and the plan followed.
struct StandardizationResult {
  std::vector<Volume> volumes;
  StandardizationPlan plan;
};

/// Blurs every study to the worst resolution and resamples all onto the common grid.
StandardizationResult standardizeResolution(std::span<const Volume* const> studies,
                                            std::span<const Eigen::Vector3d> fwhm_mm,
                                            const StandardizationParams& params = {},
                                            Progress& progress = noProgress());

}  // namespace harmonia
