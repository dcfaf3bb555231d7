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
  roi.morphological_mask = MaskVolume(geometry, 1);
  roi.intensity_mask = roi.morphological_mask;
  features::GreyLevelVolume& g = roi.grey_levels;
  g.size = geometry.size;
  g.levels.resize(values.size());
  g.morphological.assign(values.size(), 1);
  for (std::size_t n = 0; n < values.size(); ++n) {
    // Clamped to [1, 1e6] so that every value gets a valid level (tests of
    // intensities only do not read them).
    const double level = std::clamp(std::floor((values[n] - lowerBound) / width) + 1, 1.0, 1e6);
    g.levels[n] = static_cast<std::int32_t>(level);
    g.level_count = std::max(g.level_count, static_cast<int>(g.levels[n]));
  }
  roi.bin_width = width;
  roi.bin_lower_bound = lowerBound;
  return roi;
}

}  // namespace harmonia::test
