#pragma once
// A harmonization plan: what to do to each scanner's studies so that they
// agree, proposed from phantom measurements and saved for patient studies.
//
// From the scanners' measured resolutions (Gaussian PSF FWHM per axis, mm),
// voxel spacings and optionally value linearity fits, proposePlan chooses
//  - the target resolution: the worst (largest) FWHM per axis over scanners,
//    since only blurring is possible (see KernelMatching.h); each scanner's
//    extra blur is sqrt(target^2 - own^2) per axis;
//  - a common isotropic grid: the coarsest spacing over scanners and axes
//    (or a given spacing);
//  - an intensity step: z-score (in an ROI when one is given, else over the
//    whole image), or the inverse of the scanner's linearity fit
//    (measured = slope * nominal + intercept, so nominal = (v - intercept) / slope),
//    or none.
// applyPlan does that to a study of a named scanner: kernel matching from
// the scanner's FWHM to the target, resampling (trilinear) onto an isotropic
// grid of the plan's spacing over the study's own box (isotropicGrid), then
// the intensity step.
//
// The FWHM axes are the grid axes (i, j, k) of the scanner's images, as the
// phantom measurements report them.
//
// JSON (savePlan / loadPlan), version 1:
//   {"format":"harmonia-plan","version":1,"target_fwhm_mm":[x,y,z],"spacing_mm":s,
//    "intensity":"zscore"|"linear"|"none",
//    "scanners":[{"name":..,"fwhm_mm":[..],"extra_fwhm_mm":[..],
//                 "values":{"slope":..,"intercept":..,"r2":..}  (optional)}]}
// Numbers are written in their shortest round-trip form, so a plan reads back
// exactly as it was saved.

#include <Eigen/Core>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/measure/MeasureTypes.h"

namespace harmonia {

/// What was measured on one scanner's phantom scans.
struct ScannerMeasurement {
  std::string name;
  Eigen::Vector3d fwhm_mm{0, 0, 0};     ///< PSF FWHM per grid axis
  Eigen::Vector3d spacing_mm{1, 1, 1};  ///< voxel spacing of its images
  std::optional<LinearityFit> values;   ///< measured against nominal values, if measured
};

/// How intensities are made comparable after the resolution step.
enum class IntensityStep { None, ZScore, Linear };

/// "none", "zscore" or "linear".
const char* toString(IntensityStep step);
/// Parses "none", "zscore" or "linear"; nullopt for anything else.
std::optional<IntensityStep> parseIntensityStep(const std::string& name);

/// One scanner of a plan.
struct PlanScanner {
  std::string name;
  Eigen::Vector3d fwhm_mm{0, 0, 0};        ///< its measured resolution
  Eigen::Vector3d extra_fwhm_mm{0, 0, 0};  ///< the blur that takes it to the target
  std::optional<LinearityFit> values;      ///< for IntensityStep::Linear
};

/// What to do to every scanner's studies.
struct HarmonizationPlan {
  int version = 1;
  Eigen::Vector3d target_fwhm_mm{0, 0, 0};  ///< worst per axis
  double spacing_mm = 0;                    ///< common isotropic grid
  IntensityStep intensity = IntensityStep::ZScore;
  std::vector<PlanScanner> scanners;

  /// The scanner called `name`, or nullptr.
  [[nodiscard]] const PlanScanner* find(const std::string& name) const;
};

/// The plan version this program writes and reads.
inline constexpr int kHarmonizationPlanVersion = 1;

/// Proposes a plan for the measured scanners. `spacing_mm` > 0 sets the
/// common grid; 0 takes the coarsest spacing over scanners and axes. Throws
/// ParameterError naming the scanner for no scanners, an empty or repeated
/// name, a FWHM or spacing that is not a positive finite number, and (for
/// IntensityStep::Linear) a scanner without a linearity fit or with slope 0.
HarmonizationPlan proposePlan(std::span<const ScannerMeasurement> measurements,
                              IntensityStep intensity = IntensityStep::ZScore,
                              double spacing_mm = 0);

/// The plan as JSON text (see the header comment).
std::string planToJson(const HarmonizationPlan& plan);
/// Parses a plan; throws InputError naming `source_name` for invalid JSON,
/// an unknown version, a missing or wrong key, or inconsistent values.
HarmonizationPlan planFromJson(const std::string& text, const std::string& source_name);
/// Writes the plan to `path` atomically (InputError naming it on failure).
void savePlan(const HarmonizationPlan& plan, const std::string& path);
/// Reads a plan (InputError naming the file).
HarmonizationPlan loadPlan(const std::string& path);

/// A scanner measurement from the JSON of `harmonia-cli measure psf --json`
/// (keys "file", "fwhm_mm", "spacing_mm"). The name is `name` when not empty,
/// else the stem of "file" ("scanA.nii.gz" -> "scanA"). Throws InputError
/// naming `source_name`.
ScannerMeasurement measurementFromPsfJson(const std::string& text, const std::string& source_name,
                                          const std::string& name = "");

/// Harmonizes `study`, scanned on the plan's scanner `scanner_name`: kernel
/// matching to the target, resampling onto the plan's isotropic grid over
/// the study's box, then the intensity step. `roi` (on the study's grid or on
/// the output grid) restricts the z-score statistics; null: the whole image.
/// Throws ParameterError for a scanner the plan does not have (listing those
/// it has) and InputError for an ROI on another grid or with no voxels.
Volume applyPlan(const Volume& study, const HarmonizationPlan& plan,
                 const std::string& scanner_name, const MaskVolume* roi = nullptr,
                 Progress& progress = noProgress());

/// How two volumes agree on a common grid.
struct VolumeAgreement {
  double rms_difference = 0;      ///< root mean square of a - b
  double max_abs_difference = 0;  ///< max |a - b|
  std::size_t voxels = 0;         ///< voxels compared
};

/// Compares `a` and `b` on `a`'s grid: `b` is resampled (trilinear) onto it
/// and only voxels inside both (finite in both) count. Throws InputError
/// when they do not overlap.
VolumeAgreement compareOnGrid(const Volume& a, const Volume& b);

}  // namespace harmonia
