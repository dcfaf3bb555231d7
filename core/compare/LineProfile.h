#pragma once
// A line profile: a study's values sampled along a segment in world
// coordinates, for plotting two studies' values against distance (mm).

#include <Eigen/Core>
#include <vector>

#include "core/image/Volume.h"

namespace harmonia {

/// Values along a segment: distance_mm[i] from its start, values[i] there.
struct LineProfile {
  std::vector<double> distance_mm;
  std::vector<double> values;  ///< NaN where the point lies outside the volume
};

/// The value at a world position (LPS, mm) by trilinear interpolation, with
/// Resample's inside rule: inside when the continuous index lies within
/// [-0.5, n - 0.5] on every axis (edge values extend over the half-voxel
/// rim); NaN outside.
double sampleLinear(const Volume& volume, const Eigen::Vector3d& world_mm);

/// Samples `volume` from `start_mm` to `end_mm` every `step_mm` (> 0; the
/// last sample is at the end exactly). A zero-length segment gives one sample.
LineProfile sampleLine(const Volume& volume, const Eigen::Vector3d& start_mm,
                       const Eigen::Vector3d& end_mm, double step_mm);

}  // namespace harmonia
