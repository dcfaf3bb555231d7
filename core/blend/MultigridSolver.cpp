#include "core/blend/MultigridSolver.h"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <Eigen/SparseCholesky>
#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/blend/StencilKernels.h"

namespace harmonia {
namespace {

using stencil::RowGeometry;

// A coarse cell joins the coarse domain when at least this many of its four
// children are domain cells. With 1 the coarse Dirichlet boundary can sit 1.5
// fine cells outside the true one and V-cycles converge poorly or diverge on
// large irregular masks; with 3 it is within half a fine cell (measured:
// about 15x residual reduction per V(2,2)-cycle on ellipses and rectangles).
// Parts thinner than that vanish from the coarse level; the smoother handles
// them, as they lie next to the boundary.
constexpr int kCoarseChildren = 3;
// Coarsening stops at this many unknowns; they are solved exactly.
constexpr std::size_t kCoarsestUnknowns = 600;
// Below this much work per pass, threads cost more than they save.
constexpr std::size_t kParallelWork = 24000;

// floor(v / 2) for negative v too (ghost cells sit at level coordinate -1).
int half(int v) { return v >> 1; }

// One multigrid level: a grid in level coordinates (cell (i, j) is level cell
// (ox + i, oy + j); level k's cells are 2^k x 2^k target pixels).
struct Level {
  int ox = 0, oy = 0, w = 0, h = 0;
  int imgW = 0, imgH = 0;  // image size in level cells
  std::vector<std::uint8_t> inside;
  std::vector<RowSpan> spans;
  std::vector<int> rowStart;
  std::vector<RowSpan> band;  // domain cells near its Dirichlet boundary
  std::vector<int> bandRowStart;
  // The wider band that boundary cycles smooth, and its first span per row.
  std::vector<RowSpan> warmBand;
  std::vector<int> warmRowStart;
  std::size_t unknowns = 0;
  std::vector<std::vector<float>> store;  // coarse levels own x and b
  std::vector<float*> x;
  std::vector<float*> b;

