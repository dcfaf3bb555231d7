#pragma once
// Value accuracy: the mean in each insert (a sphere ROI) against its nominal
// value (CT: HU of the insert material; PET: activity concentration), and a
// least-squares line measured = slope * nominal + intercept with its r^2.

#include <Eigen/Core>
#include <span>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/measure/MeasureTypes.h"

namespace harmonia {

struct InsertRoi {
  std::string name;
  Eigen::Vector3d centre_mm{0, 0, 0};
  double radius_mm = 5;
  double nominal = 0;
};

struct InsertValue {
  std::string name;
  double nominal = 0;
  ValueSummary measured;
  double error = 0;  ///< measured mean - nominal
  double ratio = 0;  ///< measured mean / nominal (0 when nominal is 0), PET recovery
};

struct ValueAccuracy {
  std::vector<InsertValue> inserts;
  LinearityFit fit;      ///< valid when has_fit
  bool has_fit = false;  ///< false with fewer than two distinct nominal values
};

/// Throws ParameterError for no inserts or a non-positive / non-finite radius;
/// InputError naming the insert when its sphere holds no voxel of the image or
/// a non-finite voxel.
ValueAccuracy measureValues(const Volume& image, std::span<const InsertRoi> inserts);

/// The statistics (ValueSummary, core/stats/Summary.h) of the voxels of `image`
/// inside `mask` (same grid). Throws InputError for an empty mask or a non-finite
/// voxel inside it; `what` names the region in the message.
ValueSummary regionStatistics(const Volume& image, const MaskVolume& mask, const std::string& what);

/// The same statistics for the voxels whose centre lies within
/// `radius_mm` of `centre_mm` (as sphereMask), visiting only the sphere's
/// bounding box; and for an axis-aligned world box (as boxMask).
ValueSummary sphereStatistics(const Volume& image, const Eigen::Vector3d& centre_mm,
                              double radius_mm, const std::string& what);
ValueSummary boxStatistics(const Volume& image, const Eigen::Vector3d& centre_mm,
                           const Eigen::Vector3d& half_size_mm, const std::string& what);

/// The least-squares line y = slope x + intercept and r^2
/// (r^2 = 1 - SS_res / SS_tot; 1 when SS_tot is 0). Needs two distinct x.
LinearityFit fitLine(std::span<const double> x, std::span<const double> y);

}  // namespace harmonia
