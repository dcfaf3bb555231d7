#pragma once
// Inputs of the radiomic feature commands (features, feature-map): the
// settings (--config FILE or --ibsi NAME) and one scan: an image (a NIfTI file
// or a DICOM folder) with its ROI (a NIfTI mask matched by physical position,
// an RTSTRUCT file, or an RTSTRUCT ROI found by name in the DICOM folder).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "app/cli/Cli.h"
#include "core/features/FeatureSet.h"
#include "core/features/FeatureSettings.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia::cli {

/// The settings of --config FILE or --ibsi NAME (exactly one). Throws
/// UsageError when neither or both are given or the preset is unknown
/// (listing the presets), InputError for a bad settings file.
features::FeatureSettings featureSettingsFrom(const Arguments& args);

/// One scan, ready for extraction.
struct FeatureInput {
  Volume image;
  MaskVolume mask;  ///< on image's grid, 1 inside
  std::filesystem::path mask_file;
  std::string mask_description;
  std::vector<std::string> notes;
  bool dicom = false;
  /// DICOM inputs: manufacturer, model, kernel, slice_thickness_mm,
  /// pixel_spacing_mm (empty cells when the headers lack them).
  std::vector<std::pair<std::string, std::string>> dicom_columns;
};

/// Loads `image` (a NIfTI file, or a DICOM folder with `series`) and its ROI:
/// `mask` a NIfTI mask (matched by physical position) or an RTSTRUCT file
/// (ROI `roi`, or its only ROI); with no `mask`, the ROI `roi` of an RTSTRUCT
/// in the DICOM folder (scanned recursively; structure sets drawn on the
/// series first). Checks what extraction would refuse less clearly: an empty
/// mask, a mask outside the image, NaNs in the ROI; each InputError names
/// the file at fault (an unknown ROI lists the ROIs there are).
FeatureInput loadFeatureInput(const std::filesystem::path& image, const std::string& series,
                              const std::filesystem::path& mask, const std::string& roi);

/// extractFeatures() on `input`; an InputError naming no file is rethrown
/// naming `image` (and the ROI's file).
features::FeatureSet extractNamingFile(const FeatureInput& input,
                                       const features::FeatureSettings& settings,
                                       const std::filesystem::path& image, Progress& progress);

/// Writes `text` to `out` atomically (a temporary file renamed over it).
void writeTextAtomically(const std::filesystem::path& out, const std::string& text);

/// A cohort manifest: a CSV table with a header row naming an `image`
/// column and a `mask` or `roi` column (optional `series`; other columns are
/// copied to the feature table). Indices are -1 for absent columns.
struct FeatureManifest {
  std::vector<std::string> columns;  ///< header names, blanks trimmed
  std::vector<std::vector<std::string>> rows;
  int image = -1, mask = -1, roi = -1, series = -1;
};

/// Reads a manifest (FeatureManifest.cpp). Throws InputError naming the file:
/// missing, unreadable, not CSV, empty, no `image` column, neither `mask` nor
/// `roi`, a column named twice, or no row after the header.
FeatureManifest readFeatureManifest(const std::filesystem::path& path);

/// The cohort mode of `features` (--manifest), in FeatureManifest.cpp.
int runFeatureManifest(const Arguments& args, Streams io);

}  // namespace harmonia::cli
