#include "app/cli/FeatureInputs.h"

#include <cmath>
#include <cstdio>
#include <optional>

#include "app/cli/HarmonizeSupport.h"
#include "core/dicom/DicomScanner.h"
#include "core/dicom/DicomTag.h"
#include "core/dicom/RtStruct.h"
#include "core/dicom/SeriesDetails.h"
#include "core/dicom/SeriesLoader.h"
#include "core/features/FeatureConfig.h"
#include "core/image/MaskOnGrid.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia::cli {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::size_t countInside(const MaskVolume& m) {
  std::size_t n = 0;
  for (auto v : m.voxels()) {
    n += v != 0 ? 1 : 0;
  }
  return n;
}

std::vector<std::pair<std::string, std::string>> dicomColumnsOf(const SeriesInfo& info) {
  std::string kernel, thickness, spacing;
  if (!info.slices.empty()) {
    kernel = overviewOf(info).kernel;
    const DicomHeader& h = *info.slices.front().header;
    if (const auto t = h.number(tag::SliceThickness)) {
      thickness = number(*t);
    }
    if (const auto& ps = info.slices.front().frameHeader().pixel_spacing_mm) {
      // Pixel Spacing is (row spacing, column spacing); one value when square.
      spacing = number((*ps)[0]);
      if (number((*ps)[1]) != spacing) {
        spacing += " x " + number((*ps)[1]);
      }
    }
  }
  return {{"manufacturer", info.manufacturer},
          {"model", info.model},
          {"kernel", kernel},
          {"slice_thickness_mm", thickness},
          {"pixel_spacing_mm", spacing}};
}

// The ROI `name` of an RTSTRUCT found in the scanned folder, on `volume`'s grid.
MaskVolume roiFromFolder(const DicomScan& scan, const SeriesInfo& series, const std::string& name,
                         const Volume& volume, FeatureInput& input) {
  if (scan.structure_sets.empty()) {
    throw InputError(scan.folder,
                     "--roi needs an RTSTRUCT, and this folder holds none (give the folder "
                     "that holds both the series and its RTSTRUCT, or --mask with a NIfTI mask "
                     "or an RTSTRUCT file)");
  }
  const StructureSetInfo* found = &structureSetWithRoi(scan, series.series_uid, name, scan.folder);
  const RtStruct rs = readRtStruct(found->file);
  const RtRoi& roi = rs.roi(name);
  RoiMask m = rasterizeRoi(roi, volume.geometry());
  input.mask_file = found->file;
  input.mask_description = found->file.string() + " ROI '" + roi.name + "' (RTSTRUCT, " +
                           std::to_string(m.contours_used) + " contours)";
  if (!rs.referenced_series_uid.empty() && rs.referenced_series_uid != series.series_uid) {
    input.notes.push_back("the structure set was drawn on series " + rs.referenced_series_uid +
                          ", placed on this one by physical position");
  }
  if (m.contours_off_grid > 0) {
    input.notes.push_back(std::to_string(m.contours_off_grid) +
                          " contours lie between slices or outside the image and were not used");
  }
  return std::move(m.mask);
}

}  // namespace

features::FeatureSettings featureSettingsFrom(const Arguments& args) {
  const bool config = args.has("--config"), ibsi = args.has("--ibsi");
  if (config == ibsi) {
    throw UsageError{"give the settings with --config FILE or --ibsi NAME (one of them)"};
  }
  if (config) {
    return features::readFeatureSettings(args.value("--config"));
  }
  const std::string name = args.value("--ibsi");
  std::string names;
  for (const std::string& n : features::ibsiPresetNames()) {
    names += (names.empty() ? "" : ", ") + n;
    if (n == name) {
      return features::ibsiPreset(name);
    }
  }
  throw UsageError{"unknown IBSI configuration '" + name + "' for --ibsi (expected one of " +
                   names + ")"};
}

FeatureInput loadFeatureInput(const std::filesystem::path& image, const std::string& series,
                              const std::filesystem::path& mask, const std::string& roi) {
  FeatureInput input;
  std::error_code ec;
  if (!std::filesystem::exists(image, ec)) {
    throw InputError(image, "no such file or folder");
  }
  std::optional<DicomScan> scan;
  const SeriesInfo* info = nullptr;
  if (std::filesystem::is_directory(image, ec)) {
    scan = scanDicomFolder(image);
    refuseDamagedFiles(*scan);
    info = &selectSeries(*scan, series);
    LoadParams params;
    params.resample_if_irregular = true;  // the processing chain needs a uniform grid
    input.image = loadSeries(*info, params).volume;
    input.dicom = true;
    input.dicom_columns = dicomColumnsOf(*info);
  } else {
    if (!series.empty()) {
      throw InputError(image, "--series applies to DICOM folders only");
    }
    if (fileKindOf(image) != FileKind::Volume) {
      throw InputError(image,
                       "features need a volume: a NIfTI file (.nii, .nii.gz) or a DICOM "
                       "folder");
    }
    input.image = readVolume(image);
  }

  if (!mask.empty()) {
    if (!std::filesystem::exists(mask, ec)) {
      throw InputError(mask, "no such file");
    }
    input.mask_file = mask;
    if (fileKindOf(mask) == FileKind::Volume) {
      if (!roi.empty()) {
        throw InputError(mask, "a ROI name applies to an RTSTRUCT, and this is a NIfTI mask");
      }
      const MaskVolume raw = readMask(mask);
      if (countInside(raw) == 0) {
        throw InputError(mask, "the mask is empty (every voxel is 0)");
      }
      input.mask = maskOnGrid(raw, input.image.geometry());
      input.mask_description = mask.string() + " (NIfTI, matched by physical position)";
    } else {
      RtStruct rs;
      try {
        rs = readRtStruct(mask);
      } catch (const InputError& e) {
        throw InputError(mask, "is neither a NIfTI mask (.nii, .nii.gz) nor a readable RTSTRUCT (" +
                                   e.problem() + ")");
      }
      const RtRoi& r = rs.roi(roi);
      RoiMask m = rasterizeRoi(r, input.image.geometry());
      input.mask = std::move(m.mask);
      input.mask_description = mask.string() + " ROI '" + r.name + "' (RTSTRUCT, " +
                               std::to_string(m.contours_used) + " contours)";
      if (m.contours_off_grid > 0) {
        input.notes.push_back(std::to_string(m.contours_off_grid) +
                              " contours lie between slices or outside the image and were not "
                              "used");
      }
    }
  } else if (!roi.empty()) {
    if (!scan) {
      throw InputError(image,
                       "a ROI name needs a DICOM folder holding an RTSTRUCT; for a "
                       "NIfTI image give a mask");
    }
    input.mask = roiFromFolder(*scan, *info, roi, input.image, input);
  } else {
    throw InputError(image, "no ROI: give a mask or a ROI name");
  }

  if (countInside(input.mask) == 0) {
    throw InputError(input.mask_file,
                     "the ROI lies outside the image (none of its voxels falls "
                     "inside the image's extent)");
  }
  std::size_t nans = 0;
  const auto values = input.image.voxels();
  const auto inside = input.mask.voxels();
  for (std::size_t n = 0; n < values.size(); ++n) {
    if (inside[n] != 0 && !std::isfinite(values[n])) {
      ++nans;
    }
  }
  if (nans > 0) {
    throw InputError(image, std::to_string(nans) +
                                " voxels inside the ROI are NaN or infinite; features need "
                                "finite values");
  }
  for (auto& m : input.mask.voxels()) {
    m = m != 0 ? 1 : 0;
  }
  return input;
}

}  // namespace harmonia::cli
