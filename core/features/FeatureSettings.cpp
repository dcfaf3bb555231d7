#include "core/features/FeatureSettings.h"

#include <algorithm>
#include <array>

#include "core/util/Error.h"

namespace harmonia::features {

namespace {
constexpr std::array<const char*, kFamilyCount> kKeys = {"morphology",
                                                         "local_intensity",
                                                         "intensity_statistics",
                                                         "intensity_histogram",
                                                         "intensity_volume_histogram",
                                                         "glcm",
                                                         "glrlm",
                                                         "glszm",
                                                         "gldzm",
                                                         "ngtdm",
                                                         "ngldm"};
}  // namespace

const char* familyKey(Family family) { return kKeys.at(static_cast<std::size_t>(family)); }

std::optional<Family> familyFromKey(const std::string& key) {
  for (std::size_t i = 0; i < kKeys.size(); ++i) {
    if (key == kKeys[i]) return static_cast<Family>(i);
  }
  return std::nullopt;
}

namespace {

// Each enum's names in enum order (the enums count from 0).
constexpr std::array<const char*, 3> kImageInterpolationNames{"nearest", "linear",
                                                              "tricubic_spline"};
constexpr std::array<const char*, 3> kDiscretisationNames{"none", "fbn", "fbs"};

template <class Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<const char*, N>& names, const std::string& name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* toString(ImageInterpolation method) {
  return kImageInterpolationNames.at(static_cast<std::size_t>(method));
}

std::optional<ImageInterpolation> parseImageInterpolation(const std::string& name) {
  return parseName<ImageInterpolation>(kImageInterpolationNames, name);
}

const char* toString(DiscretisationMethod method) {
  return kDiscretisationNames.at(static_cast<std::size_t>(method));
}

std::optional<DiscretisationMethod> parseDiscretisationMethod(const std::string& name) {
  return parseName<DiscretisationMethod>(kDiscretisationNames, name);
}

bool FeatureSettings::has(Family f) const {
  return std::find(families.begin(), families.end(), f) != families.end();
}

std::vector<std::string> ibsiPresetNames() { return {"phantom", "A", "B", "C", "D", "E"}; }

// Values from theibsi/ibsi-doc, docs/05_Reference_data_sets.rst: the digital
// phantom section ("Computing image features") and the tables of
// configurations A to E. GLCM/NGTDM/NGLDM distance 1, NGLDM coarseness 0 and
// GLSZM/GLDZM linkage 1 in every configuration (the defaults above).
FeatureSettings ibsiPreset(const std::string& name) {
  FeatureSettings s;
  s.name = name;
  if (name == "phantom") {
    // No processing; the phantom's values (1..6) are its grey levels.
    s.discretisation.method = DiscretisationMethod::None;
    s.ivh.discretisation.method = DiscretisationMethod::None;
    return s;
  }
  const bool twoD = name == "A" || name == "B";
  if (!twoD && name != "C" && name != "D" && name != "E") {
    throw ParameterError("unknown IBSI configuration '" + name +
                         "' (expected phantom, A, B, C, D or E)");
  }
  s.texture.aggregations = {twoD, twoD, !twoD};
  if (name != "A") {
    s.interpolation.enabled = true;
    s.interpolation.in_plane_only = twoD;
    s.interpolation.spacing_mm = {2.0, 2.0, 2.0};
    s.interpolation.image_method =
        name == "E" ? ImageInterpolation::TricubicSpline : ImageInterpolation::Linear;
    s.interpolation.mask_partial_volume_threshold = 0.5;
    s.interpolation.round_intensities = true;
  }
  if (name == "A" || name == "B") {
    s.resegmentation.range_min = -500.0;
    s.resegmentation.range_max = 400.0;
  } else if (name == "C" || name == "E") {
    s.resegmentation.range_min = -1000.0;
    s.resegmentation.range_max = 400.0;
  }
  s.resegmentation.outlier_filter3_sigma = name == "D" || name == "E";
  if (name == "A" || name == "C") {
    s.discretisation.method = DiscretisationMethod::FixedBinSize;
    s.discretisation.bin_width = 25.0;
  } else {
    s.discretisation.method = DiscretisationMethod::FixedBinNumber;
    s.discretisation.bin_count = 32;
  }
  if (name == "C") {
    s.ivh.discretisation = {DiscretisationMethod::FixedBinSize, 0, 2.5, std::nullopt};
  } else if (name == "E") {
    s.ivh.discretisation = {DiscretisationMethod::FixedBinNumber, 1000, 0.0, std::nullopt};
  } else {
    s.ivh.discretisation.method = DiscretisationMethod::None;
  }
  return s;
}

}  // namespace harmonia::features
