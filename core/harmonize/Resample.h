#pragma once
// Resampling a volume onto another grid, in physical coordinates.
//
// Every output voxel centre is mapped to world coordinates (LPS mm, honouring
// the output grid's origin, spacing and direction cosines) and from there to a
// continuous index of the input grid (honouring the input's), where the input
// is interpolated. So two volumes that overlap in space line up after
// resampling whatever their orientation.
//
// Inside / outside: an output voxel whose centre falls within the input's
// voxels, i.e. at continuous index in [-0.5, n - 0.5] on every axis, gets an
// interpolated value; any other gets `outside_value`. In the half-voxel rim
// beyond the outermost voxel centres, linear interpolation extends the edge
// value (clamped index) and cubic B-spline interpolation uses its mirror
// boundary.
//
// Interpolation:
//  - Nearest: value of the nearest voxel centre (ties round up).
//  - Linear: trilinear; reproduces any linear function exactly between voxel
//    centres.
//  - CubicBSpline: cubic B-spline (Unser 1991): the input is prefiltered once
//    into B-spline coefficients (mirror boundary), then evaluated with 4x4x4
//    weights; interpolating (reproduces the input at its voxel centres) and
//    exact for cubic polynomials away from the boundary.
//
// Speed: when both grids share axis directions (the usual case: the same
// scanner frame at another spacing), the map is separable and each output row
// is made from a few input rows combined with SIMD; oblique grids take a
// general per-voxel path. Both run in parallel and honour cancellation.

#include <Eigen/Core>
#include <optional>
#include <string>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// How values are interpolated between voxel centres.
enum class Interpolation { Nearest, Linear, CubicBSpline };

/// "nearest", "linear" or "cubic".
const char* toString(Interpolation interpolation);
/// Parses "nearest", "linear" or "cubic"; nullopt for anything else.
std::optional<Interpolation> parseInterpolation(const std::string& name);

/// Parameters of resampling a value volume.
struct ResampleParams {
  Interpolation interpolation = Interpolation::Linear;  ///< default: trilinear
  float outside_value = 0.0f;  ///< value of output voxels outside the input's voxels
};

/// A grid of isotropic `spacing_mm` covering the same physical box as `grid`
/// (same direction cosines and centre; size = max(1, round(extent / spacing))).
Geometry3D isotropicGrid(const Geometry3D& grid, double spacing_mm);

/// Resamples `input` onto `target` (size, spacing, origin, direction). The
/// result keeps the input's units and metadata.
Volume resample(const Volume& input, const Geometry3D& target, const ResampleParams& params = {},
                Progress& progress = noProgress());

/// Resamples `input` onto the grid of `output`, overwriting its values (and
/// taking the input's units and metadata) without allocating: for repeated
/// resampling onto the same grid (a live preview), where a fresh 100 M-voxel
/// result would cost as much in first-touch page zeroing as the resampling.
/// `output` must not share memory with `input`.
void resampleInto(const Volume& input, Volume& output, const ResampleParams& params = {},
                  Progress& progress = noProgress());

/// How a mask is resampled.
enum class MaskInterpolation {
  Nearest,        ///< the nearest input voxel's label
  PartialVolume,  ///< inside when >= 50 % of the output voxel lies inside the mask
};

/// Resamples a mask onto `target`. PartialVolume estimates the fraction of
/// each output voxel covered by the mask from up to 4x4x4 sub-samples of the
/// trilinearly interpolated indicator (enough sub-samples that they are no
/// farther apart than the input's finest spacing, at most 4 per axis) and
/// keeps voxels where that fraction is >= 0.5. Output voxels are 0 or 1.
MaskVolume resampleMask(const MaskVolume& mask, const Geometry3D& target,
                        MaskInterpolation interpolation = MaskInterpolation::PartialVolume,
                        Progress& progress = noProgress());

/// The affine map from output voxel index to input continuous index:
/// input_index = linear * output_index + offset.
struct IndexMap {
  Eigen::Matrix3d linear = Eigen::Matrix3d::Identity();
  Eigen::Vector3d offset = Eigen::Vector3d::Zero();
};
/// The index map from `target`'s voxels to `source`'s continuous indices.
IndexMap indexMap(const Geometry3D& source, const Geometry3D& target);

}  // namespace harmonia
