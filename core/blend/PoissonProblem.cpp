#include "core/blend/PoissonProblem.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/blend/StencilKernels.h"
#include "core/image/Mask2D.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

std::string sizeText(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

void checkChannels(const Image2D& image, const char* role) {
  const int c = image.channels();
  if (c != 1 && c != 3 && c != 4) {
    throw InputError(std::string("the ") + role + " has " + std::to_string(c) +
                     " channels (supported: 1, 3 or 4)");
  }
}

// `plane` (covering `have`, a sub-rectangle of `want`) extended to `want` by
// edge replication.
cv::Mat replicateTo(const cv::Mat& plane, const cv::Rect& have, const cv::Rect& want) {
  cv::Mat out;
  cv::copyMakeBorder(plane, out, have.y - want.y, want.br().y - have.br().y, have.x - want.x,
                     want.br().x - have.br().x, cv::BORDER_REPLICATE);
  return out;
}

// Bounding box of the non-zero pixels of a CV_8U image (empty when none).
// cv::boundingRect would read a two-column image as a list of points.
cv::Rect nonZeroBounds(const cv::Mat& m) {
  int x0 = m.cols, x1 = -1, y0 = m.rows, y1 = -1;
  for (int y = 0; y < m.rows; ++y) {
    const std::uint8_t* row = m.ptr<std::uint8_t>(y);
    const std::uint8_t* end = row + m.cols;
    const std::uint8_t* first = std::find_if(row, end, [](std::uint8_t v) { return v != 0; });
    if (first == end) continue;
    const auto last = std::find_if(std::make_reverse_iterator(end), std::make_reverse_iterator(row),
                                   [](std::uint8_t v) { return v != 0; });
    x0 = std::min(x0, static_cast<int>(first - row));
    x1 = std::max(x1, static_cast<int>(last.base() - row) - 1);
    y0 = std::min(y0, y);
    y1 = y;
  }
  return x1 < 0 ? cv::Rect() : cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
}

}  // namespace

std::vector<cv::Mat> colourPlanes(const Image2D& image, int channels, SampleType scaleOf) {
  cv::Mat f;
  image.mat().convertTo(f, CV_32F, fullScale(scaleOf) / fullScale(image.sampleType()));
  std::vector<cv::Mat> planes;
  cv::split(f, planes);
  if (planes.size() == 4) planes.pop_back();  // alpha is not a colour
  if (channels == 1 && planes.size() == 3) {
    cv::Mat grey = 0.299f * planes[0] + 0.587f * planes[1] + 0.114f * planes[2];
    return {grey};
  }
  if (channels == 3 && planes.size() == 1) return {planes[0], planes[0].clone(), planes[0].clone()};
  return planes;
}

PasteSource PasteSource::prepare(const Image2D& target, const Image2D& source, const Image2D& mask,
                                 BlendMode mode) {
  if (target.empty()) throw InputError("the target image is empty");
  if (source.empty()) throw InputError("the source image is empty");
  if (mask.empty()) throw InputError("the mask is empty");
  checkChannels(target, "target");
  checkChannels(source, "source");
  if (mask.width() != source.width() || mask.height() != source.height()) {
    throw InputError("the mask is " + sizeText(mask.width(), mask.height()) +
                     " but the source is " + sizeText(source.width(), source.height()) +
                     "; they must be the same size");
  }
  PasteSource s;
  s.mode = mode;
  s.mask01 = maskInside(mask);
  s.mask_box = nonZeroBounds(s.mask01);
  if (s.mask_box.area() == 0) {
    throw InputError("the mask is empty (no pixel at or above half of full scale)");
  }
  const int nc = target.channels() == 1 ? 1 : 3;
  s.planes = colourPlanes(source, mode == BlendMode::Monochrome ? 1 : nc, target.sampleType());
  return s;
}

PoissonProblem PoissonProblem::build(const Image2D& target, const Image2D& source,
                                     const Image2D& mask, Placement placement, BlendMode mode) {
  return build(target, PasteSource::prepare(target, source, mask, mode), placement);
}

