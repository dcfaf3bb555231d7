// Reading and writing harmonization plans, and reading `measure psf --json`.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/measure/HarmonizationPlan.h"
#include "core/util/Error.h"

namespace harmonia {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "harmonia-plan";

json vectorJson(const Eigen::Vector3d& v) { return json::array({v.x(), v.y(), v.z()}); }

// "\"key\"" (built by appending: GCC 12 warns falsely on "\"" + std::string).
std::string quoted(const char* key) {
  std::string s(1, '"');
  s.append(key);
  s.push_back('"');
  return s;
}

// " in WHERE", or "" when `where` is empty.
std::string inWhere(const std::string& where) {
  return where.empty() ? std::string() : std::string(" in ").append(where);
}

/// Reads keys of one JSON document, naming the source in every error.
struct Reader {
  std::string source;

  [[noreturn]] void fail(const std::string& problem) const { throw InputError(source, problem); }

  const json& at(const json& o, const char* key, const std::string& where = "") const {
    if (!o.is_object() || !o.contains(key)) {
      fail("missing key " + quoted(key) + inWhere(where));
    }
    return o.at(key);
  }
  double number(const json& o, const char* key, const std::string& where = "") const {
    const json& v = at(o, key, where);
    if (!v.is_number()) fail(quoted(key) + " must be a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(quoted(key) + " must be finite");
    return d;
  }
  Eigen::Vector3d vector3(const json& o, const char* key, const std::string& where = "") const {
    const json& v = at(o, key, where);
    if (!v.is_array() || v.size() != 3) {
      fail(quoted(key) + " must be an array of 3 numbers" + inWhere(where));
    }
    Eigen::Vector3d r;
    for (int a = 0; a < 3; ++a) {
      if (!v[a].is_number() || !std::isfinite(v[a].get<double>())) {
        fail(quoted(key) + " must hold 3 finite numbers" + inWhere(where));
      }
      r[a] = v[a].get<double>();
    }
    return r;
  }
  std::string string(const json& o, const char* key, const std::string& where = "") const {
    const json& v = at(o, key, where);
    if (!v.is_string()) fail(quoted(key) + " must be a string");
    return v.get<std::string>();
  }
  json parse(const std::string& text) const {
    try {
      return json::parse(text);
    } catch (const json::exception& e) {
      fail(std::string("not valid JSON (") + e.what() + ")");
    }
  }
};

std::string readText(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path, "is a folder, not a " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the " + what);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw InputError(path, "cannot read the " + what);
  if (s.str().empty()) throw InputError(path, "file is empty (expected a " + what + ")");
  return s.str();
}

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
  const Reader r{source_name};
  const json j = r.parse(text);
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
  plan.target_fwhm_mm = r.vector3(j, "target_fwhm_mm");
  if ((plan.target_fwhm_mm.array() < 0.0).any()) r.fail("\"target_fwhm_mm\" must not be negative");
  plan.spacing_mm = r.number(j, "spacing_mm");
  if (plan.spacing_mm <= 0.0) r.fail("\"spacing_mm\" must be positive");
  const std::string intensity = r.string(j, "intensity");
  const auto step = parseIntensityStep(intensity);
  if (!step) {
    r.fail("\"intensity\" must be \"none\", \"zscore\" or \"linear\", not \"" + intensity + "\"");
  }
  plan.intensity = *step;
  const json& scanners = r.at(j, "scanners");
  if (!scanners.is_array() || scanners.empty()) r.fail("\"scanners\" must be a non-empty array");
  for (std::size_t i = 0; i < scanners.size(); ++i) {
    const std::string where = "scanner " + std::to_string(i + 1);
    PlanScanner s;
    s.name = r.string(scanners[i], "name", where);
    if (s.name.empty()) r.fail(where + " has an empty name");
    if (plan.find(s.name) != nullptr) r.fail("two scanners are called '" + s.name + "'");
    s.fwhm_mm = r.vector3(scanners[i], "fwhm_mm", where);
    s.extra_fwhm_mm = r.vector3(scanners[i], "extra_fwhm_mm", where);
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
      const std::string vwhere = "the values of scanner '" + s.name + "'";
      LinearityFit fit;
      fit.slope = r.number(v, "slope", vwhere);
      fit.intercept = r.number(v, "intercept", vwhere);
      fit.r2 = r.number(v, "r2", vwhere);
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
  return planFromJson(readText(path, "harmonization plan"), path);
}

ScannerMeasurement measurementFromPsfJson(const std::string& text, const std::string& source_name,
                                          const std::string& name) {
  const Reader r{source_name};
  const json j = r.parse(text);
  if (!j.is_object()) r.fail("not a JSON object (expected the output of measure psf --json)");
  ScannerMeasurement m;
  m.fwhm_mm = r.vector3(j, "fwhm_mm");
  m.spacing_mm = r.vector3(j, "spacing_mm");
  if (!(m.fwhm_mm.array() > 0.0).all()) {
    r.fail("\"fwhm_mm\" must be positive on every axis (an axis was not measured?)");
  }
  if (!(m.spacing_mm.array() > 0.0).all()) r.fail("\"spacing_mm\" must be positive");
  if (!name.empty()) {
    m.name = name;
  } else {
    std::filesystem::path file = r.string(j, "file");
    std::filesystem::path stem = file.filename();
    while (stem.has_extension()) stem = stem.stem();  // "scanA.nii.gz" -> "scanA"
    m.name = stem.string();
    if (m.name.empty()) r.fail("\"file\" gives no name; name the scanner");
  }
  return m;
}

}  // namespace harmonia
