#pragma once
// Small image factories shared by the blend tests.

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <functional>

#include "core/blend/PoissonProblem.h"
#include "core/image/Image2D.h"

namespace harmonia::test {

/// A w x h image of `type` (e.g. CV_32FC3) with value f(x, y, channel).
inline Image2D makeImage(int w, int h, int type, const std::function<double(int, int, int)>& f) {
  const int channels = CV_MAT_CN(type);
  cv::Mat d(h, w, CV_64FC(channels));
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c) d.ptr<double>(y)[x * channels + c] = f(x, y, c);
    }
  }
  cv::Mat m;
  d.convertTo(m, type);
  return Image2D::wrap(m);
}

/// Smooth random texture, 8-bit RGB (bicubically enlarged noise).
inline Image2D smoothTexture(int w, int h, unsigned seed, int cell = 8) {
  cv::RNG rng(seed);
  cv::Mat small(h / cell + 2, w / cell + 2, CV_32FC3);
  rng.fill(small, cv::RNG::UNIFORM, 20.0, 235.0);
  cv::Mat big, out;
  cv::resize(small, big, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  big.convertTo(out, CV_8UC3);
  return Image2D::wrap(out);
}

/// A 0/255 8-bit mask drawn by `draw`.
inline Image2D makeMask(int w, int h, const std::function<void(cv::Mat&)>& draw) {
  cv::Mat m = cv::Mat::zeros(h, w, CV_8U);
  draw(m);
  return Image2D::wrap(m);
}

/// An elliptical mask filling a w x h patch, 2 px in from its edges.
inline Image2D ellipseMask(int w, int h) {
  return makeMask(w, h, [&](cv::Mat& m) {
    cv::ellipse(m, cv::Point(w / 2, h / 2), cv::Size(w / 2 - 2, h / 2 - 2), 0, 0, 360, 255,
                cv::FILLED);
  });
}

/// Largest |a - b| over the domain cells of two solved copies of one problem.
inline double maxDomainDifference(const PoissonProblem& a, const PoissonProblem& b) {
  double worst = 0.0;
  for (int c = 0; c < a.channels(); ++c) {
    for (const RowSpan& sp : a.spans()) {
      for (int i = sp.x0; i < sp.x1; ++i) {
        const std::size_t k = static_cast<std::size_t>(sp.y) * a.gridWidth() + i;
        worst = std::max(worst, double(std::abs(a.solution(c)[k] - b.solution(c)[k])));
      }
    }
  }
  return worst;
}

}  // namespace harmonia::test
