// harmonia-cli scan DIR [--json]: the DICOM series in a folder, and the files
// that could not be used with the reason.

#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/dicom/DicomScanner.h"

namespace harmonia::cli {
namespace {

std::string spacingText(const Geometry3D& g) {
  std::ostringstream s;
  s << std::setprecision(4) << g.spacing_mm[0] << " x " << g.spacing_mm[1] << " x "
    << g.spacing_mm[2] << " mm";
  return s.str();
}

Json seriesJson(const SeriesInfo& s) {
  const Geometry3D& g = s.geometry.grid;
  Json::Array issues;
  for (const std::string& i : s.geometry.issues) issues.emplace_back(i);
  Json j = Json::object();
  j.set("id", s.id).set("series_uid", s.series_uid).set("modality", s.modality);
  j.set("description", s.description).set("series_number", s.series_number);
  j.set("patient_id", s.patient_id).set("patient_name", s.patient_name);
  j.set("study_uid", s.study_uid).set("date", s.series_date);
  j.set("manufacturer", s.manufacturer).set("model", s.model);
  j.set("files", static_cast<std::uint64_t>(s.file_count)).set("slices", s.sliceCount());
  j.set("size", Json::Array{g.size[0], g.size[1], g.size[2]});
  j.set("spacing_mm", Json::Array{g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]});
  j.set("transfer_syntax", s.transfer_syntax_uid).set("split_reason", s.split_reason);
  j.set("gantry_tilt_deg", s.geometry.gantry_tilt_deg);
  j.set("missing_slices", s.geometry.missing_slices);
  j.set("uniform_spacing", s.geometry.uniform_spacing).set("issues", issues);
  return j;
}

}  // namespace

int runScan(const Arguments& args, Streams io) {
  args.expectPositionals(1, "harmonia-cli scan DIR [--json]");
  const std::filesystem::path dir = args.positionals()[0];
  const DicomScan scan = scanDicomFolder(dir);
  if (args.flag("--json")) {
    Json::Array series;
    for (const SeriesInfo& s : scan.series) series.push_back(seriesJson(s));
    Json::Array rts;
    for (const StructureSetInfo& r : scan.structure_sets) {
      Json::Array names;
      for (const std::string& n : r.roi_names) names.emplace_back(n);
      Json j = Json::object();
      j.set("file", r.file.string()).set("label", r.label);
      j.set("referenced_series_uid", r.referenced_series_uid).set("rois", names);
      rts.push_back(j);
    }
    Json::Array skipped;
    for (const SkippedFile& s : scan.skipped) {
      Json j = Json::object();
      j.set("file", s.file.string()).set("reason", s.reason);
      skipped.push_back(j);
    }
    Json j = Json::object();
    j.set("folder", dir.string())
        .set("files_examined", static_cast<std::uint64_t>(scan.files_examined));
    j.set("series", series).set("structure_sets", rts).set("skipped", skipped);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  std::ostringstream s;
  s << dir.string() << ": " << scan.files_examined << " files, " << scan.series.size()
    << " image series, " << scan.structure_sets.size() << " structure sets, " << scan.skipped.size()
    << " skipped\n";
  for (const SeriesInfo& x : scan.series) {
    const Geometry3D& g = x.geometry.grid;
    s << "  " << x.id << "\n    " << x.modality << "  " << x.sliceCount() << " slices of "
      << g.size[0] << " x " << g.size[1] << ", " << spacingText(g) << "  " << x.manufacturer
      << (x.description.empty() ? "" : "  \"" + x.description + "\"") << "\n";
    if (!x.split_reason.empty()) s << "    split: " << x.split_reason << "\n";
    for (const std::string& i : x.geometry.issues) s << "    note: " << i << "\n";
  }
  for (const StructureSetInfo& r : scan.structure_sets) {
    s << "  RTSTRUCT " << r.file.filename().string() << " on " << r.referenced_series_uid
      << ", ROIs:";
    for (const std::string& n : r.roi_names) s << " '" << n << "'";
    s << "\n";
  }
  for (const SkippedFile& k : scan.skipped) {
    s << "  skipped " << k.file.string() << ": " << k.reason << "\n";
  }
  io.out << s.str();
  return kSuccess;
}

}  // namespace harmonia::cli
