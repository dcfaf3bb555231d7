#pragma once
// Geometric multigrid on the masked domain: the fast default solver.
//
// Levels: level 0 is the problem's grid; a coarse cell belongs to the coarse
// domain when at least three of its 2x2 children do (which keeps the coarse
// boundary within half a fine cell of the true one); coarsening stops at a few
// hundred unknowns, which are solved exactly (sparse Cholesky). A cold solve
// starts with one full-multigrid pass (residual restricted to every level,
// solved coarsest first, one V-cycle per level on the way up). Image edges stay zero-flux on
// every level. A V-cycle is: red-black Gauss-Seidel pre-smoothing, residual
// restricted by summing the four children (the cell-centred transpose of
// constant interpolation, with the h^2 scaling of the coarse equation),
// coarse correction, bilinear (cell-centred) prolongation with zero outside
// the coarse domain, post-smoothing; extra sweeps over a narrow band of cells
// along the domain's boundary before and after (boundary smoothing). Each colour half-sweep runs
// over the row runs of the domain only, eight cells per SIMD step; all the sweeps and the residual
// of a V-cycle's way down (or up) are one wavefront pass over the rows. Colour channels are solved
// in parallel; with fewer channels than threads (a grey image on two cores) each runs its passes
// over the large levels as two halves at once.
// Iterates V-cycles until the relative residual reaches the tolerance.
//
// Re-solves: with a SolverWorkspace the levels are kept, and a problem moved in
// place (PoissonProblem::moveTo, hence built away from the image's edges, where
// the levels do not depend on the position) or refined reuses them. When such a
// re-solve's residual lies next to the boundary (a moved paste: only the
// boundary values changed), it starts with boundary cycles: V-cycles whose
// smoothing and residual stay within a band along the boundary on the fine
// levels (the corrections from the coarse levels still reach every cell), which
// cut the residual there about as fast as full V-cycles at a fraction of the
// cost; full V-cycles then follow only if the residual elsewhere needs them.
//
// One policy per file (internal, namespace harmonia::multigrid):
// MultigridLevel.h (a level's grid and spans), MultigridCoarsening.h,
// MultigridBands.h (boundary bands), MultigridCoarseSolve.h (the exact solve),
// MultigridRelaxation.h and MultigridTransfer.h (row kernels),
// MultigridSchedule.h (passes as wavefronts), MultigridHierarchy.h (levels and
// cycles); this file's solve() drives the cycles.

#include "core/blend/PoissonSolver.h"

namespace harmonia {

/// Multigrid V-cycle solver (see file comment).
class MultigridSolver final : public PoissonSolver {
 public:
  /// Uses tolerance, max_iterations, pre_smoothing and post_smoothing of
  /// `params`; keeps its level hierarchy in `workspace` when one is given.
  explicit MultigridSolver(const SolverParams& params = {}, SolverWorkspace* workspace = nullptr);
  /// Runs V-cycles from problem.solution() until the tolerance is met.
  SolveReport solve(PoissonProblem& problem, Progress& progress) override;

 private:
  SolverParams params_;
  SolverWorkspace* workspace_;
};

}  // namespace harmonia
