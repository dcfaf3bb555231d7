// Placeholder until the family lands; replaced by its implementation.
#include "core/features/Families.h"

namespace harmonia::features {

void computeIntensityVolumeHistogram(const PreparedRoi&, const IvhSettings&, const ResegmentationSettings&, FeatureSet&) {}

}  // namespace harmonia::features
