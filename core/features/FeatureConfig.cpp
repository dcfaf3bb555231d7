// Feature settings files (JSON), documented in docs/feature-settings.md.
#include "core/features/FeatureConfig.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io/JsonReader.h"
#include "core/io/TextFile.h"
#include "core/util/Error.h"

namespace harmonia::features {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Reads one JSON object into settings, naming `source` and the key's path in
// every error.
class Reader : public JsonReader {
 public:
  using JsonReader::JsonReader;

  int integer(const Json& v, const std::string& key, int minimum) const {
    return static_cast<int>(JsonReader::integer(v, key, minimum));
  }

  void interpolation(const Json& j, InterpolationSettings& s) const {
    const std::string p = "interpolation";
    onlyKeys(j, p,
             {"enabled", "in_plane_only", "spacing_mm", "image_method", "mask_threshold",
              "round_intensities"});
    if (j.contains("enabled")) s.enabled = boolean(j["enabled"], join(p, "enabled"));
    if (j.contains("in_plane_only")) {
      s.in_plane_only = boolean(j["in_plane_only"], join(p, "in_plane_only"));
    }
    if (j.contains("spacing_mm")) {
      const Json& v = j["spacing_mm"];
      const std::string key = join(p, "spacing_mm");
      if (!v.is_array() || v.size() != 3) fail(key, "must be an array of 3 numbers [x, y, z] (mm)");
      for (int a = 0; a < 3; ++a) s.spacing_mm[a] = positive(v[static_cast<std::size_t>(a)], key);
    }
    if (j.contains("image_method")) {
      const std::string key = join(p, "image_method");
      const std::string name = string(j["image_method"], key);
      const auto m = parseImageInterpolation(name);
      if (!m) {
        fail(key, "must be \"linear\", \"tricubic_spline\" or \"nearest\", not \"" + name + "\"");
      }
      s.image_method = *m;
    }
    if (j.contains("mask_threshold")) {
      const std::string key = join(p, "mask_threshold");
      s.mask_partial_volume_threshold = number(j["mask_threshold"], key);
      if (!(s.mask_partial_volume_threshold > 0.0 && s.mask_partial_volume_threshold <= 1.0)) {
        fail(key, "must be in (0, 1]");
      }
    }
    if (j.contains("round_intensities")) {
      s.round_intensities = boolean(j["round_intensities"], join(p, "round_intensities"));
    }
  }

  void resegmentation(const Json& j, ResegmentationSettings& s) const {
    const std::string p = "resegmentation";
    onlyKeys(j, p, {"range", "outlier_3sigma"});
    if (j.contains("range")) {
      const Json& v = j["range"];
      const std::string key = join(p, "range");
      if (v.is_null()) {
        s.range_min.reset();
        s.range_max.reset();
      } else {
        if (!v.is_array() || v.size() != 2) {
          fail(key, "must be [min, max] (null for an open end) or null");
        }
        s.range_min = optionalNumber(v[0], key);
        s.range_max = optionalNumber(v[1], key);
        if (s.range_min && s.range_max && *s.range_min > *s.range_max) {
          fail(key, "must have min <= max");
        }
      }
    }
    if (j.contains("outlier_3sigma")) {
      s.outlier_filter3_sigma = boolean(j["outlier_3sigma"], join(p, "outlier_3sigma"));
    }
  }

  void discretisation(const Json& j, const std::string& p, DiscretisationSettings& s) const {
    onlyKeys(j, p, {"method", "bins", "bin_width", "lower_bound"});
    if (j.contains("method")) {
      const std::string key = join(p, "method");
      const std::string name = string(j["method"], key);
      const auto m = parseDiscretisationMethod(name);
      if (!m) fail(key, "must be \"fbn\", \"fbs\" or \"none\", not \"" + name + "\"");
      s.method = *m;
    }
    // Bin count and width are kept as given even when the method does not
    // use them (the presets carry both), so a file round-trips.
    if (j.contains("bins")) s.bin_count = integer(j["bins"], join(p, "bins"), 0);
    if (j.contains("bin_width")) s.bin_width = number(j["bin_width"], join(p, "bin_width"));
    if (j.contains("lower_bound")) {
      s.lower_bound = optionalNumber(j["lower_bound"], join(p, "lower_bound"));
    }
    if (s.method == DiscretisationMethod::FixedBinNumber && s.bin_count < 1) {
      fail(join(p, "bins"), "must be at least 1 for \"fbn\"");
    }
    if (s.method == DiscretisationMethod::FixedBinSize && !(s.bin_width > 0.0)) {
      fail(join(p, "bin_width"), "must be positive for \"fbs\"");
    }
  }

  void texture(const Json& j, TextureSettings& s) const {
    const std::string p = "texture";
    onlyKeys(
        j, p,
        {"aggregations", "glcm_distance", "ngtdm_distance", "ngldm_distance", "ngldm_coarseness"});
    if (j.contains("aggregations")) {
      const Json& v = j["aggregations"];
      const std::string key = join(p, "aggregations");
      if (!v.is_array()) fail(key, "must be an array of \"2D\", \"2.5D\", \"3D\"");
      s.aggregations = {false, false, false};
      for (const Json& a : v) {
        const std::string name = string(a, key);
        if (name == "2D") {
          s.aggregations.two_d = true;
        } else if (name == "2.5D") {
          s.aggregations.two_and_half_d = true;
        } else if (name == "3D") {
          s.aggregations.three_d = true;
        } else {
          fail(key, "must hold \"2D\", \"2.5D\" or \"3D\", not \"" + name + "\"");
        }
      }
    }
    if (j.contains("glcm_distance")) {
      s.glcm_distance = integer(j["glcm_distance"], join(p, "glcm_distance"), 1);
    }
    if (j.contains("ngtdm_distance")) {
      s.ngtdm_distance = integer(j["ngtdm_distance"], join(p, "ngtdm_distance"), 1);
    }
    if (j.contains("ngldm_distance")) {
      s.ngldm_distance = integer(j["ngldm_distance"], join(p, "ngldm_distance"), 1);
    }
    if (j.contains("ngldm_coarseness")) {
      s.ngldm_coarseness = integer(j["ngldm_coarseness"], join(p, "ngldm_coarseness"), 0);
    }
  }

