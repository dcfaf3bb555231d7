#pragma once
// Shared helpers of the zone and neighbourhood texture tests (GLSZM, GLDZM,
// NGTDM, NGLDM): the IBSI digital phantom comparison, the CT phantom in
// configuration A, small random volumes and a matrix printer.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "IbsiTestSupport.h"
#include "core/features/FeatureSettings.h"
#include "core/features/ZoneTexture.h"

namespace harmonia::test {

/// A random volume: each voxel in the ROI with probability `fill`, levels
/// 1..levelCount; the morphological mask is the ROI.
inline features::GreyLevelVolume randomVolume(std::mt19937& rng, int nx, int ny, int nz,
                                              int levelCount, double fill) {
  features::GreyLevelVolume g;
  g.size = {nx, ny, nz};
  g.level_count = levelCount;
  g.levels.resize(static_cast<std::size_t>(nx) * ny * nz);
  g.morphological.resize(g.levels.size());
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> level(1, levelCount);
  for (std::size_t n = 0; n < g.levels.size(); ++n) {
    const bool in = u(rng) < fill;
    g.levels[n] = in ? level(rng) : 0;
    g.morphological[n] = in ? 1 : 0;
  }
  return g;
}

/// Builds a CountMatrix from (i, j, count) triples.
inline std::vector<features::zone::MatrixEntry> entries(
    std::initializer_list<features::zone::MatrixEntry> list) {
  std::vector<features::zone::MatrixEntry> e(list);
  features::zone::normalise(e);
  return e;
}

inline std::string toString(const std::vector<features::zone::MatrixEntry>& e) {
  std::ostringstream s;
  for (const auto& x : e) s << "(" << x.i << "," << x.j << ")=" << x.count << " ";
  return s.str();
}

/// The 2D matrices of the phantom's slices as sorted strings (the IBSI
/// tables do not say which slice is which).
inline std::vector<std::string> sliceStrings(const std::vector<features::zone::CountMatrix>& m) {
  std::vector<std::string> out;
  for (const auto& x : m) out.push_back(toString(x.entries));
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> sortedStrings(
    std::initializer_list<std::vector<features::zone::MatrixEntry>> list) {
  std::vector<std::string> out;
  for (const auto& x : list) out.push_back(toString(x));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace harmonia::test
