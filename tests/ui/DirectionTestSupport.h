#pragma once
// Direction matrices of typical acquisitions, for the patient-plane tests of
// SliceView and SliceViewModel.

#include <Eigen/Core>

namespace harmonia::test {

/// A 3x3 matrix whose columns are the world (LPS) directions of the grid's i, j and k axes.
inline Eigen::Matrix3d directions(const Eigen::Vector3d& i, const Eigen::Vector3d& j,
                                  const Eigen::Vector3d& k) {
  Eigen::Matrix3d d;
  d.col(0) = i;
  d.col(1) = j;
  d.col(2) = k;
  return d;
}

/// A sagittal acquisition: i runs posterior, j inferior, k to the left.
inline Eigen::Matrix3d sagittalDirections() { return directions({0, 1, 0}, {0, 0, -1}, {1, 0, 0}); }

/// A coronal acquisition: i runs left, j inferior, k posterior.
inline Eigen::Matrix3d coronalDirections() { return directions({1, 0, 0}, {0, 0, -1}, {0, 1, 0}); }

}  // namespace harmonia::test