  [[nodiscard, gnu::always_inline]] int parity(int j) const { return (ox + oy + j) & 1; }
  [[nodiscard, gnu::always_inline]] RowGeometry geometry(const RowSpan& sp) const {
    const int ly = oy + sp.y;
    RowGeometry g;
    g.stride = w;
    g.diagonal = 4.0f - float(ly == 0) - float(ly == imgH - 1);
    g.leftEdge = ox + sp.x0 == 0;
    g.rightEdge = ox + sp.x1 - 1 == imgW - 1;
    return g;
  }
  [[nodiscard]] float diagonal(int i, int j) const {
    const int lx = ox + i;
    const int ly = oy + j;
    return 4.0f - float(lx == 0) - float(lx == imgW - 1) - float(ly == 0) - float(ly == imgH - 1);
  }
  [[nodiscard, gnu::always_inline]] std::size_t at(int i, int j) const {
    return static_cast<std::size_t>(j) * w + i;
  }
};

void buildSpans(Level& L) {
  L.spans.clear();
  L.rowStart.assign(L.h + 1, 0);
  L.unknowns = 0;
  for (int j = 0; j < L.h; ++j) {
    L.rowStart[j] = static_cast<int>(L.spans.size());
    const std::uint8_t* row = L.inside.data() + L.at(0, j);
    for (int i = 0; i < L.w;) {
      if (!row[i]) {
        ++i;
        continue;
      }
      int k = i;
      while (k < L.w && row[k]) ++k;
      L.spans.push_back({j, i, k});
      L.unknowns += static_cast<std::size_t>(k - i);
      i = k;
    }
  }
  L.rowStart[L.h] = static_cast<int>(L.spans.size());
}

// Boundary smoothing (as in McAdams et al. 2010, "A parallel multigrid
// Poisson solver for fluids simulation on large grids"): the coarse levels
// see the domain's boundary only to within a coarse cell, so the error next
// to it is what V-cycles reduce worst. kBandSweeps extra Gauss-Seidel sweeps
// over the cells within kBandRadius cells of the boundary, before the
// pre-smoothing and after the post-smoothing on every level, halve the
// V-cycles needed (measured on 1000x1000 ellipses and rectangles: 8 -> 4)
// for a few per cent more work per cycle.
constexpr int kBandRadius = 4;
constexpr int kBandSweeps = 4;

// Boundary cycles (see MultigridSolver::solve) smooth the cells within
// kWarmRadius cells of the boundary on level 0 and kWarmCoarseRadius on the
// coarser levels, kWarmSweeps sweeps, on the levels above the first one with
// at most kFullLevelUnknowns unknowns; that level gets kWarmCoarseCycles
// V-cycles. The level-0 radius sets what they leave outside the band (the
// step between smoothed and merely interpolated corrections at its edge):
// with 8 cells ~13 tolerances, with 24 ~1. The coarse radius covers all the
// cells the level-0 band's residual restricts to (kWarmRadius / 2 + 1): with
// 8 that residual beyond 8 coarse cells was never smoothed nor passed down.
// Measured on bench_blend's case (a) after a 5 px move, one channel (first
// residual 0.11, tolerance 1e-5): radius 24 and 8, one coarse V-cycle: 5
// boundary cycles, then a V-cycle for what they leave elsewhere (2.7e-5);
// 24 and 13 with two coarse V-cycles: 4 boundary cycles leave 9.7e-6 in all,
// no V-cycle follows: about 20% less time on one thread, about 10% for
// three channels on two threads (fastest of 30 drags in 5 directions).
constexpr int kWarmRadius = 24;
constexpr int kWarmCoarseRadius = kWarmRadius / 2 + 1;
constexpr int kWarmSweeps = 3;
constexpr std::size_t kFullLevelUnknowns = 60000;
constexpr int kWarmCoarseCycles = 2;
constexpr int kMaxWarmCycles = 8;

// The domain cells within R cells (Chebyshev distance) of a non-domain cell,
// as row spans: for each row, the non-domain gaps of the rows within the
// radius, widened by the radius, intersected with the row's spans. Works on
// spans only, so it costs next to nothing even for huge domains.
std::vector<RowSpan> bandSpans(const Level& L, const int R) {
  std::vector<RowSpan> band;
  constexpr int kFar = INT_MAX / 4;
  std::vector<std::pair<int, int>> gaps;  // half-open [begin, end)
  for (int j = 0; j < L.h; ++j) {
    if (L.rowStart[j] == L.rowStart[j + 1]) continue;
    gaps.clear();
    for (int k = j - R; k <= j + R; ++k) {
      if (k < 0 || k >= L.h) {
        gaps.emplace_back(-kFar, kFar);
        continue;
      }
      int gapStart = -kFar;
      for (int s = L.rowStart[k]; s < L.rowStart[k + 1]; ++s) {
        gaps.emplace_back(gapStart - R, L.spans[s].x0 + R);
        gapStart = L.spans[s].x1;
      }
      gaps.emplace_back(gapStart - R, kFar);
    }
    // Merge into disjoint intervals, then intersect with the row's spans.
    std::sort(gaps.begin(), gaps.end());
    std::size_t merged = 0;
    for (std::size_t q = 1; q < gaps.size(); ++q) {
      if (gaps[q].first <= gaps[merged].second) {
        gaps[merged].second = std::max(gaps[merged].second, gaps[q].second);
      } else {
        gaps[++merged] = gaps[q];
      }
    }
    gaps.resize(merged + 1);
    for (int s = L.rowStart[j]; s < L.rowStart[j + 1]; ++s) {
      const RowSpan& sp = L.spans[s];
      for (const auto& [begin, end] : gaps) {
        const int x0 = std::max(begin, sp.x0), x1 = std::min(end, sp.x1);
        if (x0 < x1) band.push_back({j, x0, x1});
      }
    }
  }
  return band;
}

// Index of the first span of every row of a level h rows high (spans sorted by row).
std::vector<int> rowStarts(const std::vector<RowSpan>& spans, int h) {
  std::vector<int> start(h + 1, static_cast<int>(spans.size()));
  for (std::size_t k = spans.size(); k-- > 0;) start[spans[k].y] = static_cast<int>(k);
  for (int j = h; j-- > 0;) start[j] = std::min(start[j], start[j + 1]);
  return start;
}

void buildBand(Level& L) {
  L.band = bandSpans(L, kBandRadius);
  L.bandRowStart = rowStarts(L.band, L.h);
}

Level coarsen(const Level& f, int channels) {
  int x0 = INT_MAX, x1 = INT_MIN, y0 = INT_MAX, y1 = INT_MIN;
  for (const RowSpan& sp : f.spans) {
    x0 = std::min(x0, f.ox + sp.x0);
    x1 = std::max(x1, f.ox + sp.x1 - 1);
    y0 = std::min(y0, f.oy + sp.y);
    y1 = std::max(y1, f.oy + sp.y);
  }
  Level c;
  c.ox = half(x0) - 1;
  c.oy = half(y0) - 1;
  c.w = half(x1) - half(x0) + 3;
  c.h = half(y1) - half(y0) + 3;
  c.imgW = (f.imgW + 1) / 2;
  c.imgH = (f.imgH + 1) / 2;
  c.inside.assign(static_cast<std::size_t>(c.w) * c.h, 0);
  for (const RowSpan& sp : f.spans) {
    const int cj = half(f.oy + sp.y) - c.oy;
    for (int i = sp.x0; i < sp.x1; ++i) ++c.inside[c.at(half(f.ox + i) - c.ox, cj)];  // children
  }
  for (auto& v : c.inside) v = v >= kCoarseChildren ? 1 : 0;
  buildSpans(c);
  buildBand(c);
  c.store.assign(2 * channels, std::vector<float>(c.inside.size(), 0.0f));
  for (int k = 0; k < channels; ++k) {
    c.x.push_back(c.store[2 * k].data());
    c.b.push_back(c.store[2 * k + 1].data());
  }
  return c;
}

// Exact solve on the coarsest level (any Dirichlet values in x are honoured).
class CoarseSolve {
 public:
  explicit CoarseSolve(const Level& L) : index_(L.inside.size(), -1) {
    for (const RowSpan& sp : L.spans) {
      for (int i = sp.x0; i < sp.x1; ++i) index_[L.at(i, sp.y)] = n_++;
    }
    std::vector<Eigen::Triplet<double>> entries;
    for (const RowSpan& sp : L.spans) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = L.at(i, sp.y);
        entries.emplace_back(index_[k], index_[k], L.diagonal(i, sp.y));
        for (const std::size_t q : {k - 1, k + 1, k - L.w, k + L.w}) {
          if (index_[q] >= 0) entries.emplace_back(index_[k], index_[q], -1.0);
        }
      }
    }
    Eigen::SparseMatrix<double> A(n_, n_);
    A.setFromTriplets(entries.begin(), entries.end());
    ldlt_.compute(A);
    if (ldlt_.info() != Eigen::Success) {
      throw std::runtime_error("multigrid: coarse factorization failed");
    }
  }

