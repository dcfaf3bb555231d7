#pragma once
// Separable Gaussian smoothing of volumes in physical units.
//
// Kernel: sampled Gaussian, truncated at `truncate_sigmas` standard
// deviations (radius = ceil(truncate_sigmas * sigma_voxels)), normalised to
// sum 1. Boundary: mirror (reflect about the edge voxel centre, "reflect101").
// An axis whose sigma is zero is left alone.

#include <Eigen/Core>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// FWHM = 2 sqrt(2 ln 2) sigma.
double fwhmToSigma(double fwhm);
double sigmaToFwhm(double sigma);

/// Parameters of a Gaussian blur.
struct GaussianParams {
  Eigen::Vector3d sigma_mm{1.0, 1.0, 1.0};  ///< standard deviation per axis
  double truncate_sigmas = 4.0;             ///< kernel radius in standard deviations
};

/// Blurs `input`; the output has the input's geometry and metadata.
Volume gaussianBlur(const Volume& input, const GaussianParams& params,
                    Progress& progress = noProgress());

}  // namespace harmonia
