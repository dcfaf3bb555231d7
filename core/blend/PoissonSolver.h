#pragma once
// One interface for the solvers of a PoissonProblem, a factory, and the
// automatic choice by size.
//
// All solvers solve the same system and agree with each other: the direct
// solve exactly (to float rounding), the iterative ones to the stated relative
// residual. Iterative solvers start from problem.solution(), so a warm start
// is just a better initial guess there (see PoissonProblem::warmStartFrom).

#include <cstddef>
#include <memory>
#include <string>

#include "core/blend/PoissonProblem.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Which solver to use.
enum class SolverKind {
  Auto,      ///< Direct up to SolverParams::direct_max_unknowns, else Multigrid.
  Direct,    ///< sparse Cholesky (Eigen SimplicialLDLT, double): exact, the test reference
  Sor,       ///< red-black successive over-relaxation: simple, slow on large domains
  Multigrid  ///< geometric multigrid V-cycles on the masked domain: the fast default
};

/// Returns "auto", "direct", "sor" or "multigrid".
const char* toString(SolverKind kind);

/// Parses "auto", "direct", "sor" or "multigrid"; throws ParameterError otherwise.
SolverKind solverKindFromString(const std::string& name);

/// Parameters shared by the solvers.
struct SolverParams {
  SolverKind kind = SolverKind::Auto;
  /// Stop when ||b - A x||_2 <= tolerance * ||b||_2 in every channel (b includes
  /// the boundary values). 1e-5 keeps the result within 0.5/255 of full scale
  /// of the exact solution on the cases we measure (tests and benchmark).
  /// Multigrid also stops when a V-cycle no longer halves the residual (the
  /// float32 rounding floor); the report gives the residual reached.
  double tolerance = 1e-5;
  /// Iteration cap: V-cycles for multigrid, sweeps for SOR.
  int max_iterations = 50;
  /// Auto uses the direct solver up to this many unknowns per channel.
  std::size_t direct_max_unknowns = 16384;
  /// Multigrid smoothing sweeps before and after the coarse-grid correction.
  /// With the boundary smoothing, V(1,1) needs as many V-cycles as V(2,2) on
  /// large pastes, each about a third cheaper (docs/performance.md).
  int pre_smoothing = 1;
  int post_smoothing = 1;
};

/// What a solve did.
struct SolveReport {
  SolverKind solver = SolverKind::Auto;  ///< the solver that ran (never Auto)
  int iterations = 0;                    ///< V-cycles, SOR sweeps, or 0 for direct
  double relative_residual = 0.0;        ///< final max over channels of ||r|| / ||b||
  double seconds = 0.0;                  ///< wall time of the solve
  std::size_t unknowns = 0;              ///< unknowns per channel
  /// Of `iterations`, the multigrid cycles that smoothed only the cells near
  /// the domain's boundary (a re-solve whose residual sits there, as after
  /// PoissonProblem::moveTo; see MultigridSolver).
  int boundary_cycles = 0;
  bool warm_started = false;  ///< set by callers that warm-started
};

/// What a solver may keep between solves (the multigrid's level hierarchy and
/// its scratch memory). Re-solving a problem with the same workspace, after
/// PoissonProblem::moveTo or to refine it, skips rebuilding that; a solve
/// checks that what is kept fits the problem it is given, so any workspace
/// works with any problem. Not for two solves at once.
class SolverWorkspace {
 public:
  SolverWorkspace();
  ~SolverWorkspace();
  SolverWorkspace(SolverWorkspace&&) noexcept;
  SolverWorkspace& operator=(SolverWorkspace&&) noexcept;
  SolverWorkspace(const SolverWorkspace&) = delete;
  SolverWorkspace& operator=(const SolverWorkspace&) = delete;

  struct Multigrid;  ///< defined by MultigridSolver
  std::unique_ptr<Multigrid> multigrid;
};

/// A solver of PoissonProblems.
class PoissonSolver {
 public:
  virtual ~PoissonSolver() = default;
  /// Solves in place: reads problem.solution() as the initial guess, leaves the solution there.
  virtual SolveReport solve(PoissonProblem& problem, Progress& progress) = 0;
};

/// The solver kind Auto picks for a problem of `unknowns` unknowns per channel.
SolverKind chooseSolver(std::size_t unknowns, const SolverParams& params = {});

/// Creates a solver; Auto picks by the problem's size at solve time. A
/// workspace, when given, must outlive the solver.
std::unique_ptr<PoissonSolver> makeSolver(const SolverParams& params = {},
                                          SolverWorkspace* workspace = nullptr);

/// Convenience: makeSolver(params, workspace)->solve(problem, progress).
SolveReport solvePoisson(PoissonProblem& problem, const SolverParams& params = {},
                         Progress& progress = noProgress(), SolverWorkspace* workspace = nullptr);

}  // namespace harmonia
