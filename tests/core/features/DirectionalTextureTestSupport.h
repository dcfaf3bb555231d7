#pragma once
// Grey level volumes for the GLCM and GLRLM tests: random and uniform boxes,
// and the CT phantom's grey levels of IBSI configuration A.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <random>

#include "IbsiTestSupport.h"
#include "core/features/PreparedRoi.h"

namespace harmonia::test {

/// A box of `size` voxels, every one at `level` (0: outside the ROI).
inline features::GreyLevelVolume boxLevels(std::array<int, 3> size, int level) {
  features::GreyLevelVolume v;
  v.size = size;
  v.levels.assign(static_cast<std::size_t>(size[0]) * size[1] * size[2], level);
  v.morphological.assign(v.levels.size(), level > 0 ? 1 : 0);
  v.level_count = level;
  return v;
}

/// Random levels 1..levelCount, with a fraction `outside` of voxels outside
/// the ROI (level 0).
inline features::GreyLevelVolume randomLevels(std::array<int, 3> size, int levelCount,
                                              double outside, unsigned seed) {
  features::GreyLevelVolume v = boxLevels(size, 0);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> level(1, levelCount);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t n = 0; n < v.levels.size(); ++n) {
    const bool in = u(rng) >= outside;
    v.levels[n] = in ? level(rng) : 0;
    v.morphological[n] = in ? 1 : 0;
  }
  v.level_count = levelCount;
  return v;
}

}  // namespace harmonia::test
