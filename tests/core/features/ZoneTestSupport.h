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

/// The IBSI CT phantom in configuration A, built by hand (2D, no
/// interpolation): intensity mask = mask and HU in [-500, 400], grey level
/// floor((HU + 500) / 25) + 1 inside, 0 outside; morphological mask = mask;
/// cropped to the mask's bounding box.
inline features::GreyLevelVolume ctPhantomConfigA() {
  const Volume image =
      readVolume(ibsiDataDir() / "ct_phantom" / "nifti" / "image" / "phantom.nii.gz");
  const MaskVolume mask = readMask(ibsiDataDir() / "ct_phantom" / "nifti" / "mask" / "mask.nii.gz");
  const int nx = image.nx(), ny = image.ny(), nz = image.nz();
  int lo[3] = {nx, ny, nz}, hi[3] = {-1, -1, -1};
  auto at = [&](int i, int j, int k) {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(nx) *
               (static_cast<std::size_t>(j) + static_cast<std::size_t>(ny) * k);
  };
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        if (mask.voxels()[at(i, j, k)] != 0) {
          lo[0] = std::min(lo[0], i), lo[1] = std::min(lo[1], j), lo[2] = std::min(lo[2], k);
          hi[0] = std::max(hi[0], i), hi[1] = std::max(hi[1], j), hi[2] = std::max(hi[2], k);
        }
  features::GreyLevelVolume g;
  g.size = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  g.spacing_mm = image.geometry().spacing_mm;
  g.levels.assign(static_cast<std::size_t>(g.size[0]) * g.size[1] * g.size[2], 0);
  g.morphological.assign(g.levels.size(), 0);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const std::size_t src = at(i + lo[0], j + lo[1], k + lo[2]);
        const std::size_t dst = g.index(i, j, k);
        const bool in = mask.voxels()[src] != 0;
        const double hu = image.voxels()[src];
        g.morphological[dst] = in ? 1 : 0;
        if (in && hu >= -500.0 && hu <= 400.0) {
          g.levels[dst] = static_cast<std::int32_t>(std::floor((hu + 500.0) / 25.0)) + 1;
          g.levelCount = std::max(g.levelCount, static_cast<int>(g.levels[dst]));
        }
      }
  return g;
}

/// A random volume: each voxel in the ROI with probability `fill`, levels
/// 1..levelCount; the morphological mask is the ROI.
inline features::GreyLevelVolume randomVolume(std::mt19937& rng, int nx, int ny, int nz,
                                              int levelCount, double fill) {
  features::GreyLevelVolume g;
  g.size = {nx, ny, nz};
  g.levelCount = levelCount;
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
