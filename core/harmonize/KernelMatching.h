#pragma once
// Kernel matching: blur an image so its Gaussian point-spread function goes
// from one resolution to a coarser one.
//
// Resolution is the FWHM of a Gaussian PSF per axis, in mm. Gaussians compose
// by adding variances, so to take FWHM_from to FWHM_to on an axis we blur with
//     FWHM_extra = sqrt(FWHM_to^2 - FWHM_from^2),
//     sigma_mm = FWHM_extra / (2 sqrt(2 ln 2)),  sigma_voxels = sigma_mm / spacing_mm.
// Only blurring is allowed: a target sharper than the source on any axis would
// need deconvolution, which is ill-posed (noise is amplified without bound), so
// it is refused with a ParameterError that names the axis. To harmonize two
// images, blur the sharper one to the blurrier one, never the reverse.
//
// The blur is gaussianBlur() (core/filter/GaussianFilter.h): sampled Gaussian
// truncated at truncate_sigmas (default 4, radius ceil(4 sigma_voxels)),
// mirror boundary, float32, within 1e-4 relative of a float64 convolution with
// the same kernel (measured ~1e-6).
//
// KernelMethod::Fourier instead multiplies the volume's DFT by the Gaussian
// transfer function of the extra blur (gaussianBlurFourier, FourierGaussian.h;
// periodic boundary, float64). A sampled spatial kernel is not exactly a
// Gaussian (it is sampled at the voxel centres and truncated), so blurring an
// image that a Gaussian already blurred gives only approximately the target;
// in the Fourier domain the transfer functions multiply and the exponents add,
// so the composition is exact. The virtual scanner's PsfModel::OutputGridFourier
// (core/phantom/DigitalPhantom.h) blurs the same way, so the validation
// protocol can show harmonization exact to rounding.

#include <Eigen/Core>
#include <optional>
#include <string>

#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// How the extra blur is applied.
enum class KernelMethod {
  Spatial,  ///< sampled, truncated separable kernel, mirror boundary (gaussianBlur)
  Fourier,  ///< multiplication by the transfer function on the DFT grid, periodic boundary
};

/// "spatial" or "fourier".
const char* toString(KernelMethod method);
/// Parses "spatial" or "fourier"; nullopt for anything else.
std::optional<KernelMethod> parseKernelMethod(const std::string& name);

/// Parameters of kernel matching. For 2-D images only x and y are used.
struct KernelMatchParams {
  Eigen::Vector3d from_fwhm_mm{0.0, 0.0, 0.0};  ///< resolution of the input, per axis (i, j, k)
  Eigen::Vector3d to_fwhm_mm{0.0, 0.0, 0.0};    ///< wanted resolution; >= from on every axis
  double truncate_sigmas = 4.0;                 ///< kernel radius in standard deviations
  double tolerance_mm = 1e-6;  ///< a target sharper by less than this counts as equal
  KernelMethod method = KernelMethod::Spatial;  ///< Fourier: volumes only
};

/// What kernel matching does on a grid: the extra blur per axis.
struct KernelMatchPlan {
  Eigen::Vector3d extra_fwhm_mm{0.0, 0.0, 0.0};  ///< sqrt(to^2 - from^2) per axis
  Eigen::Vector3d sigma_mm{0.0, 0.0, 0.0};       ///< standard deviation of the extra blur
  Eigen::Vector3d sigma_voxels{0.0, 0.0, 0.0};   ///< the same in voxels of the grid
  Eigen::Vector3i radius_voxels{0, 0, 0};        ///< kernel radius per axis (0: axis untouched)
};

/// The extra FWHM per axis, sqrt(to^2 - from^2). Throws ParameterError when
/// the target is sharper than the source on an axis (sharpening is ill-posed)
/// or a FWHM is negative or not finite. `axes` is 2 for images, 3 for volumes.
Eigen::Vector3d extraFwhm_mm(const Eigen::Vector3d& from_fwhm_mm, const Eigen::Vector3d& to_fwhm_mm,
                             int axes = 3, double tolerance_mm = 1e-6);

/// The blur kernel matching applies on a grid of the given spacing.
KernelMatchPlan planKernelMatch(const KernelMatchParams& params, const Eigen::Vector3d& spacing_mm,
                                int axes = 3);

/// Blurs `input` from params.from_fwhm_mm to params.to_fwhm_mm (same grid,
/// units and metadata). Throws ParameterError when that would sharpen.
Volume matchKernel(const Volume& input, const KernelMatchParams& params,
                   Progress& progress = noProgress());

/// Blurs every channel of a 2-D image from from_fwhm_mm to to_fwhm_mm (x, y;
/// z is ignored). The result is float32 on the same pixel grid. Only the
/// spatial method: KernelMethod::Fourier throws ParameterError.
Image2D matchKernel(const Image2D& input, const KernelMatchParams& params,
                    Progress& progress = noProgress());

}  // namespace harmonia
