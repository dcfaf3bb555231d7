// Protocol config and result as JSON (Protocol.h).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "core/io/JsonReader.h"
#include "core/io/TextFile.h"
#include "core/phantom/Protocol.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using Json = nlohmann::ordered_json;
using Eigen::Vector3d;

// Reads the protocol's sections; errors name the source and the key's path.
class Reader : public JsonReader {
 public:
  using JsonReader::JsonReader;

  void phantom(const Json& j, PhantomParams& p) const {
    const std::string path = "phantom";
    onlyKeys(j, path, {"fov_mm", "fine_spacing_mm", "texture_amplitude", "seed"});
    if (j.contains("fov_mm")) p.fov_mm = vector3(j["fov_mm"], join(path, "fov_mm"), 0.0, true);
    if (j.contains("fine_spacing_mm")) {
      p.fine_spacing_mm = atLeast(j["fine_spacing_mm"], join(path, "fine_spacing_mm"), 0.0, true);
    }
    if (j.contains("texture_amplitude")) {
      p.texture_amplitude = number(j["texture_amplitude"], join(path, "texture_amplitude"));
    }
    if (j.contains("seed")) {
      p.seed = static_cast<std::uint32_t>(integer(j["seed"], join(path, "seed"), 0, 4294967295LL));
    }
  }

  ScannerParams scanner(const Json& j, const std::string& path) const {
    onlyKeys(j, path,
             {"name", "gain_alpha", "offset_beta", "psf_fwhm_mm", "spacing_mm",
              "slice_thickness_mm", "noise_sigma", "noise_seed", "psf_model"});
    ScannerParams s;
    if (j.contains("name")) s.name = string(j["name"], join(path, "name"));
    if (j.contains("gain_alpha")) {
      s.gain_alpha = atLeast(j["gain_alpha"], join(path, "gain_alpha"), 0.0, true);
    }
    if (j.contains("offset_beta")) {
      s.offset_beta = number(j["offset_beta"], join(path, "offset_beta"));
    }
    if (j.contains("psf_fwhm_mm")) {
      s.psf_fwhm_mm = vector3(j["psf_fwhm_mm"], join(path, "psf_fwhm_mm"), 0.0, false);
    }
    if (j.contains("spacing_mm")) {
      s.spacing_mm = vector3(j["spacing_mm"], join(path, "spacing_mm"), 0.0, true);
    }
    if (j.contains("slice_thickness_mm")) {
      s.slice_thickness_mm =
          atLeast(j["slice_thickness_mm"], join(path, "slice_thickness_mm"), 0.0, true);
    }
    if (j.contains("noise_sigma")) {
      s.noise_sigma = atLeast(j["noise_sigma"], join(path, "noise_sigma"), 0.0, false);
    }
    if (j.contains("noise_seed")) {
      s.noise_seed = static_cast<std::uint32_t>(
          integer(j["noise_seed"], join(path, "noise_seed"), 0, 4294967295LL));
    }
    if (j.contains("psf_model")) {
      const std::string key = join(path, "psf_model");
      const auto m = parsePsfModel(string(j["psf_model"], key));
      if (!m) fail(key, "must be \"fine_grid_spatial\" or \"output_grid_fourier\"");
      s.psf_model = *m;
    }
    return s;
  }
};

Json vec(const Vector3d& v) { return Json::array({v.x(), v.y(), v.z()}); }

}  // namespace

ProtocolConfig protocolConfigFromJson(const std::string& text, const std::string& source_name) {
  const Reader r(source_name);
  const Json j = r.parse<Json>(text);
  r.onlyKeys(j, "",
             {"phantom", "scenarios", "common_spacing_mm", "bin_number", "roi_fraction",
              "interpolation", "min_target_fwhm_voxels"});
  ProtocolConfig c = defaultProtocolConfig();
  if (j.contains("phantom")) r.phantom(j["phantom"], c.phantom);
  if (j.contains("common_spacing_mm")) {
    c.common_spacing_mm = r.atLeast(j["common_spacing_mm"], "common_spacing_mm", 0.0, false);
  }
  if (j.contains("bin_number")) {
    c.bin_number = static_cast<int>(r.integer(j["bin_number"], "bin_number", 2, 65536));
  }
  if (j.contains("roi_fraction")) {
    c.roi_fraction = r.atLeast(j["roi_fraction"], "roi_fraction", 0.0, true);
    if (!(c.roi_fraction < 1.0)) r.fail("roi_fraction", "must be < 1");
  }
  if (j.contains("interpolation")) {
    const auto m = parseInterpolation(r.string(j["interpolation"], "interpolation"));
    if (!m) r.fail("interpolation", "must be \"nearest\", \"linear\" or \"cubic\"");
    c.interpolation = *m;
  }
  if (j.contains("min_target_fwhm_voxels")) {
    c.min_target_fwhm_voxels =
        r.atLeast(j["min_target_fwhm_voxels"], "min_target_fwhm_voxels", 0.0, false);
  }
  if (j.contains("scenarios")) {
    const Json& list = j["scenarios"];
    if (!list.is_array() || list.empty()) r.fail("scenarios", "must be a non-empty array");
    c.scenarios.clear();
    for (std::size_t s = 0; s < list.size(); ++s) {
      const std::string path = "scenarios[" + std::to_string(s) + "]";
      r.onlyKeys(list[s], path, {"name", "scanners"});
      ProtocolScenario scenario;
      scenario.name = list[s].contains("name") ? r.string(list[s]["name"], path + ".name")
                                               : "scenario " + std::to_string(s + 1);
      if (!list[s].contains("scanners")) r.fail(path, "needs \"scanners\"");
      const Json& scanners = list[s]["scanners"];
      if (!scanners.is_array() || scanners.size() < 2) {
        r.fail(path + ".scanners", "must be an array of at least two scanners");
      }
      for (std::size_t k = 0; k < scanners.size(); ++k) {
        scenario.scanners.push_back(
            r.scanner(scanners[k], path + ".scanners[" + std::to_string(k) + "]"));
      }
      c.scenarios.push_back(std::move(scenario));
    }
  }
  return c;
}

