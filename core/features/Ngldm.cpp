// Neighbouring grey level dependence matrix features (IBSI 1,
// theibsi/ibsi-doc docs/04_Image_features.rst, "Neighbouring grey level
// dependence based features"): 17 features for each enabled aggregation, 2D
// (per slice, averaged), 2.5D (slice matrices merged) and 3D, with Chebyshev
// distance TextureSettings::ngldm_distance and coarseness ngldm_coarseness.
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
  if (agg.two_d || agg.two_and_half_d) {
    perSlice =
        zone::dependenceMatrices(levels, true, settings.ngldm_distance, settings.ngldm_coarseness);
  }
  progress.throwIfCancelled();
  if (agg.three_d) {
    volume =
        zone::dependenceMatrices(levels, false, settings.ngldm_distance, settings.ngldm_coarseness);
  }
  progress.throwIfCancelled();
  zone::appendMatrixFamily("ngl_", kNames, familyKey(Family::Ngldm), agg,
                           agg.two_d || agg.two_and_half_d ? &perSlice : nullptr,
                           agg.three_d ? &volume.front() : nullptr, out);
}

}  // namespace harmonia::features
