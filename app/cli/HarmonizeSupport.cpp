#include "app/cli/HarmonizeSupport.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "core/dicom/SeriesLoader.h"
#include "core/image/MaskOnGrid.h"
#include "core/util/AsciiCase.h"
#include "core/util/Error.h"

namespace harmonia::cli {

std::optional<std::vector<double>> parseNumberList(const std::string& text) {
  std::vector<double> values;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    try {
      std::size_t used = 0;
      const double v = std::stod(item, &used);
      if (used != item.size() || !std::isfinite(v)) return std::nullopt;
      values.push_back(v);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return values;
}

Eigen::Vector3d parseFwhm(const std::string& text, const std::string& option, int axes) {
  const auto parsed = parseNumberList(text);
  if (!parsed || std::any_of(parsed->begin(), parsed->end(), [](double v) { return v < 0; })) {
    throw UsageError{option + " expects non-negative numbers in mm separated by commas, got '" +
                     text + "'"};
  }
  const std::vector<double>& values = *parsed;
  if (values.size() == 1) return Eigen::Vector3d::Constant(values[0]);
  if (values.size() == 3 || (axes == 2 && values.size() == 2)) {
    return {values[0], values[1], values.size() == 3 ? values[2] : 0.0};
  }
  throw UsageError{option + " expects " + (axes == 2 ? "X,Y (or X,Y,Z)" : "X,Y,Z") +
                   " in mm, or one value for every axis; got '" + text + "'"};
}

double parsePositive(const std::string& text, const std::string& option) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v) && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw UsageError{option + " expects a positive number, got '" + text + "'"};
}

void checkOutput(const std::filesystem::path& out,
                 std::initializer_list<std::filesystem::path> inputs) {
  std::error_code ec;
  for (const auto& in : inputs) {
    if (in.empty()) continue;
    if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(in, out, ec)) {
      throw InputError(out, "refusing to overwrite an input file; choose another output name");
    }
  }
  if (fileKindOf(out) == FileKind::Unknown) {
    throw InputError(out, "unsupported output type '" + out.extension().string() +
                              "' (supported: .png .jpg .jpeg .tif .tiff .nii .nii.gz)");
  }
}

Image2D forOutput(const Image2D& result, SampleType inputType, const std::filesystem::path& out) {
  const std::string ext = asciiLower(out.extension().string());
  if (ext == ".tif" || ext == ".tiff") return result;
  if (inputType == SampleType::Float32) {
    throw InputError(out, "PNG and JPEG cannot hold float values; write a .tif or .tiff");
  }
  const bool jpeg = ext == ".jpg" || ext == ".jpeg";
  const int depth = inputType == SampleType::UInt16 && !jpeg ? CV_16U : CV_8U;
  cv::Mat converted;
  result.mat().convertTo(converted, CV_MAKETYPE(depth, result.channels()));  // rounds, saturates
  Image2D image = Image2D::wrap(converted);
  image.setSpacing(result.spacing_mm());
  image.setOrigin(result.origin_mm());
  image.setDirection(result.direction());
  image.metadata() = result.metadata();
  return image;
}

AnyImage readInput(const std::filesystem::path& path, const std::string& series) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    LoadParams params;
    params.resample_if_irregular = true;  // the algorithms need a uniform grid
    return loadDicomFolder(path, series, params).volume;
  }
  return readAny(path);
}

Volume readVolumeInput(const std::filesystem::path& path, const std::string& command,
                       const std::string& series) {
  AnyImage image = readInput(path, series);
  if (auto* v = std::get_if<Volume>(&image)) return std::move(*v);
  throw InputError(path,
                   command + " works on volumes (NIfTI files or DICOM folders), not 2-D images");
}

