#pragma once
// Row kernels of the 5-point Poisson operator shared by the iterative solvers.
//
// A level is a grid of floats with row stride `stride`; the unknowns of a row
// are runs [x0, x1) of cells (RowSpan). Cells outside the domain hold fixed
// (Dirichlet) values; cells outside the image hold 0 and are left out of the
// diagonal, which makes the image edge a zero-flux (Neumann) boundary:
//   d_p x_p - sum_{q in image} x_q = b_p,   d_p = number of in-image neighbours.
// Only the first and last cell of a span can sit on the image's left or right
// edge, and whole rows on its top or bottom edge, so the SIMD body runs with
// one diagonal per row and the (at most two) edge cells are done separately:
// no per-pixel mask test in the hot loops.

#include <cstring>

namespace harmonia::stencil {

// Always inlined: the multigrid compiles its row loops twice (AVX2+FMA and
// baseline, picked at run time); only code inlined into those functions gets
// the AVX2 build, an out-of-line kernel would run the baseline one for both.
#define HARMONIA_STENCIL_INLINE inline __attribute__((always_inline))

/// Eight floats in one SIMD value (two SSE registers on x86-64-v2, one AVX register on v3).
using Float8 = float __attribute__((vector_size(32)));

// Vectors travel by reference: passing 32-byte vectors by value changes the
// ABI between SSE and AVX builds (GCC's -Wpsabi).

/// Loads eight floats from any address into v.
HARMONIA_STENCIL_INLINE void load8(Float8& v, const float* p) { std::memcpy(&v, p, sizeof v); }

/// Sum of the four neighbours of the eight cells starting at p (row stride s).
HARMONIA_STENCIL_INLINE void neighbourSum8(Float8& sum, const float* p, int s) {
  Float8 l, r, u, d;
  load8(l, p - 1);
  load8(r, p + 1);
  load8(u, p - s);
  load8(d, p + s);
  sum = (l + r) + (u + d);
}

/// Stores eight floats to any address.
HARMONIA_STENCIL_INLINE void store8(float* p, const Float8& v) { std::memcpy(p, &v, sizeof v); }

/// What the span kernels need to know about one row of a level.
struct RowGeometry {
  int stride = 0;           ///< floats between vertically adjacent cells
  float diagonal = 4.0f;    ///< 4 minus off-image neighbours above/below
  bool left_edge = false;   ///< the span's first cell is in the image's first column
  bool right_edge = false;  ///< the span's last cell is in the image's last column
};

/// Diagonal of cell i of span [x0, x1) in a row with geometry g.
HARMONIA_STENCIL_INLINE float cellDiagonal(const RowGeometry& g, int i, int x0, int x1) {
  return g.diagonal - ((g.left_edge && i == x0) ? 1.0f : 0.0f) -
         ((g.right_edge && i == x1 - 1) ? 1.0f : 0.0f);
}

/// Over-relaxed Gauss-Seidel update of the cells of colour `colour` in [x0, x1)
/// of one row (x and b point at the row's first cell; `parity` is the colour
/// of cell 0). Red cells only read black ones, so the order within a colour
/// does not matter and the body can update eight cells at once, keeping the
/// other colour's lanes unchanged. omega = 1 is plain Gauss-Seidel.
HARMONIA_STENCIL_INLINE void relaxSpan(float* x, const float* b, const RowGeometry& g, int x0,
                                       int x1, int parity, int colour, float omega) {
  const int s = g.stride;
  const bool edgeL = g.left_edge;
  const bool edgeR = g.right_edge;
  int lo = x0 + (edgeL ? 1 : 0);
  int hi = x1 - (edgeR ? 1 : 0);
  const float invD = 1.0f / g.diagonal;
  const auto scalar = [&](int i) {
    if (((parity + i) & 1) != colour) return;
    const float d = cellDiagonal(g, i, x0, x1);
    const float gs = (x[i - 1] + x[i + 1] + x[i - s] + x[i + s] + b[i]) / d;
    x[i] += omega * (gs - x[i]);
  };
  if (edgeL) scalar(x0);
  if (edgeR && x1 - 1 > x0) scalar(x1 - 1);
  if (hi <= lo) return;
  // Lane l of a block starting at i updates when (parity + i + l) & 1 == colour;
  // the other lanes get weight 0, which keeps their value exactly.
  const Float8 wEven = {omega, 0, omega, 0, omega, 0, omega, 0};
  const Float8 wOdd = {0, omega, 0, omega, 0, omega, 0, omega};
  const Float8 vW = ((parity + lo) & 1) == colour ? wEven : wOdd;
  const Float8 vInvD = invD - Float8{};
  // Software-pipelined: the next block is loaded before this block is stored.
  // Loading x[i + 7] right after storing it would defeat store-to-load
  // forwarding (a partial overlap) and stall every block; the early load
  // reads the old value of x[i + 7], which only the other colour's lanes of
  // the next block use, and those lanes are discarded.
  int i = lo;
  if (i + 8 <= hi) {
    Float8 c, sum, bb;
    load8(c, x + i);
    neighbourSum8(sum, x + i, s);
    load8(bb, b + i);
    for (;;) {
      const Float8 gs = (sum + bb) * vInvD;
      const Float8 out = c + vW * (gs - c);
      const bool more = i + 16 <= hi;
      if (more) {
        load8(c, x + i + 8);
        neighbourSum8(sum, x + i + 8, s);
        load8(bb, b + i + 8);
      }
      store8(x + i, out);
      i += 8;
      if (!more) break;
    }
  }
  for (; i < hi; ++i) {
    if (((parity + i) & 1) != colour) continue;
    const float gs = (x[i - 1] + x[i + 1] + x[i - s] + x[i + s] + b[i]) * invD;
    x[i] += omega * (gs - x[i]);
  }
}

/// Residual b - A x of the cells [x0, x1) of one row, written to r[i] (r points
/// at the row start, like x and b); returns the sum of squared residuals.
HARMONIA_STENCIL_INLINE double residualSpan(const float* x, const float* b, float* r,
                                            const RowGeometry& g, int x0, int x1) {
  const int s = g.stride;
  int lo = x0 + (g.left_edge ? 1 : 0);
  int hi = x1 - (g.right_edge ? 1 : 0);
  double sq = 0.0;
  const auto scalar = [&](int i) {
    const float d = cellDiagonal(g, i, x0, x1);
    r[i] = b[i] + x[i - 1] + x[i + 1] + x[i - s] + x[i + s] - d * x[i];
    sq += double(r[i]) * r[i];
  };
  if (g.left_edge) scalar(x0);
  if (g.right_edge && x1 - 1 > x0) scalar(x1 - 1);
  if (hi <= lo) return sq;
  const Float8 vD = g.diagonal - Float8{};
  Float8 acc{};
  int i = lo;
  for (; i + 8 <= hi; i += 8) {
    Float8 c, sum, bb;
    load8(c, x + i);
    neighbourSum8(sum, x + i, s);
    load8(bb, b + i);
    const Float8 res = bb + sum - vD * c;
    store8(r + i, res);
    acc += res * res;
  }
  for (int l = 0; l < 8; ++l) sq += acc[l];
  for (; i < hi; ++i) {
    r[i] = b[i] + x[i - 1] + x[i + 1] + x[i - s] + x[i + s] - g.diagonal * x[i];
    sq += double(r[i]) * r[i];
  }
  return sq;
}

}  // namespace harmonia::stencil
