#pragma once
// Boundary bands of a multigrid level (see MultigridSolver.h).
//
// Boundary smoothing (as in McAdams et al. 2010, "A parallel multigrid
// Poisson solver for fluids simulation on large grids"): the coarse levels
// see the domain's boundary only to within a coarse cell, so the error next
// to it is what V-cycles reduce worst. kBandSweeps extra Gauss-Seidel sweeps
// over the cells within kBandRadius cells of the boundary, before the
// pre-smoothing and after the post-smoothing on every level, about halve the
// V-cycles needed (docs/performance.md) for a few per cent more work per cycle.
// Boundary cycles (MultigridHierarchy.h) smooth a wider band.

#include <vector>

#include "core/blend/MultigridLevel.h"

namespace harmonia::multigrid {

constexpr int kBandRadius = 4;
constexpr int kBandSweeps = 4;

/// The domain cells of L within R cells (Chebyshev distance) of a non-domain
/// cell (or of the level's grid edge), as row spans sorted by row: for each
/// row, the non-domain gaps of the rows within the radius, widened by the
/// radius, intersected with the row's spans. Works on spans only, so it costs
/// next to nothing even for huge domains.
std::vector<RowSpan> bandSpans(const Level& L, int R);

/// Sets L.band and L.band_row_start (the kBandRadius band).
void buildBand(Level& L);

}  // namespace harmonia::multigrid
