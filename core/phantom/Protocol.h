#pragma once
// The validation protocol: scan one texture phantom with N virtual scanners,
// harmonize the scans, and measure how far the scanners' IBSI features agree
// before and after.
//
// Pipeline of one scenario (runProtocol):
//  1. The ground truth (makePhantom, DigitalPhantom.h) is imaged by every
//     scanner of the scenario (scanPhantom): gain, offset, anisotropic
//     Gaussian PSF, its own voxel grid (thick slices allowed), optional noise.
//  2. Resolution standardization (ResolutionStandardization.h) with a target
//     per axis: the worst effective FWHM per axis over the scanners. A
//     scanner's effective FWHM on an axis combines its PSF with the box
//     average over its voxel extent w (pixel size in-plane, slice thickness
//     along z): a box of width w has the variance w^2 / 12 of a Gaussian of
//     FWHM^2 = 8 ln 2 w^2 / 12, and variances add under convolution, so
//         FWHM_eff^2 = FWHM_psf^2 + (8 ln 2 / 12) w^2.
//     A thick-slice scanner is blurrier along z than its PSF says; leaving
//     the box out would leave the thin-slice scanner sharper after matching.
//     Each scan is blurred on its own grid to the target, then resampled
//     (cubic B-spline by default) onto one common isotropic grid.
//  3. Z-score of every image in the ROI (ZScore.h): removes gain and offset.
//  4. IBSI features (core/features) in the ROI, a box well inside the body
//     (centred on the origin, half sizes roi_fraction times the body's semi
//     axes), with a fixed bin number (FBN) over the ROI's range and no
//     interpolation inside the extractor. Only families computed on the
//     FBN-discretised image are compared (intensity histogram, IVH with FBN,
//     GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM): FBN grey levels are invariant
//     to a positive gain and any offset, so "before" measures what the
//     scanners' resolution, grids and noise do, not their calibration; and
//     statistics of the raw z-scored values (mean 0 by construction,
//     coefficient of variation sd / mean) would make a relative difference
//     of rounding noise over rounding noise.
//  5. Per feature, the relative difference |a - b| / max(|a|, |b|, 1e-300),
//     the maximum over scanner pairs; a feature undefined for any scanner is
//     skipped and listed in the notes.
//
// Why the Fourier path is exact. Let T be the object averaged over the
// voxels of a grid shared by two scanners (PsfModel::OutputGridFourier). The
// scanners record A = a G(f_A) T + b and B = c G(f_B) T + d, where G(f) is
// the multiplication of the grid's DFT by the Gaussian transfer function
// exp(-2 pi^2 sigma^2 f^2). Kernel matching with KernelMethod::Fourier applies
// G(e_A), e_A^2 = t^2 - f_A^2, per axis; because the transfer functions are
// exponentials, G(e_A) G(f_A) = G(t) exactly, and G leaves constants alone
// (its transfer function is 1 at frequency 0). So both become affine images
// of the same G(t) T: a G(t) T + b and c G(t) T + d. Resampling with
// weights that sum to 1 keeps that, and the z-score in a common ROI removes
// the affine map: the harmonized images are equal up to float rounding
// (~1e-7 relative), and so are the features, unless rounding moves a voxel
// across a grey-level bin edge (a probability of order rounding / bin width
// per voxel; the notes say when it happens).
//
// What the spatial path costs. gaussianBlur samples the Gaussian at integer
// voxel offsets and truncates it; a sampled Gaussian of sigma ~ 1 voxel is
// not the continuous Gaussian (its variance and its spectrum differ), so
// G_spatial(e_A) G(f_A) != G(t), and the residual left between the scanners
// (max_rel_diff_after_spatial) is of the order of that kernel error: small
// against "before", but far above rounding (default protocol, shared grid:
// 0.2 largest relative feature difference, 0.52 z largest image difference,
// at the body's edges, against 0 and 1.4e-6 z with the Fourier path).
//
// Different grids and noise. Then the scans are not affine images of one
// another: each sampled the object at other points, through another box
// (slice thickness), and the noise is independent. The residual is reported
// as it is. What is done, each choice measured on the default phantom (thin
// 0.8 x 0.8 x 1.6 mm slices against thick 1.28 x 1.28 x 3.2 mm ones):
//  - The box in the effective FWHM (step 2): without it the thin-slice
//    scanner is left sharper than the thick-slice one along z.
//  - The common grid is the coarsest spacing (common_spacing_mm = 0), and
//    every scanner's grid spans the same field of view, so the coarse grid
//    lines up with the thick-slice scanner's voxel centres. Its samples are
//    then used where they were taken; only the finer scanner, blurred to the
//    target on its own well-sampled grid, is interpolated. On a 1 mm common
//    grid instead, the thick-slice scan has to be interpolated between
//    slices 3.2 mm apart, which it undersamples (its MTF at its own Nyquist
//    frequency is ~0.15): without the floor below, the harmonized images
//    then differ by up to 0.087 z in the ROI, in a pattern with the slice
//    period, against 0.0068 z on the coarsest grid.
//  - A floor under the target FWHM per axis: min_target_fwhm_voxels (2)
//    times the largest voxel extent along that axis over the scanners. A
//    Gaussian of FWHM 2 d has MTF exp(-pi^2 / (2 ln 2)) ~ 0.028 at the
//    Nyquist frequency 1 / (2 d) of a grid of spacing d, so what is left of
//    the image is what every scanner's grid can represent, and what aliased
//    near a coarse grid's Nyquist frequency is attenuated. It costs
//    resolution along the thick-slice axis (6.4 mm along z by default)
//    and, without noise, a little agreement (0.0094 z against 0.0068 z);
//    with noise, the extra blur lowers the noise that is left, and the zone
//    families' shrink goes from 1.5x / 4.9x to 6.8x / 7.4x.
//  - Cubic B-spline resampling: linear interpolation left 0.044 z (~5x).
// Noise: matching resolution does not match noise. The sharper scanner gets
// more extra blur, so its noise falls further than the blurrier scanner's;
// grey levels near a bin edge then flip differently. Features of zones
// (GLSZM, GLDZM: connected regions of one grey level) count those regions
// and react most: with noise they shrink less than 10x (glszm ~6x in the
// default protocol). `harmonia-cli protocol` prints the current numbers per
// family; bench_protocol times it.

