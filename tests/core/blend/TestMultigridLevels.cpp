// The multigrid's building blocks (core/blend/Multigrid*.h) on small levels
// whose spans, bands, coarse domains, exact solutions and pass orders are
// worked out by hand in the comments.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "core/blend/MultigridBands.h"
#include "core/blend/MultigridCoarseSolve.h"
#include "core/blend/MultigridCoarsening.h"
#include "core/blend/MultigridLevel.h"
#include "core/blend/MultigridSchedule.h"

using namespace harmonia;
using namespace harmonia::multigrid;

namespace {

// A level of w x h cells at level origin (ox, oy) whose domain is the cells
// marked 1 in `rows` (row 0 first), in an image of imgW x imgH level cells.
Level makeLevel(const std::vector<std::vector<int>>& rows, int ox = 0, int oy = 0,
                int imgW = 1 << 20, int imgH = 1 << 20) {
  Level L;
  L.h = static_cast<int>(rows.size());
  L.w = static_cast<int>(rows[0].size());
  L.ox = ox;
  L.oy = oy;
  L.img_w = imgW;
  L.img_h = imgH;
  for (const auto& row : rows) {
    for (int v : row) L.inside.push_back(static_cast<std::uint8_t>(v));
  }
  buildSpans(L);
  return L;
}

// A level whose domain is the square [a, b] x [a, b] of an n x n grid.
Level squareLevel(int n, int a, int b) {
  std::vector<std::vector<int>> rows(n, std::vector<int>(n, 0));
  for (int j = a; j <= b; ++j) {
    for (int i = a; i <= b; ++i) rows[j][i] = 1;
  }
  return makeLevel(rows);
}

std::vector<std::vector<int>> asTriples(const std::vector<RowSpan>& spans) {
  std::vector<std::vector<int>> out;
  for (const RowSpan& s : spans) out.push_back({s.y, s.x0, s.x1});
  return out;
}

}  // namespace

TEST(MultigridLevel, HalfRoundsDown) {
  EXPECT_EQ(half(5), 2);
  EXPECT_EQ(half(4), 2);
  EXPECT_EQ(half(0), 0);
  EXPECT_EQ(half(-1), -1);  // a ghost cell left of level cell 0
  EXPECT_EQ(half(-3), -2);
}

TEST(MultigridLevel, SpansAndRowStarts) {
  // Row 0: cells 1-2 and 4; row 1: none; row 2: all five.
  const Level L = makeLevel({{0, 1, 1, 0, 1}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}});
  EXPECT_EQ(asTriples(L.spans), (std::vector<std::vector<int>>{{0, 1, 3}, {0, 4, 5}, {2, 0, 5}}));
  EXPECT_EQ(L.row_start, (std::vector<int>{0, 2, 2, 3}));
  EXPECT_EQ(L.unknowns, 8u);
  EXPECT_EQ(rowStarts(L.spans, L.h), L.row_start);
  EXPECT_EQ(rowStarts({}, 2), (std::vector<int>{0, 0, 0}));
}

TEST(MultigridLevel, GeometryMarksImageEdges) {
  // A 3x2 level at the image's top-left corner of a 3 x 5 image.
  const Level L = makeLevel({{1, 1, 1}, {1, 1, 1}}, 0, 0, 3, 5);
  EXPECT_FLOAT_EQ(L.diagonal(0, 0), 2.0f);  // left and top edges
  EXPECT_FLOAT_EQ(L.diagonal(1, 1), 4.0f);
  EXPECT_FLOAT_EQ(L.diagonal(2, 1), 3.0f);  // right edge
  const RowGeometry g = L.geometry(L.spans[0]);
  EXPECT_EQ(g.stride, 3);
  EXPECT_FLOAT_EQ(g.diagonal, 3.0f);  // row 0 is on the top edge
  EXPECT_TRUE(g.left_edge);
  EXPECT_TRUE(g.right_edge);
}

TEST(MultigridBands, RadiusOneIsTheDomainsRing) {
  // A 7x7 square (cells 1..7) in a 9x9 grid: its outer ring of cells.
  const Level L = squareLevel(9, 1, 7);
  std::vector<std::vector<int>> ring = {{1, 1, 8}};
  for (int j = 2; j <= 6; ++j) {
    ring.push_back({j, 1, 2});
    ring.push_back({j, 7, 8});
  }
  ring.push_back({7, 1, 8});
  EXPECT_EQ(asTriples(bandSpans(L, 1)), ring);
}

