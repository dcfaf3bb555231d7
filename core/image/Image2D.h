#pragma once
// A 2-D image with 1, 3 or 4 channels of 8-bit, 16-bit or float samples.
//
// Pixels live in a cv::Mat (CV_8U, CV_16U or CV_32F; 1, 3 or 4 channels) so
// OpenCV algorithms see them without a copy (mat()). Channel order is RGB(A),
// not OpenCV's BGR: the readers and writers in core/io convert at the file
// boundary, once. Value semantics: copying an Image2D copies its pixels.

#include <Eigen/Core>
#include <opencv2/core/mat.hpp>

#include "core/image/MetaData.h"

namespace harmonia {

/// Sample type of an image.
enum class SampleType { UInt8, UInt16, Float32 };

/// Returns "uint8", "uint16" or "float32".
const char* toString(SampleType type);

/// 2-D image with physical pixel spacing.
class Image2D {
 public:
  Image2D() = default;
  /// Allocates width x height pixels of `channels` samples, zero-filled.
  Image2D(int width, int height, int channels, SampleType type);
  /// Wraps a cv::Mat without copying (the Image2D shares its pixels). The Mat
  /// must be CV_8U/16U/32F with 1, 3 or 4 channels, in RGB(A) order.
  static Image2D wrap(const cv::Mat& pixels);
  Image2D(const Image2D& other);
  Image2D& operator=(const Image2D& other);
  Image2D(Image2D&&) noexcept = default;
  Image2D& operator=(Image2D&&) noexcept = default;
  ~Image2D() = default;

  [[nodiscard]] int width() const { return pixels_.cols; }
  [[nodiscard]] int height() const { return pixels_.rows; }
  [[nodiscard]] int channels() const { return pixels_.channels(); }
  [[nodiscard]] SampleType sampleType() const;
  [[nodiscard]] bool empty() const { return pixels_.empty(); }

  /// The pixels as a cv::Mat header sharing this image's memory (no copy).
  [[nodiscard]] cv::Mat& mat() { return pixels_; }
  [[nodiscard]] const cv::Mat& mat() const { return pixels_; }

  /// Sample value at (x, y, channel), converted to double.
  [[nodiscard]] double sample(int x, int y, int channel) const;

  [[nodiscard]] const Eigen::Vector2d& spacing_mm() const { return spacing_mm_; }
  void setSpacing(const Eigen::Vector2d& spacing_mm) { spacing_mm_ = spacing_mm; }
  [[nodiscard]] const Eigen::Vector2d& origin_mm() const { return origin_mm_; }
  void setOrigin(const Eigen::Vector2d& origin_mm) { origin_mm_ = origin_mm; }
  /// Columns are the world directions of the x and y pixel axes.
  [[nodiscard]] const Eigen::Matrix2d& direction() const { return direction_; }
  void setDirection(const Eigen::Matrix2d& direction) { direction_ = direction; }

  [[nodiscard]] MetaData& metadata() { return metadata_; }
  [[nodiscard]] const MetaData& metadata() const { return metadata_; }

 private:
  cv::Mat pixels_;
  Eigen::Vector2d spacing_mm_{1.0, 1.0};
  Eigen::Vector2d origin_mm_{0.0, 0.0};
  Eigen::Matrix2d direction_ = Eigen::Matrix2d::Identity();
  MetaData metadata_;
};

}  // namespace harmonia