PoissonProblem PoissonProblem::build(const Image2D& target, const PasteSource& source,
                                     Placement placement) {
  const BlendMode mode = source.mode;
  if (!isPoisson(mode)) {
    throw ParameterError("alpha compositing solves no Poisson problem (use a Poisson mode)");
  }
  const cv::Mat& maskBin = source.mask01;
  const cv::Rect maskBox = source.mask_box;
  const int W = target.width();
  const int H = target.height();
  const cv::Rect targetRect(0, 0, W, H);
  const cv::Point at(placement.x, placement.y);
  const cv::Rect onTarget = (maskBox + at) & targetRect;
  cv::Rect domainBox;
  if (onTarget.area() > 0) domainBox = nonZeroBounds(maskBin(onTarget - at)) + onTarget.tl();
  if (domainBox.area() == 0) {
    throw InputError("the paste at " + std::to_string(placement.x) + "," +
                     std::to_string(placement.y) + " lies entirely outside the target (" +
                     sizeText(W, H) + ")");
  }

  PoissonProblem p;
  p.imageWidth_ = W;
  p.imageHeight_ = H;
  p.placement_ = placement;
  p.mode_ = mode;
  p.gridX_ = domainBox.x - 1;
  p.gridY_ = domainBox.y - 1;
  p.gridWidth_ = domainBox.width + 2;
  p.gridHeight_ = domainBox.height + 2;
  const int gw = p.gridWidth_;
  const int gh = p.gridHeight_;
  const cv::Rect grid(p.gridX_, p.gridY_, gw, gh);
  const cv::Rect inImage = grid & targetRect;  // the grid minus off-target ghosts

  // Domain cells.
  cv::Mat inside = cv::Mat::zeros(gh, gw, CV_8U);
  maskBin(domainBox - at).copyTo(inside(domainBox - grid.tl()));
  p.inside_.assign(inside.ptr<std::uint8_t>(), inside.ptr<std::uint8_t>() + inside.total());
  p.rowStart_.assign(gh + 1, 0);
  for (int j = 0; j < gh; ++j) {
    p.rowStart_[j] = static_cast<int>(p.spans_.size());
    const std::uint8_t* row = inside.ptr<std::uint8_t>(j);
    for (int i = 0; i < gw;) {
      if (!row[i]) {
        ++i;
        continue;
      }
      int k = i;
      while (k < gw && row[k]) ++k;
      p.spans_.push_back({j, i, k});
      p.unknowns_ += static_cast<std::size_t>(k - i);
      i = k;
    }
  }
  p.rowStart_[gh] = static_cast<int>(p.spans_.size());
  if (p.unknowns_ == static_cast<std::size_t>(W) * H) {
    throw InputError(
        "the mask covers the whole target: no target pixels remain to fix the colours");
  }

  // Source and target planes on the grid. Outside the source and outside the
  // target, edge replication makes the gradient across the edge zero.
  const int nc = target.channels() == 1 ? 1 : 3;
  const cv::Rect sourceWant = inImage - at;
  const cv::Rect sourceHave = sourceWant & cv::Rect(0, 0, maskBin.cols, maskBin.rows);
  std::vector<cv::Mat> S;
  for (const cv::Mat& plane : source.planes) S.push_back(plane(sourceHave));
  while (static_cast<int>(S.size()) < nc) S.push_back(S[0]);
  const std::vector<cv::Mat> T =
      colourPlanes(Image2D::wrap(target.mat()(inImage)), nc, target.sampleType());
  const cv::Rect sourceHaveInGrid = sourceHave + at - grid.tl();
  const cv::Rect inImageInGrid = inImage - grid.tl();
  const cv::Rect wholeGrid(0, 0, gw, gh);

  // Domain cells with a neighbour outside the domain (channel independent).
  std::vector<std::size_t> boundaryCells;
  for (const RowSpan& sp : p.spans_) {
    for (int i = sp.x0; i < sp.x1; ++i) {
      const std::size_t k = static_cast<std::size_t>(sp.y) * gw + i;
      const auto& in = p.inside_;
      if (!in[k - 1] || !in[k + 1] || !in[k - gw] || !in[k + gw]) boundaryCells.push_back(k);
    }
  }
  p.rhs_.resize(nc);
  p.solution_.resize(nc);
  p.rhsNorm_.assign(nc, 0.0);
  p.guidanceSquares_.assign(nc, 0.0);
  for (const std::size_t k : boundaryCells) {
    for (const std::size_t q : {k - 1, k + 1, k - gw, k + gw}) {
      if (!p.inside_[q]) p.ring_.push_back(q);
    }
  }
  std::sort(p.ring_.begin(), p.ring_.end());
  p.ring_.erase(std::unique(p.ring_.begin(), p.ring_.end()), p.ring_.end());
  // Channels are independent: one task each.
  tbb::parallel_for(0, nc, [&](int c) {
    // Source first filled over the in-image part, then over the ghosts.
    const cv::Mat s =
        replicateTo(replicateTo(S[c], sourceHaveInGrid, inImageInGrid), inImageInGrid, wholeGrid);
    const cv::Mat t = replicateTo(T[c], inImageInGrid, wholeGrid);
    std::vector<float>& b = p.rhs_[c];
    b.assign(static_cast<std::size_t>(gw) * gh, 0.0f);
    for (int j = 1; j < gh - 1; ++j) {
      const float* s0 = s.ptr<float>(j);
      const float* su = s.ptr<float>(j - 1);
      const float* sd = s.ptr<float>(j + 1);
      float* bj = b.data() + static_cast<std::size_t>(j) * gw;
      if (mode == BlendMode::Mixed) {
        const float* t0 = t.ptr<float>(j);
        const float* tu = t.ptr<float>(j - 1);
        const float* td = t.ptr<float>(j + 1);
        for (int i = 1; i < gw - 1; ++i) {
          bj[i] = guidanceStep(mode, s0[i], s0[i - 1], t0[i], t0[i - 1]) +
                  guidanceStep(mode, s0[i], s0[i + 1], t0[i], t0[i + 1]) +
                  guidanceStep(mode, s0[i], su[i], t0[i], tu[i]) +
                  guidanceStep(mode, s0[i], sd[i], t0[i], td[i]);
        }
      } else {
        for (int i = 1; i < gw - 1; ++i) {
          bj[i] = 4.0f * s0[i] - s0[i - 1] - s0[i + 1] - su[i] - sd[i];
        }
      }
    }
    // Dirichlet values, zero ghosts, and the initial guess: the source shifted
    // by the mean difference across the boundary, so that the remaining error
    // is a harmonic function with zero-mean boundary values.
    std::vector<float>& x = p.solution_[c];
    x.assign(static_cast<std::size_t>(gw) * gh, 0.0f);
    for (int j = inImageInGrid.y; j < inImageInGrid.br().y; ++j) {
      std::copy_n(t.ptr<float>(j) + inImageInGrid.x, inImageInGrid.width,
                  x.data() + static_cast<std::size_t>(j) * gw + inImageInGrid.x);
    }
    double offset = 0.0;
    double normSq = 0.0;
    std::size_t pairs = 0;
    for (const RowSpan& sp : p.spans_) {
      const float* bj = b.data() + static_cast<std::size_t>(sp.y) * gw;
      float sum = 0.0f;
      for (int i = sp.x0; i < sp.x1; ++i) sum += bj[i] * bj[i];
      normSq += sum;
    }
    p.guidanceSquares_[c] = normSq;
    // Cells next to the boundary add their Dirichlet neighbours to the right-hand side.
    for (const std::size_t k : boundaryCells) {
      float dirichlet = 0.0f;
      const float sp = s.ptr<float>(0)[k];
      for (const std::size_t q : {k - 1, k + 1, k - gw, k + gw}) {
        if (p.inside_[q]) continue;
        dirichlet += x[q];  // 0 at ghosts
        if (inImageInGrid.contains(cv::Point(static_cast<int>(q % gw), static_cast<int>(q / gw)))) {
          offset += x[q] - sp;
          ++pairs;
        }
      }
      const double full = double(b[k]) + dirichlet;
      normSq += full * full - double(b[k]) * b[k];
    }
    p.rhsNorm_[c] = std::sqrt(std::max(normSq, 0.0));
    const float shift = pairs ? static_cast<float>(offset / pairs) : 0.0f;
    for (const RowSpan& sp : p.spans_) {
      const std::size_t row = static_cast<std::size_t>(sp.y) * gw;
      const float* s0 = s.ptr<float>(sp.y);
      for (int i = sp.x0; i < sp.x1; ++i) x[row + i] = s0[i] + shift;
    }
  });
  p.boundaryCells_ = std::move(boundaryCells);
  return p;
}

