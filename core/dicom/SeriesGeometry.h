#pragma once
// Geometry of a stack of DICOM slices: order, spacing, gaps and gantry tilt.
//
// Slices are sorted by Image Position (Patient) projected on the slice normal
// (row direction x column direction), never by Instance Number. The volume
// grid keeps DICOM's LPS patient coordinates (see core/image/Geometry.h):
// axis i = row direction (increasing column index), j = column direction,
// k = from the first to the last slice. With gantry tilt the k axis is the
// true (oblique) step between slice origins, so every voxel keeps its exact
// physical position; resampleToRegularGrid() makes an orthogonal, uniformly
// spaced grid when asked.

#include <Eigen/Core>
#include <array>
#include <string>
#include <vector>

#include "core/image/Geometry.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Where one slice lies (what sorting needs).
struct SlicePlacement {
  Eigen::Vector3d position_mm{0, 0, 0};                 ///< Image Position (Patient)
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};  ///< Image Orientation (Patient)
  Eigen::Vector2d pixel_spacing_mm{1, 1};               ///< between rows, between columns
  int rows = 0;
  int columns = 0;
  bool has_position = true;  ///< false: position unknown, order by `instance_number`
  int instance_number = 0;
  double slice_thickness_mm = 0.0;  ///< used for spacing when there is one slice only
};

/// Tolerances of the checks.
struct SeriesGeometryParams {
  /// Spacing is uniform when every gap is within this fraction of the median gap.
  double relative_spacing_tolerance = 0.01;
  /// Tilt below this (degrees) counts as none.
  double tilt_tolerance_deg = 0.01;
};

/// The volume grid of a slice stack and what is irregular about it.
struct SeriesGeometry {
  Geometry3D grid;                                  ///< LPS grid; spacing_mm[2] = mean slice step
  std::vector<std::size_t> order;                   ///< order[k] = input index of slice k
  std::vector<Eigen::Vector3d> slice_positions_mm;  ///< position of slice k (sorted)
  std::vector<double> slice_offsets_mm;             ///< slice k's position along the normal
  Eigen::Vector3d normal{0, 0, 1};                  ///< unit slice normal (row x column)
  double median_gap_mm = 0.0;       ///< median distance between neighbours along the normal
  double min_gap_mm = 0.0;          ///< smallest gap
  double max_gap_mm = 0.0;          ///< largest gap
  bool uniform_spacing = true;      ///< every gap within tolerance of the median
  int missing_slices = 0;           ///< slices that gaps of ~n x median imply are absent
  int duplicate_positions = 0;      ///< slices at the same position as their neighbour
  double gantry_tilt_deg = 0.0;     ///< angle between the slice step and the normal
  bool positions_known = true;      ///< false: ordered by Instance Number
  std::vector<std::string> issues;  ///< one readable line per problem found

  /// True when the grid is orthogonal and uniformly spaced (no resampling needed).
  [[nodiscard]] bool regular() const {
    return uniform_spacing && gantry_tilt_deg == 0.0 && duplicate_positions == 0;
  }
};

/// Sorts slices along their normal and measures spacing, gaps and tilt.
/// Throws InputError when slices differ in orientation or size (the scanner
/// splits such series first) or when `slices` is empty.
SeriesGeometry computeSeriesGeometry(const std::vector<SlicePlacement>& slices,
                                     const SeriesGeometryParams& params = {});

/// The orthogonal grid with uniform spacing (the median gap) covering a stack.
Geometry3D regularGridFor(const SeriesGeometry& geometry);

/// Resamples a stack (slice k of `stack` at geometry.slice_positions_mm[k]) onto
/// regularGridFor(geometry): bilinear in each slice, linear between the two
/// slices around each output plane. Points outside the stack get the stack's
/// minimum value.
Volume resampleToRegularGrid(const Volume& stack, const SeriesGeometry& geometry,
                             Progress& progress = noProgress());

}  // namespace harmonia
