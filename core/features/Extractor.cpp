#include "core/features/Extractor.h"

#include <tbb/parallel_for.h>

#include <array>
#include <atomic>
#include <exception>
#include <mutex>

#include "core/features/Families.h"
#include "core/features/Preprocessing.h"

namespace harmonia::features {

namespace {

// Rough relative cost of each family on a typical ROI, for progress only.
double familyCost(Family f) {
  switch (f) {
    case Family::Morphology:
      return 3.0;
    case Family::LocalIntensity:
    case Family::Glcm:
    case Family::Glrlm:
    case Family::Gldzm:
      return 2.0;
    default:
      return 1.0;
  }
}

}  // namespace

void computeFamily(Family f, const PreparedRoi& roi, const FeatureSettings& s, FeatureSet& out,
                   Progress& progress) {
  switch (f) {
    case Family::Morphology:
      computeMorphology(roi, out, progress);
      break;
    case Family::LocalIntensity:
      computeLocalIntensity(roi, out, progress);
      break;
    case Family::IntensityStatistics:
      computeIntensityStatistics(roi, out);
      break;
    case Family::IntensityHistogram:
      computeIntensityHistogram(roi, out);
      break;
    case Family::IntensityVolumeHistogram:
      computeIntensityVolumeHistogram(roi, s.ivh, s.resegmentation, out);
      break;
    case Family::Glcm:
      computeGlcm(roi.grey_levels, s.texture, out, progress);
      break;
    case Family::Glrlm:
      computeGlrlm(roi.grey_levels, s.texture, out, progress);
      break;
    case Family::Glszm:
      computeGlszm(roi.grey_levels, s.texture, out, progress);
      break;
    case Family::Gldzm:
      computeGldzm(roi.grey_levels, s.texture, out, progress);
      break;
    case Family::Ngtdm:
      computeNgtdm(roi.grey_levels, s.texture, out, progress);
      break;
    case Family::Ngldm:
      computeNgldm(roi.grey_levels, s.texture, out, progress);
      break;
  }
}

FeatureSet extractFeatures(const Volume& image, const MaskVolume& mask,
                           const FeatureSettings& settings, Progress& progress) {
  SubProgress prepProgress(progress, 0.0, 0.2);
  const PreparedRoi roi = prepareRoi(image, mask, settings, prepProgress);
  progress.throwIfCancelled();

  // Families run in parallel, each into its own set; the sets are joined in
  // IBSI order so the output order never depends on scheduling.
  std::array<FeatureSet, kFamilyCount> parts;
  std::vector<Family> todo;
  double totalCost = 0.0;
  for (int i = 0; i < kFamilyCount; ++i) {
    const auto f = static_cast<Family>(i);
    if (settings.has(f)) {
      todo.push_back(f);
      totalCost += familyCost(f);
    }
  }
  std::mutex progressMutex;
  double doneCost = 0.0;
  tbb::parallel_for(std::size_t{0}, todo.size(), [&](std::size_t n) {
    const Family f = todo[n];
    FeatureSet part;
    computeFamily(f, roi, settings, part, progress);
    parts[static_cast<std::size_t>(f)] = std::move(part);
    std::lock_guard lock(progressMutex);
    doneCost += familyCost(f);
    progress.report(0.2 + 0.8 * doneCost / std::max(totalCost, 1e-9));
  });
  progress.throwIfCancelled();

  FeatureSet result;
  if (settings.diagnostics) result.append(roi.diagnostics);
  for (const FeatureSet& part : parts) result.append(part);
  progress.report(1.0);
  return result;
}

}  // namespace harmonia::features
