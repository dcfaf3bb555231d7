// The iterative solvers agree with the direct sparse solve.
//
// Tolerance: 0.5/255 of full scale (0.5 on 8-bit values), the accuracy the
// solvers promise at their default relative residual (1e-5); it is also the
// largest error that cannot change an 8-bit result by more than one level.

#include <gtest/gtest.h>

#include <tbb/global_control.h>
#include <atomic>

#include <opencv2/imgproc.hpp>

#include "blend/BlendTestSupport.h"
#include "core/blend/DirectSolver.h"
#include "core/blend/MultigridSolver.h"
#include "core/blend/SorSolver.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::ellipseMask;
using harmonia::test::makeMask;
using harmonia::test::maxDomainDifference;
using harmonia::test::raggedMask;
using harmonia::test::smoothTexture;

namespace {

constexpr double kTolerance = 0.5;  // 8-bit levels

struct Case {
  const char* name;
  Image2D mask;
  Placement at;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({"ellipse", ellipseMask(90, 70), {25, 20}});
  out.push_back({"holes and components", raggedMask(90, 70), {20, 30}});
  out.push_back({"over the top-left corner", ellipseMask(90, 70), {-30, -25}});
  out.push_back({"over the bottom-right corner", ellipseMask(90, 70), {100, 60}});
  out.push_back(
      {"across the right edge", makeMask(90, 70, [](cv::Mat& m) { m.setTo(255); }), {120, 30}});
  return out;
}

}  // namespace

TEST(PoissonSolvers, MultigridAndSorAgreeWithDirect) {
  const Image2D target = smoothTexture(160, 120, 21, 6);
  const Image2D source = smoothTexture(90, 70, 22, 4);
  for (const Case& c : cases()) {
    for (BlendMode mode : {BlendMode::Normal, BlendMode::Mixed}) {
      PoissonProblem exact = PoissonProblem::build(target, source, c.mask, c.at, mode);
      PoissonProblem mg = exact;
      PoissonProblem sor = exact;
      DirectSolver().solve(exact, noProgress());
      const SolveReport rm = MultigridSolver().solve(mg, noProgress());
      const SolveReport rs = SorSolver().solve(sor, noProgress());
      EXPECT_LE(rm.relative_residual, SolverParams{}.tolerance) << c.name;
      EXPECT_LE(rs.relative_residual, SolverParams{}.tolerance) << c.name;
      EXPECT_LE(maxDomainDifference(exact, mg), kTolerance) << c.name << " " << toString(mode);
      EXPECT_LE(maxDomainDifference(exact, sor), kTolerance) << c.name << " " << toString(mode);
      EXPECT_LE(rm.iterations, 8) << c.name;  // convergence, not speed
    }
  }
}

TEST(PoissonSolvers, LargerEllipseMultigridMatchesDirect) {
  const Image2D target = smoothTexture(500, 400, 31, 16);
  const Image2D source = smoothTexture(300, 240, 32, 16);
  PoissonProblem exact =
      PoissonProblem::build(target, source, ellipseMask(300, 240), {90, 70}, BlendMode::Normal);
  PoissonProblem mg = exact;
  DirectSolver().solve(exact, noProgress());
  const SolveReport r = MultigridSolver().solve(mg, noProgress());
  EXPECT_LE(maxDomainDifference(exact, mg), kTolerance) << r.iterations << " V-cycles";
  // Convergence, not speed: with boundary smoothing a cold solve to 1e-5 takes
  // one full-multigrid pass and at most four V-cycles (without it, eight).
  EXPECT_LE(r.iterations, 5) << "residual " << r.relative_residual;
}

TEST(PoissonSolvers, ReSolvesAfterMovesKeepTheLevelsAndMatchDirect) {
  // A paste dragged in place (moveTo) and re-solved with one workspace: every
  // re-solve reaches the tolerance and matches the direct solve at its
  // placement, and takes the boundary cycles (the residual of a moved paste
  // sits at its boundary). For an ellipse and for a mask with holes, several
  // components, a 1-px stroke and lone pixels. The same workspace then serves
  // a problem of another shape, over the image's corner (levels rebuilt).
  const Image2D target = smoothTexture(500, 400, 41, 16);
  const Image2D source = smoothTexture(300, 240, 42, 16);
  const Image2D ragged = raggedMask(300, 240);
  const SolverParams params;
  SolverWorkspace workspace;
  MultigridSolver solver(params, &workspace);
  for (const Image2D& mask : {ellipseMask(300, 240), ragged}) {
    PoissonProblem moving =
        PoissonProblem::build(target, source, mask, {90, 70}, BlendMode::Normal);
    solver.solve(moving, noProgress());
    for (const Placement at : {Placement{95, 70}, Placement{95, 73}, Placement{91, 76}}) {
      SCOPED_TRACE(std::to_string(at.x) + "," + std::to_string(at.y));
      ASSERT_TRUE(moving.moveTo(target, at));
      const SolveReport r = solver.solve(moving, noProgress());
      EXPECT_GT(r.boundary_cycles, 0);
      EXPECT_LE(r.relative_residual, params.tolerance);
      EXPECT_NEAR(moving.relativeResidual(), r.relative_residual, 1e-3 * params.tolerance);
      PoissonProblem exact = PoissonProblem::build(target, source, mask, at, BlendMode::Normal);
      DirectSolver().solve(exact, noProgress());
      EXPECT_LE(maxDomainDifference(exact, moving), kTolerance);
    }
  }
  PoissonProblem corner =
      PoissonProblem::build(target, source, ellipseMask(300, 240), {-60, -50}, BlendMode::Normal);
  PoissonProblem exact = corner;
  DirectSolver().solve(exact, noProgress());
  const SolveReport r = solver.solve(corner, noProgress());
  EXPECT_LE(r.relative_residual, params.tolerance);
  EXPECT_LE(maxDomainDifference(exact, corner), kTolerance);
}