#include <filesystem>
#include <string>
#include <vector>

#include "core/harmonize/Resample.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/phantom/DigitalPhantom.h"

namespace harmonia {

/// One scenario: its name and its scanners (two or more).
struct ProtocolScenario {
  std::string name;
  std::vector<ScannerParams> scanners;
};

/// Everything the protocol needs.
struct ProtocolConfig {
  PhantomParams phantom;                    ///< texture phantom (fine texture)
  std::vector<ProtocolScenario> scenarios;  ///< default: "shared-grid-exact", "different-grids",
                                            ///< "different-grids-noise"
  double common_spacing_mm = 0;             ///< 0: coarsest spacing over scanners
  int bin_number = 32;                      ///< IBSI fixed bin number (invariant to gain/offset)
  double roi_fraction = 0.5;  ///< ROI box half sizes as a fraction of the body's semi axes
  Interpolation interpolation = Interpolation::CubicBSpline;  ///< resampling to the common grid
  /// The target FWHM per axis is at least this many times the largest voxel
  /// extent along the axis over the scanners (and the common spacing).
  double min_target_fwhm_voxels = 2.0;  // see "Different grids" above
};

/// One feature's relative difference between scanners (max over pairs).
struct FeatureAgreement {
  std::string tag;
  std::string family;
  double before = 0, after = 0;  ///< relative differences
  double after_spatial = 0;      ///< after, with the spatial kernel path
};

/// The maximum relative difference over a family's features.
struct FamilyAgreement {
  std::string family;
  double max_rel_diff_before = 0, max_rel_diff_after = 0;
  double max_rel_diff_after_spatial = 0;
};

/// What one scenario gave.
struct ScenarioResult {
  std::string name;
  double max_rel_diff_before = 0, max_rel_diff_after = 0;
  double max_rel_diff_after_spatial = 0;    ///< the same harmonization with sampled spatial kernels
  double max_image_diff_after = 0;          ///< max |A-B| of the harmonized images (z-score units)
  double max_image_diff_after_spatial = 0;  ///< the same with sampled spatial kernels
  double max_image_diff_after_roi = 0;      ///< max |A-B| inside the ROI (z-score units)
  Eigen::Vector3d target_fwhm_mm{0, 0, 0};  ///< the standardization's target per axis
  double common_spacing_mm = 0;             ///< the common grid's spacing
  std::vector<FamilyAgreement> families;
  std::vector<FeatureAgreement> features;
  std::vector<Volume> scans, harmonized;  ///< per scanner (for --outdir and the GUI)
  std::vector<std::string> notes;
};

/// The protocol's result, one entry per scenario in the config's order.
struct ProtocolResult {
  std::vector<ScenarioResult> scenarios;
};

/// The default protocol: a 64 x 64 x 32 mm texture phantom and three
/// scenarios of two scanners: "shared-grid-exact" (one anisotropic grid, no
/// noise, OutputGridFourier PSF, different gain, offset and anisotropic PSF),
/// "different-grids" (0.8 x 0.8 x 1.5 mm against 1.25 x 1.25 x 3 mm, PSF on
/// the fine grid) and "different-grids-noise" (the same with noise).
ProtocolConfig defaultProtocolConfig();

/// Reads a protocol config (JSON, the keys protocolConfigToJson writes; a
/// missing key keeps its default, "scenarios" replaces all default
/// scenarios). Throws InputError naming `source_name` for bad JSON, an
/// unknown key, a wrong type or a value out of range.
ProtocolConfig protocolConfigFromJson(const std::string& text, const std::string& source_name);
/// protocolConfigFromJson of a file's text (readTextFile's errors for a missing,
/// unreadable or empty file).
ProtocolConfig readProtocolConfig(const std::filesystem::path& path);
/// The config as JSON (round-trips through protocolConfigFromJson).
std::string protocolConfigToJson(const ProtocolConfig& config);

/// Runs every scenario. Throws ParameterError for a scenario with fewer than
/// two scanners or bad scanner parameters; Cancelled on cancel.
ProtocolResult runProtocol(const ProtocolConfig& config, Progress& progress = noProgress());

/// The result as JSON: {"scenarios":[{"name", "max_rel_diff_before",
/// "max_rel_diff_after", "max_rel_diff_after_spatial", "max_image_diff_after",
/// "families":[{"family", "max_rel_diff_before", "max_rel_diff_after"}],
/// "features":[{"tag", "family", "before", "after"}], "notes", ...}]}.
std::string protocolResultToJson(const ProtocolResult& result);

/// The relative difference |a - b| / max(|a|, |b|, tiny) (0 when both are 0).
double relativeDifference(double a, double b);

}  // namespace harmonia
