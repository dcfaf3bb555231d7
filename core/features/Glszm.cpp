// Placeholder until the family lands; replaced by its implementation.
#include "core/features/Families.h"

namespace harmonia::features {

void computeGlszm(const GreyLevelVolume&, const TextureSettings&, FeatureSet&, Progress&) {}

}  // namespace harmonia::features
