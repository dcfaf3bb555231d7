#include <gtest/gtest.h>
#include <vtkDataArray.h>
#include <vtkImageData.h>
#include <vtkPointData.h>

#include "ui/view/VtkBridge.h"

using namespace harmonia;

TEST(VtkBridge, VolumeIsSharedWithoutCopyAndOutlivesTheVolume) {
  Geometry3D g;
  g.size = {4, 3, 2};
  g.spacing_mm = {0.5, 0.75, 3.0};
  g.origin_mm = {1, 2, 3};
  vtkSmartPointer<vtkImageData> image;
  const float* buffer = nullptr;
  {
    Volume v(g, 0.0f);
    v.at(3, 2, 1) = 9.5f;
    image = toVtkImage(v);
    buffer = v.data();
    EXPECT_EQ(image->GetScalarPointer(), static_cast<const void*>(buffer));
  }
  // The Volume is gone; VTK still holds the buffer.
  int dims[3];
  image->GetDimensions(dims);
  EXPECT_EQ(dims[0], 4);
  EXPECT_EQ(dims[2], 2);
  EXPECT_DOUBLE_EQ(image->GetSpacing()[1], 0.75);
  EXPECT_DOUBLE_EQ(image->GetOrigin()[2], 3.0);
  EXPECT_EQ(image->GetScalarComponentAsDouble(3, 2, 1, 0), 9.5);
}

TEST(VtkBridge, ImageRowsAndChannelsKept) {
  Image2D img(3, 2, 3, SampleType::UInt8);
  img.mat().ptr<std::uint8_t>(1)[2 * 3 + 1] = 77;  // row 1, x 2, green
  vtkSmartPointer<vtkImageData> image = toVtkImage(img);
  EXPECT_EQ(image->GetNumberOfScalarComponents(), 3);
  EXPECT_EQ(image->GetScalarComponentAsDouble(2, 1, 0, 1), 77.0);
}
