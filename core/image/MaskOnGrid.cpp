#include "core/image/MaskOnGrid.h"

#include <oneapi/tbb/parallel_for.h>

#include <Eigen/LU>
#include <cmath>

namespace harmonia {

MaskVolume maskOnGrid(const MaskVolume& mask, const Geometry3D& grid) {
  const Geometry3D& m = mask.geometry();
  if (m.sameGrid(grid, 1e-3)) {
    MaskVolume copy = mask;
    return copy;
  }
  MaskVolume out(grid, 0);
  // index_mask = A * index_grid + b
  const Eigen::Matrix3d toMask = (m.direction * m.spacing_mm.asDiagonal()).inverse();
  const Eigen::Matrix3d A = toMask * grid.direction * grid.spacing_mm.asDiagonal();
  const Eigen::Vector3d b = toMask * (grid.origin_mm - m.origin_mm);
  tbb::parallel_for(0, grid.size[2], [&](int k) {
    for (int j = 0; j < grid.size[1]; ++j) {
      for (int i = 0; i < grid.size[0]; ++i) {
        const Eigen::Vector3d q = A * Eigen::Vector3d(i, j, k) + b;
        const int mi = static_cast<int>(std::lround(q[0]));
        const int mj = static_cast<int>(std::lround(q[1]));
        const int mk = static_cast<int>(std::lround(q[2]));
        if (m.contains(mi, mj, mk) && mask.at(mi, mj, mk)) out.at(i, j, k) = 1;
      }
    }
  });
  return out;
}

}  // namespace harmonia
