#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "core/image/Image2D.h"
#include "core/util/Error.h"

using harmonia::Image2D;
using harmonia::SampleType;

TEST(Image2D, WrapSharesPixelsAndCopyClones) {
  cv::Mat m(4, 5, CV_16UC3, cv::Scalar(1, 2, 3));
  Image2D wrapped = Image2D::wrap(m);
  m.at<cv::Vec3w>(1, 2)[0] = 999;
  EXPECT_EQ(wrapped.sample(2, 1, 0), 999.0);
  Image2D copy = wrapped;
  m.at<cv::Vec3w>(1, 2)[0] = 5;
  EXPECT_EQ(copy.sample(2, 1, 0), 999.0);
  EXPECT_EQ(copy.sampleType(), SampleType::UInt16);
  EXPECT_EQ(copy.channels(), 3);
  EXPECT_EQ(copy.width(), 5);
  EXPECT_EQ(copy.height(), 4);
}

TEST(Image2D, RejectsUnsupportedLayouts) {
  EXPECT_THROW(Image2D::wrap(cv::Mat(2, 2, CV_64FC1)), harmonia::ParameterError);
  EXPECT_THROW(Image2D::wrap(cv::Mat(2, 2, CV_8UC2)), harmonia::ParameterError);
  EXPECT_THROW(Image2D(2, 2, 5, SampleType::UInt8), harmonia::ParameterError);
}

TEST(Image2D, AllocatesZeroedFloatImage) {
  Image2D img(3, 2, 1, SampleType::Float32);
  EXPECT_EQ(img.sample(2, 1, 0), 0.0);
  EXPECT_STREQ(harmonia::toString(img.sampleType()), "float32");
}
