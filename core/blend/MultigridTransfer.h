#pragma once
// Grid transfers between multigrid levels (see MultigridSolver.h): restriction
// of a fine row's residual and bilinear prolongation of the coarse correction
// into a fine row. Always inlined into the pass that runs them
// (MultigridSchedule.cpp), which is compiled for AVX2+FMA as well as the baseline.

#include <algorithm>
#include <vector>

#include "core/blend/MultigridLevel.h"
#include "core/blend/StencilKernels.h"

namespace harmonia::multigrid {

// Adds r over the spans of fine row j to the coarse right-hand side (each
// coarse cell sums its children).
HARMONIA_STENCIL_INLINE void restrictRow(const Level& f, const Level& c, int ch, int j,
                                         const float* r, const std::vector<RowSpan>& spans,
                                         const std::vector<int>& start) {
  float* bc = c.b[ch] + c.at(0, half(f.oy + j) - c.oy) - c.ox;
  for (int s = start[j]; s < start[j + 1]; ++s) {
    const RowSpan& sp = spans[s];
    int i = sp.x0;
    if ((f.ox + i) & 1) {
      bc[half(f.ox + i)] += r[i];
      ++i;
    }
    for (; i + 1 < sp.x1; i += 2) bc[half(f.ox + i)] += r[i] + r[i + 1];
    if (i < sp.x1) bc[half(f.ox + i)] += r[i];
  }
}

// x_f += bilinear interpolation of coarse x (zero outside the coarse domain,
// mirrored at the image edge), for fine row j. Fine cell 2I takes
// 9/16 a[I] + 3/16 (a[I-1] + n[I]) + 1/16 n[I-1] and cell 2I + 1 the same with
// I + 1 (a: coarse row J, n: the coarse row on the fine row's side). The whole
// fine row of corrections is built first in `scratch` (at least 3 * c.w
// floats) with contiguous loops, then added to the domain's spans.
HARMONIA_STENCIL_INLINE void prolongRow(const Level& c, const Level& f, int ch, int j,
                                        float* scratch) {
  if (j < 0 || j >= f.h || f.row_start[j] == f.row_start[j + 1]) return;
  const int fy = f.oy + j;
  const int J = half(fy);
  const int Jn = std::clamp((fy & 1) ? J + 1 : J - 1, 0, c.img_h - 1);
  const float* __restrict a = c.x[ch] + c.at(0, J - c.oy);  // local coarse columns
  const float* __restrict n = c.x[ch] + c.at(0, Jn - c.oy);
  const int w = c.w;
  float* __restrict side = scratch;      // 3/16 a + 1/16 n
  float* __restrict fine = scratch + w;  // 2 * w: fine cell 2I + p at [2I + p]
  for (int i = 0; i < w; ++i) side[i] = 0.1875f * a[i] + 0.0625f * n[i];
  // Interior coarse columns (the level's ring keeps I - 1 and I + 1 in range
  // for every coarse parent of a domain cell).
  for (int i = 1; i + 1 < w; ++i) {
    const float centre = 0.5625f * a[i] + 0.1875f * n[i];
    fine[2 * i] = centre + side[i - 1];
    fine[2 * i + 1] = centre + side[i + 1];
  }
  // At the image edges the missing neighbour mirrors to the cell itself.
  const int firstCol = -c.ox, lastCol = c.img_w - 1 - c.ox;
  if (firstCol >= 1 && firstCol + 1 < w) {
    fine[2 * firstCol] = 0.5625f * a[firstCol] + 0.1875f * n[firstCol] + side[firstCol];
  }
  if (lastCol >= 1 && lastCol + 1 < w) {
    fine[2 * lastCol + 1] = 0.5625f * a[lastCol] + 0.1875f * n[lastCol] + side[lastCol];
  }
  float* __restrict x = f.x[ch] + f.at(0, j);
  const float* __restrict fromCell = fine + (f.ox - 2 * c.ox);  // fine cell i at fromCell[i]
  for (int s = f.row_start[j]; s < f.row_start[j + 1]; ++s) {
    const RowSpan& sp = f.spans[s];
    for (int i = sp.x0; i < sp.x1; ++i) x[i] += fromCell[i];
  }
}

}  // namespace harmonia::multigrid
