#include "ui/view/SliceViewCamera.h"

#include <algorithm>
#include <cmath>

namespace harmonia {

Eigen::Vector3d SliceGrid::pointOfIndex(const Eigen::Vector3d& index) const {
  Eigen::Vector3d p;
  for (int d = 0; d < 3; ++d) {
    p[d] = origin[d] + spacing[d] * (index[d] + first[d]);
  }
  return p;
}

Eigen::Vector3d SliceGrid::indexOfPoint(const Eigen::Vector3d& p) const {
  Eigen::Vector3d index;
  for (int d = 0; d < 3; ++d) {
    index[d] = (p[d] - origin[d]) / spacing[d] - first[d];
  }
  return index;
}

void SliceGrid::outerBounds(Eigen::Vector3d& lo, Eigen::Vector3d& hi) const {
  const Eigen::Vector3d a = pointOfIndex(Eigen::Vector3d::Constant(-0.5));
  const Eigen::Vector3d b = pointOfIndex(size.cast<double>() - Eigen::Vector3d::Constant(0.5));
  lo = a.cwiseMin(b);
  hi = a.cwiseMax(b);
}

double SliceGrid::fitScale(int rightAxis, int upAxis, int widthPx, int heightPx) const {
  const double w = std::abs(spacing[rightAxis]) * size[rightAxis];
  const double h = std::abs(spacing[upAxis]) * size[upAxis];
  const double aspect = static_cast<double>(std::max(1, widthPx)) / std::max(1, heightPx);
  return std::max(0.5 * h, 0.5 * w / aspect);
}

SliceCameraPose sliceCameraPose(const Eigen::Vector3d& lo, const Eigen::Vector3d& hi,
                                const Eigen::Vector3d& pan, int normalAxis,
                                const Eigen::Vector3d& dop, double fitScale, double zoom) {
  const Eigen::Vector3d centre = 0.5 * (lo + hi);
  const double diagonal = (hi - lo).norm();
  SliceCameraPose pose;
  pose.focal = centre + pan;
  pose.focal[normalAxis] = centre[normalAxis];
  // Everything lies within diagonal/2 of the centre, so a camera at distance
  // diagonal + 1 with this clipping range sees all of it whatever the slice.
  const double distance = diagonal + 1.0;
  pose.position = pose.focal - distance * dop;
  pose.parallel_scale = fitScale / zoom;
  pose.near_clip = 0.5;
  pose.far_clip = distance + 0.5 * diagonal + 1.0;
  return pose;
}

Eigen::Vector3d scenePointAt(const Eigen::Vector3d& focal, double parallelScale, int widthPx,
                             int heightPx, double x, double y, const Eigen::Vector3d& right,
                             const Eigen::Vector3d& up) {
  const double mmPerPixel = 2.0 * parallelScale / std::max(1, heightPx);
  return focal + (x - 0.5 * widthPx) * mmPerPixel * right + (0.5 * heightPx - y) * mmPerPixel * up;
}

double niceLength(double limit) {
  const double decade = std::pow(10.0, std::floor(std::log10(limit)));
  for (double m : {5.0, 2.0, 1.0}) {
    if (m * decade <= limit) return m * decade;
  }
  return decade;
}

}  // namespace harmonia
