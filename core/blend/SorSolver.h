#pragma once
// Red-black successive over-relaxation of a PoissonProblem.
//
// Simple and robust, but the number of sweeps grows with the domain's
// diameter (about its width in pixels at the optimal omega), so Auto never
// picks it for large regions; it is here as an independent check of the
// multigrid solver and for explicit use.

#include "core/blend/PoissonSolver.h"

namespace harmonia {

/// Red-black SOR solver.
class SorSolver final : public PoissonSolver {
 public:
  /// Uses tolerance and max_iterations (sweeps, raised to at least 20000) of `params`.
  explicit SorSolver(const SolverParams& params = {});
  /// Sweeps from problem.solution() until the tolerance is met.
  SolveReport solve(PoissonProblem& problem, Progress& progress) override;

 private:
  SolverParams params_;
};

}  // namespace harmonia