TEST(MultigridBands, RadiusTwoIsTwoRings) {
  const Level L = squareLevel(9, 1, 7);
  std::vector<std::vector<int>> band = {{1, 1, 8}, {2, 1, 8}};
  for (int j = 3; j <= 5; ++j) {
    band.push_back({j, 1, 3});
    band.push_back({j, 6, 8});
  }
  band.push_back({6, 1, 8});
  band.push_back({7, 1, 8});
  EXPECT_EQ(asTriples(bandSpans(L, 2)), band);
}

TEST(MultigridBands, RowsBeyondTheGridCountAsOutside) {
  // One full row: every cell has an out-of-grid neighbour above and below.
  const Level L = makeLevel({{1, 1, 1, 1, 1, 1}});
  EXPECT_EQ(asTriples(bandSpans(L, 1)), (std::vector<std::vector<int>>{{0, 0, 6}}));
}

TEST(MultigridBands, BuildBandUsesTheBandRadius) {
  // A 20x20 square: radius kBandRadius (4) leaves a 12x12 core out.
  Level L = squareLevel(22, 1, 20);
  buildBand(L);
  std::size_t cells = 0;
  for (const RowSpan& s : L.band) cells += static_cast<std::size_t>(s.x1 - s.x0);
  EXPECT_EQ(cells, 20u * 20u - 12u * 12u);
  EXPECT_EQ(L.band_row_start, rowStarts(L.band, L.h));
}

TEST(MultigridCoarsening, AlignedSquareHalves) {
  // Fine cells 2..5 (both axes) of an 8x8 image: coarse cells 1..2, each with
  // four children. The coarse grid is cells 0..3 (a ghost ring of one).
  Level f = makeLevel(
      {
          {0, 0, 0, 0, 0, 0, 0, 0},
          {0, 0, 0, 0, 0, 0, 0, 0},
          {0, 0, 1, 1, 1, 1, 0, 0},
          {0, 0, 1, 1, 1, 1, 0, 0},
          {0, 0, 1, 1, 1, 1, 0, 0},
          {0, 0, 1, 1, 1, 1, 0, 0},
          {0, 0, 0, 0, 0, 0, 0, 0},
          {0, 0, 0, 0, 0, 0, 0, 0},
      },
      0, 0, 8, 8);
  const Level c = coarsen(f, 2);
  EXPECT_EQ(c.ox, 0);
  EXPECT_EQ(c.oy, 0);
  EXPECT_EQ(c.w, 4);
  EXPECT_EQ(c.h, 4);
  EXPECT_EQ(c.img_w, 4);
  EXPECT_EQ(c.img_h, 4);
  EXPECT_EQ(c.unknowns, 4u);
  EXPECT_EQ(asTriples(c.spans), (std::vector<std::vector<int>>{{1, 1, 3}, {2, 1, 3}}));
  ASSERT_EQ(c.x.size(), 2u);
  ASSERT_EQ(c.b.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    EXPECT_TRUE(std::all_of(c.x[k], c.x[k] + 16, [](float v) { return v == 0.0f; }));
    EXPECT_TRUE(std::all_of(c.b[k], c.b[k] + 16, [](float v) { return v == 0.0f; }));
  }
}

TEST(MultigridCoarsening, CoarseCellNeedsThreeChildren) {
  // Fine cells 1..4 of a 6x6 image: their parents are coarse cells 0, 1, 1, 2
  // per axis, so only coarse cell (1, 1) has kCoarseChildren (4 >= 3)
  // children; (0, *) and (2, *) have 1 or 2. Grid: cells -1..3, so the
  // domain cell sits at local (2, 2).
  std::vector<std::vector<int>> rows(6, std::vector<int>(6, 0));
  for (int j = 1; j <= 4; ++j) {
    for (int i = 1; i <= 4; ++i) rows[j][i] = 1;
  }
  const Level c = coarsen(makeLevel(rows, 0, 0, 6, 6), 1);
  EXPECT_EQ(c.ox, -1);
  EXPECT_EQ(c.oy, -1);
  EXPECT_EQ(c.w, 5);
  EXPECT_EQ(c.h, 5);
  EXPECT_EQ(c.unknowns, 1u);
  EXPECT_EQ(asTriples(c.spans), (std::vector<std::vector<int>>{{2, 2, 3}}));
}

