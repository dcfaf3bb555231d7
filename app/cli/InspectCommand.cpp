// harmonia-cli inspect DIR [--series ID] [--mask FILE_OR_RTSTRUCT [--roi NAME]] [--json]:
// a DICOM series' geometry, units, how its values were converted, and
// statistics of the converted values (inside the mask when given).

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesLoader.h"
#include "core/image/MaskOnGrid.h"
#include "core/image/MetaDataKeys.h"
#include "core/io/ImageIO.h"
#include "core/stats/Summary.h"
#include "core/util/Error.h"

namespace harmonia::cli {
namespace {

constexpr const char* kInspectUsage =
    "harmonia-cli inspect DIR [--series ID] [--mask FILE_OR_RTSTRUCT [--roi NAME]] [--json]";

Json vector3(const Eigen::Vector3d& v) { return Json::Array{v[0], v[1], v[2]}; }

// The mask on the series' grid, and a one-line description of where it came from.
MaskVolume maskFor(const Arguments& args, const Volume& volume, std::string& description,
                   std::vector<std::string>& notes) {
  const std::filesystem::path path = args.value("--mask");
  if (fileKindOf(path) == FileKind::Volume) {
    if (args.has("--roi")) throw UsageError{"--roi applies to an RTSTRUCT mask, not to NIfTI"};
    description = path.string() + " (NIfTI, matched by physical position)";
    return maskOnGrid(readMask(path), volume.geometry());
  }
  const RtStruct rs = readRtStruct(path);
  const RtRoi& roi = rs.roi(args.value("--roi"));
  if (!rs.referenced_series_uid.empty() &&
      rs.referenced_series_uid != volume.metadata().at(metakey::kSeriesUid)) {
    notes.push_back("the structure set was drawn on series " + rs.referenced_series_uid +
                    "; rasterised on this series' grid by physical position");
  }
  RoiMask m = rasterizeRoi(roi, volume.geometry());
  if (m.contours_off_grid > 0) {
    notes.push_back(std::to_string(m.contours_off_grid) +
                    " contours lie between slices or outside the image and were not used");
  }
  description = path.string() + " ROI '" + roi.name + "' (RTSTRUCT, " +
                std::to_string(m.contours_used) + " contours)";
  return std::move(m.mask);
}

}  // namespace

int runInspect(const Arguments& args, Streams io) {
  args.expectPositionals(1, kInspectUsage);
  if (args.has("--roi") && !args.has("--mask")) throw UsageError{"--roi needs --mask"};
  const std::filesystem::path dir = args.positionals()[0];
  const DicomScan scan = scanDicomFolder(dir);
  const SeriesInfo& info = selectSeries(scan, args.value("--series"));
  const LoadedSeries s = loadSeries(info);
  const Volume& v = s.volume;
  std::string maskDescription;
  std::vector<std::string> notes;
  MaskVolume mask;
  if (args.has("--mask")) {
    mask = maskFor(args, v, maskDescription, notes);
    bool any = false;
    for (auto m : mask.voxels()) any |= m != 0;
    if (!any) throw InputError(args.value("--mask"), "the mask does not overlap the image");
  }
  const ValueSummary stats = summarizeValues(v, mask.empty() ? nullptr : &mask);
  const Geometry3D& g = v.geometry();
  const ValueConversion& c = s.conversion;

  if (args.flag("--json")) {
    Json::Array direction;
    for (int k = 0; k < 3; ++k) direction.push_back(vector3(g.direction.col(k)));
    Json::Array issues;
    for (const std::string& i : s.geometry.issues) issues.emplace_back(i);
    Json geometry = Json::object();
    geometry.set("size", Json::Array{g.size[0], g.size[1], g.size[2]});
    geometry.set("spacing_mm", vector3(g.spacing_mm)).set("origin_mm", vector3(g.origin_mm));
    geometry.set("direction_columns", direction).set("world", "LPS");
    geometry.set("slice_gap_mm", s.geometry.median_gap_mm);
    geometry.set("uniform_spacing", s.geometry.uniform_spacing);
    geometry.set("missing_slices", s.geometry.missing_slices);
    geometry.set("gantry_tilt_deg", s.geometry.gantry_tilt_deg).set("issues", issues);
    Json::Array steps;
    for (const ConversionStep& step : c.steps) {
      Json j = Json::object();
      j.set("quantity", step.quantity).set("value", step.value).set("source", step.source);
      steps.push_back(j);
    }
    Json::Array warnings;
    for (const std::string& w : c.warnings) warnings.emplace_back(w);
    for (const std::string& n : notes) warnings.emplace_back(n);
    Json conversion = Json::object();
    conversion.set("method", c.method).set("steps", steps).set("warnings", warnings);
    Json st = Json::object();
    st.set("count", stats.count).set("min", stats.min).set("median", stats.median);
    st.set("mean", stats.mean).set("max", stats.max);
    Json j = Json::object();
    j.set("folder", dir.string()).set("series_id", info.id).set("modality", info.modality);
    j.set("description", info.description).set("manufacturer", info.manufacturer);
    j.set("units", v.units()).set("geometry", geometry).set("conversion", conversion);
    if (s.mr) {
      Json mr = Json::object();
      for (const auto& [key, value] : v.metadata()) {
        if (key.rfind("mr.", 0) == 0) mr.set(key.substr(3), value);
      }
      j.set("mr", mr);
    }
    j.set("mask", maskDescription).set("stats", st);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  std::ostringstream o;
  o << std::setprecision(6);
  o << info.id << "\n  " << info.modality << ", " << info.manufacturer << " " << info.model
    << (info.description.empty() ? "" : ", \"" + info.description + "\"") << "\n";
  o << "  " << g.size[0] << " x " << g.size[1] << " x " << g.size[2] << " voxels, spacing "
    << g.spacing_mm[0] << " x " << g.spacing_mm[1] << " x " << g.spacing_mm[2] << " mm\n";
  o << "  origin (" << g.origin_mm[0] << ", " << g.origin_mm[1] << ", " << g.origin_mm[2]
    << ") mm LPS\n";
  for (int k = 0; k < 3; ++k) {
    o << "  axis "
      << "ijk"[k] << " direction (" << g.direction(0, k) << ", " << g.direction(1, k) << ", "
      << g.direction(2, k) << ")\n";
  }
  for (const std::string& i : s.geometry.issues) o << "  geometry note: " << i << "\n";
  o << "  units: " << (v.units().empty() ? "none (raw values)" : v.units()) << "\n";
  o << "  conversion: " << c.explanation();
  if (s.mr) {
    for (const auto& [key, value] : v.metadata()) {
      if (key.rfind("mr.", 0) == 0) o << "  " << key.substr(3) << ": " << value << "\n";
    }
  }
  for (const std::string& n : notes) o << "  note: " << n << "\n";
  o << "  values" << (maskDescription.empty() ? "" : " inside " + maskDescription) << ": min "
    << stats.min << ", median " << stats.median << ", mean " << stats.mean << ", max " << stats.max
    << " (" << stats.count << " voxels)\n";
  io.out << o.str();
  return kSuccess;
}

}  // namespace harmonia::cli
