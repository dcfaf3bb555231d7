#pragma once
// One level of the multigrid hierarchy (see MultigridSolver.h): its grid, its
// domain as row spans, the boundary bands it smooths and, on coarse levels,
// its own x and b. Level 0 is the problem's grid and points at its arrays.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/blend/PoissonProblem.h"
#include "core/blend/StencilKernels.h"

namespace harmonia::multigrid {

using stencil::RowGeometry;

/// floor(v / 2) for negative v too (ghost cells sit at level coordinate -1).
inline int half(int v) { return v >> 1; }

/// One multigrid level: a grid in level coordinates (cell (i, j) is level cell
/// (ox + i, oy + j); level k's cells are 2^k x 2^k target pixels).
struct Level {
  int ox = 0, oy = 0, w = 0, h = 0;
  int img_w = 0, img_h = 0;  // image size in level cells
  std::vector<std::uint8_t> inside;
  std::vector<RowSpan> spans;
  std::vector<int> row_start;
  std::vector<RowSpan> band;  // domain cells near its Dirichlet boundary
  std::vector<int> band_row_start;
  // The wider band that boundary cycles smooth, and its first span per row.
  std::vector<RowSpan> warm_band;
  std::vector<int> warm_row_start;
  std::size_t unknowns = 0;
  std::vector<std::vector<float>> store;  // coarse levels own x and b
  std::vector<float*> x;
  std::vector<float*> b;

  [[nodiscard, gnu::always_inline]] int parity(int j) const { return (ox + oy + j) & 1; }
  [[nodiscard, gnu::always_inline]] RowGeometry geometry(const RowSpan& sp) const {
    const int ly = oy + sp.y;
    RowGeometry g;
    g.stride = w;
    g.diagonal = 4.0f - float(ly == 0) - float(ly == img_h - 1);
    g.left_edge = ox + sp.x0 == 0;
    g.right_edge = ox + sp.x1 - 1 == img_w - 1;
    return g;
  }
  [[nodiscard]] float diagonal(int i, int j) const {
    const int lx = ox + i;
    const int ly = oy + j;
    return 4.0f - float(lx == 0) - float(lx == img_w - 1) - float(ly == 0) - float(ly == img_h - 1);
  }
  [[nodiscard, gnu::always_inline]] std::size_t at(int i, int j) const {
    return static_cast<std::size_t>(j) * w + i;
  }
};

/// Fills L.spans, L.row_start and L.unknowns from L.inside.
void buildSpans(Level& L);

/// Index of the first span of every row of a level h rows high (spans sorted
/// by row); entry h is spans.size().
std::vector<int> rowStarts(const std::vector<RowSpan>& spans, int h);

/// Sets x and b of channel ch of a coarse level to zero, before a restriction into them.
void clearLevel(Level& c, int ch);

}  // namespace harmonia::multigrid
