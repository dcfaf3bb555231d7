// harmonia-cli measure psf IMAGE --method edge|sphere|point [--centre x,y,z]
// [--diameter MM] [--roi-radius MM] [--bin-width F] [--json]: the PSF FWHM per
// axis (core/measure/Resolution.h) with MTF50/MTF10.

#include <cmath>
#include <iomanip>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "app/cli/Json.h"
#include "core/measure/Resolution.h"
#include "core/util/Error.h"

namespace harmonia::cli {
namespace {

const char* kMeasurePsfUsage =
    "harmonia-cli measure psf IMAGE --method edge|sphere|point [--centre x,y,z] [--diameter MM] "
    "[--roi-radius MM] [--bin-width F] [--json]";

double number(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw UsageError{"option " + option + ": '" + text + "' is not a number"};
}

Eigen::Vector3d triple(const std::string& option, const std::string& text) {
  Eigen::Vector3d v;
  std::stringstream s(text);
  std::string part;
  int n = 0;
  while (std::getline(s, part, ',')) {
    if (n == 3) break;
    v[n++] = number(option, part);
  }
  if (n != 3 || std::getline(s, part, ',')) {
    throw UsageError{"option " + option + ": expected x,y,z, got '" + text + "'"};
  }
  return v;
}

Json array3(const Eigen::Vector3d& v) { return Json::Array{v[0], v[1], v[2]}; }

// An axis' value, or null when the axis was not measured.
Json perAxis(const PsfMeasurement& m, double AxisResolution::*field) {
  Json::Array a;
  for (const auto& axis : m.axes) {
    if (axis.measured) {
      a.emplace_back(axis.*field);
    } else {
      a.emplace_back(nullptr);
    }
  }
  return a;
}

}  // namespace

int runMeasurePsf(const Arguments& args, Streams io) {
  args.expectPositionals(2, kMeasurePsfUsage);
  const std::filesystem::path path = args.positionals()[1];
  PsfParams params;
  if (!args.has("--method")) {
    throw UsageError{"--method edge|sphere|point is required\nusage: " +
                     std::string(kMeasurePsfUsage)};
  }
  try {
    params.method = psfMethodFromName(args.value("--method"));
  } catch (const ParameterError&) {
    throw UsageError{"option --method: '" + args.value("--method") +
                     "' is not edge, sphere or point"};
  }
  if (args.has("--centre")) params.centre_mm = triple("--centre", args.value("--centre"));
  if (args.has("--diameter")) {
    params.sphere_diameter_mm = number("--diameter", args.value("--diameter"));
  }
  if (args.has("--roi-radius")) {
    params.roi_radius_mm = number("--roi-radius", args.value("--roi-radius"));
  }
  if (args.has("--bin-width")) {
    params.bin_width_fraction = number("--bin-width", args.value("--bin-width"));
  }
  PhaseTimes times;
  const Volume image = readVolumeInput(path, "measure psf");
  times.markRead();
  PsfMeasurement m;
  try {
    m = measurePsf(image, params);
  } catch (const InputError& e) {
    if (!e.file().empty()) throw;
    throw InputError(path, e.problem());
  }
  times.markCompute();
  if (args.flag("--json")) {
    Json j = Json::object();
    j.set("command", "measure psf")
        .set("file", path.string())
        .set("method", psfMethodName(m.method));
    j.set("centre_mm", array3(m.centre_mm)).set("spacing_mm", array3(image.geometry().spacing_mm));
    j.set("fwhm_mm", perAxis(m, &AxisResolution::fwhm_mm));
    j.set("fwhm_stderr_mm", perAxis(m, &AxisResolution::fwhm_stderr_mm));
    j.set("mtf50_per_mm", perAxis(m, &AxisResolution::mtf50_per_mm));
    j.set("mtf10_per_mm", perAxis(m, &AxisResolution::mtf10_per_mm));
    j.set("background", m.background).set("foreground", m.foreground);
    Json::Array warnings;
    for (const auto& w : m.warnings) warnings.emplace_back(w);
    j.set("warnings", warnings);
    times.addTo(j);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  std::ostringstream s;
  s << std::setprecision(4) << path.string() << ": PSF by the " << psfMethodName(m.method)
    << " method (Gaussian PSF without the voxel box)\n";
  s << "  centre (" << m.centre_mm[0] << ", " << m.centre_mm[1] << ", " << m.centre_mm[2]
    << ") mm, background " << m.background << ", foreground " << m.foreground << "\n";
  const char* names[3] = {"x", "y", "z"};
  for (int a = 0; a < 3; ++a) {
    const auto& axis = m.axes[a];
    s << "  " << names[a] << ": ";
    if (!axis.measured) {
      s << "not measured\n";
      continue;
    }
    s << "FWHM " << axis.fwhm_mm << " +- " << axis.fwhm_stderr_mm << " mm, MTF50 "
      << axis.mtf50_per_mm << " /mm, MTF10 " << axis.mtf10_per_mm << " /mm (spacing "
      << image.geometry().spacing_mm[a] << " mm)\n";
  }
  for (const auto& w : m.warnings) s << "  warning: " << w << "\n";
  io.out << s.str();
  return kSuccess;
}

}  // namespace harmonia::cli
