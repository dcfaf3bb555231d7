#pragma once
// Regions of interest drawn as shapes in world coordinates (LPS, mm) and
// rasterised onto a grid: a voxel is inside when its centre is.

#include <Eigen/Core>

#include "core/image/Volume.h"

namespace harmonia {

/// A sphere: voxels whose centre lies within `radius_mm` of `centre_mm`.
MaskVolume sphereMask(const Geometry3D& grid, const Eigen::Vector3d& centre_mm, double radius_mm);

/// An axis-aligned box in world coordinates: voxels whose centre lies within
/// `half_size_mm` of `centre_mm` along each of x, y and z.
MaskVolume boxMask(const Geometry3D& grid, const Eigen::Vector3d& centre_mm,
                   const Eigen::Vector3d& half_size_mm);

}  // namespace harmonia
