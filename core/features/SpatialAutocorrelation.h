#pragma once
// Moran's I and Geary's C of the intensity mask (IBSI 1,
// docs/04_Image_features.rst, "Moran's I index", "Geary's C measure"), exact,
// in O(n log n): with w(d) = 1 / |d| (inverse Euclidean distance in mm
// between voxel centres, w(0) = 0 so that k1 != k2), y = (x - mu) inside the
// mask and 0 outside, and m the mask,
//   sum_{k1 != k2} w y y        = sum y . (K * y)
//   sum_{k1 != k2} w            = sum m . (K * m)
//   sum_{k1 != k2} w (y - y)^2  = 2 sum m y^2 . (K * m) - 2 sum y . (K * y)
// where K * is a linear convolution, done by 3-D FFT on a zero-padded grid.

#include <array>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace harmonia::features {

struct SpatialAutocorrelation {
  double moran_i = 0.0;
  double geary_c = 0.0;
  bool defined = false;  ///< false for fewer than 2 voxels or constant intensities
};

/// `values` and `mask` on a box grid of `size` (i fastest), spacing in mm.
SpatialAutocorrelation spatialAutocorrelation(const std::vector<double>& values,
                                              const std::vector<std::uint8_t>& mask,
                                              const std::array<int, 3>& size,
                                              const Eigen::Vector3d& spacing_mm);

}  // namespace harmonia::features