namespace {

bool isDicomFolder(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

// The path made absolute and normalised, without a trailing separator.
std::filesystem::path comparable(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::path out = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
  if (ec) out = std::filesystem::absolute(p).lexically_normal();
  if (out.filename().empty() && out.has_parent_path()) out = out.parent_path();
  return out;
}

}  // namespace

OutputTarget outputTarget(const std::filesystem::path& in, const std::filesystem::path& out,
                          bool dicomFlag, std::initializer_list<std::filesystem::path> inputs) {
  const std::string text = out.string();
  const bool folder = (!text.empty() && text.back() == '/') || isDicomFolder(out);
  if (!isDicomFolder(in)) {
    if (dicomFlag) {
      throw InputError(in,
                       "--dicom writes a derived series of a DICOM input; this input is not "
                       "a DICOM folder");
    }
    checkOutput(out, inputs);
    return {out, false};
  }
  if (!dicomFlag && !folder) {
    checkOutput(out, inputs);
    return {out, false};
  }
  // Fail before the work, not after it (the writer checks again, and more).
  const auto source = comparable(in);
  const auto target = comparable(out);
  auto o = source.begin();
  auto t = target.begin();
  for (; o != source.end() && t != target.end() && *o == *t; ++o, ++t) {
  }
  if (o == source.end()) {
    throw InputError(out, t == target.end()
                              ? "is the input DICOM folder: a derived series is written beside "
                                "its source, never into it; choose a new folder"
                              : "lies inside the input DICOM folder: a later scan of that "
                                "folder would mix both series; choose a folder outside it");
  }
  return {out, true};
}

void WrittenOutput::addTo(Json& report) const {
  if (!series) return;
  const DerivedSeriesReport& r = *series;
  Json j = Json::object();
  j.set("folder", r.folder.string()).set("files", static_cast<std::uint64_t>(r.files.size()));
  j.set("series_instance_uid", r.series_instance_uid).set("sop_class_uid", r.sop_class_uid);
  j.set("stored_units", r.stored_units).set("pixel_signed", r.encoding.pixel_signed);
  j.set("rescale_slope", r.encoding.slope).set("rescale_intercept", r.encoding.intercept);
  j.set("quantum", r.encoding.quantum()).set("max_error", r.max_error);
  j.set("non_finite_voxels", static_cast<std::uint64_t>(r.non_finite_voxels));
  Json::Array warnings;
  for (const std::string& w : r.warnings) warnings.emplace_back(w);
  j.set("warnings", warnings);
  report.set("dicom_series", j);
}

std::string WrittenOutput::text() const {
  if (!series) return "";
  const DerivedSeriesReport& r = *series;
  std::ostringstream s;
  s << "  derived DICOM series: " << r.files.size() << " slices in " << r.folder.string()
    << ", values " << r.stored_units << " x " << r.encoding.slope << " + " << r.encoding.intercept
    << " (error at most " << r.encoding.quantum() << ")\n";
  for (const std::string& w : r.warnings) s << "  warning: " << w << "\n";
  return s.str();
}

WrittenOutput writeOutput(const Volume& result, const OutputTarget& target,
                          const std::filesystem::path& in, const std::string& series,
                          const std::string& description, const std::string& details) {
  WrittenOutput written;
  if (!target.dicom) {
    writeVolume(result, target.path);
    return written;
  }
  DerivedSeriesParams params;
  params.output_folder = target.path;
  params.series_description = description;
  params.derivation_description = details;
  try {
    const DicomScan scan = scanDicomFolder(in);
    written.series = writeDerivedSeries(result, selectSeries(scan, series), params);
  } catch (const InputError& e) {
    if (e.file().empty()) throw InputError(target.path, e.problem());  // name the output
    throw;
  }
  return written;
}

std::string describeMm(const Eigen::Vector3d& v, int axes) {
  std::ostringstream s;
  if ((v.head(axes).array() == v[0]).all()) {
    s << v[0];
  } else {
    for (int i = 0; i < axes; ++i) s << (i ? "," : "") << v[i];
  }
  s << " mm";
  return s.str();
}

MaskVolume readMaskFor(const std::filesystem::path& path, const Geometry3D& grid) {
  return maskOnGrid(readMask(path), grid);
}

std::filesystem::path outputNameFor(const std::filesystem::path& input) {
  std::filesystem::path name = input.filename();
  if (name.empty()) name = input.parent_path().filename();  // "dir/"
  std::error_code ec;
  if (std::filesystem::is_directory(input, ec)) name += ".nii.gz";
  return name;
}

void rethrowNamingFile(const InputError& e,
                       std::initializer_list<std::pair<std::string, std::filesystem::path>> roles) {
  if (e.file().empty()) {
    for (const auto& [role, path] : roles) {
      if (!path.empty() && e.problem().rfind(role, 0) == 0) throw InputError(path, e.problem());
    }
  }
  throw e;
}

Json jsonVector(const Eigen::Vector3d& v, int n) {
  Json::Array a;
  for (int i = 0; i < n; ++i) a.emplace_back(v[i]);
  return a;
}

const StructureSetInfo& structureSetWithRoi(const DicomScan& scan, const std::string& seriesUid,
                                            const std::string& name,
                                            const std::filesystem::path& folder) {
  std::vector<const StructureSetInfo*> sets;  // drawn on this series first
  for (int pass = 0; pass < 2; ++pass) {
    for (const StructureSetInfo& s : scan.structure_sets) {
      const bool onSeries = !seriesUid.empty() && s.referenced_series_uid == seriesUid;
      if (onSeries == (pass == 0)) sets.push_back(&s);
    }
  }
  for (const bool exact : {true, false}) {
    for (const StructureSetInfo* s : sets) {
      for (const std::string& roi : s->roi_names) {
        if (exact ? roi == name : asciiLower(roi) == asciiLower(name)) return *s;
      }
    }
  }
  std::string list;
  for (const StructureSetInfo* s : sets) {
    for (const std::string& roi : s->roi_names) list += (list.empty() ? "'" : ", '") + roi + "'";
  }
  throw InputError(folder, "no ROI named '" + name + "' in its RTSTRUCT" +
                               (sets.size() > 1 ? "s" : "") +
                               "; ROIs: " + (list.empty() ? "none" : list));
}

}  // namespace harmonia::cli
