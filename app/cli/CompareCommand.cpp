// harmonia-cli compare A B [--series UID] [--b-series UID] [--mask M | --roi NAME]
// [--grid a|b] [--offset X,Y,Z] [--json]: statistics of two studies (each
// alone, then voxel by voxel on a common grid, in physical coordinates).
//
// Regions: --mask is a NIfTI mask placed by physical position on the common
// grid in A's world frame. --roi NAME rasterises a ROI of an RTSTRUCT found
// in folder A (scanned recursively), or in folder B when A holds none; a ROI
// of B is drawn in B's frame, so it moves with B's --offset.

#include <cmath>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli/Cli.h"
#include "app/cli/HarmonizeSupport.h"
#include "core/compare/VolumeComparison.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/RtStruct.h"
#include "core/image/MetaDataKeys.h"

namespace harmonia::cli {
namespace {

constexpr const char* kCompareUsage =
    "harmonia-cli compare A B [--series UID] [--b-series UID] [--mask M | --roi NAME] "
    "[--grid a|b] [--offset X,Y,Z] [--json]";

// "X,Y,Z" in mm, any sign.
Eigen::Vector3d parseOffset(const std::string& text) {
  const auto values = parseNumberList(text);
  if (!values || values->size() != 3) {
    throw UsageError{"--offset expects X,Y,Z in mm (LPS), e.g. 0,-2.5,3; got '" + text + "'"};
  }
  return {(*values)[0], (*values)[1], (*values)[2]};
}

// A region drawn from an RTSTRUCT ROI, and where it came from.
struct RoiRegion {
  MaskVolume mask;
  std::filesystem::path file;
  std::string description;
  std::vector<std::string> notes;
};

// The ROI `name` of the RTSTRUCTs in folder A, or in folder B when A holds
// none, rasterised onto the common grid `grid` (A's frame).
RoiRegion roiRegion(const std::string& name, const std::filesystem::path& a,
                    const std::filesystem::path& b, const Volume& va, const Volume& vb,
                    const Geometry3D& grid, const Eigen::Vector3d& offset_b_mm) {
  std::error_code ec;
  for (const bool fromA : {true, false}) {
    const std::filesystem::path& folder = fromA ? a : b;
    if (!std::filesystem::is_directory(folder, ec)) continue;
    const DicomScan scan = scanDicomFolder(folder);
    if (scan.structure_sets.empty()) continue;
    // Structure sets drawn on the loaded series first, then the others.
    const MetaData& meta = (fromA ? va : vb).metadata();
    const auto uid = meta.find(metakey::kSeriesUid);
    const StructureSetInfo* found =
        &structureSetWithRoi(scan, uid != meta.end() ? uid->second : std::string(), name, folder);
    const RtStruct rs = readRtStruct(found->file);
    const RtRoi& roi = rs.roi(name);
    // The common grid's voxel centres in the frame the ROI was drawn in.
    Geometry3D raster = grid;
    if (!fromA) raster.origin_mm -= offset_b_mm;
    RoiMask m = rasterizeRoi(roi, raster);
    m.mask.setOrigin(grid.origin_mm);
    RoiRegion r;
    r.mask = std::move(m.mask);
    r.file = found->file;
    r.description = found->file.string() + " ROI '" + roi.name + "' (RTSTRUCT of study " +
                    (fromA ? "A" : "B") + ", " + std::to_string(m.contours_used) + " contours)";
    if (uid != meta.end() && !rs.referenced_series_uid.empty() &&
        rs.referenced_series_uid != uid->second) {
      r.notes.push_back("the structure set was drawn on series " + rs.referenced_series_uid +
                        ", not on the one compared; placed by physical position");
    }
    if (m.contours_off_grid > 0) {
      r.notes.push_back(std::to_string(m.contours_off_grid) +
                        " contours lie between slices or outside the common grid and were not "
                        "used");
    }
    return r;
  }
  throw InputError(a, std::string("--roi needs an RTSTRUCT, and neither this folder nor ") +
                          b.string() + " holds one");
}

Json statisticsJson(const ValueSummary& s, const std::string& units) {
  Json j = Json::object();
  j.set("n", s.count).set("mean", s.mean).set("sd", s.sd).set("median", s.median);
  j.set("p5", s.p5).set("p95", s.p95).set("min", s.min).set("max", s.max).set("units", units);
  return j;
}

std::string withUnits(double v, const std::string& units) {
  std::ostringstream o;
  o << std::setprecision(6) << v;
  if (!units.empty()) o << " " << units;
  return o.str();
}

void printTable(std::ostream& out, const VolumeComparison& c, const std::filesystem::path& a,
                const std::filesystem::path& b, const std::string& ua, const std::string& ub,
                const std::string& region, const VolumeComparisonParams& params,
                const std::vector<std::string>& notes) {
  // Units of differences: the common units; when one study's are unknown
  // (NIfTI stores none), the other's.
  const std::string diffUnits = ua == ub ? ua : ua.empty() ? ub : ub.empty() ? ua : "";
  std::ostringstream o;
  o << std::setprecision(6);
  auto row = [&](const std::string& label, const std::string& va, const std::string& vb) {
    o << "  " << std::left << std::setw(8) << label << std::setw(24) << va << vb << "\n";
  };
  o << "study A: " << a.string() << "\nstudy B: " << b.string() << "\n";
  if (c.statistics_on_own_grids) {
    o << "statistics of every voxel, each study on its own grid:\n";
  } else {
    o << "statistics inside " << region << ", on the common grid, where each study has data:\n";
  }
  row("", "A", "B");
  row("N", std::to_string(c.a.count), std::to_string(c.b.count));
  const std::pair<const char*, double ValueSummary::*> fields[] = {
      {"mean", &ValueSummary::mean}, {"SD", &ValueSummary::sd},   {"median", &ValueSummary::median},
      {"P5", &ValueSummary::p5},     {"P95", &ValueSummary::p95}, {"min", &ValueSummary::min},
      {"max", &ValueSummary::max}};
  for (const auto& [label, field] : fields) {
    row(label, withUnits(c.a.*field, ua), withUnits(c.b.*field, ub));
  }
  o << "  difference of the means (A - B): " << withUnits(c.a.mean - c.b.mean, diffUnits) << "\n";
  const Geometry3D& g = c.grid;
  o << "on the common grid (" << (params.grid == ComparisonGrid::A ? "A's" : "B's") << " grid, "
    << g.size[0] << " x " << g.size[1] << " x " << g.size[2] << " voxels of " << g.spacing_mm[0]
    << " x " << g.spacing_mm[1] << " x " << g.spacing_mm[2] << " mm; B moved by ("
    << params.offset_b_mm[0] << ", " << params.offset_b_mm[1] << ", " << params.offset_b_mm[2]
    << ") mm; trilinear):\n";
  o << "  voxels compared      " << c.voxels_compared << "\n";
  o << "  voxels excluded      " << c.voxels_excluded << " (outside the other study's extent)\n";
  if (c.voxels_nonfinite > 0) {
    o << "  voxels not finite    " << c.voxels_nonfinite << " (NaN or infinite in A or B)\n";
  }
  o << "  mean_diff (B - A)    " << withUnits(c.mean_diff, diffUnits) << "\n";
  o << "  rmse                 " << withUnits(c.rmse, diffUnits) << "\n";
  o << "  pearson              "
    << (std::isnan(c.pearson) ? std::string("undefined (a study is constant)")
                              : withUnits(c.pearson, ""))
    << "\n";
  o << "  wasserstein1         " << withUnits(c.wasserstein1, diffUnits) << "\n";
  if (ua != ub && !ua.empty() && !ub.empty()) {
    o << "note: the studies' units differ (A: " << ua << ", B: " << ub
      << "); their differences mix them\n";
  } else if (ua != ub) {
    o << "note: study " << (ua.empty() ? "A" : "B")
      << "'s units are unknown; differences are given in " << diffUnits << "\n";
  }
  for (const std::string& n : notes) o << "note: " << n << "\n";
  out << o.str();
}

}  // namespace

int runCompare(const Arguments& args, Streams io) {
  args.expectPositionals(2, kCompareUsage);
  if (args.has("--mask") && args.has("--roi")) {
    throw UsageError{std::string("give --mask or --roi, not both\nusage: ") + kCompareUsage};
  }
  if (args.has("--roi") && args.value("--roi").empty()) {
    throw UsageError{"--roi needs a ROI name"};
  }
  VolumeComparisonParams params;
  if (args.has("--grid")) {
    const std::optional<ComparisonGrid> grid = parseComparisonGrid(args.value("--grid"));
    if (!grid) throw UsageError{std::string("--grid must be a or b\nusage: ") + kCompareUsage};
    params.grid = *grid;
  }
  if (args.has("--offset")) params.offset_b_mm = parseOffset(args.value("--offset"));
  const std::filesystem::path a = args.positionals()[0], b = args.positionals()[1];
  PhaseTimes times;
  const Volume va = readVolumeInput(a, "compare", args.value("--series"));
  const Volume vb = readVolumeInput(b, "compare", args.value("--b-series"));
  const Geometry3D grid = comparisonGrid(va.geometry(), vb.geometry(), params);

  std::optional<MaskVolume> region;
  std::filesystem::path regionFile;
  std::string regionDescription;
  std::vector<std::string> notes;
  if (args.has("--mask")) {
    regionFile = args.value("--mask");
    region = readMaskFor(regionFile, grid);
    regionDescription = regionFile.string() + " (NIfTI, placed by physical position)";
  } else if (args.has("--roi")) {
    RoiRegion r = roiRegion(args.value("--roi"), a, b, va, vb, grid, params.offset_b_mm);
    region = std::move(r.mask);
    regionFile = r.file;
    regionDescription = r.description;
    notes = std::move(r.notes);
  }
  times.markRead();
  VolumeComparison c;
  try {
    c = compareVolumes(va, vb, region ? &*region : nullptr, params);
  } catch (const InputError& e) {
    rethrowNamingFile(e, {{"region", regionFile}, {"study A", a}, {"study B", b}});
  }
  times.markCompute();

  if (args.flag("--json")) {
    Json::Array noteList;
    for (const std::string& n : notes) noteList.emplace_back(n);
    Json j = Json::object();
    j.set("a", statisticsJson(c.a, va.units())).set("b", statisticsJson(c.b, vb.units()));
    j.set("mean_diff", c.mean_diff).set("rmse", c.rmse).set("pearson", c.pearson);
    j.set("wasserstein1", c.wasserstein1);
    j.set("voxels_compared", c.voxels_compared).set("voxels_excluded", c.voxels_excluded);
    j.set("voxels_nonfinite", c.voxels_nonfinite);
    j.set("grid", toString(c.grid_study));
    j.set("grid_size", Json::Array{c.grid.size[0], c.grid.size[1], c.grid.size[2]});
    j.set("grid_spacing_mm", jsonVector(c.grid.spacing_mm));
    j.set("offset_mm", jsonVector(params.offset_b_mm));
    j.set("statistics_on_own_grids", c.statistics_on_own_grids);
    j.set("region", regionDescription).set("a_file", a.string()).set("b_file", b.string());
    j.set("notes", noteList);
    times.addTo(j);
    io.out << j.dump() << "\n";
    return kSuccess;
  }
  printTable(io.out, c, a, b, va.units(), vb.units(), regionDescription, params, notes);
  return kSuccess;
}

}  // namespace harmonia::cli
