// Feature settings files: every field has a key, presets round-trip, mistakes
// are refused by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/features/FeatureConfig.h"
#include "core/util/Error.h"

namespace harmonia::features {
namespace {

void expectSame(const DiscretisationSettings& a, const DiscretisationSettings& b,
                const std::string& what) {
  EXPECT_EQ(a.method, b.method) << what;
  EXPECT_EQ(a.bin_count, b.bin_count) << what;
  EXPECT_EQ(a.bin_width, b.bin_width) << what;
  EXPECT_EQ(a.lower_bound, b.lower_bound) << what;
}

void expectSame(const FeatureSettings& a, const FeatureSettings& b) {
  const std::string what = "settings " + a.name;
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.families, b.families) << what;
  EXPECT_EQ(a.interpolation.enabled, b.interpolation.enabled) << what;
  EXPECT_EQ(a.interpolation.in_plane_only, b.interpolation.in_plane_only) << what;
  EXPECT_EQ(a.interpolation.spacing_mm, b.interpolation.spacing_mm) << what;
  EXPECT_EQ(a.interpolation.image_method, b.interpolation.image_method) << what;
  EXPECT_EQ(a.interpolation.mask_partial_volume_threshold,
            b.interpolation.mask_partial_volume_threshold)
      << what;
  EXPECT_EQ(a.interpolation.round_intensities, b.interpolation.round_intensities) << what;
  EXPECT_EQ(a.resegmentation.range_min, b.resegmentation.range_min) << what;
  EXPECT_EQ(a.resegmentation.range_max, b.resegmentation.range_max) << what;
  EXPECT_EQ(a.resegmentation.outlier_filter3_sigma, b.resegmentation.outlier_filter3_sigma) << what;
  expectSame(a.discretisation, b.discretisation, what + " discretisation");
  expectSame(a.ivh.discretisation, b.ivh.discretisation, what + " ivh");
  EXPECT_EQ(a.texture.aggregations.two_d, b.texture.aggregations.two_d) << what;
  EXPECT_EQ(a.texture.aggregations.two_and_half_d, b.texture.aggregations.two_and_half_d) << what;
  EXPECT_EQ(a.texture.aggregations.three_d, b.texture.aggregations.three_d) << what;
  EXPECT_EQ(a.texture.glcm_distance, b.texture.glcm_distance) << what;
  EXPECT_EQ(a.texture.ngtdm_distance, b.texture.ngtdm_distance) << what;
  EXPECT_EQ(a.texture.ngldm_distance, b.texture.ngldm_distance) << what;
  EXPECT_EQ(a.texture.ngldm_coarseness, b.texture.ngldm_coarseness) << what;
  EXPECT_EQ(a.diagnostics, b.diagnostics) << what;
}

TEST(FeatureConfig, EveryPresetRoundTripsThroughJson) {
  for (const std::string& name : ibsiPresetNames()) {
    const FeatureSettings preset = ibsiPreset(name);
    const std::string json = featureSettingsToJson(preset);
    expectSame(parseFeatureSettings(json, "preset " + name), preset);
    // And the text itself is stable.
    EXPECT_EQ(featureSettingsToJson(parseFeatureSettings(json, name)), json);
  }
}

TEST(FeatureConfig, NonDefaultValuesOfEveryFieldRoundTrip) {
  FeatureSettings s;
  s.name = "my study";
  s.families = {Family::Glcm, Family::Morphology};
  s.interpolation = {true, true, {0.7, 0.8, 3.3}, ImageInterpolation::NearestNeighbour, 0.3, false};
  s.resegmentation.range_min = std::nullopt;
  s.resegmentation.range_max = 3.25;
  s.resegmentation.outlier_filter3_sigma = true;
  s.discretisation = {DiscretisationMethod::FixedBinSize, 17, 12.5, -1024.0};
  s.ivh.discretisation = {DiscretisationMethod::FixedBinNumber, 500, 0.1, std::nullopt};
  s.texture.aggregations = {false, true, false};
  s.texture.glcm_distance = 2;
  s.texture.ngtdm_distance = 3;
  s.texture.ngldm_distance = 4;
  s.texture.ngldm_coarseness = 1;
  s.diagnostics = false;
  expectSame(parseFeatureSettings(featureSettingsToJson(s), "test"), s);
}

TEST(FeatureConfig, EnumNamesAreTheFileFormatsAndParseBack) {
  EXPECT_STREQ(toString(ImageInterpolation::NearestNeighbour), "nearest");
  EXPECT_STREQ(toString(ImageInterpolation::Linear), "linear");
  EXPECT_STREQ(toString(ImageInterpolation::TricubicSpline), "tricubic_spline");
  EXPECT_STREQ(toString(DiscretisationMethod::None), "none");
  EXPECT_STREQ(toString(DiscretisationMethod::FixedBinNumber), "fbn");
  EXPECT_STREQ(toString(DiscretisationMethod::FixedBinSize), "fbs");
  for (auto m : {ImageInterpolation::NearestNeighbour, ImageInterpolation::Linear,
                 ImageInterpolation::TricubicSpline}) {
    EXPECT_EQ(parseImageInterpolation(toString(m)), m);
  }
  for (auto m : {DiscretisationMethod::None, DiscretisationMethod::FixedBinNumber,
                 DiscretisationMethod::FixedBinSize}) {
    EXPECT_EQ(parseDiscretisationMethod(toString(m)), m);
  }
  EXPECT_FALSE(parseImageInterpolation("cubic").has_value());
  EXPECT_FALSE(parseDiscretisationMethod("FBN").has_value());
}

TEST(FeatureConfig, APresetIsABaseForOverrides) {
  const FeatureSettings s = parseFeatureSettings(R"({
    "preset": "C",
    "families": ["glcm", "intensity_statistics"],
    "interpolation": {"spacing_mm": [1, 1, 1], "image_method": "tricubic_spline"},
    "resegmentation": {"range": [-1000, null]},
    "discretisation": {"method": "fbn", "bins": 64},
    "texture": {"aggregations": ["3D"], "glcm_distance": 2}
  })",
                                                 "override");
  FeatureSettings expected = ibsiPreset("C");
  expected.families = {Family::Glcm, Family::IntensityStatistics};
  expected.interpolation.spacing_mm = {1.0, 1.0, 1.0};
  expected.interpolation.image_method = ImageInterpolation::TricubicSpline;
  expected.resegmentation.range_max.reset();
  expected.discretisation.method = DiscretisationMethod::FixedBinNumber;
  expected.discretisation.bin_count = 64;
  expected.texture.aggregations = {false, false, true};
  expected.texture.glcm_distance = 2;
  expectSame(s, expected);
  // An empty object is the defaults.
  expectSame(parseFeatureSettings("{}", "empty"), FeatureSettings{});
}

