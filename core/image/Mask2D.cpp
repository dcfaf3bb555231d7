#include "core/image/Mask2D.h"

#include <opencv2/core.hpp>

namespace harmonia {

double fullScale(SampleType type) {
  switch (type) {
    case SampleType::UInt8:
      return 255.0;
    case SampleType::UInt16:
      return 65535.0;
    case SampleType::Float32:
      return 1.0;
  }
  return 1.0;
}

cv::Mat maskInside(const Image2D& mask) {
  if (mask.empty()) return {};
  cv::Mat first;
  if (mask.channels() == 1) {
    first = mask.mat();
  } else {
    cv::extractChannel(mask.mat(), first, 0);
  }
  cv::Mat f;
  first.convertTo(f, CV_32F, 1.0 / fullScale(mask.sampleType()));
  cv::Mat inside;
  cv::compare(f, kMaskInsideFraction, inside, cv::CMP_GE);  // 255 where inside
  return inside / 255;
}

}  // namespace harmonia
