#pragma once
// ROIs for the first-order family tests (intensity statistics, intensity
// histogram, intensity-volume histogram).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "IbsiTestSupport.h"
#include "core/features/PreparedRoi.h"
#include "core/io/ImageIO.h"

namespace harmonia::test {

/// A 1-row PreparedRoi holding `values` (all inside both masks), with grey
/// levels FBS floor((x - lowerBound) / width) + 1 (IBSI 2.7).
inline features::PreparedRoi roiFromValues(const std::vector<float>& values,
                                           double lowerBound = 0.0, double width = 1.0) {
  Geometry3D geometry;
  geometry.size = {static_cast<int>(values.size()), 1, 1};
  features::PreparedRoi roi;
  roi.image = Volume(geometry);
  std::copy(values.begin(), values.end(), roi.image.voxels().begin());
  roi.morphologicalMask = MaskVolume(geometry, 1);
  roi.intensityMask = roi.morphologicalMask;
  features::GreyLevelVolume& g = roi.greyLevels;
  g.size = geometry.size;
  g.levels.resize(values.size());
  g.morphological.assign(values.size(), 1);
  for (std::size_t n = 0; n < values.size(); ++n) {
    // Clamped to [1, 1e6] so that every value gets a valid level (tests of
    // intensities only do not read them).
    const double level = std::clamp(std::floor((values[n] - lowerBound) / width) + 1, 1.0, 1e6);
    g.levels[n] = static_cast<std::int32_t>(level);
    g.levelCount = std::max(g.levelCount, static_cast<int>(g.levels[n]));
  }
  roi.binWidth = width;
  roi.binLowerBound = lowerBound;
  return roi;
}

/// IBSI configuration A of the CT phantom (theibsi/ibsi-doc
/// docs/05_Reference_data_sets.rst): no interpolation, re-segmentation to
/// [-500, 400] HU, FBS with w = 25 HU from -500 HU. Built directly here
/// (configuration A needs no interpolation), so these tests do not depend on
/// the processing chain.
inline features::PreparedRoi ctPhantomConfigARoi() {
  features::PreparedRoi roi;
  const auto dir = ibsiDataDir() / "ct_phantom" / "nifti";
  roi.image = readVolume(dir / "image" / "phantom.nii.gz");
  roi.morphologicalMask = readMask(dir / "mask" / "mask.nii.gz");
  for (auto& m : roi.morphologicalMask.voxels()) m = m != 0 ? 1 : 0;
  roi.intensityMask = roi.morphologicalMask;
  const auto image = roi.image.voxels();
  auto intensity = roi.intensityMask.voxels();
  features::GreyLevelVolume& g = roi.greyLevels;
  g.size = roi.image.geometry().size;
  g.spacing_mm = roi.image.geometry().spacing_mm;
  g.levels.assign(image.size(), 0);
  g.morphological.assign(image.size(), 0);
  for (std::size_t n = 0; n < image.size(); ++n) {
    g.morphological[n] = roi.morphologicalMask.voxels()[n];
    const double x = image[n];
    if (intensity[n] == 0 || x < -500.0 || x > 400.0) {
      intensity[n] = 0;
      continue;
    }
    g.levels[n] = static_cast<std::int32_t>(std::floor((x + 500.0) / 25.0)) + 1;
    g.levelCount = std::max(g.levelCount, static_cast<int>(g.levels[n]));
  }
  roi.binWidth = 25.0;
  roi.binLowerBound = -500.0;
  return roi;
}

}  // namespace harmonia::test
