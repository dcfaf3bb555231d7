// harmonia-cli measure nema IMAGE [--ratio R] [--background B]
// [--spheres x,y,z;...]: recovery coefficients of the NEMA NU 2 / IEC body
// phantom's six spheres, the EARL verdicts and the suggested post-filter.

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "app/cli/Json.h"
#include "core/measure/NemaRecovery.h"

namespace harmonia::cli {
namespace {

double parseNumber(const std::string& text, const std::string& option) {
  const auto v = parseNumberList(text);
  if (!v || v->size() != 1) throw UsageError{option + " expects a number, got '" + text + "'"};
  return v->front();
}

std::vector<Eigen::Vector3d> parseCentres(const std::string& text) {
  std::vector<Eigen::Vector3d> centres;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ';')) {
    const auto v = parseNumberList(item);
    if (!v || v->size() != 3) {
      throw UsageError{"--spheres expects six x,y,z centres (mm) separated by ';', got '" + text +
                       "'"};
    }
    centres.emplace_back((*v)[0], (*v)[1], (*v)[2]);
  }
  if (centres.size() != 6) {
    throw UsageError{"--spheres expects 6 centres (10, 13, 17, 22, 28, 37 mm in that order), got " +
                     std::to_string(centres.size())};
  }
  return centres;
}

}  // namespace

int runMeasureNema(const Arguments& args, Streams io) {
  const std::string usage =
      "harmonia-cli measure nema IMAGE [--ratio R] [--background B] "
      "[--spheres x,y,z;x,y,z;... (6, 10..37 mm)] [--no-filter] [--series UID] [--json]";
  args.expectPositionals(2, usage);
  NemaParams params;
  if (args.has("--ratio")) params.activity_ratio = parseNumber(args.value("--ratio"), "--ratio");
  if (args.has("--background")) {
    params.background_activity = parseNumber(args.value("--background"), "--background");
  }
  if (args.has("--spheres")) params.sphere_centres_mm = parseCentres(args.value("--spheres"));
  params.suggest_filter = !args.flag("--no-filter");
  const std::filesystem::path in = args.positionals()[1];
  PhaseTimes times;
  const Volume image = readVolumeInput(in, "measure nema", args.value("--series"));
  times.markRead();
  NemaResult r;
  try {
    r = measureNema(image, params);
  } catch (const InputError& e) {
    rethrowNamingFile(e, {{"", in}});
  }
  times.markCompute();
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("command", "measure nema").set("file", in.string());
    j.set("activity_ratio", r.activity_ratio).set("detected", r.detected);
    Json bg = Json::object();
    bg.set("mean", r.background.mean).set("sd", r.background.sd);
    bg.set("voxels", std::uint64_t{r.background.count});
    j.set("background", bg).set("true_sphere_activity", r.true_sphere_activity);
    Json::Array spheres;
    for (const NemaSphere& s : r.spheres) {
      Json o = Json::object();
      o.set("diameter_mm", s.diameter_mm).set("centre_mm", jsonVector(s.centre_mm));
      o.set("max", s.max).set("mean", s.mean).set("peak", s.peak);
      o.set("rc_max", s.rc_max).set("rc_mean", s.rc_mean).set("rc_peak", s.rc_peak);
      spheres.push_back(o);
    }
    j.set("spheres", spheres);
    Json::Array earl;
    for (const EarlVerdict& v : r.verdicts) {
      Json o = Json::object();
      o.set("standard", v.standard).set("pass", v.pass);
      Json::Array failures;
      for (const auto& f : v.failures) failures.emplace_back(f);
      o.set("failures", failures);
      o.set("suggested_filter_fwhm_mm",
            v.suggested_filter_fwhm_mm ? Json(*v.suggested_filter_fwhm_mm) : Json(nullptr));
      o.set("passing_min_fwhm_mm",
            v.passing_min_fwhm_mm ? Json(*v.passing_min_fwhm_mm) : Json(nullptr));
      o.set("passing_max_fwhm_mm",
            v.passing_max_fwhm_mm ? Json(*v.passing_max_fwhm_mm) : Json(nullptr));
      earl.push_back(o);
    }
    j.set("earl", earl);
    Json::Array warnings;
    for (const auto& w : r.warnings) warnings.emplace_back(w);
    j.set("warnings", warnings);
    times.addTo(j);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  std::ostringstream out;
  out << std::fixed << std::setprecision(3);
  out << in.string() << ": ratio " << r.activity_ratio << ", background " << r.background.mean
      << " (SD " << r.background.sd << "), spheres " << (r.detected ? "detected" : "given")
      << "\n  diameter   RCmax  RCmean  RCpeak\n";
  for (const NemaSphere& s : r.spheres) {
    out << "  " << std::setw(5) << std::setprecision(0) << s.diameter_mm << " mm"
        << std::setprecision(3) << std::setw(8) << s.rc_max << std::setw(8) << s.rc_mean
        << std::setw(8) << s.rc_peak << "\n";
  }
  for (const EarlVerdict& v : r.verdicts) {
    out << v.standard << ": " << (v.pass ? "pass" : "fail");
    if (v.suggested_filter_fwhm_mm) {
      out << std::setprecision(1) << "; suggested Gaussian post-filter "
          << *v.suggested_filter_fwhm_mm << " mm FWHM (passing " << *v.passing_min_fwhm_mm << ".."
          << *v.passing_max_fwhm_mm << " mm)" << std::setprecision(3);
    } else if (params.suggest_filter) {
      out << "; no Gaussian post-filter brings it into the band";
    }
    out << "\n";
    for (const auto& f : v.failures) out << "  " << f << "\n";
  }
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
  io.out << out.str();
  return kSuccess;
}

}  // namespace harmonia::cli
