#include "core/image/Image2D.h"

#include <opencv2/core.hpp>

#include "core/util/Error.h"

namespace harmonia {
namespace {

int cvDepth(SampleType type) {
  switch (type) {
    case SampleType::UInt8:
      return CV_8U;
    case SampleType::UInt16:
      return CV_16U;
    case SampleType::Float32:
      return CV_32F;
  }
  return CV_8U;
}

void checkLayout(int depth, int channels) {
  if (depth != CV_8U && depth != CV_16U && depth != CV_32F) {
    throw ParameterError("Image2D: samples must be uint8, uint16 or float32");
  }
  if (channels != 1 && channels != 3 && channels != 4) {
    throw ParameterError("Image2D: images have 1, 3 or 4 channels");
  }
}

}  // namespace

const char* toString(SampleType type) {
  switch (type) {
    case SampleType::UInt8:
      return "uint8";
    case SampleType::UInt16:
      return "uint16";
    case SampleType::Float32:
      return "float32";
  }
  return "?";
}

Image2D::Image2D(int width, int height, int channels, SampleType type) {
  checkLayout(cvDepth(type), channels);
  pixels_ = cv::Mat::zeros(height, width, CV_MAKETYPE(cvDepth(type), channels));
}

Image2D Image2D::wrap(const cv::Mat& pixels) {
  checkLayout(pixels.depth(), pixels.channels());
  Image2D image;
  image.pixels_ = pixels;
  return image;
}

Image2D::Image2D(const Image2D& other)
    : pixels_(other.pixels_.clone()),
      spacing_mm_(other.spacing_mm_),
      origin_mm_(other.origin_mm_),
      direction_(other.direction_),
      metadata_(other.metadata_) {}

Image2D& Image2D::operator=(const Image2D& other) {
  if (this != &other) {
    Image2D copy(other);
    *this = std::move(copy);
  }
  return *this;
}

SampleType Image2D::sampleType() const {
  switch (pixels_.depth()) {
    case CV_16U:
      return SampleType::UInt16;
    case CV_32F:
      return SampleType::Float32;
    default:
      return SampleType::UInt8;
  }
}

double Image2D::sample(int x, int y, int channel) const {
  const int c = channels();
  switch (pixels_.depth()) {
    case CV_16U:
      return pixels_.ptr<std::uint16_t>(y)[x * c + channel];
    case CV_32F:
      return pixels_.ptr<float>(y)[x * c + channel];
    default:
      return pixels_.ptr<std::uint8_t>(y)[x * c + channel];
  }
}

}  // namespace harmonia
