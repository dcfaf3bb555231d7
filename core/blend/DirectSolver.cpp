#include "core/blend/DirectSolver.h"

#include <Eigen/SparseCholesky>
#include <chrono>
#include <stdexcept>
#include <vector>

namespace harmonia {

SolveReport DirectSolver::solve(PoissonProblem& problem, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  const int gw = problem.gridWidth();
  const std::vector<std::uint8_t>& inside = problem.inside();
  std::vector<int> index(inside.size(), -1);
  int n = 0;
  for (const RowSpan& sp : problem.spans()) {
    for (int i = sp.x0; i < sp.x1; ++i) index[static_cast<std::size_t>(sp.y) * gw + i] = n++;
  }
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(n) * 5);
  for (const RowSpan& sp : problem.spans()) {
    for (int i = sp.x0; i < sp.x1; ++i) {
      const std::size_t k = static_cast<std::size_t>(sp.y) * gw + i;
      entries.emplace_back(index[k], index[k], problem.diagonal(i, sp.y));
      for (const std::size_t q : {k - 1, k + 1, k - gw, k + gw}) {
        if (index[q] >= 0) entries.emplace_back(index[k], index[q], -1.0);
      }
    }
  }
  Eigen::SparseMatrix<double> A(n, n);
  A.setFromTriplets(entries.begin(), entries.end());
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt(A);
  if (ldlt.info() != Eigen::Success) throw std::runtime_error("direct solve: factorization failed");
  progress.throwIfCancelled();
  for (int c = 0; c < problem.channels(); ++c) {
    std::vector<float>& x = problem.solution(c);
    const std::vector<float>& g = problem.rhs(c);
    Eigen::VectorXd b(n);
    for (const RowSpan& sp : problem.spans()) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = static_cast<std::size_t>(sp.y) * gw + i;
        double v = g[k];
        for (const std::size_t q : {k - 1, k + 1, k - gw, k + gw}) {
          if (index[q] < 0) v += x[q];  // Dirichlet value, 0 at ghosts
        }
        b[index[k]] = v;
      }
    }
    const Eigen::VectorXd f = ldlt.solve(b);
    for (const RowSpan& sp : problem.spans()) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = static_cast<std::size_t>(sp.y) * gw + i;
        x[k] = static_cast<float>(f[index[k]]);
      }
    }
    progress.report(double(c + 1) / problem.channels());
  }
  SolveReport report;
  report.solver = SolverKind::Direct;
  report.unknowns = problem.unknowns();
  report.relative_residual = problem.relativeResidual();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace harmonia
