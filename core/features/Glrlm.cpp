// Grey level run length matrix features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level run length based features"), in the
// six aggregations of its "Aggregating features" section.
//
// As for the GLCM: the 4 in-plane directions are counted slice by slice (2D
// features, then summed per direction into the 2.5D matrices, which are also
// the in-plane 3D matrices), the 9 others over the volume; merged
// aggregations sum matrices, and N_v is summed with them (IBSI "Run percentage").
#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/features/DirectionalTexture.h"
#include "core/features/Families.h"
#include "core/features/GlrlmMatrix.h"

namespace harmonia::features {

namespace {

using directional::kDirectionCount;
using directional::kDirections;
using directional::kInPlaneCount;
using glrlm::Features;
using Mean = directional::FeatureMean<glrlm::kFeatureCount>;

void emit(FeatureSet& out, const char* aggregation, const Features& values, bool anyMatrix) {
  directional::emitFeatures(out, glrlm::kFeatureNames, glrlm::kUndefinedReasons, "glrlm",
                            aggregation, values, anyMatrix, glrlm::kEmptyReason);
}

void emitMean(FeatureSet& out, const char* aggregation, const Mean& mean) {
  emit(out, aggregation, mean.mean(), mean.matrices > 0);
}

}  // namespace

void computeGlrlm(const GreyLevelVolume& input, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress) {
  const TextureAggregations& agg = settings.aggregations;
  const GreyLevelVolume v = directional::cropToRoi(input);
  const int ng = v.level_count;
  const int maxRun = glrlm::maxRunLength(v);
  const std::size_t cells = static_cast<std::size_t>(ng) * static_cast<std::size_t>(maxRun);
  glrlm::Scratch scratch;

  const std::vector<std::int64_t> perSlice = directional::voxelsPerSlice(v);
  std::int64_t roiVoxels = 0;
  for (std::int64_t c : perSlice) roiVoxels += c;
  const bool anyVoxel = roiVoxels > 0;
  const double nv = static_cast<double>(roiVoxels);

  std::vector<std::vector<std::uint64_t>> directionSums(kDirectionCount,
                                                        std::vector<std::uint64_t>(cells, 0));
  Mean mean2D;
  Mean meanComb2D;
  std::vector<std::uint32_t> slice(kInPlaneCount * cells);
  std::vector<std::uint64_t> sliceMerged(cells);
  for (int k = 0; k < v.size[2]; ++k) {
    progress.throwIfCancelled();
    const std::int64_t sliceVoxels = perSlice[static_cast<std::size_t>(k)];
    if (sliceVoxels == 0) continue;  // no ROI voxel: skipped
    if (!agg.two_d) {
      for (int d = 0; d < kInPlaneCount; ++d) {
        glrlm::addRuns(v, kDirections[static_cast<std::size_t>(d)], k, ng, maxRun,
                       directionSums[static_cast<std::size_t>(d)].data());
      }
      continue;
    }
    std::fill(slice.begin(), slice.end(), 0u);
    std::fill(sliceMerged.begin(), sliceMerged.end(), 0u);
    for (int d = 0; d < kInPlaneCount; ++d) {
      std::uint32_t* m = slice.data() + static_cast<std::size_t>(d) * cells;
      glrlm::addRuns(v, kDirections[static_cast<std::size_t>(d)], k, ng, maxRun, m);
      std::uint64_t* sum = directionSums[static_cast<std::size_t>(d)].data();
      for (std::size_t n = 0; n < cells; ++n) {
        if (m[n] == 0) continue;
        sum[n] += m[n];
        sliceMerged[n] += m[n];
      }
      mean2D.add(glrlm::glrlmFeatures(m, ng, maxRun, static_cast<double>(sliceVoxels), scratch));
    }
    meanComb2D.add(glrlm::glrlmFeatures(sliceMerged.data(), ng, maxRun,
                                        static_cast<double>(kInPlaneCount * sliceVoxels), scratch));
  }
  if (agg.two_d) {
    emitMean(out, directional::k2DAvg, mean2D);
    emitMean(out, directional::k2DComb, meanComb2D);
  }

  std::vector<std::uint64_t> merged(cells, 0);
  auto mergedFeatures = [&](int count) {
    std::fill(merged.begin(), merged.end(), 0u);
    for (int d = 0; d < count; ++d) {
      for (std::size_t n = 0; n < cells; ++n) {
        merged[n] += directionSums[static_cast<std::size_t>(d)][n];
      }
    }
    return glrlm::glrlmFeatures(merged.data(), ng, maxRun, count * nv, scratch);
  };
  auto averageDirections = [&](int count) {
    Mean mean;
    if (!anyVoxel) return mean;
    for (int d = 0; d < count; ++d) {
      mean.add(glrlm::glrlmFeatures(directionSums[static_cast<std::size_t>(d)].data(), ng, maxRun,
                                    nv, scratch));
    }
    return mean;
  };

  if (agg.two_and_half_d) {
    emitMean(out, directional::k25DAvg, averageDirections(kInPlaneCount));
    emit(out, directional::k25DComb, mergedFeatures(kInPlaneCount), anyVoxel);
  }

  if (agg.three_d) {
    for (int d = kInPlaneCount; d < kDirectionCount; ++d) {
      progress.throwIfCancelled();
      glrlm::addRuns(v, kDirections[static_cast<std::size_t>(d)], -1, ng, maxRun,
                     directionSums[static_cast<std::size_t>(d)].data());
    }
    emitMean(out, directional::k3DAvg, averageDirections(kDirectionCount));
    emit(out, directional::k3DComb, mergedFeatures(kDirectionCount), anyVoxel);
  }
}

}  // namespace harmonia::features
