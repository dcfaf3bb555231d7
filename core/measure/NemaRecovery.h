#pragma once
// PET recovery coefficients of the NEMA NU 2 / IEC body phantom.
//
// The phantom: six hot spheres (kNemaSphereDiameters_mm, inner diameters) whose
// centres lie in one transverse plane on a circle of radius 57.2 mm (the IEC
// 61675-1 body phantom drawing as reproduced in NEMA NU 2-2007/2012; our search
// found the IEC figure's notes but not this dimension, so it is used only for a
// warning, never to place the spheres), in a warm background. Sphere to
// background ratio R: 4 (and 8) in NEMA NU 2-2007/2012; 10 in the EANM
// guideline 2.0 / EARL procedure (Boellaard et al., EJNMMI 2015;42:328-354).
//
// Detection (no centres given): the image is smoothed (Gaussian, sigma one
// voxel), local maxima above background + 20% of the contrast are taken in
// descending order, each absorbing weaker maxima inside its half-maximum
// region; the six with the largest excess activity (sum of image - background
// in a ball around them, which grows as the sphere volume) are the spheres,
// assigned to the diameters in order of that excess; centres are refined to
// the excess-weighted centroid within the assigned radius. Warnings when the
// six do not lie in one plane, on a 57.2 mm ring, or in the ring's size order.
//
// Per sphere (true activity A = R x background, background = the known value
// or the measured one):
//  - RCmax = max voxel within the sphere / A;
//  - RCmean = mean of the A50 VOI / A: the voxels connected (6-neighbours) to
//    the max voxel whose value is >= background + 0.5 (max - background), the
//    background-corrected 50% isocontour that EARL uses (earl.eanm.org
//    accreditation specifications, "VOI-A50"; Boellaard et al. 2015);
//  - RCpeak = the largest mean of a 1 cm^3 sphere (radius 6.2 mm; voxels
//    weighted by the fraction of their volume inside it) whose centre is a
//    voxel centre inside the sphere, / A.
// Background: voxels within 20 mm of the spheres' plane, 30..92 mm from the
// ring centre in the plane (outside the lung insert), at least 15 mm from
// every sphere's surface, and above half their median (inside the phantom).
//
// Suggested filter: the Gaussian post-filter (isotropic FWHM, applied to the
// image cropped 55 mm around the spheres; centres and background held fixed)
// is scanned over 0..max_filter_fwhm_mm in 0.5 mm steps, then in 0.1 mm steps
// within 0.5 mm of the first and last passing step and of the passing step
// nearest the band centre. Of the FWHMs that pass, the one whose RCs are
// nearest the band centres (earlBandScore) is suggested (not the smallest:
// a site filtered at the edge of the band fails with the next small drift);
// the passing range is reported beside it. 0 can be suggested when the image
// as it is sits nearest the centre.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/measure/Earl.h"
#include "core/measure/MeasureTypes.h"

namespace harmonia {

/// Radius of the circle of sphere centres (IEC 61675-1 body phantom; see above), mm.
inline constexpr double kNemaSphereRingRadius_mm = 57.2;
/// Radius of a 1 cm^3 sphere, the SUVpeak VOI: (3 / (4 pi) * 1000 mm^3)^(1/3).
inline constexpr double kPeakSphereRadius_mm = 6.2035;

struct NemaParams {
  std::optional<double> activity_ratio;            ///< sphere : background; absent -> 4 (warning)
  std::optional<double> background_activity;       ///< true background; absent -> measured mean
  std::vector<Eigen::Vector3d> sphere_centres_mm;  ///< empty: detect; else 6, diameter order
  bool suggest_filter = true;                      ///< run the post-filter search
  double max_filter_fwhm_mm = 15;                  ///< the search's upper end
};

struct NemaResult {
  std::vector<NemaSphere> spheres;
  ValueSummary background;
  double activity_ratio = 4;
  std::vector<EarlVerdict> verdicts;
  std::vector<std::string> warnings;
  double true_sphere_activity = 0;  ///< R x background used for the RCs
  bool detected = false;            ///< centres were found automatically
};

/// Throws InputError for an empty image, non-finite voxels, fewer than six hot
/// spheres found or no background region; ParameterError for a ratio <= 1, a
/// non-positive background, or a number of centres other than 0 or 6.
NemaResult measureNema(const Volume& image, const NemaParams& params,
                       Progress& progress = noProgress());

/// The six sphere centres found automatically (see above), in
/// kNemaSphereDiameters_mm order; geometry doubts are appended to `warnings`.
/// Throws InputError when fewer than six hot spheres are found.
/// (NemaDetection.cpp)
std::vector<Eigen::Vector3d> detectNemaSpheres(const Volume& image,
                                               std::vector<std::string>& warnings,
                                               Progress& progress = noProgress());

}  // namespace harmonia
