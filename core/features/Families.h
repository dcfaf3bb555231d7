#pragma once
// The feature families of IBSI 1. Each function appends its features to `out`
// with their IBSI tags (see FeatureSet.h), in the order of the IBSI tables,
// and adds undefined features (NaN + reason) where IBSI leaves a feature
// undefined for this ROI. Texture families compute every aggregation enabled
// in TextureSettings::aggregations. Long computations call
// progress.throwIfCancelled() now and then.

#include "core/features/FeatureSet.h"
#include "core/features/FeatureSettings.h"
#include "core/features/PreparedRoi.h"
#include "core/job/Progress.h"

namespace harmonia::features {

// Morphology (IBSI 3.1, 29 features: morph_*), from the morphological mask's
// mesh (marching cubes) and the intensity mask's intensities.
void computeMorphology(const PreparedRoi& roi, FeatureSet& out, Progress& progress);
// Local intensity (IBSI 3.2: loc_peak_loc, loc_peak_glob).
void computeLocalIntensity(const PreparedRoi& roi, FeatureSet& out, Progress& progress);
// Intensity statistics (IBSI 3.3, 18 features: stat_*).
void computeIntensityStatistics(const PreparedRoi& roi, FeatureSet& out);
// Intensity histogram (IBSI 3.4, 23 features: ih_*), on roi.grey_levels.
void computeIntensityHistogram(const PreparedRoi& roi, FeatureSet& out);
// Intensity-volume histogram (IBSI 3.5: ivh_*), with its own discretisation.
void computeIntensityVolumeHistogram(const PreparedRoi& roi, const IvhSettings& ivh,
                                     const ResegmentationSettings& reseg, FeatureSet& out);

// Texture (IBSI 3.6-3.11), on grey levels.
void computeGlcm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                 Progress& progress);
void computeGlrlm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress);
void computeGlszm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress);
void computeGldzm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress);
void computeNgtdm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress);
void computeNgldm(const GreyLevelVolume& levels, const TextureSettings& settings, FeatureSet& out,
                  Progress& progress);

/// Computes one family of `roi` with `settings` (the matching function above).
void computeFamily(Family family, const PreparedRoi& roi, const FeatureSettings& settings,
                   FeatureSet& out, Progress& progress);

}  // namespace harmonia::features
