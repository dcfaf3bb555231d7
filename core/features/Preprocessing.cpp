// Placeholder until the processing chain lands.
#include "core/features/Preprocessing.h"

#include "core/util/Error.h"

namespace harmonia::features {

PreparedRoi prepareRoi(const Volume&, const MaskVolume&, const FeatureSettings&, Progress&) {
  throw InputError("feature extraction: the IBSI processing chain is not implemented yet");
}

Discretised discretise(const std::vector<double>&, const DiscretisationSettings&,
                       const ResegmentationSettings&) {
  throw InputError("feature extraction: discretisation is not implemented yet");
}

}  // namespace harmonia::features
