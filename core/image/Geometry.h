#pragma once
// Physical geometry of a voxel grid.
//
// World convention (the one DICOM uses, and ITK): LPS patient coordinates in
// millimetres: +x towards the patient's Left, +y Posterior, +z Superior.
// NIfTI files (RAS) are converted on read and write.
//
// A voxel index (i, j, k) maps to world position
//     p = origin_mm + direction * diag(spacing_mm) * (i, j, k)
// where the columns of `direction` are the unit world directions of the i, j
// and k axes, and origin_mm is the centre of voxel (0, 0, 0).

#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <cstdint>

namespace harmonia {

/// Grid size, spacing, origin and orientation of a 3-D volume.
struct Geometry3D {
  std::array<int, 3> size{0, 0, 0};                         ///< voxels along i, j, k
  Eigen::Vector3d spacing_mm{1.0, 1.0, 1.0};                ///< distance between voxel centres
  Eigen::Vector3d origin_mm{0.0, 0.0, 0.0};                 ///< world position of voxel (0,0,0)
  Eigen::Matrix3d direction = Eigen::Matrix3d::Identity();  ///< columns: axis directions

  /// Number of voxels.
  [[nodiscard]] std::size_t voxelCount() const {
    return static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) *
           static_cast<std::size_t>(size[2]);
  }
  /// World position (mm) of a continuous voxel index.
  [[nodiscard]] Eigen::Vector3d indexToWorld(const Eigen::Vector3d& ijk) const;
  /// Continuous voxel index of a world position (mm).
  [[nodiscard]] Eigen::Vector3d worldToIndex(const Eigen::Vector3d& p) const;
  /// True when (i, j, k) lies inside the grid.
  [[nodiscard]] bool contains(int i, int j, int k) const {
    return i >= 0 && j >= 0 && k >= 0 && i < size[0] && j < size[1] && k < size[2];
  }
  /// True when both grids have the same size and, within tol_mm, the same
  /// spacing, origin and direction.
  [[nodiscard]] bool sameGrid(const Geometry3D& other, double tol_mm = 1e-4) const;
  /// Physical extent of the grid along each axis (size * spacing), mm.
  [[nodiscard]] Eigen::Vector3d extent_mm() const;
};

}  // namespace harmonia