TEST(MultigridCoarseSolve, SolvesTwoCellsExactly) {
  // Cells (1, 1) and (2, 1) of a 4x3 level away from the image's edges, with
  // Dirichlet values 0 except x = 3 left of the first cell:
  //   4 x1 - x2 = b1 + 3,  -x1 + 4 x2 = b2,  b = (1, 2)
  // gives x1 = (4 * 4 + 2) / 15 = 1.2, x2 = (4 + 4 * 2) / 15 = 0.8.
  Level L = makeLevel({{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 0, 0}}, 1000, 1000);
  std::vector<float> x(12, 0.0f), b(12, 0.0f);
  x[L.at(0, 1)] = 3.0f;
  b[L.at(1, 1)] = 1.0f;
  b[L.at(2, 1)] = 2.0f;
  L.x.push_back(x.data());
  L.b.push_back(b.data());
  const CoarseSolve solver(L);
  solver.solve(L, 0);
  EXPECT_NEAR(x[L.at(1, 1)], 1.2f, 1e-6);
  EXPECT_NEAR(x[L.at(2, 1)], 0.8f, 1e-6);
  EXPECT_EQ(x[L.at(0, 1)], 3.0f);  // Dirichlet values stay
}

TEST(MultigridSchedule, AddSweepsAlternatesColours) {
  Stages stages;
  addSweeps(stages, Op::Relax, 2);
  ASSERT_EQ(stages.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(stages[k].op, Op::Relax);
    EXPECT_EQ(stages[k].colour, k % 2);
  }
}

namespace {

// The order in which a wavefront runs (stage, row) pairs.
using Order = std::vector<std::pair<int, int>>;

Order wavefrontOrder(int h, int S, Part part) {
  Order order;
  auto record = [&](int s, int j) { order.emplace_back(s, j); };
  runWavefront(h, S, part, record);
  return order;
}

// Checks that `order` runs every (stage, row) once and each stage of a row
// after the previous stage of the row and its two neighbours: the order of S
// successive full passes as far as the stages can tell.
void expectPassOrder(const Order& order, int h, int S) {
  std::map<std::pair<int, int>, int> when;
  for (std::size_t t = 0; t < order.size(); ++t) {
    EXPECT_TRUE(when.emplace(order[t], static_cast<int>(t)).second)
        << "stage " << order[t].first << " row " << order[t].second << " twice";
  }
  ASSERT_EQ(when.size(), static_cast<std::size_t>(h * S));
  for (int s = 1; s < S; ++s) {
    for (int j = 0; j < h; ++j) {
      for (int k = std::max(0, j - 1); k <= std::min(h - 1, j + 1); ++k) {
        EXPECT_LT(when[std::make_pair(s - 1, k)], when[std::make_pair(s, j)])
            << "stage " << s << " row " << j;
      }
    }
  }
}

}  // namespace

TEST(MultigridSchedule, WholeWavefrontKeepsThePassOrder) {
  // Step 0 runs stage 0 on row 0; step 1 stage 0 on row 1 and stage 1 on row 0.
  const Order order = wavefrontOrder(5, 2, Part::Whole);
  EXPECT_EQ((Order(order.begin(), order.begin() + 3)), (Order{{0, 0}, {0, 1}, {1, 0}}));
  expectPassOrder(order, 5, 2);
  expectPassOrder(wavefrontOrder(1, 3, Part::Whole), 1, 3);
}

TEST(MultigridSchedule, HalvesAndSeamKeepThePassOrder) {
  const int h = 40, S = 3;
  const Order top = wavefrontOrder(h, S, Part::Top);
  const Order bottom = wavefrontOrder(h, S, Part::Bottom);
  Order all = top;
  all.insert(all.end(), bottom.begin(), bottom.end());
  const Order seam = wavefrontOrder(h, S, Part::Seam);
  all.insert(all.end(), seam.begin(), seam.end());
  expectPassOrder(all, h, S);
  // Top and Bottom run at once: what one writes, the other neither reads
  // (rows next to it) nor writes.
  int topMax = -1, bottomMin = h;
  for (const auto& [s, j] : top) topMax = std::max(topMax, j);
  for (const auto& [s, j] : bottom) bottomMin = std::min(bottomMin, j);
  EXPECT_LT(topMax + 1, bottomMin);
  // The middle row m = 20: Top's stage 0 reaches row 18, Bottom's row 21.
  EXPECT_EQ(topMax, 18);
  EXPECT_EQ(bottomMin, 21);
}
