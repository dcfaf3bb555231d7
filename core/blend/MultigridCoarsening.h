#pragma once
// Coarsening of a multigrid level (see MultigridSolver.h): each coarse cell
// covers 2x2 fine cells.
//
// A coarse cell joins the coarse domain when at least kCoarseChildren of its
// four children are domain cells. With 1 the coarse Dirichlet boundary can sit
// 1.5 fine cells outside the true one and V-cycles converge poorly or diverge
// on large irregular masks; with 3 it is within half a fine cell (about 15x
// residual reduction per V(2,2)-cycle on ellipses and rectangles). Parts
// thinner than that vanish from the coarse level; the smoother handles them,
// as they lie next to the boundary.

#include <cstddef>

#include "core/blend/MultigridLevel.h"

namespace harmonia::multigrid {

constexpr int kCoarseChildren = 3;
/// Coarsening stops at this many unknowns; they are solved exactly (MultigridCoarseSolve.h).
constexpr std::size_t kCoarsestUnknowns = 600;

/// The level above f: its grid (the children's bounding box halved, with a
/// ring of one ghost cell), domain, spans and band, and zeroed x and b for
/// `channels` channels.
Level coarsen(const Level& f, int channels);

}  // namespace harmonia::multigrid