float PoissonProblem::diagonal(int i, int j) const {
  const int tx = gridX_ + i;
  const int ty = gridY_ + j;
  return 4.0f - (tx == 0) - (tx == imageWidth_ - 1) - (ty == 0) - (ty == imageHeight_ - 1);
}

double PoissonProblem::rhsNorm(int c) const { return rhsNorm_[c]; }

double PoissonProblem::residualNorm(int c) const {
  const std::vector<float>& x = solution_[c];
  const std::vector<float>& b = rhs_[c];
  std::vector<float> r(gridWidth_);
  double sq = 0.0;
  for (const RowSpan& sp : spans_) {
    const std::size_t row = static_cast<std::size_t>(sp.y) * gridWidth_;
    const int ty = gridY_ + sp.y;
    stencil::RowGeometry g;
    g.stride = gridWidth_;
    g.diagonal = 4.0f - (ty == 0) - (ty == imageHeight_ - 1);
    g.left_edge = gridX_ + sp.x0 == 0;
    g.right_edge = gridX_ + sp.x1 - 1 == imageWidth_ - 1;
    sq += stencil::residualSpan(x.data() + row, b.data() + row, r.data(), g, sp.x0, sp.x1);
  }
  return std::sqrt(sq);
}

double PoissonProblem::relativeResidual() const {
  double worst = 0.0;
  for (int c = 0; c < channels(); ++c) {
    const double scale = rhsNorm_[c] > 0.0 ? rhsNorm_[c] : 1.0;
    worst = std::max(worst, residualNorm(c) / scale);
  }
  return worst;
}

