// One meaning of a 2-D mask (core/image/Mask2D.h): inside where the first
// channel is at least half of full scale, for every sample type, and the same
// pixels for every algorithm that takes a 2-D mask.

#include <gtest/gtest.h>

#include <cstdint>
#include <opencv2/core.hpp>

#include "core/blend/PoissonProblem.h"
#include "core/harmonize/HistogramMatching.h"
#include "core/harmonize/ZScore.h"
#include "core/image/Mask2D.h"

namespace harmonia {
namespace {

// A 4 x 1 mask whose first channel holds `values` (other channels: full scale).
template <typename T>
Image2D row(SampleType type, int channels, const T (&values)[4]) {
  Image2D m(4, 1, channels, type);
  for (int x = 0; x < 4; ++x) {
    for (int c = 0; c < channels; ++c) {
      const double full = fullScale(type);
      m.mat().ptr<T>(0)[x * channels + c] = c == 0 ? values[x] : static_cast<T>(full);
    }
  }
  return m;
}

std::vector<int> insideOf(const Image2D& mask) {
  const cv::Mat m = maskInside(mask);
  EXPECT_EQ(m.type(), CV_8UC1);
  std::vector<int> out;
  for (int x = 0; x < m.cols; ++x) out.push_back(m.at<std::uint8_t>(0, x));
  return out;
}

TEST(Mask2D, InsideFromHalfOfFullScaleInEverySampleType) {
  const std::vector<int> expected{0, 0, 1, 1};
  const std::uint8_t u8[4] = {0, 127, 128, 255};
  EXPECT_EQ(insideOf(row(SampleType::UInt8, 1, u8)), expected);
  const std::uint16_t u16[4] = {1, 32767, 32768, 65535};
  EXPECT_EQ(insideOf(row(SampleType::UInt16, 1, u16)), expected);
  const float f32[4] = {0.0f, 0.49f, 0.5f, 1.0f};
  EXPECT_EQ(insideOf(row(SampleType::Float32, 1, f32)), expected);
  // Only the first channel counts: the others are full scale here.
  EXPECT_EQ(insideOf(row(SampleType::UInt8, 3, u8)), expected);
  EXPECT_EQ(insideOf(row(SampleType::UInt8, 4, u8)), expected);
  // A 0/1 8-bit mask is black: nothing inside.
  const std::uint8_t ones[4] = {1, 1, 1, 1};
  EXPECT_EQ(insideOf(row(SampleType::UInt8, 1, ones)), (std::vector<int>{0, 0, 0, 0}));
}

// A 3-channel 16-bit mask whose inside is a 6 x 4 box (first channel 40000),
// with a faint halo (first channel 1000) that a "nonzero" rule would count.
TEST(Mask2D, BlendZScoreAndHistogramMatchingSeeTheSamePixels) {
  Image2D mask(20, 16, 3, SampleType::UInt16);
  mask.mat().setTo(cv::Scalar(1000, 0, 0));
  mask.mat()(cv::Rect(5, 6, 6, 4)).setTo(cv::Scalar(40000, 65535, 65535));
  const std::size_t inside = 6u * 4u;

  Image2D image(20, 16, 1, SampleType::UInt8);
  for (int y = 0; y < 16; ++y) {
    for (int x = 0; x < 20; ++x)
      image.mat().at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(x + 7 * y);
  }
  EXPECT_EQ(zscore(image, mask).reports.at(0).roi_count, inside);
  const HistogramMatchResult2D m = matchHistogram(image, image, &mask, nullptr);
  EXPECT_EQ(m.reports.at(0).source_count, inside);
  EXPECT_EQ(m.reports.at(0).target_count, 20u * 16u);

  const Image2D target(40, 40, 1, SampleType::UInt8);
  const PoissonProblem p = PoissonProblem::build(target, image, mask, {10, 10}, BlendMode::Normal);
  EXPECT_EQ(p.unknowns(), inside);
}

}  // namespace
}  // namespace harmonia
