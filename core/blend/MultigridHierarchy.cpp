#include "core/blend/MultigridHierarchy.h"

#include <utility>

#include "core/blend/MultigridBands.h"
#include "core/blend/MultigridCoarseSolve.h"
#include "core/blend/MultigridCoarsening.h"

namespace harmonia::multigrid {
namespace {

// Level-0 origin of a hierarchy built away from any image edge.
constexpr int kFarOrigin = 1 << 24;

bool insideImage(const PoissonProblem& p) {
  return p.gridX() >= 0 && p.gridY() >= 0 && p.gridX() + p.gridWidth() <= p.imageWidth() &&
         p.gridY() + p.gridHeight() <= p.imageHeight();
}

}  // namespace

Hierarchy::Hierarchy(PoissonProblem& p) {
  nc_ = p.channels();
  split_.assign(nc_, 0);
  Level L0;
  L0.w = p.gridWidth();
  L0.h = p.gridHeight();
  if (insideImage(p)) {
    // No cell on the image's edge: the levels need not know where the grid
    // is, and stay valid when the problem moves (PoissonProblem::moveTo).
    L0.ox = L0.oy = kFarOrigin;
    L0.img_w = L0.img_h = 4 * kFarOrigin;
  } else {
    L0.ox = p.gridX();
    L0.oy = p.gridY();
    L0.img_w = p.imageWidth();
    L0.img_h = p.imageHeight();
  }
  L0.inside = p.inside();
  L0.spans = p.spans();
  L0.row_start = p.rowStart();
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
    L.warm_band = bandSpans(L, l == 0 ? kWarmRadius : kWarmCoarseRadius);
    L.warm_row_start = rowStarts(L.warm_band, L.h);
  }
}

Hierarchy::~Hierarchy() = default;

bool Hierarchy::fits(PoissonProblem& p) const {
  const Level& L = levels_[0];
  if (p.channels() != nc_ || p.gridWidth() != L.w || p.gridHeight() != L.h) return false;
  if (insideImage(p) != (L.ox == kFarOrigin && L.img_w == 4 * kFarOrigin)) return false;
  if (!insideImage(p) && (L.ox != p.gridX() || L.oy != p.gridY() || L.img_w != p.imageWidth() ||
                          L.img_h != p.imageHeight())) {
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

void Hierarchy::setParams(const SolverParams& params) {
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

// The shape both kinds of cycle share, on level l of channel c: `down`
// (ending in a restriction to level l + 1), the correction on level l + 1
// (`coarser`, or the exact solve when that is the coarsest level), then
// `up` (starting with the prolongation). Returns what `up` measured.
template <class Coarser>
double Hierarchy::cycle(std::size_t l, int c, const Stages& down, const Stages& up,
                        Coarser coarser) {
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

double Hierarchy::boundaryCycle(std::size_t l, int c) {
  return cycle(l, c, warmDown_, warmUp_, [&] {
    if (l + 1 < firstFull_) {
      boundaryCycle(l + 1, c);
    } else {
      for (int k = 0; k < kWarmCoarseCycles; ++k) vcycle(l + 1, c);
    }
  });
}

void Hierarchy::solveExactly(int c) { coarse_->solve(levels_[0], c); }

double Hierarchy::vcycle(std::size_t l, int c) {
  return cycle(l, c, vDown_, l == 0 ? vUpMeasured_ : vUp_, [&] { vcycle(l + 1, c); });
}

double Hierarchy::fullMultigrid(int c) {
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

}  // namespace harmonia::multigrid
