#pragma once
// Placing a mask on another grid by physical position (never by array index).

#include "core/image/Volume.h"

namespace harmonia {

/// The mask sampled at every voxel centre of `grid` (nearest neighbour in
/// world millimetres); voxels outside the mask's extent are 0. When the grids
/// are the same, a copy of the mask.
MaskVolume maskOnGrid(const MaskVolume& mask, const Geometry3D& grid);

}  // namespace harmonia