double PoissonProblem::warmStartFrom(const PoissonProblem& previous) {
  if (previous.channels() != channels() || unknowns_ == 0) return 0.0;
  // Grid cell (i, j) here shows the same source pixel as previous cell (i + dx, j + dy).
  const int dx = gridX_ - placement_.x + previous.placement_.x - previous.gridX_;
  const int dy = gridY_ - placement_.y + previous.placement_.y - previous.gridY_;
  std::size_t taken = 0;
  for (const RowSpan& sp : spans_) {
    const int pj = sp.y + dy;
    if (pj < 0 || pj >= previous.gridHeight_) continue;
    const int lo = std::max(sp.x0, -dx);
    const int hi = std::min(sp.x1, previous.gridWidth_ - dx);
    const std::size_t row = static_cast<std::size_t>(sp.y) * gridWidth_;
    const std::size_t prow = static_cast<std::size_t>(pj) * previous.gridWidth_ + dx;
    for (int i = lo; i < hi; ++i) {
      if (!previous.inside_[prow + i]) continue;
      for (int c = 0; c < channels(); ++c) solution_[c][row + i] = previous.solution_[c][prow + i];
      ++taken;
    }
  }
  return double(taken) / double(unknowns_);
}

void PoissonProblem::updateRhsNorms() {
  const std::size_t gw = static_cast<std::size_t>(gridWidth_);
  for (int c = 0; c < channels(); ++c) {
    const std::vector<float>& b = rhs_[c];
    const std::vector<float>& x = solution_[c];
    double normSq = guidanceSquares_[c];
    for (const std::size_t k : boundaryCells_) {
      float dirichlet = 0.0f;
      for (const std::size_t q : {k - 1, k + 1, k - gw, k + gw}) {
        if (!inside_[q]) dirichlet += x[q];
      }
      const double full = double(b[k]) + dirichlet;
      normSq += full * full - double(b[k]) * b[k];
    }
    rhsNorm_[c] = std::sqrt(std::max(normSq, 0.0));
  }
}

