#pragma once
// Builds PreparedRoi inputs for the morphology and local intensity tests.

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/features/PreparedRoi.h"
#include "tests/core/features/IbsiTestSupport.h"

namespace harmonia::test {

/// A PreparedRoi on an nx * ny * nz grid of `spacing`, with image values
/// value(i, j, k) and both masks inside(i, j, k).
inline features::PreparedRoi makeRoi(const std::array<int, 3>& size, const Eigen::Vector3d& spacing,
                                     const std::function<bool(int, int, int)>& inside,
                                     const std::function<double(int, int, int)>& value) {
  Geometry3D geo;
  geo.size = size;
  geo.spacing_mm = spacing;
  features::PreparedRoi roi;
  roi.image = Volume(geo, 0.0f);
  roi.morphological_mask = MaskVolume(geo, 0);
  for (int k = 0; k < size[2]; ++k)
    for (int j = 0; j < size[1]; ++j)
      for (int i = 0; i < size[0]; ++i) {
        roi.image.at(i, j, k) = static_cast<float>(value(i, j, k));
        roi.morphological_mask.at(i, j, k) = inside(i, j, k) ? 1 : 0;
      }
  roi.intensity_mask = roi.morphological_mask;
  return roi;
}

/// References without the diagnostic tags (morph_mask_*), which prepareRoi owns.
inline std::vector<IbsiReference> withoutDiagnostics(std::vector<IbsiReference> refs) {
  std::erase_if(refs, [](const IbsiReference& r) { return r.tag.rfind("morph_mask_", 0) == 0; });
  return refs;
}

}  // namespace harmonia::test
