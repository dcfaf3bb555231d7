#pragma once
// Separable Gaussian smoothing of volumes and 2-D images in physical units.
//
// Kernel: the sampled Gaussian exp(-x^2 / (2 sigma^2)) at integer offsets,
// truncated at radius r = max(1, ceil(truncate_sigmas * sigma_voxels)) and
// normalised to sum 1 (so constants stay constant). With the default
// truncate_sigmas = 4 the discarded tail holds 6e-5 of the Gaussian's mass.
// Boundary: mirror about the edge voxel centre ("reflect101": index -1 reads
// 1, index n reads n-2), repeated as often as the kernel needs, so a signal
// that is even about its edges is blurred as if it continued forever.
// An axis whose sigma is zero (or whose size is 1) is left alone.
//
// Implementation: the three 1-D passes are fused per tile (a block of x
// columns by y rows, streamed along z) so every voxel is read from memory once
// and written once; the inner loops run over contiguous x with AVX2/FMA
// chosen at run time where the CPU has it; tiles run in parallel (TBB).
// Arithmetic is float32; the result is within ~1e-6 (relative to the value
// range) of a float64 convolution with the same kernel.

#include <Eigen/Core>
#include <vector>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// FWHM = 2 sqrt(2 ln 2) sigma: the sigma of a Gaussian of this FWHM.
double fwhmToSigma(double fwhm);
/// The FWHM of a Gaussian of this sigma.
double sigmaToFwhm(double sigma);

/// Radius in voxels of the truncated kernel: max(1, ceil(truncate_sigmas * sigma_voxels)).
int gaussianKernelRadius(double sigma_voxels, double truncate_sigmas);
/// The normalised sampled kernel, 2 * radius + 1 taps summing to 1 (float64).
std::vector<double> gaussianKernel(double sigma_voxels, double truncate_sigmas);

/// Parameters of a Gaussian blur of a volume.
struct GaussianParams {
  Eigen::Vector3d sigma_mm{1.0, 1.0, 1.0};  ///< standard deviation per axis (i, j, k), mm
  double truncate_sigmas = 4.0;             ///< kernel radius in standard deviations
};

/// Blurs `input`; the output has the input's geometry, units and metadata.
/// Throws ParameterError for negative or non-finite sigma; Cancelled on cancel.
Volume gaussianBlur(const Volume& input, const GaussianParams& params,
                    Progress& progress = noProgress());

/// Parameters of a Gaussian blur of a 2-D image.
struct GaussianParams2D {
  Eigen::Vector2d sigma_mm{1.0, 1.0};  ///< standard deviation along x and y, mm
  double truncate_sigmas = 4.0;        ///< kernel radius in standard deviations
};

/// Blurs every channel of `input`. The result is float32 with the input's
/// channels, spacing, origin, direction and metadata.
Image2D gaussianBlur(const Image2D& input, const GaussianParams2D& params,
                     Progress& progress = noProgress());

/// Blurs a float32 image of `channels` interleaved channels stored row-major
/// (x fastest) with the given per-axis sigmas in voxels; `output` must not
/// overlap `input`. The building block of both gaussianBlur overloads.
void gaussianBlurVoxels(const float* input, float* output, const std::array<int, 3>& size,
                        int channels, const Eigen::Vector3d& sigma_voxels, double truncate_sigmas,
                        Progress& progress = noProgress());

}  // namespace harmonia
