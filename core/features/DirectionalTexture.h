#pragma once
// What the directional texture families (GLCM, GLRLM) share: the 13 directions
// of the 3D neighbourhood, the cropping of the grey levels to the ROI, the
// IBSI aggregation names and the averaging of feature values over matrices.
//
// IBSI 1, theibsi/ibsi-doc docs/04_Image_features.rst, "Grey level
// co-occurrence based features": the default neighbourhood is that of
// Chebyshev distance 1; of its 26 neighbours only 13 directions are unique
// (the others are their opposites, which symmetric GLCMs and runs do not
// distinguish); 4 of them lie in the xy plane and are the 2D directions.
// Slices are xy planes (constant k).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/features/FeatureSet.h"
#include "core/features/PreparedRoi.h"

namespace harmonia::features::directional {

struct Offset {
  int dx = 0;
  int dy = 0;
  int dz = 0;
};

/// One direction of each opposite pair: first the 4 in the xy plane (2D,
/// 2.5D), then the 9 that leave the plane (3D only).
inline constexpr std::array<Offset, 13> kDirections = {{
    {1, 0, 0},
    {0, 1, 0},
    {1, 1, 0},
    {1, -1, 0},
    {0, 0, 1},
    {1, 0, 1},
    {-1, 0, 1},
    {0, 1, 1},
    {0, -1, 1},
    {1, 1, 1},
    {1, -1, 1},
    {-1, 1, 1},
    {-1, -1, 1},
}};
inline constexpr int kDirectionCount = 13;
inline constexpr int kInPlaneCount = 4;

/// IBSI aggregation suffixes of GLCM and GLRLM features (docs/04_Image_features.rst,
/// "Aggregating features" of both families; the tags of the reference tables):
/// 2D_avg: features of every slice's 4 directional matrices, averaged;
/// 2D_comb: the 4 directional matrices of each slice merged, features averaged
///          over slices;
/// 2_5D_avg: each direction's matrices merged over the slices, features averaged
///           over the 4 directions;
/// 2_5D_comb: all 2D matrices merged;
/// 3D_avg: features of the 13 3D directional matrices, averaged;
/// 3D_comb: the 13 3D matrices merged.
inline constexpr const char* k2DAvg = "2D_avg";
inline constexpr const char* k2DComb = "2D_comb";
inline constexpr const char* k25DAvg = "2_5D_avg";
inline constexpr const char* k25DComb = "2_5D_comb";
inline constexpr const char* k3DAvg = "3D_avg";
inline constexpr const char* k3DComb = "3D_comb";

/// The grey levels cropped to the bounding box of the ROI (level > 0). Voxels
/// outside the box can neither co-occur nor extend a run, so nothing is lost.
/// `level_count` is max(input level_count, highest level present), so a level
/// never indexes outside a matrix. An empty ROI gives size {0, 0, 0}.
inline GreyLevelVolume cropToRoi(const GreyLevelVolume& in) {
  std::array<int, 3> lo{in.size[0], in.size[1], in.size[2]};
  std::array<int, 3> hi{-1, -1, -1};
  int highest = 0;
  for (int k = 0; k < in.size[2]; ++k) {
    for (int j = 0; j < in.size[1]; ++j) {
      for (int i = 0; i < in.size[0]; ++i) {
        const std::int32_t level = in.at(i, j, k);
        if (level <= 0) continue;
        highest = std::max(highest, static_cast<int>(level));
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
      }
    }
  }
  GreyLevelVolume out;
  out.spacing_mm = in.spacing_mm;
  out.level_count = std::max(in.level_count, highest);
  if (hi[0] < 0) return out;
  out.size = {hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  out.levels.resize(static_cast<std::size_t>(out.size[0]) * out.size[1] * out.size[2]);
  std::size_t n = 0;
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        const std::int32_t level = in.at(i, j, k);
        out.levels[n++] = level > 0 ? level : 0;
      }
    }
  }
  return out;
}

/// The number of ROI voxels in each slice (constant k).
inline std::vector<std::int64_t> voxelsPerSlice(const GreyLevelVolume& v) {
  std::vector<std::int64_t> counts(static_cast<std::size_t>(std::max(v.size[2], 0)), 0);
  const std::size_t plane = static_cast<std::size_t>(v.size[0]) * v.size[1];
  for (std::size_t n = 0; n < v.levels.size(); ++n) {
    if (v.levels[n] > 0) ++counts[n / plane];
  }
  return counts;
}

/// The mean of feature values over several matrices. A value that is undefined
/// for one matrix (NaN: e.g. the correlation of a slice with one grey level)
/// is left out of the mean; the mean is undefined when no matrix defined it.
template <std::size_t N>
struct FeatureMean {
  std::array<double, N> sum{};
  std::array<int, N> count{};
  int matrices = 0;

  void add(const std::array<double, N>& values) {
    ++matrices;
    for (std::size_t n = 0; n < N; ++n) {
      if (std::isfinite(values[n])) {
        sum[n] += values[n];
        ++count[n];
      }
    }
  }
  [[nodiscard]] std::array<double, N> mean() const {
    std::array<double, N> m;
    for (std::size_t n = 0; n < N; ++n) {
      m[n] = count[n] > 0 ? sum[n] / count[n] : std::numeric_limits<double>::quiet_NaN();
    }
    return m;
  }
};

/// Appends one aggregation's features: tag = name + "_" + aggregation. A NaN
/// value is added as undefined: with `emptyReason` when no matrix had any
/// count, otherwise with the feature's own reason.
template <std::size_t N>
void emitFeatures(FeatureSet& out, const std::array<const char*, N>& names,
                  const std::array<const char*, N>& undefinedReasons, const char* family,
                  const char* aggregation, const std::array<double, N>& values, bool anyMatrix,
                  const char* emptyReason) {
  for (std::size_t n = 0; n < N; ++n) {
    std::string tag = std::string(names[n]) + "_" + aggregation;
    if (std::isfinite(values[n])) {
      out.add(std::move(tag), family, aggregation, values[n]);
    } else {
      out.addUndefined(std::move(tag), family, aggregation,
                       anyMatrix ? undefinedReasons[n] : emptyReason);
    }
  }
}

}  // namespace harmonia::features::directional