bool PoissonProblem::moveTo(const Image2D& target, Placement placement) {
  if (mode_ == BlendMode::Mixed || unknowns_ == 0) return false;
  if (target.width() != imageWidth_ || target.height() != imageHeight_) return false;
  const int nc = channels();
  if (nc != (target.channels() == 1 ? 1 : 3)) return false;
  const cv::Rect whole(0, 0, imageWidth_, imageHeight_);
  const cv::Rect before(gridX_, gridY_, gridWidth_, gridHeight_);
  const cv::Rect after = before + cv::Point(placement.x - placement_.x, placement.y - placement_.y);
  if ((before & whole) != before || (after & whole) != after) return false;
  // Dirichlet values of the ring from the target under the new grid position.
  const cv::Mat window = target.mat()(after);
  const int depth = window.depth();
  const int stride = window.channels();
  for (const std::size_t q : ring_) {
    const int i = static_cast<int>(q % static_cast<std::size_t>(gridWidth_));
    const int j = static_cast<int>(q / static_cast<std::size_t>(gridWidth_));
    for (int c = 0; c < nc; ++c) {
      float v = 0.0f;
      if (depth == CV_8U) {
        v = window.ptr<std::uint8_t>(j)[i * stride + c];
      } else if (depth == CV_16U) {
        v = window.ptr<std::uint16_t>(j)[i * stride + c];
      } else {
        v = window.ptr<float>(j)[i * stride + c];
      }
      solution_[c][q] = v;
    }
  }
  gridX_ = after.x;
  gridY_ = after.y;
  placement_ = placement;
  updateRhsNorms();
  return true;
}

void PoissonProblem::writeInto(Image2D& image) const {
  if (image.width() != imageWidth_ || image.height() != imageHeight_) {
    throw ParameterError("writeInto: the image is not the target's size");
  }
  const cv::Rect grid(gridX_, gridY_, gridWidth_, gridHeight_);
  const cv::Rect inImage = grid & cv::Rect(0, 0, imageWidth_, imageHeight_);
  const cv::Mat inside(gridHeight_, gridWidth_, CV_8U, const_cast<std::uint8_t*>(inside_.data()));
  const int depth = image.mat().depth();
  // Blocks of rows at once: on a large paste this is a tenth of a re-solve.
  tbb::parallel_for(
      tbb::blocked_range<int>(0, inImage.height, 64), [&](const tbb::blocked_range<int>& rows) {
        const cv::Rect block(inImage.x, inImage.y + rows.begin(), inImage.width,
                             static_cast<int>(rows.size()));
        const cv::Rect local = block - grid.tl();
        cv::Mat roi = image.mat()(block);
        std::vector<cv::Mat> typed(image.channels() == 4 ? 4 : channels());
        for (int c = 0; c < channels(); ++c) {
          const cv::Mat whole(gridHeight_, gridWidth_, CV_32F,
                              const_cast<float*>(solution_[c].data()));
          whole(local).convertTo(typed[c], depth);  // rounds and saturates for integer types
        }
        if (image.channels() == 4) cv::extractChannel(roi, typed[3], 3);
        cv::Mat converted;
        cv::merge(typed, converted);
        converted.copyTo(roi, inside(local));
      });
}

}  // namespace harmonia
