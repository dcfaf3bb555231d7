// Grey level size zone matrix features (IBSI 1, theibsi/ibsi-doc
// docs/04_Image_features.rst, "Grey level size zone based features"): 16
// features for each enabled aggregation, 2D (per slice, averaged), 2.5D
// (slice matrices merged) and 3D.
#include "core/features/Families.h"
#include "core/features/ZoneTexture.h"

namespace harmonia::features {

void computeGlszm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress) {
  static const std::vector<std::string> kNames = {
      "sze",  "lze",       "lgze", "hgze",      "szlge",  "szhge",  "lzlge",  "lzhge",
      "glnu", "glnu_norm", "zsnu", "zsnu_norm", "z_perc", "gl_var", "zs_var", "zs_entr"};
  const TextureAggregations& agg = settings.aggregations;
  std::vector<zone::CountMatrix> perSlice;
  std::vector<zone::CountMatrix> volume;
  if (agg.two_d || agg.two_and_half_d) perSlice = zone::sizeZoneMatrices(levels, true);
  progress.throwIfCancelled();
  if (agg.three_d) volume = zone::sizeZoneMatrices(levels, false);
  progress.throwIfCancelled();
  zone::appendMatrixFamily("szm_", kNames, familyKey(Family::Glszm), agg,
                           agg.two_d || agg.two_and_half_d ? &perSlice : nullptr,
                           agg.three_d ? &volume.front() : nullptr, out);
}

}  // namespace harmonia::features
