#pragma once
// Exact solve on the coarsest multigrid level (see MultigridSolver.h): the
// level's 5-point operator as a sparse matrix, factored once (sparse LDLT).

#include <Eigen/SparseCholesky>
#include <vector>

#include "core/blend/MultigridLevel.h"

namespace harmonia::multigrid {

/// The coarsest level's operator, factored (any Dirichlet values in x are honoured).
class CoarseSolve {
 public:
  /// Factors L's operator; throws std::runtime_error when that fails.
  explicit CoarseSolve(const Level& L);
  /// Solves channel c of L exactly: x on the domain from b and x's Dirichlet values.
  void solve(const Level& L, int c) const;

 private:
  std::vector<int> index_;
  int n_ = 0;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt_;
};

}  // namespace harmonia::multigrid
