#pragma once
// Finding the series in a folder of DICOM files.
//
// Every file is read once, header only (up to Pixel Data), in parallel.
// Files are grouped by Series Instance UID; a series is split further where
// orientation, image size, pixel spacing or echo differ, and by Acquisition
// Number when that separates slices at the same position. Unreadable and
// non-image files are listed with the reason, never fatal. RT Structure Sets
// are listed apart, with their ROI names and the series they refer to.

#include <filesystem>
#include <string>
#include <vector>

#include "core/dicom/DicomHeader.h"
#include "core/dicom/SeriesGeometry.h"
#include "core/job/Progress.h"

namespace harmonia {

/// One loadable image series: its slices, sorted along the normal, and its geometry.
struct SeriesInfo {
  std::string id;            ///< Series Instance UID, with ".partN" appended when split
  std::string series_uid;    ///< Series Instance UID (0020,000E)
  std::string split_reason;  ///< why this part was split off ("" when not split)
  std::string modality;      ///< CT, PT, MR, ...
  std::string description;   ///< Series Description
  std::string series_number;
  std::string manufacturer;
  std::string model;
  std::string patient_name;
  std::string patient_id;
  std::string study_uid;
  std::string study_description;
  std::string series_date;  ///< YYYYMMDD as stored
  std::string frame_of_reference_uid;
  std::string transfer_syntax_uid;  ///< of the first file
  std::size_t file_count = 0;
  std::vector<DicomSlice> slices;  ///< sorted along the slice normal (order[k] applied)
  SeriesGeometry geometry;         ///< grid, spacing checks, tilt

  /// Number of slices (frames) in the volume.
  [[nodiscard]] int sliceCount() const { return static_cast<int>(slices.size()); }
};

/// An RT Structure Set found while scanning.
struct StructureSetInfo {
  std::filesystem::path file;
  std::string label;                  ///< Structure Set Label
  std::string referenced_series_uid;  ///< the image series its contours were drawn on
  std::string frame_of_reference_uid;
  std::vector<std::string> roi_names;
};

/// A file the scan could not use, and why.
struct SkippedFile {
  std::filesystem::path file;
  std::string reason;
};

/// Everything a folder holds.
struct DicomScan {
  std::filesystem::path folder;
  std::vector<SeriesInfo> series;  ///< by patient, study, series number, then id
  std::vector<StructureSetInfo> structure_sets;
  std::vector<SkippedFile> skipped;
  std::size_t files_examined = 0;
};

/// Scans `folder` recursively. Throws InputError only when the folder itself
/// cannot be read; honours cancel (throws Cancelled).
DicomScan scanDicomFolder(const std::filesystem::path& folder, Progress& progress = noProgress());

/// Scans the given files (the study browser's drag and drop of single files).
DicomScan scanDicomFiles(const std::vector<std::filesystem::path>& files,
                         Progress& progress = noProgress());

/// Groups already-read headers into series (what both scans do after reading).
std::vector<SeriesInfo> groupIntoSeries(
    const std::vector<std::shared_ptr<const DicomHeader>>& headers,
    std::vector<SkippedFile>& skipped);

/// The first skipped file that is damaged DICOM (truncated, empty or
/// unreadable), not merely something else (a text file, a DICOMDIR, a
/// non-image object); null when there is none. A series loaded from such a
/// folder may be missing slices, so callers that compute on it refuse it.
const SkippedFile* firstDamagedFile(const DicomScan& scan);

/// Throws InputError naming the file and its problem when firstDamagedFile() finds one.
void refuseDamagedFiles(const DicomScan& scan);

/// The series with this id (or Series Instance UID when it was not split);
/// with an empty id, the only image series. Throws InputError naming the
/// folder and listing the series otherwise.
const SeriesInfo& selectSeries(const DicomScan& scan, const std::string& id);

}  // namespace harmonia