  void solve(const Level& L, int c) const {
    float* x = L.x[c];
    const float* b = L.b[c];
    Eigen::VectorXd rhs(n_);
    for (const RowSpan& sp : L.spans) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = L.at(i, sp.y);
        double v = b[k];
        for (const std::size_t q : {k - 1, k + 1, k - L.w, k + L.w}) {
          if (index_[q] < 0) v += x[q];
        }
        rhs[index_[k]] = v;
      }
    }
    const Eigen::VectorXd f = ldlt_.solve(rhs);
    for (const RowSpan& sp : L.spans) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = L.at(i, sp.y);
        x[k] = static_cast<float>(f[index_[k]]);
      }
    }
  }

 private:
  std::vector<int> index_;
  int n_ = 0;
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> ldlt_;
};

// Row operations of one channel. Every pass over a level runs as a wavefront
// down its rows (see runWavefront): all the half-sweeps, the residual and the
// restriction of a V-cycle's way down are one pass, so each level streams
// through the cache about twice per V-cycle instead of once per half-sweep.
// runPass is compiled for AVX2+FMA as well as the baseline and picked at run
// time; everything it calls is inlined into it.
#define HARMONIA_MG_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

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
  if (j < 0 || j >= f.h || f.rowStart[j] == f.rowStart[j + 1]) return;
  const int fy = f.oy + j;
  const int J = half(fy);
  const int Jn = std::clamp((fy & 1) ? J + 1 : J - 1, 0, c.imgH - 1);
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
  const int firstCol = -c.ox, lastCol = c.imgW - 1 - c.ox;
  if (firstCol >= 1 && firstCol + 1 < w) {
    fine[2 * firstCol] = 0.5625f * a[firstCol] + 0.1875f * n[firstCol] + side[firstCol];
  }
  if (lastCol >= 1 && lastCol + 1 < w) {
    fine[2 * lastCol + 1] = 0.5625f * a[lastCol] + 0.1875f * n[lastCol] + side[lastCol];
  }
  float* __restrict x = f.x[ch] + f.at(0, j);
  const float* __restrict fromCell = fine + (f.ox - 2 * c.ox);  // fine cell i at fromCell[i]
  for (int s = f.rowStart[j]; s < f.rowStart[j + 1]; ++s) {
    const RowSpan& sp = f.spans[s];
    for (int i = sp.x0; i < sp.x1; ++i) x[i] += fromCell[i];
  }
}