ProtocolConfig readProtocolConfig(const std::filesystem::path& path) {
  return protocolConfigFromJson(readTextFile(path, "protocol configuration"), path.string());
}

std::string protocolConfigToJson(const ProtocolConfig& c) {
  Json j = Json::object();
  j["phantom"] = {{"fov_mm", vec(c.phantom.fov_mm)},
                  {"fine_spacing_mm", c.phantom.fine_spacing_mm},
                  {"texture_amplitude", c.phantom.texture_amplitude},
                  {"seed", c.phantom.seed}};
  j["common_spacing_mm"] = c.common_spacing_mm;
  j["bin_number"] = c.bin_number;
  j["roi_fraction"] = c.roi_fraction;
  j["interpolation"] = toString(c.interpolation);
  j["min_target_fwhm_voxels"] = c.min_target_fwhm_voxels;
  Json scenarios = Json::array();
  for (const ProtocolScenario& s : c.scenarios) {
    Json scanners = Json::array();
    for (const ScannerParams& p : s.scanners) {
      scanners.push_back({{"name", p.name},
                          {"gain_alpha", p.gain_alpha},
                          {"offset_beta", p.offset_beta},
                          {"psf_fwhm_mm", vec(p.psf_fwhm_mm)},
                          {"spacing_mm", vec(p.spacing_mm)},
                          {"slice_thickness_mm", p.slice_thickness_mm},
                          {"noise_sigma", p.noise_sigma},
                          {"noise_seed", p.noise_seed},
                          {"psf_model", toString(p.psf_model)}});
    }
    scenarios.push_back({{"name", s.name}, {"scanners", scanners}});
  }
  j["scenarios"] = scenarios;
  return j.dump(2);
}

std::string protocolResultToJson(const ProtocolResult& result) {
  Json scenarios = Json::array();
  for (const ScenarioResult& s : result.scenarios) {
    Json families = Json::array();
    for (const FamilyAgreement& f : s.families) {
      families.push_back({{"family", f.family},
                          {"max_rel_diff_before", f.max_rel_diff_before},
                          {"max_rel_diff_after", f.max_rel_diff_after},
                          {"max_rel_diff_after_spatial", f.max_rel_diff_after_spatial}});
    }
    Json features = Json::array();
    for (const FeatureAgreement& f : s.features) {
      features.push_back({{"tag", f.tag},
                          {"family", f.family},
                          {"before", f.before},
                          {"after", f.after},
                          {"after_spatial", f.after_spatial}});
    }
    Json notes = Json::array();
    for (const std::string& n : s.notes) notes.push_back(n);
    scenarios.push_back({{"name", s.name},
                         {"max_rel_diff_before", s.max_rel_diff_before},
                         {"max_rel_diff_after", s.max_rel_diff_after},
                         {"max_rel_diff_after_spatial", s.max_rel_diff_after_spatial},
                         {"max_image_diff_after", s.max_image_diff_after},
                         {"max_image_diff_after_spatial", s.max_image_diff_after_spatial},
                         {"max_image_diff_after_roi", s.max_image_diff_after_roi},
                         {"target_fwhm_mm", vec(s.target_fwhm_mm)},
                         {"common_spacing_mm", s.common_spacing_mm},
                         {"families", families},
                         {"features", features},
                         {"notes", notes}});
  }
  Json j = Json::object();
  j["scenarios"] = scenarios;
  return j.dump(2);
}

}  // namespace harmonia
