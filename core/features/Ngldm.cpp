// Neighbouring grey level dependence matrix features (IBSI 1,
// theibsi/ibsi-doc docs/04_Image_features.rst, "Neighbouring grey level
// dependence based features"): 17 features for each enabled aggregation, 2D
// (per slice, averaged), 2.5D (slice matrices merged) and 3D, with Chebyshev
// distance TextureSettings::ngldmDistance and coarseness ngldmCoarseness.
#include "core/features/Families.h"
#include "core/features/ZoneTexture.h"

namespace harmonia::features {

void computeNgldm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress) {
  static const std::vector<std::string> kNames = {
      "lde",     "hde",    "lgce",   "hgce",      "ldlge",    "ldhge",
      "hdlge",   "hdhge",  "glnu",   "glnu_norm", "dcnu",     "dcnu_norm",
      "dc_perc", "gl_var", "dc_var", "dc_entr",   "dc_energy"};
  const TextureAggregations& agg = settings.aggregations;
  std::vector<zone::CountMatrix> perSlice;
  std::vector<zone::CountMatrix> volume;
  if (agg.twoD || agg.twoAndHalfD) {
    perSlice =
        zone::dependenceMatrices(levels, true, settings.ngldmDistance, settings.ngldmCoarseness);
  }
  progress.throwIfCancelled();
  if (agg.threeD) {
    volume =
        zone::dependenceMatrices(levels, false, settings.ngldmDistance, settings.ngldmCoarseness);
  }
  progress.throwIfCancelled();
  zone::appendMatrixFamily("ngl_", kNames, familyKey(Family::Ngldm), agg,
                           agg.twoD || agg.twoAndHalfD ? &perSlice : nullptr,
                           agg.threeD ? &volume.front() : nullptr, out);
}

}  // namespace harmonia::features
