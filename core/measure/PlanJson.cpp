// Reading and writing harmonization plans, and reading `measure psf --json`.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/io/AtomicFile.h"
#include "core/io/JsonReader.h"
#include "core/io/TextFile.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "harmonia-plan";

json vectorJson(const Eigen::Vector3d& v) { return json::array({v.x(), v.y(), v.z()}); }

/// JsonReader with the lookups the plan needs: `path` locates `o` in the
/// document ("scanners[1]"), and errors name "path.key".
class Reader : public JsonReader {
 public:
  using JsonReader::fail;
  using JsonReader::JsonReader;

  /// "<source>: <problem>".
  [[noreturn]] void fail(const std::string& problem) const { JsonReader::fail("", problem); }

  double numberAt(const json& o, const std::string& path, const char* key) const {
    return number(at(o, path, key), join(path, key));
  }
  Eigen::Vector3d vectorAt(const json& o, const std::string& path, const char* key) const {
    return vector3(at(o, path, key), join(path, key), -std::numeric_limits<double>::infinity(),
                   false);
  }
  std::string stringAt(const json& o, const std::string& path, const char* key) const {
    return string(at(o, path, key), join(path, key));
  }
};

}  // namespace

std::string planToJson(const HarmonizationPlan& plan) {
  json j;
  j["format"] = kFormat;
  j["version"] = plan.version;
  j["target_fwhm_mm"] = vectorJson(plan.target_fwhm_mm);
  j["spacing_mm"] = plan.spacing_mm;
  j["intensity"] = toString(plan.intensity);
  json scanners = json::array();
  for (const auto& s : plan.scanners) {
    json o;
    o["name"] = s.name;
    o["fwhm_mm"] = vectorJson(s.fwhm_mm);
    o["extra_fwhm_mm"] = vectorJson(s.extra_fwhm_mm);
    if (s.values) {
      o["values"] = {
          {"slope", s.values->slope}, {"intercept", s.values->intercept}, {"r2", s.values->r2}};
    }
    scanners.push_back(std::move(o));
  }
  j["scanners"] = std::move(scanners);
  return j.dump(1) + "\n";
}

HarmonizationPlan planFromJson(const std::string& text, const std::string& source_name) {
  const Reader r(source_name);
  const json j = r.parse<json>(text);
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat) {
    r.fail(std::string("not a Harmonia harmonization plan (\"format\" should be \"") + kFormat +
           "\")");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() ||
      j["version"].get<long long>() != kHarmonizationPlanVersion) {
    r.fail("unsupported plan version " +
           (j.contains("version") ? j["version"].dump() : std::string("(none)")) +
           " (this program reads version " + std::to_string(kHarmonizationPlanVersion) + ")");
  }
  HarmonizationPlan plan;
  plan.version = kHarmonizationPlanVersion;
  plan.target_fwhm_mm = r.vectorAt(j, "", "target_fwhm_mm");
  if ((plan.target_fwhm_mm.array() < 0.0).any()) r.fail("\"target_fwhm_mm\" must not be negative");
  plan.spacing_mm = r.numberAt(j, "", "spacing_mm");
  if (plan.spacing_mm <= 0.0) r.fail("\"spacing_mm\" must be positive");
  const std::string intensity = r.stringAt(j, "", "intensity");
  const auto step = parseIntensityStep(intensity);
  if (!step) {
    r.fail("\"intensity\" must be \"none\", \"zscore\" or \"linear\", not \"" + intensity + "\"");
  }
  plan.intensity = *step;
  const json& scanners = r.at(j, "", "scanners");
  if (!scanners.is_array() || scanners.empty()) r.fail("\"scanners\" must be a non-empty array");
  for (std::size_t i = 0; i < scanners.size(); ++i) {
    const std::string where = "scanners[" + std::to_string(i) + "]";
    PlanScanner s;
    s.name = r.stringAt(scanners[i], where, "name");
    if (s.name.empty()) r.fail(where + ".name", "must not be empty");
    if (plan.find(s.name) != nullptr) r.fail("two scanners are called '" + s.name + "'");
    s.fwhm_mm = r.vectorAt(scanners[i], where, "fwhm_mm");
    s.extra_fwhm_mm = r.vectorAt(scanners[i], where, "extra_fwhm_mm");
    if ((s.fwhm_mm.array() < 0.0).any() || (s.extra_fwhm_mm.array() < 0.0).any()) {
      r.fail("scanner '" + s.name + "': FWHMs must not be negative");
    }
    if ((s.fwhm_mm.array() > plan.target_fwhm_mm.array() + 1e-6).any()) {
      r.fail("scanner '" + s.name +
             "' is blurrier than the target on some axis (fwhm_mm > target_fwhm_mm); "
             "reaching the target would need sharpening");
    }
    if (scanners[i].contains("values")) {
      const json& v = scanners[i]["values"];
      const std::string vwhere = where + ".values";
      LinearityFit fit;
      fit.slope = r.numberAt(v, vwhere, "slope");
      fit.intercept = r.numberAt(v, vwhere, "intercept");
      fit.r2 = r.numberAt(v, vwhere, "r2");
      s.values = fit;
    }
    if (plan.intensity == IntensityStep::Linear && (!s.values || s.values->slope == 0.0)) {
      r.fail("scanner '" + s.name + "' needs \"values\" with a nonzero slope for the linear step");
    }
    plan.scanners.push_back(std::move(s));
  }
  return plan;
}

void savePlan(const HarmonizationPlan& plan, const std::string& path) {
  const std::string text = planToJson(plan);
  writeAtomically(path, [&](const std::filesystem::path& tmp) {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw InputError(path, "cannot write the harmonization plan");
  });
}

HarmonizationPlan loadPlan(const std::string& path) {
  return planFromJson(readTextFile(path, "harmonization plan"), path);
}

ScannerMeasurement measurementFromPsfJson(const std::string& text, const std::string& source_name,
                                          const std::string& name) {
  const Reader r(source_name);
  const json j = r.parse<json>(text);
  if (!j.is_object()) r.fail("not a JSON object (expected the output of measure psf --json)");
  ScannerMeasurement m;
  m.fwhm_mm = r.vectorAt(j, "", "fwhm_mm");
  m.spacing_mm = r.vectorAt(j, "", "spacing_mm");
  if (!(m.fwhm_mm.array() > 0.0).all()) {
    r.fail("\"fwhm_mm\" must be positive on every axis (an axis was not measured?)");
  }
  if (!(m.spacing_mm.array() > 0.0).all()) r.fail("\"spacing_mm\" must be positive");
  if (!name.empty()) {
    m.name = name;
  } else {
    std::filesystem::path file = r.stringAt(j, "", "file");
    std::filesystem::path stem = file.filename();
    while (stem.has_extension()) stem = stem.stem();  // "scanA.nii.gz" -> "scanA"
    m.name = stem.string();
    if (m.name.empty()) r.fail("\"file\" gives no name; name the scanner");
  }
  return m;
}

}  // namespace harmonia
