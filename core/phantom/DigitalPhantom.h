#pragma once
// A digital phantom and a "virtual scanner" that images it.
//
// The phantom is a continuous object f(x) in millimetres (LPS): an elliptic
// body (soft tissue) holding several inserts of distinct intensity (fat,
// water, bone-like and lung-like regions, a hot sphere) plus fine sinusoidal
// and band-limited random texture, so blur and noise are visible.
//
// The scanner follows the image model I(x) = alpha * (PSF * f)(x) + beta + noise,
// sampled on its own grid: the object is sampled on a fine isotropic grid,
// blurred by a Gaussian PSF (FWHM per axis, mm), averaged over each output
// voxel's extent (pixel size in-plane, slice thickness along z), scaled by
// gain alpha, offset by beta, and given Gaussian noise of stated sigma.
//
// PsfModel::OutputGridFourier reverses the first two steps: the object is
// averaged over each output voxel's extent first, and the PSF is then applied
// on the output grid by multiplying its DFT with the Gaussian transfer
// function (core/filter/FourierGaussian.h; periodic boundary, float64). That
// is not how a scanner works (its PSF acts before sampling), but it makes the
// scanner's blur and Fourier kernel matching compose exactly, so two scanners
// on one grid can be harmonized to identical images (core/phantom/Protocol.h).

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Parameters of the ground-truth phantom.
struct PhantomParams {
  Eigen::Vector3d fov_mm{160.0, 160.0, 80.0};  ///< field of view, centred on the origin
  double fine_spacing_mm = 0.5;                ///< sampling of the ground truth
  double texture_amplitude = 40.0;             ///< peak amplitude of the fine texture
  std::uint32_t seed = 7;                      ///< seed of the random texture
};

/// Samples the ground-truth phantom on an isotropic grid of fine_spacing_mm
/// covering fov_mm, centred on the world origin. Values are HU-like.
Volume makePhantom(const PhantomParams& params, Progress& progress = noProgress());

/// Where and how the scanner's PSF is applied.
enum class PsfModel {
  FineGridSpatial,    ///< sampled Gaussian on the fine ground-truth grid, before voxel averaging
  OutputGridFourier,  ///< voxel averaging first, then the Gaussian transfer function on the output
                      ///< grid
};

/// "fine_grid_spatial" or "output_grid_fourier".
const char* toString(PsfModel model);
/// Parses "fine_grid_spatial" or "output_grid_fourier"; nullopt for anything else.
std::optional<PsfModel> parsePsfModel(const std::string& name);

/// Parameters of a virtual scanner.
struct ScannerParams {
  std::string name = "scanner";
  double gain_alpha = 1.0;                     ///< multiplicative gain
  double offset_beta = 0.0;                    ///< additive offset
  Eigen::Vector3d psf_fwhm_mm{2.0, 2.0, 3.0};  ///< Gaussian PSF FWHM per axis
  Eigen::Vector3d spacing_mm{1.0, 1.0, 2.0};   ///< output voxel spacing
  double slice_thickness_mm = 2.0;             ///< z extent averaged per slice
  double noise_sigma = 0.0;                    ///< Gaussian noise, in output units
  std::uint32_t noise_seed = 1;
  PsfModel psf_model = PsfModel::FineGridSpatial;  ///< where the PSF is applied
};

/// Images `truth` (from makePhantom) with the scanner. The output grid covers
/// the same field of view; its metadata records the scanner's parameters.
Volume scanPhantom(const Volume& truth, const ScannerParams& scanner,
                   Progress& progress = noProgress());

}  // namespace harmonia
