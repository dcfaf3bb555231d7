#pragma once
// The multigrid's level hierarchy and its cycles (see MultigridSolver.h):
// builds the levels of a PoissonProblem (MultigridCoarsening.h) and runs
// V-cycles, boundary cycles and full multigrid on them, one channel at a time.
//
// Boundary cycles (see MultigridSolver::solve) smooth the cells within
// kWarmRadius cells of the boundary on level 0 and kWarmCoarseRadius on the
// coarser levels, kWarmSweeps sweeps, on the levels above the first one with
// at most kFullLevelUnknowns unknowns; that level gets kWarmCoarseCycles
// V-cycles. The level-0 radius sets what they leave outside the band (the
// step between smoothed and merely interpolated corrections at its edge):
// with 8 cells ~13 tolerances, with 24 ~1. The coarse radius covers all the
// cells the level-0 band's residual restricts to (kWarmRadius / 2 + 1): with
// 8 that residual beyond 8 coarse cells was never smoothed nor passed down.
// How these values were chosen: docs/performance.md.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/blend/MultigridLevel.h"
#include "core/blend/MultigridSchedule.h"
#include "core/blend/PoissonProblem.h"
#include "core/blend/PoissonSolver.h"

namespace harmonia::multigrid {

constexpr int kWarmRadius = 24;
constexpr int kWarmCoarseRadius = kWarmRadius / 2 + 1;
constexpr int kWarmSweeps = 3;
constexpr std::size_t kFullLevelUnknowns = 60000;
constexpr int kWarmCoarseCycles = 2;

class CoarseSolve;

/// The levels of one problem and the cycles that run on them.
class Hierarchy {
 public:
  /// Builds the levels of p, down to an exactly solved coarsest one.
  explicit Hierarchy(PoissonProblem& p);
  ~Hierarchy();
  Hierarchy(const Hierarchy&) = delete;
  Hierarchy& operator=(const Hierarchy&) = delete;

  /// Whether this hierarchy was built for a problem of p's shape and storage
  /// (so that a problem moved in place, or refined, reuses it).
  [[nodiscard]] bool fits(PoissonProblem& p) const;

  /// The smoothing counts; builds the stage lists of the cycles.
  void setParams(const SolverParams& params);

  /// Whether channel c's passes over large levels run as two halves at once.
  void setSplit(int c, bool split) { split_[c] = split ? 1 : 0; }

  /// True when the problem is small enough for a single, exactly solved level.
  [[nodiscard]] bool single() const { return levels_.size() == 1; }

  /// Whether boundary cycles are possible (see MultigridSolver::solve).
  [[nodiscard]] bool hasBoundaryCycles() const { return firstFull_ > 0; }

  /// Sum of squared residuals of channel c over level 0's warm band.
  [[nodiscard]] double warmBandSquares(int c) const {
    return pass(levels_[0], nullptr, c, {{Op::MeasureWarm}}, split_[c]);
  }

  /// One boundary cycle on level l (< firstFull_) of channel c: a V-cycle whose
  /// smoothing and residual stay in the warm band of the levels above
  /// firstFull_, with kWarmCoarseCycles V-cycles on that one. Returns the
  /// squared residual norm over level l's warm band after it.
  double boundaryCycle(std::size_t l, int c);

  /// Sum of squared level-0 residuals of channel c.
  [[nodiscard]] double residualSquares(int c) const {
    return pass(levels_[0], nullptr, c, {{Op::Measure}}, split_[c]);
  }

  /// Exact solve when there is a single level.
  void solveExactly(int c);

  /// One V-cycle on level l of channel c: boundary smoothing, pre-smoothing,
  /// restriction; the coarse correction; prolongation, post-smoothing,
  /// boundary smoothing. Returns level 0's squared residual norm after it (0
  /// on the other levels).
  double vcycle(std::size_t l, int c);

  /// Full multigrid for the correction of level 0's current x: the residual is
  /// restricted to every level, solved on the coarsest, and interpolated up
  /// with one V-cycle per level. Returns the squared residual norm after it.
  double fullMultigrid(int c);

 private:
  template <class Coarser>
  double cycle(std::size_t l, int c, const Stages& down, const Stages& up, Coarser coarser);

  Stages vDown_, vUp_, vUpMeasured_;  // V-cycles (see setParams)
  Stages warmDown_, warmUp_;          // boundary cycles
  int nc_ = 0;
  std::vector<Level> levels_;
  std::unique_ptr<CoarseSolve> coarse_;
  std::size_t firstFull_ = 0;
  std::vector<std::uint8_t> split_;
};

}  // namespace harmonia::multigrid
