#include "core/features/PreparedRoi.h"

namespace harmonia::features {

std::vector<double> PreparedRoi::roiIntensities() const {
  std::vector<double> values;
  const auto img = image.voxels();
  const auto mask = intensity_mask.voxels();
  values.reserve(mask.size());
  for (std::size_t n = 0; n < mask.size(); ++n) {
    if (mask[n] != 0) values.push_back(img[n]);
  }
  return values;
}

}  // namespace harmonia::features
