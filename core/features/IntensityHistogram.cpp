// Placeholder until the family lands; replaced by its implementation.
#include "core/features/Families.h"

namespace harmonia::features {

void computeIntensityHistogram(const PreparedRoi&, FeatureSet&) {}

}  // namespace harmonia::features
