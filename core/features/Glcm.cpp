// Grey level co-occurrence matrix features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level co-occurrence based features"),
// in the six aggregations of its "Aggregating features" section.
//
// One pass per direction fills the count matrices: the 4 in-plane directions
// slice by slice (a slice's 4 matrices give the 2D features, then are summed
// into the per-direction 2.5D matrices, which are also the in-plane 3D
// matrices), the 9 out-of-plane directions over the volume. Every merged
// aggregation is a sum of these matrices.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/features/DirectionalTexture.h"
#include "core/features/Families.h"
#include "core/features/GlcmMatrix.h"

namespace harmonia::features {

namespace {

using directional::kDirectionCount;
using directional::kDirections;
using directional::kInPlaneCount;
using glcm::Features;
using Mean = directional::FeatureMean<glcm::kFeatureCount>;

void emit(FeatureSet& out, const char* aggregation, const Features& values, bool anyMatrix) {
  directional::emitFeatures(out, glcm::kFeatureNames, glcm::kUndefinedReasons, "glcm", aggregation,
                            values, anyMatrix, glcm::kEmptyReason);
}

void emitMean(FeatureSet& out, const char* aggregation, const Mean& mean) {
  emit(out, aggregation, mean.mean(), mean.matrices > 0);
}

bool isEmpty(const std::vector<std::uint64_t>& m) {
  return std::all_of(m.begin(), m.end(), [](std::uint64_t c) { return c == 0; });
}

}  // namespace

void computeGlcm(const GreyLevelVolume& input, const TextureSettings& settings, FeatureSet& out,
                 Progress& progress) {
  const TextureAggregations& agg = settings.aggregations;
  const GreyLevelVolume v = directional::cropToRoi(input);
  const int ng = v.level_count;
  const int distance = std::max(1, settings.glcm_distance);
  const std::size_t cells = static_cast<std::size_t>(ng) * static_cast<std::size_t>(ng);
  glcm::Scratch scratch;

  // 2D: per slice, the 4 in-plane matrices; their sums per direction over the
  // slices are the 2.5D matrices and the in-plane 3D matrices.
  std::vector<std::vector<std::uint64_t>> directionSums(kDirectionCount,
                                                        std::vector<std::uint64_t>(cells, 0));
  Mean mean2D;
  Mean meanComb2D;
  std::vector<std::uint32_t> slice(kInPlaneCount * cells);
  std::vector<std::uint64_t> sliceMerged(cells);
  const std::vector<std::int64_t> perSlice = directional::voxelsPerSlice(v);
  for (int k = 0; k < v.size[2]; ++k) {
    progress.throwIfCancelled();
    if (perSlice[static_cast<std::size_t>(k)] == 0) continue;  // no ROI voxel: skipped
    if (!agg.two_d) {
      for (int d = 0; d < kInPlaneCount; ++d) {
        glcm::addCooccurrences(v, kDirections[static_cast<std::size_t>(d)], distance, k, ng,
                               directionSums[static_cast<std::size_t>(d)].data());
      }
      continue;
    }
    std::fill(slice.begin(), slice.end(), 0u);
    std::fill(sliceMerged.begin(), sliceMerged.end(), 0u);
    bool anyPair = false;
    for (int d = 0; d < kInPlaneCount; ++d) {
      std::uint32_t* m = slice.data() + static_cast<std::size_t>(d) * cells;
      glcm::addCooccurrences(v, kDirections[static_cast<std::size_t>(d)], distance, k, ng, m);
      std::uint64_t* sum = directionSums[static_cast<std::size_t>(d)].data();
      bool nonEmpty = false;
      for (std::size_t n = 0; n < cells; ++n) {
        if (m[n] == 0) continue;
        nonEmpty = true;
        sum[n] += m[n];
        sliceMerged[n] += m[n];
      }
      // An empty directional matrix (no pair along it in this slice) has no
      // features and is left out of the average.
      if (nonEmpty) mean2D.add(glcm::glcmFeatures(m, ng, scratch));
      anyPair = anyPair || nonEmpty;
    }
    if (anyPair) meanComb2D.add(glcm::glcmFeatures(sliceMerged.data(), ng, scratch));
  }
  if (agg.two_d) {
    emitMean(out, directional::k2DAvg, mean2D);
    emitMean(out, directional::k2DComb, meanComb2D);
  }

  std::vector<std::uint64_t> merged(cells, 0);
  auto mergeDirections = [&](int count) {
    std::fill(merged.begin(), merged.end(), 0u);
    for (int d = 0; d < count; ++d) {
      for (std::size_t n = 0; n < cells; ++n) {
        merged[n] += directionSums[static_cast<std::size_t>(d)][n];
      }
    }
  };
  auto averageDirections = [&](int count) {
    Mean mean;
    for (int d = 0; d < count; ++d) {
      const auto& m = directionSums[static_cast<std::size_t>(d)];
      if (!isEmpty(m)) mean.add(glcm::glcmFeatures(m.data(), ng, scratch));
    }
    return mean;
  };

  if (agg.two_and_half_d) {
    emitMean(out, directional::k25DAvg, averageDirections(kInPlaneCount));
    mergeDirections(kInPlaneCount);
    emit(out, directional::k25DComb, glcm::glcmFeatures(merged.data(), ng, scratch),
         !isEmpty(merged));
  }

  if (agg.three_d) {
    for (int d = kInPlaneCount; d < kDirectionCount; ++d) {
      progress.throwIfCancelled();
      glcm::addCooccurrences(v, kDirections[static_cast<std::size_t>(d)], distance, -1, ng,
                             directionSums[static_cast<std::size_t>(d)].data());
    }
    emitMean(out, directional::k3DAvg, averageDirections(kDirectionCount));
    mergeDirections(kDirectionCount);
    emit(out, directional::k3DComb, glcm::glcmFeatures(merged.data(), ng, scratch),
         !isEmpty(merged));
  }
}

}  // namespace harmonia::features
