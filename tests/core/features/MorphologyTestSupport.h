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
  roi.morphologicalMask = MaskVolume(geo, 0);
  for (int k = 0; k < size[2]; ++k)
    for (int j = 0; j < size[1]; ++j)
      for (int i = 0; i < size[0]; ++i) {
        roi.image.at(i, j, k) = static_cast<float>(value(i, j, k));
        roi.morphologicalMask.at(i, j, k) = inside(i, j, k) ? 1 : 0;
      }
  roi.intensityMask = roi.morphologicalMask;
  return roi;
}

/// The IBSI CT phantom with configuration A semantics (IBSI 1,
/// docs/05_Reference_data_sets.rst: no interpolation, re-segmentation of the
/// intensity mask to [-500, 400] HU), cropped to the mask's bounding box
/// widened by kLocalIntensityMargin_mm.
inline features::PreparedRoi ctPhantomConfigA() {
  const auto dir = ibsiDataDir() / "ct_phantom" / "nifti";
  const Volume image = readVolume(dir / "image" / "phantom.nii.gz");
  const MaskVolume mask = readMask(dir / "mask" / "mask.nii.gz");
  const Geometry3D& geo = image.geometry();
  std::array<int, 3> lo{geo.size[0], geo.size[1], geo.size[2]}, hi{-1, -1, -1};
  for (int k = 0; k < geo.size[2]; ++k)
    for (int j = 0; j < geo.size[1]; ++j)
      for (int i = 0; i < geo.size[0]; ++i)
        if (mask.at(i, j, k) != 0) {
          lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
          hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
        }
  for (int a = 0; a < 3; ++a) {
    const int margin =
        static_cast<int>(std::ceil(features::kLocalIntensityMargin_mm / geo.spacing_mm[a]));
    lo[a] = std::max(0, lo[a] - margin);
    hi[a] = std::min(geo.size[a] - 1, hi[a] + margin);
  }
  return makeRoi(
      {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1}, geo.spacing_mm,
      [&](int i, int j, int k) { return mask.at(i + lo[0], j + lo[1], k + lo[2]) != 0; },
      [&](int i, int j, int k) { return image.at(i + lo[0], j + lo[1], k + lo[2]); });
}

/// Re-segments the intensity mask to [lo, hi].
inline void resegment(features::PreparedRoi& roi, double lo, double hi) {
  for (std::size_t g = 0; g < roi.image.voxelCount(); ++g) {
    const double x = roi.image.voxels()[g];
    if (x < lo || x > hi) roi.intensityMask.voxels()[g] = 0;
  }
}

/// References without the diagnostic tags (morph_mask_*), which prepareRoi owns.
inline std::vector<IbsiReference> withoutDiagnostics(std::vector<IbsiReference> refs) {
  std::erase_if(refs, [](const IbsiReference& r) { return r.tag.rfind("morph_mask_", 0) == 0; });
  return refs;
}

}  // namespace harmonia::test
