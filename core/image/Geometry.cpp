#include "core/image/Geometry.h"

#include <Eigen/LU>

namespace harmonia {

Eigen::Vector3d Geometry3D::indexToWorld(const Eigen::Vector3d& ijk) const {
  return origin_mm + direction * spacing_mm.cwiseProduct(ijk);
}

Eigen::Vector3d Geometry3D::worldToIndex(const Eigen::Vector3d& p) const {
  return (direction.inverse() * (p - origin_mm)).cwiseQuotient(spacing_mm);
}

bool Geometry3D::sameGrid(const Geometry3D& other, double tol_mm) const {
  return size == other.size && (spacing_mm - other.spacing_mm).cwiseAbs().maxCoeff() <= tol_mm &&
         (origin_mm - other.origin_mm).cwiseAbs().maxCoeff() <= tol_mm &&
         (direction - other.direction).cwiseAbs().maxCoeff() <= 1e-6;
}

Eigen::Vector3d Geometry3D::extent_mm() const {
  return Eigen::Vector3d(size[0], size[1], size[2]).cwiseProduct(spacing_mm);
}

}  // namespace harmonia
