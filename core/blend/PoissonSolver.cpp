#include "core/blend/PoissonSolver.h"

#include "core/blend/DirectSolver.h"
#include "core/blend/MultigridSolver.h"
#include "core/blend/SorSolver.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Picks the concrete solver when the problem's size is known.
class AutoSolver final : public PoissonSolver {
 public:
  AutoSolver(const SolverParams& params, SolverWorkspace* workspace)
      : params_(params), workspace_(workspace) {}
  SolveReport solve(PoissonProblem& problem, Progress& progress) override {
    SolverParams p = params_;
    p.kind = chooseSolver(problem.unknowns(), params_);
    return makeSolver(p, workspace_)->solve(problem, progress);
  }

 private:
  SolverParams params_;
  SolverWorkspace* workspace_;
};

}  // namespace

const char* toString(SolverKind kind) {
  switch (kind) {
    case SolverKind::Auto:
      return "auto";
    case SolverKind::Direct:
      return "direct";
    case SolverKind::Sor:
      return "sor";
    case SolverKind::Multigrid:
      return "multigrid";
  }
  return "auto";
}

SolverKind solverKindFromString(const std::string& name) {
  if (name == "auto") return SolverKind::Auto;
  if (name == "direct") return SolverKind::Direct;
  if (name == "sor") return SolverKind::Sor;
  if (name == "multigrid") return SolverKind::Multigrid;
  throw ParameterError("unknown solver '" + name + "' (expected auto, direct, sor or multigrid)");
}

SolverKind chooseSolver(std::size_t unknowns, const SolverParams& params) {
  return unknowns <= params.direct_max_unknowns ? SolverKind::Direct : SolverKind::Multigrid;
}

std::unique_ptr<PoissonSolver> makeSolver(const SolverParams& params, SolverWorkspace* workspace) {
  switch (params.kind) {
    case SolverKind::Direct:
      return std::make_unique<DirectSolver>();
    case SolverKind::Sor:
      return std::make_unique<SorSolver>(params);
    case SolverKind::Multigrid:
      return std::make_unique<MultigridSolver>(params, workspace);
    case SolverKind::Auto:
      break;
  }
  return std::make_unique<AutoSolver>(params, workspace);
}

SolveReport solvePoisson(PoissonProblem& problem, const SolverParams& params, Progress& progress,
                         SolverWorkspace* workspace) {
  return makeSolver(params, workspace)->solve(problem, progress);
}

}  // namespace harmonia
