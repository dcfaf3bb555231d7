#pragma once
// Relaxation on a multigrid level (see MultigridSolver.h): red-black
// Gauss-Seidel half-sweeps and residuals over one row's spans. Always inlined
// into the pass that runs them (MultigridSchedule.cpp), which is compiled for
// AVX2+FMA as well as the baseline.

#include <vector>

#include "core/blend/MultigridLevel.h"
#include "core/blend/StencilKernels.h"

namespace harmonia::multigrid {

// One colour half-sweep over the spans of row j.
HARMONIA_STENCIL_INLINE void relaxSpans(const Level& L, int c, int j, int colour,
                                        const std::vector<RowSpan>& spans,
                                        const std::vector<int>& start) {
  const std::size_t row = L.at(0, j);
  const int parity = L.parity(j);
  for (int s = start[j]; s < start[j + 1]; ++s) {
    const RowSpan& sp = spans[s];
    stencil::relaxSpan(L.x[c] + row, L.b[c] + row, L.geometry(sp), sp.x0, sp.x1, parity, colour,
                       1.0f);
  }
}

// Residual of the spans of row j into r (indexed like the row); returns its squares.
HARMONIA_STENCIL_INLINE double residualSpans(const Level& L, int c, int j, float* r,
                                             const std::vector<RowSpan>& spans,
                                             const std::vector<int>& start) {
  double sq = 0.0;
  const std::size_t row = L.at(0, j);
  for (int s = start[j]; s < start[j + 1]; ++s) {
    const RowSpan& sp = spans[s];
    sq += stencil::residualSpan(L.x[c] + row, L.b[c] + row, r, L.geometry(sp), sp.x0, sp.x1);
  }
  return sq;
}

}  // namespace harmonia::multigrid
