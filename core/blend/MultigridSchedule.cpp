#include "core/blend/MultigridSchedule.h"

#include <tbb/parallel_invoke.h>

#include "core/blend/MultigridRelaxation.h"
#include "core/blend/MultigridTransfer.h"
#include "core/util/Simd.h"

namespace harmonia::multigrid {
namespace {

// runPass is compiled for AVX2+FMA as well as the baseline and picked at run
// time (HARMONIA_SIMD_CLONES, core/util/Simd.h); everything it calls is
// inlined into it.

// One pass of `stages` over level f (channel ch; c: the coarse level, for
// Prolong and Restrict). Returns the summed residual squares of its Restrict
// and Measure stages.
HARMONIA_SIMD_CLONES
double runPass(const Level& f, const Level* c, int ch, const Stage* stages, int S, Part part) {
  std::vector<float> r(f.w);
  std::vector<float> scratch(c ? 3 * static_cast<std::size_t>(c->w) : 0);
  double sq = 0.0;
  auto stage = [&](int s, int j) __attribute__((always_inline)) {
    if (f.row_start[j] == f.row_start[j + 1]) return;
    const Op op = stages[s].op;
    if (op == Op::Prolong) {
      prolongRow(*c, f, ch, j, scratch.data());
      return;
    }
    // One code path per kind of stage, on the span list the stage names.
    const bool warm = op == Op::RelaxWarm || op == Op::RestrictWarm || op == Op::MeasureWarm;
    const std::vector<RowSpan>& spans =
        warm ? f.warm_band : (op == Op::RelaxBand ? f.band : f.spans);
    const std::vector<int>& start =
        warm ? f.warm_row_start : (op == Op::RelaxBand ? f.band_row_start : f.row_start);
    if (op == Op::Relax || op == Op::RelaxBand || op == Op::RelaxWarm) {
      relaxSpans(f, ch, j, stages[s].colour, spans, start);
      return;
    }
    sq += residualSpans(f, ch, j, r.data(), spans, start);
    if (op == Op::Restrict || op == Op::RestrictWarm) {
      restrictRow(f, *c, ch, j, r.data(), spans, start);
    }
  };
  runWavefront(f.h, S, part, stage);
  return sq;
}

}  // namespace

double pass(const Level& f, const Level* c, int ch, const Stages& stages, bool split) {
  const int S = static_cast<int>(stages.size());
  if (S == 0) return 0.0;
  if (!split || f.unknowns < kSplitUnknowns || f.h < 4 * S + 8) {
    return runPass(f, c, ch, stages.data(), S, Part::Whole);
  }
  double top = 0.0, bottom = 0.0;
  tbb::parallel_invoke([&] { top = runPass(f, c, ch, stages.data(), S, Part::Top); },
                       [&] { bottom = runPass(f, c, ch, stages.data(), S, Part::Bottom); });
  return top + bottom + runPass(f, c, ch, stages.data(), S, Part::Seam);
}

}  // namespace harmonia::multigrid
