#pragma once
// Helpers shared by the harmonization subcommands (match-kernel, standardize,
// match-histogram, zscore, resample): option parsing, output checks, writing
// the result (a NIfTI file or a derived DICOM series) and naming the file an
// error is about.

#include <Eigen/Core>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/cli/Cli.h"
#include "app/cli/Json.h"
#include "core/dicom/DerivedSeriesWriter.h"
#include "core/dicom/DicomScanner.h"
#include "core/image/Image2D.h"
#include "core/image/Volume.h"
#include "core/io/ImageIO.h"
#include "core/util/Error.h"

namespace harmonia::cli {

/// Parses comma-separated finite numbers ("1,-2.5,3"); nullopt when any item is not one.
std::optional<std::vector<double>> parseNumberList(const std::string& text);

/// Parses "X,Y,Z" (or one value for all axes; "X,Y" when axes is 2) as mm.
/// Throws UsageError naming `option` on bad input.
Eigen::Vector3d parseFwhm(const std::string& text, const std::string& option, int axes);

/// Parses a positive number of millimetres. Throws UsageError naming `option`.
double parsePositive(const std::string& text, const std::string& option);

/// Throws InputError when `out` is one of `inputs` or has an unsupported extension.
void checkOutput(const std::filesystem::path& out,
                 std::initializer_list<std::filesystem::path> inputs);

/// The result as it will be written to `out`: float32 for TIFF and NIfTI;
/// for PNG/JPEG converted (rounded, clamped) to `inputType` when that is an
/// integer type. Throws InputError when PNG/JPEG would have to hold floats.
Image2D forOutput(const Image2D& result, SampleType inputType, const std::filesystem::path& out);

/// The image at `path`: a DICOM folder (its only series, or the series `series`
/// names; values converted to HU/SUV, irregular slice grids resampled to a
/// uniform one) or a PNG, JPEG, TIFF or NIfTI file.
AnyImage readInput(const std::filesystem::path& path, const std::string& series = "");

/// A volume input (a NIfTI file or a DICOM folder, as readInput); throws
/// InputError naming `path` when it is a 2-D image, with `command` ("resample")
/// in the message.
Volume readVolumeInput(const std::filesystem::path& path, const std::string& command,
                       const std::string& series = "");

/// Where a harmonized volume goes: a file (NIfTI), or a folder for a derived
/// DICOM series of the input's series.
struct OutputTarget {
  std::filesystem::path path;
  bool dicom = false;
};

/// The output of a command whose volume input is `in`: a derived DICOM series
/// when `in` is a DICOM folder and `out` is a folder (an existing one, or a
/// path ending in '/') or `dicomFlag` (--dicom) is set; otherwise a file,
/// checked as checkOutput does against `inputs`. Throws InputError for
/// --dicom with an input that is not a DICOM folder, and for a series folder
/// that is the input folder or lies inside it.
OutputTarget outputTarget(const std::filesystem::path& in, const std::filesystem::path& out,
                          bool dicomFlag, std::initializer_list<std::filesystem::path> inputs);

/// What writeOutput wrote: for a DICOM target, the derived series' report.
struct WrittenOutput {
  std::optional<DerivedSeriesReport> series;
  /// Adds "dicom_series" (folder, UIDs, file count, rescale, error bound,
  /// warnings) to a --json report; nothing for a NIfTI output.
  void addTo(Json& report) const;
  /// Lines for the plain report ("" for a NIfTI output), each ending in '\n'.
  [[nodiscard]] std::string text() const;
};

/// Writes `result` to `target`: a NIfTI file, or a derived DICOM series of the
/// series `series` of the DICOM folder `in` (see DerivedSeriesWriter.h) whose
/// Series Description is `description` (the operation and its parameters)
/// and Derivation Description `details` (more of them; "" for the same).
WrittenOutput writeOutput(const Volume& result, const OutputTarget& target,
                          const std::filesystem::path& in, const std::string& series,
                          const std::string& description, const std::string& details = "");

/// "6 mm" when every axis has the same value, else "2,2,5 mm" (for descriptions).
std::string describeMm(const Eigen::Vector3d& v, int axes = 3);

/// A NIfTI mask matched to `grid` by physical position (each voxel centre of
/// `grid` takes the mask's nearest voxel; 0 outside the mask's extent), so a
/// mask drawn on a NIfTI export of a DICOM series applies to the series.
MaskVolume readMaskFor(const std::filesystem::path& path, const Geometry3D& grid);

/// The output file name for an input in an output folder: the input's file
/// name, or for a DICOM folder its name plus ".nii.gz".
std::filesystem::path outputNameFor(const std::filesystem::path& input);

/// Rethrows an InputError that names no file as one naming the file whose
/// role ("source", "target", "ROI", ...) starts its message; else rethrows as is.
[[noreturn]] void rethrowNamingFile(
    const InputError& e,
    std::initializer_list<std::pair<std::string, std::filesystem::path>> roles);

/// A JSON array of the first `n` components of a vector.
Json jsonVector(const Eigen::Vector3d& v, int n = 3);

/// The structure set of `scan` that holds the ROI `name`: those drawn on
/// series `seriesUid` are searched first, an exact name before a
/// case-insensitive one. Throws InputError naming `folder` and listing the
/// ROIs there are when none holds it.
const StructureSetInfo& structureSetWithRoi(const DicomScan& scan, const std::string& seriesUid,
                                            const std::string& name,
                                            const std::filesystem::path& folder);

}  // namespace harmonia::cli
