#pragma once
// Synthetic photographs for the Composite tests: a smooth colour gradient to
// paste into and a textured, differently coloured source to paste from, so
// that any paste visibly changes the target; a mask and a pixel comparison.

#include <cmath>
#include <memory>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/image/Image2D.h"

namespace harmonia::test {

/// A width x height 8-bit RGB target: a smooth blue-green gradient.
inline std::shared_ptr<const Image2D> compositeTarget(int width = 240, int height = 160) {
  Image2D image(width, height, 3, SampleType::UInt8);
  for (int y = 0; y < height; ++y) {
    auto* row = image.mat().ptr<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      row[3 * x + 0] = static_cast<std::uint8_t>(20 + 40 * x / width);
      row[3 * x + 1] = static_cast<std::uint8_t>(80 + 100 * y / height);
      row[3 * x + 2] = static_cast<std::uint8_t>(200 - 60 * x / width);
    }
  }
  return std::make_shared<const Image2D>(std::move(image));
}

/// A width x height 8-bit RGB source: warm colours with a strong stripe texture.
inline std::shared_ptr<const Image2D> compositeSource(int width = 120, int height = 100) {
  Image2D image(width, height, 3, SampleType::UInt8);
  for (int y = 0; y < height; ++y) {
    auto* row = image.mat().ptr<std::uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const double stripes = 0.5 + 0.5 * std::sin(0.5 * x + 0.3 * y);
      row[3 * x + 0] = static_cast<std::uint8_t>(150 + 100 * stripes);
      row[3 * x + 1] = static_cast<std::uint8_t>(40 + 160 * stripes);
      row[3 * x + 2] = static_cast<std::uint8_t>(30);
    }
  }
  return std::make_shared<const Image2D>(std::move(image));
}

/// A width x height 8-bit mask: a filled ellipse a third of the size, centred.
inline std::shared_ptr<const Image2D> ellipseMask(int width, int height) {
  cv::Mat mask = cv::Mat::zeros(height, width, CV_8UC1);
  cv::ellipse(mask, cv::Point(width / 2, height / 2), cv::Size(width / 3, height / 3), 0, 0, 360,
              cv::Scalar(255), cv::FILLED);
  return std::make_shared<const Image2D>(Image2D::wrap(mask));
}

/// Number of pixels where two same-sized images differ in any channel sample.
inline int differingPixels(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  return cv::countNonZero(diff.reshape(1));
}

}  // namespace harmonia::test
