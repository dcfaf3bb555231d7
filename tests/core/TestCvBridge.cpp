#include <gtest/gtest.h>

#include "core/image/CvBridge.h"
#include "core/util/Error.h"

using namespace harmonia;

TEST(CvBridge, AxialSliceIsSharedWithoutCopy) {
  Geometry3D g;
  g.size = {5, 4, 3};
  g.spacing_mm = {0.5, 0.7, 2.0};
  g.origin_mm = {10, 20, 30};
  Volume v(g, 0.0f);
  cv::Mat slice = axialSliceView(v, 2);
  EXPECT_EQ(slice.rows, 4);
  EXPECT_EQ(slice.cols, 5);
  slice.at<float>(3, 1) = 8.0f;  // row y = 3, column x = 1
  EXPECT_EQ(v.at(1, 3, 2), 8.0f);
  EXPECT_THROW(axialSliceView(v, 3), ParameterError);

  const Image2D copy = axialSliceImage(v, 2);
  v.at(1, 3, 2) = 0.0f;
  EXPECT_EQ(copy.sample(1, 3, 0), 8.0);
  EXPECT_DOUBLE_EQ(copy.spacing_mm().y(), 0.7);
  EXPECT_DOUBLE_EQ(copy.origin_mm().x(), 10.0);
}

TEST(CvBridge, SliceBecomesOneSliceVolume) {
  cv::Mat m(3, 2, CV_32FC1);
  for (int i = 0; i < 6; ++i) m.at<float>(i / 2, i % 2) = static_cast<float>(i);
  const Volume v = volumeFromSlice(m, {1, 2, 3});
  EXPECT_EQ(v.geometry().size, (std::array<int, 3>{2, 3, 1}));
  EXPECT_EQ(v.at(1, 2, 0), 5.0f);
  EXPECT_THROW(volumeFromSlice(cv::Mat(2, 2, CV_8UC1), {1, 1, 1}), ParameterError);
}
