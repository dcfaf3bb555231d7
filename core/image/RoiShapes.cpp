#include "core/image/RoiShapes.h"

#include <tbb/parallel_for.h>

namespace harmonia {
namespace {

template <typename Inside>
MaskVolume rasterize(const Geometry3D& grid, const Inside& inside) {
  MaskVolume mask(grid, 0);
  tbb::parallel_for(0, grid.size[2], [&](int k) {
    for (int j = 0; j < grid.size[1]; ++j) {
      for (int i = 0; i < grid.size[0]; ++i) {
        if (inside(grid.indexToWorld(Eigen::Vector3d(i, j, k)))) mask.at(i, j, k) = 1;
      }
    }
  });
  return mask;
}

}  // namespace

MaskVolume sphereMask(const Geometry3D& grid, const Eigen::Vector3d& centre_mm, double radius_mm) {
  const double r2 = radius_mm * radius_mm;
  return rasterize(grid,
                   [&](const Eigen::Vector3d& p) { return (p - centre_mm).squaredNorm() <= r2; });
}

MaskVolume boxMask(const Geometry3D& grid, const Eigen::Vector3d& centre_mm,
                   const Eigen::Vector3d& half_size_mm) {
  return rasterize(grid, [&](const Eigen::Vector3d& p) {
    return ((p - centre_mm).cwiseAbs() - half_size_mm).maxCoeff() <= 0.0;
  });
}

}  // namespace harmonia
