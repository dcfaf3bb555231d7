// Grey level distance zone matrix features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level distance zone based features"): 16
// features for each enabled aggregation, 2D (per slice, averaged), 2.5D
// (slice matrices merged) and 3D. Zones come from the intensity mask, the
// distance map from the morphological mask (IBSI, "Morphological and
// intensity masks").
#include "core/features/Families.h"
#include "core/features/ZoneTexture.h"

namespace harmonia::features {

void computeGldzm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress) {
  static const std::vector<std::string> kNames = {
      "sde",  "lde",       "lgze", "hgze",      "sdlge",  "sdhge",  "ldlge",  "ldhge",
      "glnu", "glnu_norm", "zdnu", "zdnu_norm", "z_perc", "gl_var", "zd_var", "zd_entr"};
  const TextureAggregations& agg = settings.aggregations;
  std::vector<zone::CountMatrix> perSlice;
  std::vector<zone::CountMatrix> volume;
  if (agg.two_d || agg.two_and_half_d) perSlice = zone::distanceZoneMatrices(levels, true);
  progress.throwIfCancelled();
  if (agg.three_d) volume = zone::distanceZoneMatrices(levels, false);
  progress.throwIfCancelled();
  zone::appendMatrixFamily("dzm_", kNames, familyKey(Family::Gldzm), agg,
                           agg.two_d || agg.two_and_half_d ? &perSlice : nullptr,
                           agg.three_d ? &volume.front() : nullptr, out);
}

}  // namespace harmonia::features
