// Placeholder until the family lands; replaced by its implementation.
#include "core/features/Families.h"

namespace harmonia::features {

void computeLocalIntensity(const PreparedRoi&, FeatureSet&, Progress&) {}

}  // namespace harmonia::features
