#pragma once
// EARL accreditation bands for the recovery coefficients of the NEMA NU 2 /
// IEC body phantom's six hot spheres, and the check of measured RCs against
// them. The numbers and their sources are in Earl.cpp.

#include <Eigen/Core>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace harmonia {

/// Inner diameters of the six hot spheres of the IEC 61675-1 / NEMA NU 2 body
/// phantom (IEC 61675-1 Fig. 4, used by NEMA NU 2-2007/2012), mm.
inline constexpr std::array<double, 6> kNemaSphereDiameters_mm{10, 13, 17, 22, 28, 37};

/// One sphere's measurement (NemaRecovery.h fills it).
struct NemaSphere {
  double diameter_mm = 0;
  Eigen::Vector3d centre_mm{0, 0, 0};
  double max = 0, mean = 0, peak = 0;  ///< image values: max voxel, A50 VOI mean, 1 cm^3 peak
  double rc_max = 0, rc_mean = 0, rc_peak = 0;
  std::size_t mean_voxels = 0;              ///< voxels of the A50 VOI
  Eigen::Vector3d peak_centre_mm{0, 0, 0};  ///< centre of the 1 cm^3 peak sphere
};

struct EarlBand {
  double diameter_mm = 0;
  double lo = 0, hi = 0;
};

struct EarlSpec {
  std::string name;
  std::vector<EarlBand> rc_max, rc_mean, rc_peak;  ///< rc_peak may be empty (EARL1)
  std::string source;                              ///< where the numbers come from
  bool verified = false;  ///< false when the numbers could not be checked against the source
};

/// EARL 18F standards 1 (RCmax, RCmean of the A50 VOI).
const EarlSpec& earl1();
/// EARL 18F standards 2 (RCmax, RCmean, RCpeak).
const EarlSpec& earl2();

struct EarlVerdict {
  std::string standard;
  bool pass = false;
  std::vector<std::string> failures;
  /// Gaussian post-filter FWHM that brings the system into the band; absent if none does.
  std::optional<double> suggested_filter_fwhm_mm;
  /// The smallest and largest FWHM of the scan that pass (absent if none).
  std::optional<double> passing_min_fwhm_mm, passing_max_fwhm_mm;
};

/// Checks measured spheres against a spec: pass, and one line per RC outside
/// its band ("RCmax 10 mm: 0.612 > 0.57"). Spheres are matched to bands by
/// diameter (within 0.5 mm); a band without a sphere is a failure.
EarlVerdict checkEarl(const EarlSpec& spec, std::span<const NemaSphere> spheres);

/// Mean squared normalised distance of the RCs from their band centres,
/// ((rc - mid) / half_width)^2 averaged over the bands: 0 at the centres, 1 on
/// the band edges. Used to pick the post-filter nearest the band centre.
double earlBandScore(const EarlSpec& spec, std::span<const NemaSphere> spheres);

}  // namespace harmonia
