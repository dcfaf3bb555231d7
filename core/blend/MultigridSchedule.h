#pragma once
// The multigrid's pass scheduler (see MultigridSolver.h): every pass over a
// level runs as a wavefront down its rows, so that all the half-sweeps, the
// residual and the restriction of a V-cycle's way down are one pass and each
// level streams through the cache about twice per V-cycle instead of once per
// half-sweep. A pass is a list of stages, each one row operation
// (MultigridRelaxation.h, MultigridTransfer.h).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/blend/MultigridLevel.h"
#include "core/blend/StencilKernels.h"

namespace harmonia::multigrid {

/// What one stage of a pass does to a row.
enum class Op : std::uint8_t {
  Prolong,       // x += the interpolated coarse correction, every domain cell
  Relax,         // a colour half-sweep over the row's domain cells
  RelaxBand,     // ... over its boundary-smoothing band
  RelaxWarm,     // ... over its warm band (boundary cycles)
  Restrict,      // residual (squares summed) added to the coarse right-hand side
  RestrictWarm,  // ... of the warm band only
  Measure,       // residual squares only
  MeasureWarm    // ... of the warm band only
};

/// One stage of a pass.
struct Stage {
  Op op = Op::Measure;
  int colour = 0;  // of the relaxations
};

using Stages = std::vector<Stage>;

/// Appends `sweeps` red-black sweeps (two half-sweeps each) of kind op.
inline void addSweeps(Stages& stages, Op op, int sweeps) {
  for (int k = 0; k < 2 * sweeps; ++k) stages.push_back({op, k & 1});
}

// Which rows of a level a pass covers. Whole: all, as one wavefront down the
// rows. Top and Bottom: the rows above and below the middle, as a wavefront
// down and one up, leaving a seam of a few rows per stage; they read and write
// disjoint rows, so they can run at once. Seam: the rest, after both.
enum class Part { Whole, Top, Bottom, Seam };

// Runs stages 0..S-1 on rows 0..h-1 such that stage s of row j runs after
// stage s - 1 of rows j - 1, j and j + 1 and before stage s + 1 of rows j - 1
// and j + 1: the order of S successive full passes, as far as a stage that
// reads a row's neighbours can tell (red-black half-sweeps only read the other
// colour; a residual only the final values).
template <class StageFn>
HARMONIA_STENCIL_INLINE void runWavefront(int h, int S, Part part, StageFn& stage) {
  const int m = (h / 2) & ~1;  // the seam's middle row
  switch (part) {
    case Part::Whole:
      // Stage s does row step - s: its neighbours did stage s - 1 at this
      // step or before, and do stage s + 1 after.
      for (int step = 0; step < h + S - 1; ++step) {
        for (int s = 0; s < S; ++s) {
          const int j = step - s;
          if (j >= 0 && j < h) stage(s, j);
        }
      }
      break;
    case Part::Top:
      // Stage s: rows 0 .. m - 2 - s (reads up to row m - 1, writes up to m - 2).
      for (int step = 0; step <= m - 2; ++step) {
        for (int s = 0; s < S; ++s) {
          const int j = step - s;
          if (j >= 0) stage(s, j);
        }
      }
      break;
    case Part::Bottom:
      // Stage s: rows h - 1 down to m + 1 + s (reads down to row m, writes down to m + 1).
      for (int step = 0; step <= h - 2 - m; ++step) {
        for (int s = 0; s < S; ++s) {
          const int j = h - 1 - (step - s);
          if (j < h && j >= m + 1 + s) stage(s, j);
        }
      }
      break;
    case Part::Seam:
      // Stage s: rows m - 1 - s .. m + s, stage by stage.
      for (int s = 0; s < S; ++s) {
        for (int j = std::max(0, m - 1 - s); j <= std::min(h - 1, m + s); ++j) stage(s, j);
      }
      break;
  }
}

// A channel solved with `split` set runs the passes over levels with at
// least this many unknowns as two halves at once (see MultigridSolver::solve).
// The result is the same either way: the halves do the same updates in another
// order that no stage can tell from the whole pass's.
constexpr std::size_t kSplitUnknowns = 100000;

/// One pass of `stages` over level f (channel ch; c: the coarse level, for
/// Prolong and Restrict stages), as two halves at once with `split` on large
/// levels. Returns the summed residual squares of its Restrict and Measure stages.
double pass(const Level& f, const Level* c, int ch, const Stages& stages, bool split = false);

}  // namespace harmonia::multigrid
