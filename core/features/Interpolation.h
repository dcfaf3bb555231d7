#pragma once
// Separable resampling on the IBSI interpolation grid (IBSI 1 section 2.4,
// theibsi/ibsi-doc docs/03_Image_processing.rst, "Interpolation grid
// dimensions" and "Interpolation grid position").
//
// Every method used here (nearest neighbour, linear, cubic B-spline) is a
// tensor product of one-dimensional operators, and the IBSI grid keeps the
// axes of the original grid, so a box of the new grid is computed axis by
// axis: x, then y, then z. Outside the original grid intensities are
// extrapolated from the nearest boundary voxel (IBSI docs/05_Reference_data_sets.rst,
// "Notes on interpolation": "padded with voxels that take on the nearest
// boundary intensity").

#include <array>
#include <vector>

#include "core/features/FeatureSettings.h"
#include "core/image/Geometry.h"

namespace harmonia::features {

/// One axis of the new grid: new index m lies at continuous index
/// start + m * step of the original axis.
struct AxisMap {
  int size = 0;
  double start = 0.0;
  double step = 1.0;
  [[nodiscard]] bool identity(int originalSize) const {
    return size == originalSize && start == 0.0 && step == 1.0;
  }
  [[nodiscard]] double position(int m) const { return start + step * m; }
};

/// The IBSI "align grid centers" grid of one axis: n_b = ceil(n_a s_a / s_b),
/// x_b,g = (n_a - 1 - (s_b / s_a)(n_b - 1)) / 2.
AxisMap ibsiAxis(int originalSize, double originalSpacing, double newSpacing);

/// The new grid of `original` for these settings (identity maps when
/// interpolation is disabled; z untouched when in-plane only), and its geometry.
struct InterpolationGrid {
  std::array<AxisMap, 3> axes;
  Geometry3D geometry;
};
InterpolationGrid ibsiGrid(const Geometry3D& original, const InterpolationSettings& settings);

/// A box [lo, hi) of grid indices.
struct Box {
  std::array<int, 3> lo{0, 0, 0};
  std::array<int, 3> hi{0, 0, 0};
  [[nodiscard]] int size(int axis) const { return hi[axis] - lo[axis]; }
  [[nodiscard]] std::size_t count() const {
    return static_cast<std::size_t>(size(0)) * static_cast<std::size_t>(size(1)) *
           static_cast<std::size_t>(size(2));
  }
  [[nodiscard]] bool empty() const { return size(0) <= 0 || size(1) <= 0 || size(2) <= 0; }
};

/// Values of the new grid in `box` (i fastest), interpolated from `src`
/// (original grid of size `srcSize`, i fastest) with `method`. Identity axes
/// are copied. Only the original voxels the box needs are read. A uint8
/// source is a mask: nonzero reads as 1.
template <typename T>
std::vector<double> resampleBox(const T* src, const std::array<int, 3>& srcSize,
                                const std::array<AxisMap, 3>& axes, const Box& box,
                                ImageInterpolation method);

/// One-dimensional cubic B-spline coefficients of `samples` (in place), mirror
/// boundary (Unser's recursive prefilter, pole sqrt(3) - 2). Exposed for tests.
void cubicBSplinePrefilter(std::vector<double>& samples);

}  // namespace harmonia::features
