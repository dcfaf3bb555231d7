// Local intensity features (IBSI 1, docs/04_Image_features.rst, "Local
// intensity features"): the mean intensity in a 1 cm^3 sphere, radius
// r = (3 / (4 pi))^(1/3) cm, of all image voxels whose centres lie within r
// of a centre voxel, inside the ROI or not. Centres are the voxels of the
// intensity mask. Local peak: at the maximum-intensity voxel (the highest
// peak when several share the maximum); global peak: the highest over all.
//
// The sphere is a set of rows along x: for each (dy, dz) offset a run of
// voxels |dx| <= L(dy, dz). With prefix sums along x, each row costs O(1).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "core/features/Families.h"

namespace harmonia::features {

void computeLocalIntensity(const PreparedRoi& roi, FeatureSet& out, Progress& progress) {
  constexpr const char* kLocalIntensityFamily = "local_intensity";
  const Geometry3D& geo = roi.image.geometry();
  const int nx = geo.size[0], ny = geo.size[1], nz = geo.size[2];
  const Eigen::Vector3d sp = geo.spacing_mm;
  const float* image = roi.image.data();
  const std::uint8_t* mask = roi.intensity_mask.data();
  const std::size_t total = geo.voxelCount();

  float maxIntensity = -std::numeric_limits<float>::infinity();
  std::size_t nRoi = 0;
  for (std::size_t g = 0; g < total; ++g) {
    if (mask[g] != 0) {
      ++nRoi;
      maxIntensity = std::max(maxIntensity, image[g]);
    }
  }
  if (nRoi == 0) {
    out.addUndefined("loc_peak_loc", kLocalIntensityFamily, "", "empty intensity mask");
    out.addUndefined("loc_peak_glob", kLocalIntensityFamily, "", "empty intensity mask");
    return;
  }

  // IBSI: r = (3 / (4 pi))^(1/3) cm, in mm.
  const double radius = 10.0 * std::cbrt(3.0 / (4.0 * std::numbers::pi));
  const double r2 = radius * radius;
  struct Row {
    int dy, dz, half_length;
  };
  std::vector<Row> rows;
  const int ry = static_cast<int>(std::floor(radius / sp.y()));
  const int rz = static_cast<int>(std::floor(radius / sp.z()));
  for (int dz = -rz; dz <= rz; ++dz) {
    for (int dy = -ry; dy <= ry; ++dy) {
      const double rest = r2 - std::pow(dy * sp.y(), 2) - std::pow(dz * sp.z(), 2);
      if (rest < 0.0) continue;
      int half = static_cast<int>(std::floor(std::sqrt(rest) / sp.x()));
      // Guard the floor against rounding: keep exactly the dx with d <= r.
      while (std::pow((half + 1) * sp.x(), 2) <= rest) ++half;
      while (half > 0 && std::pow(half * sp.x(), 2) > rest) --half;
      rows.push_back({dy, dz, half});
    }
  }

  // Prefix sums along x: prefix[row * (nx + 1) + i] = sum of the first i voxels.
  std::vector<double> prefix(static_cast<std::size_t>(nx + 1) * ny * nz);
  for (std::size_t row = 0; row < static_cast<std::size_t>(ny) * nz; ++row) {
    double* p = prefix.data() + row * (nx + 1);
    const float* src = image + row * nx;
    p[0] = 0.0;
    for (int i = 0; i < nx; ++i) p[i + 1] = p[i] + src[i];
  }
  const auto peakAt = [&](int i, int j, int k) {
    double sum = 0.0;
    long count = 0;
    for (const Row& r : rows) {
      const int y = j + r.dy, z = k + r.dz;
      if (y < 0 || y >= ny || z < 0 || z >= nz) continue;
      const int x0 = std::max(0, i - r.half_length);
      const int x1 = std::min(nx - 1, i + r.half_length);
      const double* p = prefix.data() + (static_cast<std::size_t>(z) * ny + y) * (nx + 1);
      sum += p[x1 + 1] - p[x0];
      count += x1 - x0 + 1;
    }
    return sum / static_cast<double>(count);
  };

  double local = -std::numeric_limits<double>::infinity();
  double global = -std::numeric_limits<double>::infinity();
  std::size_t g = 0;
  for (int k = 0; k < nz; ++k) {
    progress.throwIfCancelled();
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i, ++g) {
        if (mask[g] == 0) continue;
        const double peak = peakAt(i, j, k);
        global = std::max(global, peak);
        if (image[g] == maxIntensity) local = std::max(local, peak);
      }
    }
  }
  out.add("loc_peak_loc", kLocalIntensityFamily, "", local);
  out.add("loc_peak_glob", kLocalIntensityFamily, "", global);
}

}  // namespace harmonia::features
