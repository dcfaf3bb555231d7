#pragma once
// The ROI after the IBSI image-processing chain, as every feature family reads it.
//
// All volumes share one grid: the interpolated grid cropped to the bounding
// box of the morphological mask, widened by a margin (kLocalIntensityMargin_mm
// on each side, clamped to the image) so that the local intensity peak's
// 1 cm^3 sphere sees the voxels around the ROI. Geometry (spacing, origin,
// direction) is that of the interpolated image.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "core/features/FeatureSet.h"
#include "core/image/Volume.h"

namespace harmonia::features {

/// Margin kept around the morphological mask's bounding box, in mm. The
/// local intensity peak uses a sphere of 1 cm^3, radius 6.2035 mm (IBSI 3.2).
inline constexpr double kLocalIntensityMargin_mm = 6.3;

/// Discretised grey levels on a box grid, i fastest: level 1..level_count
/// inside the ROI intensity mask, 0 outside. `morphological` is the
/// morphological mask on the same grid (1 inside, 0 outside), for the
/// distance map of the GLDZM.
struct GreyLevelVolume {
  std::array<int, 3> size{0, 0, 0};  ///< nx, ny, nz
  Eigen::Vector3d spacing_mm{1.0, 1.0, 1.0};
  std::vector<std::int32_t> levels;
  std::vector<std::uint8_t> morphological;
  /// Ng: the number of grey levels of the discretisation (FBN: the bin count;
  /// FBS and None: the highest level in the ROI).
  int level_count = 0;

  [[nodiscard]] std::size_t index(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(size[0]) *
               (static_cast<std::size_t>(j) +
                static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(k));
  }
  [[nodiscard]] std::int32_t at(int i, int j, int k) const { return levels[index(i, j, k)]; }
  [[nodiscard]] std::size_t voxelCount() const { return levels.size(); }
};

/// The processed ROI.
struct PreparedRoi {
  Volume image;                   ///< interpolated (and rounded) intensities, cropped
  MaskVolume morphological_mask;  ///< interpolated mask, before re-segmentation (0/1)
  MaskVolume intensity_mask;      ///< after re-segmentation (0/1)
  GreyLevelVolume grey_levels;    ///< texture and intensity histogram discretisation
  /// Bin width of grey_levels in image units (FBS: w; FBN: (max-min)/Ng;
  /// None: 1), and the intensity of level 1's lower edge.
  double bin_width = 1.0;
  double bin_lower_bound = 0.0;
  /// The IBSI diagnostic features (img_dim_x_init_img, ..., int_max_reseg_roi),
  /// filled by prepareRoi when FeatureSettings::diagnostics is set.
  FeatureSet diagnostics;

  /// Intensities of the voxels in the intensity mask, in grid order.
  [[nodiscard]] std::vector<double> roiIntensities() const;
};

}  // namespace harmonia::features
