// SIMD alpha blending matches the formula; feathering is distance based.
// 8-bit results must be exactly round((B (255 - a) + F a) / 255); float
// results within 1e-6 (one multiply-add of float rounding).

#include <gtest/gtest.h>

#include <cmath>
#include <opencv2/core.hpp>

#include "core/blend/AlphaComposite.h"

using namespace harmonia;

TEST(AlphaComposite, EightBitBlendIsExactlyRounded) {
  cv::Mat b(37, 53, CV_8UC3), f(37, 53, CV_8UC3), a(37, 53, CV_8U);
  cv::randu(b, 0, 256);
  cv::randu(f, 0, 256);
  cv::randu(a, 0, 256);
  a.at<std::uint8_t>(0, 0) = 0;
  a.at<std::uint8_t>(0, 1) = 255;
  const cv::Mat out = alphaBlend(b, f, a);
  for (int y = 0; y < b.rows; ++y) {
    for (int x = 0; x < b.cols; ++x) {
      for (int c = 0; c < 3; ++c) {
        const double av = a.at<std::uint8_t>(y, x);
        const double expected = std::floor(
            (b.at<cv::Vec3b>(y, x)[c] * (255 - av) + f.at<cv::Vec3b>(y, x)[c] * av) / 255.0 + 0.5);
        ASSERT_EQ(out.at<cv::Vec3b>(y, x)[c], expected) << x << "," << y;
      }
    }
  }
}

TEST(AlphaComposite, FloatBlend) {
  cv::Mat b(20, 33, CV_32FC1), f(20, 33, CV_32FC1), a(20, 33, CV_8U);
  cv::randu(b, 0.0, 1.0);
  cv::randu(f, 0.0, 1.0);
  cv::randu(a, 0, 256);
  const cv::Mat out = alphaBlend(b, f, a);
  cv::Mat af;
  a.convertTo(af, CV_32F, 1.0 / 255);
  const cv::Mat expected = b.mul(1.0 - af) + f.mul(af);
  EXPECT_LT(cv::norm(out, expected, cv::NORM_INF), 1e-6);
}

TEST(AlphaComposite, FeatherIsDistanceBasedAndStaysInsideTheMask) {
  cv::Mat mask = cv::Mat::zeros(41, 41, CV_8U);
  mask(cv::Rect(10, 10, 21, 21)).setTo(1);
  FeatherParams hard;
  EXPECT_EQ(cv::norm(featherAlpha(mask, hard), mask * 255, cv::NORM_INF), 0);
  FeatherParams soft;
  soft.feather_radius_px = 5;
  const cv::Mat alpha = featherAlpha(mask, soft);
  EXPECT_EQ(alpha.at<std::uint8_t>(20, 20), 255);                 // 11 px deep
  EXPECT_EQ(alpha.at<std::uint8_t>(20, 9), 0);                    // outside
  EXPECT_NEAR(alpha.at<std::uint8_t>(20, 10), 255.0 / 5, 1);      // d = 1
  EXPECT_NEAR(alpha.at<std::uint8_t>(20, 12), 3 * 255.0 / 5, 1);  // d = 3
}
