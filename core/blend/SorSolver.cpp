#include "core/blend/SorSolver.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

#include "core/blend/StencilKernels.h"

namespace harmonia {
namespace {

// One red or black half-sweep over the problem's rows.
void sweep(PoissonProblem& p, int colour, float omega) {
  const int gw = p.gridWidth();
  const auto body = [&](int j0, int j1) {
    for (int j = j0; j < j1; ++j) {
      const int ty = p.gridY() + j;
      const int parity = (p.gridX() + ty) & 1;
      const std::size_t row = static_cast<std::size_t>(j) * gw;
      for (int s = p.rowStart()[j]; s < p.rowStart()[j + 1]; ++s) {
        const RowSpan& sp = p.spans()[s];
        stencil::RowGeometry g;
        g.stride = gw;
        g.diagonal = 4.0f - float(ty == 0) - float(ty == p.imageHeight() - 1);
        g.left_edge = p.gridX() + sp.x0 == 0;
        g.right_edge = p.gridX() + sp.x1 - 1 == p.imageWidth() - 1;
        for (int c = 0; c < p.channels(); ++c) {
          stencil::relaxSpan(p.solution(c).data() + row, p.rhs(c).data() + row, g, sp.x0, sp.x1,
                             parity, colour, omega);
        }
      }
    }
  };
  if (p.unknowns() < 24000) {
    body(0, p.gridHeight());
  } else {
    tbb::parallel_for(tbb::blocked_range<int>(0, p.gridHeight(), 2),
                      [&](const tbb::blocked_range<int>& r) { body(r.begin(), r.end()); });
  }
}

}  // namespace

SorSolver::SorSolver(const SolverParams& params) : params_(params) {
  params_.max_iterations = std::max(params_.max_iterations, 20000);
}

SolveReport SorSolver::solve(PoissonProblem& problem, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  // Optimal omega of the square of side n; the domain's larger extent bounds n.
  const double n = std::max(problem.gridWidth(), problem.gridHeight());
  const auto omega = static_cast<float>(2.0 / (1.0 + std::sin(std::numbers::pi / n)));
  SolveReport report;
  report.solver = SolverKind::Sor;
  report.unknowns = problem.unknowns();
  double rel = problem.relativeResidual();
  constexpr int kCheckEvery = 10;  // a residual costs about one sweep
  while (rel > params_.tolerance && report.iterations < params_.max_iterations) {
    progress.throwIfCancelled();
    for (int k = 0; k < kCheckEvery; ++k) {
      sweep(problem, 0, omega);
      sweep(problem, 1, omega);
    }
    report.iterations += kCheckEvery;
    rel = problem.relativeResidual();
  }
  report.relative_residual = rel;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace harmonia
