#pragma once
// Small image factories shared by the blend tests.

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
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

/// A mask with every awkward shape a domain can have, laid out in proportion to
/// w x h (the layout is drawn for 90 x 70): a disc with a hole, a separate
/// rectangle with a hole of its own, a 1-px stroke and two lone pixels.
inline Image2D raggedMask(int w, int h) {
  const double sx = w / 90.0, sy = h / 70.0, sr = std::min(sx, sy);
  const auto at = [&](double x, double y) { return cv::Point(cvRound(x * sx), cvRound(y * sy)); };
  const auto box = [&](double x, double y, double bw, double bh) {
    return cv::Rect(at(x, y), cv::Size(cvRound(bw * sx), cvRound(bh * sy)));
  };
  return makeMask(w, h, [&](cv::Mat& m) {
    cv::circle(m, at(30, 35), cvRound(25 * sr), 255, cv::FILLED);
    cv::circle(m, at(30, 35), cvRound(8 * sr), 0, cv::FILLED);  // a hole
    cv::rectangle(m, box(60, 10, 25, 50), 255, cv::FILLED);
    cv::rectangle(m, box(66, 20, 5, 5), 0, cv::FILLED);  // another
    cv::line(m, at(5, 65), at(85, 62), 255, 1);          // 1-px stroke
    m.at<std::uint8_t>(at(2, 2)) = 255;                  // lone pixels
    m.at<std::uint8_t>(at(50, 2)) = 255;
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