// What one stage of a pass does to a row.
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

struct Stage {
  Op op = Op::Measure;
  int colour = 0;  // of the relaxations
};

using Stages = std::vector<Stage>;

// Appends `sweeps` red-black sweeps (two half-sweeps each) of kind op.
void addSweeps(Stages& stages, Op op, int sweeps) {
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

// One pass of `stages` over level f (channel ch; c: the coarse level, for
// Prolong and Restrict). Returns the summed residual squares of its Restrict
// and Measure stages.
HARMONIA_MG_CLONES
double runPass(const Level& f, const Level* c, int ch, const Stage* stages, int S, Part part) {
  std::vector<float> r(f.w);
  std::vector<float> scratch(c ? 3 * static_cast<std::size_t>(c->w) : 0);
  double sq = 0.0;
  auto stage = [&](int s, int j) __attribute__((always_inline)) {
    if (f.rowStart[j] == f.rowStart[j + 1]) return;
    const Op op = stages[s].op;
    if (op == Op::Prolong) {
      prolongRow(*c, f, ch, j, scratch.data());
      return;
    }
    // One code path per kind of stage, on the span list the stage names.
    const bool warm = op == Op::RelaxWarm || op == Op::RestrictWarm || op == Op::MeasureWarm;
    const std::vector<RowSpan>& spans =
        warm ? f.warmBand : (op == Op::RelaxBand ? f.band : f.spans);
    const std::vector<int>& start =
        warm ? f.warmRowStart : (op == Op::RelaxBand ? f.bandRowStart : f.rowStart);
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

// A channel solved with `split` set runs the passes over levels with at
// least this many unknowns as two halves at once (see MultigridSolver::solve).
// The result is the same either way: the halves do the same updates in another
// order that no stage can tell from the whole pass's.
constexpr std::size_t kSplitUnknowns = 100000;

double pass(const Level& f, const Level* c, int ch, const Stages& stages, bool split = false) {
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

// Coarse x and b of channel ch to zero, before a restriction into them.
void clearLevel(Level& c, int ch) {
  std::fill_n(c.x[ch], c.inside.size(), 0.0f);
  std::fill_n(c.b[ch], c.inside.size(), 0.0f);
}

class Hierarchy {
 public:
  explicit Hierarchy(PoissonProblem& p) {
    nc_ = p.channels();
    split_.assign(nc_, 0);
    Level L0;
    L0.w = p.gridWidth();
    L0.h = p.gridHeight();
    if (insideImage(p)) {
      // No cell on the image's edge: the levels need not know where the grid
      // is, and stay valid when the problem moves (PoissonProblem::moveTo).
      L0.ox = L0.oy = kFarOrigin;
      L0.imgW = L0.imgH = 4 * kFarOrigin;
    } else {
      L0.ox = p.gridX();
      L0.oy = p.gridY();
      L0.imgW = p.imageWidth();
      L0.imgH = p.imageHeight();
    }
    L0.inside = p.inside();
    L0.spans = p.spans();
    L0.rowStart = p.rowStart();
    L0.unknowns = p.unknowns();
    for (int c = 0; c < nc_; ++c) {
      L0.x.push_back(p.solution(c).data());
      // Level 0's right-hand side is only read.
      L0.b.push_back(const_cast<float*>(p.rhs(c).data()));
    }
    buildBand(L0);
    levels_.push_back(std::move(L0));
    while (levels_.back().unknowns > kCoarsestUnknowns && levels_.size() < 24) {
      Level c = coarsen(levels_.back(), nc_);
      if (c.unknowns == 0 || c.unknowns * 10 > levels_.back().unknowns * 9) break;
      levels_.push_back(std::move(c));
    }
    coarse_ = std::make_unique<CoarseSolve>(levels_.back());
    // Boundary cycles need a band level above a full one.
    firstFull_ = 1;
    while (firstFull_ + 1 < levels_.size() && levels_[firstFull_].unknowns > kFullLevelUnknowns) {
      ++firstFull_;
    }
    if (levels_.size() < 3) firstFull_ = 0;
    for (std::size_t l = 0; l < firstFull_; ++l) {
      Level& L = levels_[l];
      L.warmBand = bandSpans(L, l == 0 ? kWarmRadius : kWarmCoarseRadius);
      L.warmRowStart = rowStarts(L.warmBand, L.h);
    }
  }

  // Whether this hierarchy was built for a problem of p's shape and storage
  // (so that a problem moved in place, or refined, reuses it).
  [[nodiscard]] bool fits(PoissonProblem& p) const {
    const Level& L = levels_[0];
    if (p.channels() != nc_ || p.gridWidth() != L.w || p.gridHeight() != L.h) return false;
    if (insideImage(p) != (L.ox == kFarOrigin && L.imgW == 4 * kFarOrigin)) return false;
    if (!insideImage(p) && (L.ox != p.gridX() || L.oy != p.gridY() || L.imgW != p.imageWidth() ||
                            L.imgH != p.imageHeight())) {
      return false;
    }
    for (int c = 0; c < nc_; ++c) {
      if (L.x[c] != p.solution(c).data() || L.b[c] != p.rhs(c).data()) return false;
    }
    const std::vector<RowSpan>& spans = p.spans();
    if (spans.size() != L.spans.size()) return false;
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const RowSpan& a = spans[k];
      const RowSpan& b = L.spans[k];
      if (a.y != b.y || a.x0 != b.x0 || a.x1 != b.x1) return false;
    }
    return true;
  }

  // The smoothing counts; builds the stage lists of the cycles.
  void setParams(const SolverParams& params) {
    vDown_.clear();
    addSweeps(vDown_, Op::RelaxBand, kBandSweeps);
    addSweeps(vDown_, Op::Relax, params.pre_smoothing);
    vDown_.push_back({Op::Restrict});
    vUp_.assign(1, {Op::Prolong});
    addSweeps(vUp_, Op::Relax, params.post_smoothing);
    addSweeps(vUp_, Op::RelaxBand, kBandSweeps);
    vUpMeasured_ = vUp_;
    vUpMeasured_.push_back({Op::Measure});  // level 0's stopping test
    warmDown_.clear();
    addSweeps(warmDown_, Op::RelaxWarm, kWarmSweeps);
    warmDown_.push_back({Op::RestrictWarm});
    warmUp_.assign(1, {Op::Prolong});
    addSweeps(warmUp_, Op::RelaxWarm, kWarmSweeps);
    warmUp_.push_back({Op::MeasureWarm});
  }

  // Whether channel c's passes over large levels run as two halves at once.
  void setSplit(int c, bool split) { split_[c] = split ? 1 : 0; }

  [[nodiscard]] bool single() const { return levels_.size() == 1; }

  // Whether boundary cycles are possible (see MultigridSolver::solve).
  [[nodiscard]] bool hasBoundaryCycles() const { return firstFull_ > 0; }

  // Sum of squared residuals of channel c over level 0's warm band.
  [[nodiscard]] double warmBandSquares(int c) const {
    return pass(levels_[0], nullptr, c, {{Op::MeasureWarm}}, split_[c]);
  }

  // One boundary cycle on level l (< firstFull_) of channel c: a V-cycle whose
  // smoothing and residual stay in the warm band of the levels above
  // firstFull_, with kWarmCoarseCycles V-cycles on that one. Returns the
  // squared residual norm over level l's warm band after it.
  double boundaryCycle(std::size_t l, int c) {
    return cycle(l, c, warmDown_, warmUp_, [&] {
      if (l + 1 < firstFull_) {
        boundaryCycle(l + 1, c);
      } else {
        for (int k = 0; k < kWarmCoarseCycles; ++k) vcycle(l + 1, c);
      }
    });
  }

  // Sum of squared level-0 residuals of channel c.
  [[nodiscard]] double residualSquares(int c) const {
    return pass(levels_[0], nullptr, c, {{Op::Measure}}, split_[c]);
  }

  // Exact solve when there is a single level.
  void solveExactly(int c) { coarse_->solve(levels_[0], c); }

  // One V-cycle on level l of channel c: boundary smoothing, pre-smoothing,
  // restriction; the coarse correction; prolongation, post-smoothing,
  // boundary smoothing. Returns level 0's squared residual norm after it (0
  // on the other levels).
  double vcycle(std::size_t l, int c) {
    return cycle(l, c, vDown_, l == 0 ? vUpMeasured_ : vUp_, [&] { vcycle(l + 1, c); });
  }

  // Full multigrid for the correction of level 0's current x: the residual is
  // restricted to every level, solved on the coarsest, and interpolated up
  // with one V-cycle per level. Returns the squared residual norm after it.
  double fullMultigrid(int c) {
    for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
      clearLevel(levels_[l + 1], c);
      pass(levels_[l], &levels_[l + 1], c, {{Op::Restrict}}, split_[c]);
    }
    coarse_->solve(levels_.back(), c);
    double sq = 0.0;
    for (std::size_t l = levels_.size() - 1; l-- > 0;) {
      pass(levels_[l], &levels_[l + 1], c, {{Op::Prolong}}, split_[c]);
      sq = vcycle(l, c);
    }
    return sq;
  }

 private:
  // The shape both kinds of cycle share, on level l of channel c: `down`
  // (ending in a restriction to level l + 1), the correction on level l + 1
  // (`coarser`, or the exact solve when that is the coarsest level), then
  // `up` (starting with the prolongation). Returns what `up` measured.
  template <class Coarser>
  double cycle(std::size_t l, int c, const Stages& down, const Stages& up, Coarser coarser) {
    Level& L = levels_[l];
    Level& C = levels_[l + 1];
    clearLevel(C, c);
    pass(L, &C, c, down, split_[c]);
    if (l + 2 == levels_.size()) {
      coarse_->solve(C, c);
    } else {
      coarser();
    }
    return pass(L, &C, c, up, split_[c]);
  }

  // Level-0 origin of a hierarchy built away from any image edge.
  static constexpr int kFarOrigin = 1 << 24;

  static bool insideImage(const PoissonProblem& p) {
    return p.gridX() >= 0 && p.gridY() >= 0 && p.gridX() + p.gridWidth() <= p.imageWidth() &&
           p.gridY() + p.gridHeight() <= p.imageHeight();
  }

  Stages vDown_, vUp_, vUpMeasured_;  // V-cycles (see setParams)
  Stages warmDown_, warmUp_;          // boundary cycles
  int nc_ = 0;
  std::vector<Level> levels_;
  std::unique_ptr<CoarseSolve> coarse_;
  std::size_t firstFull_ = 0;
  std::vector<std::uint8_t> split_;
};

}  // namespace

struct SolverWorkspace::Multigrid {
  std::unique_ptr<Hierarchy> hierarchy;
};

SolverWorkspace::SolverWorkspace() = default;
SolverWorkspace::~SolverWorkspace() = default;
SolverWorkspace::SolverWorkspace(SolverWorkspace&&) noexcept = default;
SolverWorkspace& SolverWorkspace::operator=(SolverWorkspace&&) noexcept = default;

MultigridSolver::MultigridSolver(const SolverParams& params, SolverWorkspace* workspace)
    : params_(params), workspace_(workspace) {}

SolveReport MultigridSolver::solve(PoissonProblem& problem, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Hierarchy> own;
  Hierarchy* levels = nullptr;
  bool resolve = false;  // the workspace has this problem's levels
  if (workspace_) {
    auto& kept = workspace_->multigrid;
    if (!kept) kept = std::make_unique<SolverWorkspace::Multigrid>();
    resolve = kept->hierarchy && kept->hierarchy->fits(problem);
    if (!resolve) {
      kept->hierarchy.reset();
      kept->hierarchy = std::make_unique<Hierarchy>(problem);
    }
    levels = kept->hierarchy.get();
  } else {
    own = std::make_unique<Hierarchy>(problem);
    levels = own.get();
  }
  Hierarchy& hierarchy = *levels;
  hierarchy.setParams(params_);
  const int nc = problem.channels();
  const double tol = params_.tolerance;
  std::vector<double> relative(nc, 0.0);
  std::vector<int> cycles(nc, 0);
  std::vector<int> boundaryCycles(nc, 0);
  const auto solveChannel = [&](int c) {
    const double scale = problem.rhsNorm(c) > 0.0 ? problem.rhsNorm(c) : 1.0;
    if (hierarchy.single()) {
      hierarchy.solveExactly(c);
      relative[c] = std::sqrt(hierarchy.residualSquares(c)) / scale;
      cycles[c] = 1;
      return;
    }
    const double squares = hierarchy.residualSquares(c);
    double rel = std::sqrt(squares) / scale;
    if (rel <= tol) {
      relative[c] = rel;
      return;
    }
    const double first = rel;
    const auto report = [&](double now) {
      if (c == 0 && now > 0.0) {
        progress.report(std::clamp(std::log(first / now) / std::log(first / tol), 0.0, 1.0));
      }
    };
    // A re-solve (the workspace kept this problem's levels) whose residual
    // sits next to the boundary (the paste moved: only the boundary values
    // changed) needs its fine-level work only there. Boundary cycles reduce it
    // there about as fast as V-cycles, at a fraction of their cost; V-cycles
    // then take in what they leave elsewhere, if that is above the tolerance.
    // (A cold solve's residual also sits at the boundary, the initial guess
    // being the shifted source, but its correction is large and what boundary
    // cycles leave elsewhere takes as many V-cycles as the full-multigrid
    // start needs.)
    bool boundary = false;
    if (resolve && hierarchy.hasBoundaryCycles() && params_.max_iterations > 1 &&
        rel > 10.0 * tol) {
      const double outside = std::max(0.0, squares - hierarchy.warmBandSquares(c));
      // What the last solve left elsewhere: up to about the tolerance.
      boundary = std::sqrt(outside) / scale <= 3.0 * tol;
    }
    if (boundary) {
      double band = rel;
      while (cycles[c] + 1 < params_.max_iterations) {
        progress.throwIfCancelled();
        const double before = band;
        band = std::sqrt(hierarchy.boundaryCycle(0, c)) / scale;
        ++cycles[c];
        ++boundaryCycles[c];
        // Down to the tolerance in the band: what is left there and elsewhere
        // (a few tolerances at most) is then one V-cycle's work, if any.
        if (band <= tol || band > 0.5 * before || boundaryCycles[c] == kMaxWarmCycles) break;
        report(band);
      }
      rel = std::sqrt(hierarchy.residualSquares(c)) / scale;
    } else if (params_.max_iterations > 0) {
      rel = std::sqrt(hierarchy.fullMultigrid(c)) / scale;
      cycles[c] = 1;
    }
    while (rel > tol && cycles[c] < params_.max_iterations) {
      progress.throwIfCancelled();
      const double before = rel;
      rel = std::sqrt(hierarchy.vcycle(0, c)) / scale;
      ++cycles[c];
      // A V-cycle cuts the residual ~15x; when it no longer halves it, the
      // float32 rounding floor is reached and more cycles change nothing.
      if (rel > 0.5 * before) break;
      report(rel);
    }
    relative[c] = rel;
  };
  // Channels are independent solves: one thread each, every sweep in cache.
  // With fewer channels than threads (a grey image on two cores) each channel
  // runs its passes over the large levels as two halves at once. (Splitting
  // the third of three channels on two cores, after the first two, measured
  // slower on bench_blend than leaving one thread idle for it.)
  const int threads =
      std::max(1, std::min<int>(tbb::this_task_arena::max_concurrency(),
                                static_cast<int>(tbb::global_control::active_value(
                                    tbb::global_control::max_allowed_parallelism))));
  const bool split = nc < threads;
  for (int c = 0; c < nc; ++c) hierarchy.setSplit(c, split);
  tbb::parallel_for(0, nc, solveChannel);
  SolveReport report;
  report.solver = SolverKind::Multigrid;
  report.unknowns = problem.unknowns();
  report.iterations = *std::max_element(cycles.begin(), cycles.end());
  report.boundary_cycles = *std::max_element(boundaryCycles.begin(), boundaryCycles.end());
  report.relative_residual = *std::max_element(relative.begin(), relative.end());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace harmonia
