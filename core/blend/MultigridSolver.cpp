#include "core/blend/MultigridSolver.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

#include "core/blend/MultigridHierarchy.h"

namespace harmonia {

using multigrid::Hierarchy;

namespace {

// Boundary cycles a re-solve runs at most before it turns to V-cycles.
constexpr int kMaxWarmCycles = 8;

}  // namespace

struct SolverWorkspace::Multigrid {
  std::unique_ptr<Hierarchy> hierarchy;
};

SolverWorkspace::SolverWorkspace() = default;
SolverWorkspace::~SolverWorkspace() = default;
SolverWorkspace::SolverWorkspace(SolverWorkspace&&) noexcept = default;
SolverWorkspace& SolverWorkspace::operator=(SolverWorkspace&&) noexcept = default;

MultigridSolver::MultigridSolver(const SolverParams& params, SolverWorkspace* workspace)
    : params_(params), workspace_(workspace) {}

SolveReport MultigridSolver::solve(PoissonProblem& problem, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Hierarchy> own;
  Hierarchy* levels = nullptr;
  bool resolve = false;  // the workspace has this problem's levels
  if (workspace_) {
    auto& kept = workspace_->multigrid;
    if (!kept) kept = std::make_unique<SolverWorkspace::Multigrid>();
    resolve = kept->hierarchy && kept->hierarchy->fits(problem);
    if (!resolve) {
      kept->hierarchy.reset();
      kept->hierarchy = std::make_unique<Hierarchy>(problem);
    }
    levels = kept->hierarchy.get();
  } else {
    own = std::make_unique<Hierarchy>(problem);
    levels = own.get();
  }
  Hierarchy& hierarchy = *levels;
  hierarchy.setParams(params_);
  const int nc = problem.channels();
  const double tol = params_.tolerance;
  std::vector<double> relative(nc, 0.0);
  std::vector<int> cycles(nc, 0);
  std::vector<int> boundaryCycles(nc, 0);
  const auto solveChannel = [&](int c) {
    const double scale = problem.rhsNorm(c) > 0.0 ? problem.rhsNorm(c) : 1.0;
    if (hierarchy.single()) {
      hierarchy.solveExactly(c);
      relative[c] = std::sqrt(hierarchy.residualSquares(c)) / scale;
      cycles[c] = 1;
      return;
    }
    const double squares = hierarchy.residualSquares(c);
    double rel = std::sqrt(squares) / scale;
    if (rel <= tol) {
      relative[c] = rel;
      return;
    }
    const double first = rel;
    const auto report = [&](double now) {
      if (c == 0 && now > 0.0) {
        progress.report(std::clamp(std::log(first / now) / std::log(first / tol), 0.0, 1.0));
      }
    };
    // A re-solve (the workspace kept this problem's levels) whose residual
    // sits next to the boundary (the paste moved: only the boundary values
    // changed) needs its fine-level work only there. Boundary cycles reduce it
    // there about as fast as V-cycles, at a fraction of their cost; V-cycles
    // then take in what they leave elsewhere, if that is above the tolerance.
    // (A cold solve's residual also sits at the boundary, the initial guess
    // being the shifted source, but its correction is large and what boundary
    // cycles leave elsewhere takes as many V-cycles as the full-multigrid
    // start needs.)
    bool boundary = false;
    if (resolve && hierarchy.hasBoundaryCycles() && params_.max_iterations > 1 &&
        rel > 10.0 * tol) {
      const double outside = std::max(0.0, squares - hierarchy.warmBandSquares(c));
      // What the last solve left elsewhere: up to about the tolerance.
      boundary = std::sqrt(outside) / scale <= 3.0 * tol;
    }
    if (boundary) {
      double band = rel;
      while (cycles[c] + 1 < params_.max_iterations) {
        progress.throwIfCancelled();
        const double before = band;
        band = std::sqrt(hierarchy.boundaryCycle(0, c)) / scale;
        ++cycles[c];
        ++boundaryCycles[c];
        // Down to the tolerance in the band: what is left there and elsewhere
        // (a few tolerances at most) is then one V-cycle's work, if any.
        if (band <= tol || band > 0.5 * before || boundaryCycles[c] == kMaxWarmCycles) break;
        report(band);
      }
      rel = std::sqrt(hierarchy.residualSquares(c)) / scale;
    } else if (params_.max_iterations > 0) {
      rel = std::sqrt(hierarchy.fullMultigrid(c)) / scale;
      cycles[c] = 1;
    }
    while (rel > tol && cycles[c] < params_.max_iterations) {
      progress.throwIfCancelled();
      const double before = rel;
      rel = std::sqrt(hierarchy.vcycle(0, c)) / scale;
      ++cycles[c];
      // A V-cycle cuts the residual ~15x; when it no longer halves it, the
      // float32 rounding floor is reached and more cycles change nothing.
      if (rel > 0.5 * before) break;
      report(rel);
    }
    relative[c] = rel;
  };
  // Channels are independent solves: one thread each, every sweep in cache.
  // With fewer channels than threads (a grey image on two cores) each channel
  // runs its passes over the large levels as two halves at once (with more
  // channels than threads none is split: docs/performance.md says why).
  const int threads =
      std::max(1, std::min<int>(tbb::this_task_arena::max_concurrency(),
                                static_cast<int>(tbb::global_control::active_value(
                                    tbb::global_control::max_allowed_parallelism))));
  const bool split = nc < threads;
  for (int c = 0; c < nc; ++c) hierarchy.setSplit(c, split);
  tbb::parallel_for(0, nc, solveChannel);
  SolveReport report;
  report.solver = SolverKind::Multigrid;
  report.unknowns = problem.unknowns();
  report.iterations = *std::max_element(cycles.begin(), cycles.end());
  report.boundary_cycles = *std::max_element(boundaryCycles.begin(), boundaryCycles.end());
  report.relative_residual = *std::max_element(relative.begin(), relative.end());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace harmonia
