#pragma once
// Feature maps: one texture feature computed in a sliding sphere around every
// ROI voxel (what voxel-wise radiomics calls a "feature map").
//
// The IBSI processing chain runs once on the whole ROI (interpolation,
// re-segmentation and discretisation are those of the whole ROI, so every
// voxel's value uses the same grey levels); then, for every voxel of the
// intensity mask, the grey levels inside a sphere of radius R mm centred on
// it, intersected with the ROI, form a small GreyLevelVolume on which only
// the feature's family runs, with only the feature's aggregation enabled.
// Voxels outside the ROI, and voxels where the feature is undefined (a
// sphere with one grey level for a GLCM contrast, ...), are NaN.

#include <cstddef>
#include <string>
#include <vector>

#include "core/features/FeatureSettings.h"
#include "core/features/PreparedRoi.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia::features {

/// The texture family and aggregation an IBSI tag names.
struct TextureFeatureTag {
  std::string tag;
  Family family = Family::Glcm;
  std::string aggregation;  ///< "3D_avg", "2_5D", ... (the tag's suffix)
  TextureAggregations aggregations{false, false, false};  ///< only the tag's one enabled
};

/// Reads a texture feature tag: its prefix names the family (cm_ GLCM, rlm_
/// GLRLM, szm_ GLSZM, dzm_ GLDZM, ngt_ NGTDM, ngl_ NGLDM) and its suffix the
/// aggregation (_2D_avg, _2D_comb, _2_5D_avg, _2_5D_comb, _3D_avg, _3D_comb
/// for GLCM and GLRLM; _2D, _2_5D, _3D for the others; IBSI 3.1.4). Throws
/// ParameterError explaining how tags look for anything else.
TextureFeatureTag textureFeatureTag(const std::string& tag);

/// The feature `tag` in a sphere of radius_mm (physical distance between
/// voxel centres, using levels.spacing_mm) around every voxel of `levels`
/// whose grey level is nonzero, intersected with the ROI (levels > 0 for the
/// grey levels, `morphological` for the GLDZM's distances). Returns one value
/// per voxel of `levels` (i fastest): NaN outside the ROI and where the
/// feature is undefined. Runs in parallel over voxels; reports progress and
/// throws Cancelled on cancel. Throws ParameterError for a tag that is not a
/// texture feature or that its family does not produce (listing the tags it
/// does produce), and for a radius that is not positive.
std::vector<float> featureMapOnLevels(const GreyLevelVolume& levels, const std::string& tag,
                                      double radius_mm, const TextureSettings& texture,
                                      Progress& progress);

/// A computed map.
struct FeatureMap {
  /// The map. Without interpolation in the settings: on the image's grid
  /// (same size and geometry as the input image). With interpolation: on the
  /// interpolated grid, cropped to the ROI's box plus PreparedRoi's margin
  /// (placed correctly in space by its origin; the image is not resampled
  /// back, which would blur the map and spread NaNs).
  Volume map;
  bool on_image_grid = true;
  std::size_t roi_voxels = 0;        ///< voxels of the intensity mask (where a value is computed)
  std::size_t undefined_voxels = 0;  ///< ROI voxels where the feature is undefined
  std::string family;                ///< familyKey() of the tag's family
};

/// Runs prepareRoi once, then featureMapOnLevels() on its grey levels.
/// Throws InputError for bad inputs (see prepareRoi) and ParameterError for a
/// bad tag or radius (checked before the processing chain runs).
FeatureMap computeFeatureMap(const Volume& image, const MaskVolume& mask,
                             const FeatureSettings& settings, const std::string& tag,
                             double radius_mm, Progress& progress);

}  // namespace harmonia::features
