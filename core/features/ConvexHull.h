#pragma once
// Exact 3-D convex hull of integer points (incremental, exact 64-bit
// orientation tests, so coplanar and collinear points cannot break it).
// Used on the marching-cubes vertices in doubled voxel-index units (IBSI 1,
// docs/04_Image_features.rst, "Maximum 3D diameter" and "Volume density -
// convex hull"): an axis scaling (the voxel spacing) maps the hull of the
// index points onto the hull of the points in mm, so the hull is computed
// exactly on the grid and scaled afterwards.

#include <array>
#include <vector>

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace harmonia::features {

struct ConvexHull {
  /// Triangles over the input points' indices, counter-clockwise seen from
  /// outside. Empty when the points do not span 3-D.
  std::vector<std::array<int, 3>> triangles;
  /// The input indices of the hull's vertices (each once).
  std::vector<int> vertices;
};

/// The hull of `points` (coordinates below 2^20 in magnitude).
ConvexHull convexHull(const std::vector<Eigen::Vector3i>& points);

}  // namespace harmonia::features
