#pragma once
// Radiomic feature extraction: the IBSI processing chain, then every enabled
// family (in parallel), then the features in IBSI order (diagnostics first).

#include "core/features/FeatureSet.h"
#include "core/features/FeatureSettings.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia::features {

/// Extracts the features of `mask` (on image's grid) from `image`.
/// Throws InputError for an empty mask or bad values; Cancelled on cancel.
FeatureSet extractFeatures(const Volume& image, const MaskVolume& mask,
                           const FeatureSettings& settings, Progress& progress);

}  // namespace harmonia::features