TEST(PoissonSolvers, ACancelledReSolveLeavesAProblemTheNextSolveFinishes) {
  // Cancelled during the boundary cycles (after the first progress report):
  // the solve throws Cancelled, and the corrections it made have all landed,
  // so the next solve of the same problem reaches the tolerance and matches
  // the direct solve.
  // Progress is called from the solver's worker threads: atomic (a plain bool
  // was a data race, found by ThreadSanitizer).
  struct CancelAfterFirstReport final : Progress {
    void report(double) override { reported = true; }
    [[nodiscard]] bool cancelRequested() const override { return reported; }
    std::atomic<bool> reported{false};
  };
  const Image2D target = smoothTexture(500, 400, 61, 16);
  const Image2D source = smoothTexture(300, 240, 62, 16);
  const Image2D mask = ellipseMask(300, 240);
  SolverWorkspace workspace;
  MultigridSolver solver(SolverParams{}, &workspace);
  PoissonProblem moving = PoissonProblem::build(target, source, mask, {90, 70}, BlendMode::Normal);
  solver.solve(moving, noProgress());
  ASSERT_TRUE(moving.moveTo(target, {97, 74}));
  CancelAfterFirstReport cancel;
  EXPECT_THROW(solver.solve(moving, cancel), Cancelled);
  EXPECT_TRUE(cancel.reported);
  const SolveReport r = solver.solve(moving, noProgress());
  EXPECT_LE(r.relative_residual, SolverParams{}.tolerance);
  PoissonProblem exact = PoissonProblem::build(target, source, mask, {97, 74}, BlendMode::Normal);
  DirectSolver().solve(exact, noProgress());
  EXPECT_LE(maxDomainDifference(exact, moving), kTolerance);
}

TEST(PoissonSolvers, MultigridGivesTheSameResultOnOneAndTwoThreads) {
  // With two threads a grey image's only channel runs its passes over large
  // levels as two halves at once; with one thread nothing is split. The same
  // number of cycles must give the same result up to the order of float
  // additions in the restriction (far below a thousandth of a level). Colour
  // (three channels, one thread each) is checked the same way.
  const Image2D colour = smoothTexture(620, 520, 51, 16);
  cv::Mat grey;
  cv::cvtColor(colour.mat(), grey, cv::COLOR_RGB2GRAY);
  const Image2D source = smoothTexture(420, 360, 52, 16);
  cv::Mat sourceGrey;
  cv::cvtColor(source.mat(), sourceGrey, cv::COLOR_RGB2GRAY);
  SolverParams params;
  params.tolerance = 0.0;  // a fixed number of cycles
  params.max_iterations = 3;
  for (const auto& [target, patch] :
       {std::pair{Image2D::wrap(grey), Image2D::wrap(sourceGrey)}, std::pair{colour, source}}) {
    SCOPED_TRACE(std::to_string(target.channels()) + " channels");
    PoissonProblem one =
        PoissonProblem::build(target, patch, ellipseMask(420, 360), {100, 80}, BlendMode::Normal);
    ASSERT_GT(one.unknowns(), 100000u);  // large enough to be split
    PoissonProblem two = one;
    {
      tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 1);
      MultigridSolver(params).solve(one, noProgress());
    }
    {
      tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
      MultigridSolver(params).solve(two, noProgress());
    }
    EXPECT_LE(maxDomainDifference(one, two), 1e-3);
    EXPECT_LE(two.relativeResidual(), 1e-3);  // and it converged
  }
}

TEST(PoissonSolvers, AutoChoosesBySize) {
  EXPECT_EQ(chooseSolver(100), SolverKind::Direct);
  EXPECT_EQ(chooseSolver(1'000'000), SolverKind::Multigrid);
  const Image2D target = smoothTexture(40, 40, 1);
  PoissonProblem small = PoissonProblem::build(target, smoothTexture(10, 10, 2),
                                               ellipseMask(10, 10), {5, 5}, BlendMode::Normal);
  EXPECT_EQ(solvePoisson(small).solver, SolverKind::Direct);
  EXPECT_EQ(solverKindFromString("sor"), SolverKind::Sor);
  EXPECT_THROW(solverKindFromString("fft"), ParameterError);
}