  FeatureSettings settings(const Json& j) const {
    onlyKeys(j, "",
             {"preset", "name", "families", "interpolation", "resegmentation", "discretisation",
              "ivh", "texture", "diagnostics"});
    FeatureSettings s;
    if (j.contains("preset")) {
      const std::string preset = string(j["preset"], "preset");
      try {
        s = ibsiPreset(preset);
      } catch (const ParameterError&) {
        fail("preset", "must be one of phantom, A, B, C, D, E, not \"" + preset + "\"");
      }
    }
    if (j.contains("name")) s.name = string(j["name"], "name");
    if (j.contains("families")) {
      const Json& v = j["families"];
      if (!v.is_array()) fail("families", "must be an array of family keys");
      s.families.clear();
      for (const Json& f : v) {
        const std::string key = string(f, "families");
        const auto family = familyFromKey(key);
        if (!family) {
          fail("families",
               "holds \"" + key +
                   "\", not a family (morphology, local_intensity, intensity_statistics, "
                   "intensity_histogram, intensity_volume_histogram, glcm, glrlm, glszm, gldzm, "
                   "ngtdm, ngldm)");
        }
        if (s.has(*family)) fail("families", "lists \"" + key + "\" twice");
        s.families.push_back(*family);
      }
    }
    if (j.contains("interpolation")) interpolation(j["interpolation"], s.interpolation);
    if (j.contains("resegmentation")) resegmentation(j["resegmentation"], s.resegmentation);
    if (j.contains("discretisation")) {
      discretisation(j["discretisation"], "discretisation", s.discretisation);
    }
    if (j.contains("ivh")) discretisation(j["ivh"], "ivh", s.ivh.discretisation);
    if (j.contains("texture")) texture(j["texture"], s.texture);
    if (j.contains("diagnostics")) s.diagnostics = boolean(j["diagnostics"], "diagnostics");
    return s;
  }
};

OrderedJson optionalToJson(const std::optional<double>& v) {
  return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

OrderedJson discretisationToJson(const DiscretisationSettings& d) {
  OrderedJson j;
  j["method"] = toString(d.method);
  j["bins"] = d.bin_count;
  j["bin_width"] = d.bin_width;
  j["lower_bound"] = optionalToJson(d.lower_bound);
  return j;
}

}  // namespace

FeatureSettings parseFeatureSettings(const std::string& json, const std::string& source) {
  const Reader reader(source);
  return reader.settings(reader.parse<Json>(json));
}

FeatureSettings readFeatureSettings(const std::filesystem::path& path) {
  const Reader reader(path.string());
  const Json j = reader.parse<Json>(readTextFile(path, "feature settings file"));
  FeatureSettings s = reader.settings(j);
  if (!j.contains("name")) s.name = path.stem().string();
  return s;
}

std::string featureSettingsToJson(const FeatureSettings& s) {
  OrderedJson j;
  j["name"] = s.name;
  OrderedJson families = OrderedJson::array();
  for (const Family f : s.families) families.push_back(familyKey(f));
  j["families"] = families;
  const auto& in = s.interpolation;
  j["interpolation"] = {{"enabled", in.enabled},
                        {"in_plane_only", in.in_plane_only},
                        {"spacing_mm", {in.spacing_mm.x(), in.spacing_mm.y(), in.spacing_mm.z()}},
                        {"image_method", toString(in.image_method)},
                        {"mask_threshold", in.mask_partial_volume_threshold},
                        {"round_intensities", in.round_intensities}};
  const auto& r = s.resegmentation;
  OrderedJson range = nullptr;
  if (r.range_min || r.range_max) {
    range = OrderedJson::array({optionalToJson(r.range_min), optionalToJson(r.range_max)});
  }
  j["resegmentation"] = {{"range", range}, {"outlier_3sigma", r.outlier_filter3_sigma}};
  j["discretisation"] = discretisationToJson(s.discretisation);
  j["ivh"] = discretisationToJson(s.ivh.discretisation);
  OrderedJson aggregations = OrderedJson::array();
  if (s.texture.aggregations.two_d) aggregations.push_back("2D");
  if (s.texture.aggregations.two_and_half_d) aggregations.push_back("2.5D");
  if (s.texture.aggregations.three_d) aggregations.push_back("3D");
  j["texture"] = {{"aggregations", aggregations},
                  {"glcm_distance", s.texture.glcm_distance},
                  {"ngtdm_distance", s.texture.ngtdm_distance},
                  {"ngldm_distance", s.texture.ngldm_distance},
                  {"ngldm_coarseness", s.texture.ngldm_coarseness}};
  j["diagnostics"] = s.diagnostics;
  return j.dump(2) + "\n";
}

}  // namespace harmonia::features
