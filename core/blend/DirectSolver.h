#pragma once
// Direct sparse solve of a PoissonProblem: the exact reference.
//
// Assembles the symmetric positive definite domain matrix (d_p on the
// diagonal, -1 between domain neighbours) in double precision and factors it
// once with Eigen's SimplicialLDLT (fill-reducing AMD ordering) for all
// channels. Memory and time grow faster than linearly, so Auto only uses it
// for small regions; tests use it as the reference.

#include "core/blend/PoissonSolver.h"

namespace harmonia {

/// Exact sparse Cholesky solver.
class DirectSolver final : public PoissonSolver {
 public:
  /// Solves exactly; the report's iterations are 0.
  SolveReport solve(PoissonProblem& problem, Progress& progress) override;
};

}  // namespace harmonia
