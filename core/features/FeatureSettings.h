#pragma once
// Settings of the IBSI image-processing chain and of the feature families.
//
// Every step follows IBSI 1 (arXiv:1612.07003, chapters "Image processing"
// and "Image features"); the built-in presets reproduce the IBSI 1 benchmark
// configurations of theibsi/ibsi-doc docs/05_Reference_data_sets.rst.
// A settings file (JSON, see FeatureConfig.h) fills the same struct.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

namespace harmonia::features {

/// The IBSI 1 feature families, in IBSI order.
enum class Family {
  Morphology,
  LocalIntensity,
  IntensityStatistics,
  IntensityHistogram,
  IntensityVolumeHistogram,
  Glcm,
  Glrlm,
  Glszm,
  Gldzm,
  Ngtdm,
  Ngldm,
};
inline constexpr int kFamilyCount = 11;

/// Short key of a family, used in Feature::family and in settings files:
/// "morphology", "local_intensity", "intensity_statistics",
/// "intensity_histogram", "intensity_volume_histogram", "glcm", "glrlm",
/// "glszm", "gldzm", "ngtdm", "ngldm". Diagnostic features use "diagnostics".
const char* familyKey(Family family);
/// The family of a key; nullopt when unknown.
std::optional<Family> familyFromKey(const std::string& key);

/// Image interpolation method (IBSI 2.4).
enum class ImageInterpolation { NearestNeighbour, Linear, TricubicSpline };
/// "nearest", "linear", "tricubic_spline": the names in feature settings files.
const char* toString(ImageInterpolation method);
std::optional<ImageInterpolation> parseImageInterpolation(const std::string& name);

/// IBSI 2.4: interpolation to a new grid. The new grid is centred on the
/// original grid and its size is ceil(extent / spacing) (IBSI grid convention).
struct InterpolationSettings {
  bool enabled = false;
  /// 2D (configurations A, B): interpolate within each slice only; the
  /// z spacing of `spacing_mm` is then ignored and slices stay as they are.
  bool in_plane_only = false;
  Eigen::Vector3d spacing_mm{1.0, 1.0, 1.0};
  ImageInterpolation image_method = ImageInterpolation::Linear;
  /// The mask is interpolated linearly and kept where the result is >= this.
  double mask_partial_volume_threshold = 0.5;
  /// Round interpolated intensities to the nearest integer (CT in HU).
  bool round_intensities = true;
};

/// IBSI 2.5: re-segmentation. Voxels outside the range, or further than 3
/// standard deviations from the ROI mean, leave the intensity mask only; the
/// morphological mask keeps them.
struct ResegmentationSettings {
  std::optional<double> range_min;
  std::optional<double> range_max;
  bool outlier_filter3_sigma = false;
};

/// IBSI 2.7: discretisation.
enum class DiscretisationMethod {
  None,            ///< intensities are already grey levels 1..Ng (the digital phantom)
  FixedBinNumber,  ///< FBN: Ng bins between the ROI minimum and maximum
  FixedBinSize,    ///< FBS: bins of width w from a lower bound
};
/// "none", "fbn", "fbs": the names in feature settings files.
const char* toString(DiscretisationMethod method);
std::optional<DiscretisationMethod> parseDiscretisationMethod(const std::string& name);

struct DiscretisationSettings {
  DiscretisationMethod method = DiscretisationMethod::FixedBinNumber;
  int bin_count = 32;       ///< FBN
  double bin_width = 25.0;  ///< FBS, in image units (HU...)
  /// FBS lower bound; when unset, the re-segmentation range minimum if set,
  /// else the ROI minimum (IBSI's convention).
  std::optional<double> lower_bound;
};

/// IBSI 4.4: intensity-volume histogram. Method None uses the (calibrated,
/// discrete) intensities as they are, e.g. CT in configurations A, B, D.
struct IvhSettings {
  DiscretisationSettings discretisation{DiscretisationMethod::None, 1000, 2.5, std::nullopt};
};

/// Which texture aggregations to compute (IBSI 3.1.4).
struct TextureAggregations {
  bool two_d = true;           ///< per slice: "2D_avg"/"2D_comb" (GLCM, GLRLM) or "2D"
  bool two_and_half_d = true;  ///< slices merged: "2_5D_avg"/"2_5D_comb" or "2_5D"
  bool three_d = true;         ///< volume: "3D_avg"/"3D_comb" or "3D"
};

/// Texture matrix parameters.
struct TextureSettings {
  TextureAggregations aggregations;
  int glcm_distance = 1;     ///< Chebyshev distance for GLCM
  int ngtdm_distance = 1;    ///< Chebyshev distance for NGTDM
  int ngldm_distance = 1;    ///< Chebyshev distance for NGLDM
  int ngldm_coarseness = 0;  ///< NGLDM coarseness alpha
};

/// Everything an extraction needs.
struct FeatureSettings {
  std::string name = "custom";  ///< a preset name or the settings file's name
  std::vector<Family> families = {Family::Morphology,
                                  Family::LocalIntensity,
                                  Family::IntensityStatistics,
                                  Family::IntensityHistogram,
                                  Family::IntensityVolumeHistogram,
                                  Family::Glcm,
                                  Family::Glrlm,
                                  Family::Glszm,
                                  Family::Gldzm,
                                  Family::Ngtdm,
                                  Family::Ngldm};
  InterpolationSettings interpolation;
  ResegmentationSettings resegmentation;
  DiscretisationSettings discretisation;  ///< texture and intensity histogram
  IvhSettings ivh;
  TextureSettings texture;
  /// Also report the IBSI diagnostic features (image/ROI dimensions, counts,
  /// mean/min/max after each step).
  bool diagnostics = true;

  [[nodiscard]] bool has(Family f) const;
};

/// The IBSI 1 benchmark configurations: "phantom" (the digital phantom: no
/// processing, grey levels as they are, all aggregations) and "A" to "E"
/// (the CT phantom; theibsi/ibsi-doc docs/05_Reference_data_sets.rst).
/// Throws ParameterError for any other name.
FeatureSettings ibsiPreset(const std::string& name);
/// The preset names, in order.
std::vector<std::string> ibsiPresetNames();

}  // namespace harmonia::features