std::string errorOf(const std::string& json) {
  try {
    parseFeatureSettings(json, "study.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(FeatureConfig, UnknownKeysAndWrongTypesAreRefusedByName) {
  EXPECT_NE(errorOf(R"({"interpolation": {"spacing": [1, 1, 1]}})")
                .find("study.json: 'interpolation.spacing' is not a known key"),
            std::string::npos)
      << errorOf(R"({"interpolation": {"spacing": [1, 1, 1]}})");
  EXPECT_NE(errorOf(R"({"bins": 32})").find("'bins' is not a known key"), std::string::npos);
  EXPECT_NE(errorOf(R"({"discretisation": {"bins": "32"}})").find("'discretisation.bins' must be"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"discretisation": {"bins": 2.5}})").find("'discretisation.bins'"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"interpolation": {"spacing_mm": [1, 1]}})")
                .find("'interpolation.spacing_mm' must be an array of 3"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"interpolation": {"spacing_mm": [1, 0, 1]}})").find("must be positive"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"interpolation": {"image_method": "cubic"}})")
                .find("'interpolation.image_method' must be"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"diagnostics": 1})").find("'diagnostics' must be true or false"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"families": ["glcm", "texture"]})").find("\"texture\", not a family"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"preset": "F"})").find("'preset' must be one of"), std::string::npos);
  EXPECT_NE(errorOf(R"({"resegmentation": {"range": [400, -500]}})").find("min <= max"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"texture": {"aggregations": ["2D", "4D"]}})").find("not \"4D\""),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"discretisation": {"method": "fbs", "bin_width": 0}})")
                .find("'discretisation.bin_width' must be positive"),
            std::string::npos);
  EXPECT_NE(errorOf(R"({"texture": {"glcm_distance": 0}})").find("'texture.glcm_distance'"),
            std::string::npos);
  EXPECT_NE(errorOf("{\"preset\": \"A\",}").find("study.json: not valid JSON"), std::string::npos);
  EXPECT_NE(errorOf("[1, 2]").find("must be an object"), std::string::npos);
}

TEST(FeatureConfig, FilesAreReadAndNamedByTheirStem) {
  const auto dir = std::filesystem::temp_directory_path() / "harmonia_feature_config_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "sts_ct.json";
  {
    std::ofstream out(path);
    out << R"({"preset": "A", "diagnostics": false})";
  }
  const FeatureSettings s = readFeatureSettings(path);
  FeatureSettings expected = ibsiPreset("A");
  expected.name = "sts_ct";
  expected.diagnostics = false;
  expectSame(s, expected);
  {
    std::ofstream out(path);
    out << R"({"preset": "A", "ivh": {"method": "histogram"}})";
  }
  try {
    readFeatureSettings(path);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_NE(std::string(e.what()).find("'ivh.method' must be"), std::string::npos) << e.what();
  }
  EXPECT_THROW(readFeatureSettings(dir / "absent.json"), InputError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace harmonia::features
