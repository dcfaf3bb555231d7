#include "core/image/CvBridge.h"

#include <string>

#include "core/util/Error.h"

namespace harmonia {
namespace {

void checkSlice(const Geometry3D& g, int k) {
  if (k < 0 || k >= g.size[2]) {
    throw ParameterError("slice " + std::to_string(k) + " outside 0.." +
                         std::to_string(g.size[2] - 1));
  }
}

}  // namespace

cv::Mat axialSliceView(Volume& volume, int k) {
  checkSlice(volume.geometry(), k);
  return cv::Mat(volume.ny(), volume.nx(), CV_32FC1, volume.slice(k));
}

cv::Mat axialSliceView(const Volume& volume, int k) {
  checkSlice(volume.geometry(), k);
  // OpenCV has no const Mat over const data; callers get a read-only promise.
  return cv::Mat(volume.ny(), volume.nx(), CV_32FC1, const_cast<float*>(volume.slice(k)));
}

Image2D axialSliceImage(const Volume& volume, int k) {
  Image2D image = Image2D::wrap(axialSliceView(volume, k).clone());
  const Geometry3D& g = volume.geometry();
  image.setSpacing({g.spacing_mm.x(), g.spacing_mm.y()});
  const Eigen::Vector3d origin = g.indexToWorld(Eigen::Vector3d(0, 0, k));
  image.setOrigin({origin.x(), origin.y()});
  image.metadata() = volume.metadata();
  return image;
}

Volume volumeFromSlice(const cv::Mat& slice, const Eigen::Vector3d& spacing_mm) {
  if (slice.type() != CV_32FC1) throw ParameterError("volumeFromSlice: slice must be CV_32FC1");
  Geometry3D g;
  g.size = {slice.cols, slice.rows, 1};
  g.spacing_mm = spacing_mm;
  Volume v(g);
  for (int y = 0; y < slice.rows; ++y) {
    const float* row = slice.ptr<float>(y);
    std::copy(row, row + slice.cols, v.slice(0) + static_cast<std::size_t>(y) * slice.cols);
  }
  return v;
}

}  // namespace harmonia
