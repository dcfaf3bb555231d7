#include "core/compare/LineProfile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace harmonia {

double sampleLinear(const Volume& volume, const Eigen::Vector3d& world_mm) {
  const Geometry3D& g = volume.geometry();
  const Eigen::Vector3d index = g.worldToIndex(world_mm);
  for (int d = 0; d < 3; ++d) {
    if (!(index[d] >= -0.5 && index[d] <= g.size[d] - 0.5)) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }
  int lo[3];
  int hi[3];
  double t[3];
  for (int d = 0; d < 3; ++d) {
    const double c = std::clamp(index[d], 0.0, static_cast<double>(g.size[d] - 1));
    lo[d] = static_cast<int>(std::floor(c));
    hi[d] = std::min(lo[d] + 1, g.size[d] - 1);
    t[d] = c - lo[d];
  }
  double value = 0.0;
  for (int corner = 0; corner < 8; ++corner) {
    const int i = (corner & 1) ? hi[0] : lo[0];
    const int j = (corner & 2) ? hi[1] : lo[1];
    const int k = (corner & 4) ? hi[2] : lo[2];
    const double w = ((corner & 1) ? t[0] : 1.0 - t[0]) * ((corner & 2) ? t[1] : 1.0 - t[1]) *
                     ((corner & 4) ? t[2] : 1.0 - t[2]);
    if (w != 0.0) value += w * volume.at(i, j, k);
  }
  return value;
}

LineProfile sampleLine(const Volume& volume, const Eigen::Vector3d& start_mm,
                       const Eigen::Vector3d& end_mm, double step_mm) {
  LineProfile profile;
  const double length = (end_mm - start_mm).norm();
  const double step = step_mm > 0.0 ? step_mm : 1.0;
  const auto n = static_cast<std::size_t>(std::ceil(length / step - 1e-9)) + 1;
  profile.distance_mm.reserve(n);
  profile.values.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    const double d = std::min(length, static_cast<double>(s) * step);
    const Eigen::Vector3d p =
        length > 0.0 ? Eigen::Vector3d(start_mm + (end_mm - start_mm) * (d / length)) : start_mm;
    profile.distance_mm.push_back(d);
    profile.values.push_back(sampleLinear(volume, p));
  }
  return profile;
}

}  // namespace harmonia
