#pragma once
// The output folder of a derived DICOM series (DerivedSeriesWriter.h): which
// folders are refused, and the staging folder the files are written to until
// the series is complete, then published with renames (nothing is left behind
// on failure).

#include <filesystem>
#include <string>
#include <vector>

#include "core/dicom/DicomScanner.h"

namespace harmonia {

/// The absolute, normalised form of an output folder (no trailing separator).
std::filesystem::path normalisedOutputFolder(const std::filesystem::path& p);

/// Throws InputError (naming `requested`) when `out` (normalisedOutputFolder()
/// of `requested`) is, lies inside or holds one of the source series' folders,
/// is a file, or already holds DICOM files.
void checkOutputFolder(const std::filesystem::path& requested, const std::filesystem::path& out,
                       const SeriesInfo& source);

/// Where the files are written until the series is complete, and how it is published.
class SeriesStaging {
 public:
  /// Creates a hidden temporary folder inside `out` (when it exists) or beside
  /// it; throws InputError when that is impossible.
  explicit SeriesStaging(const std::filesystem::path& out);
  SeriesStaging(const SeriesStaging&) = delete;
  SeriesStaging& operator=(const SeriesStaging&) = delete;
  /// Removes what was staged or moved, unless published.
  ~SeriesStaging();

  /// The folder to write the files to.
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  /// Moves the complete series into the output folder.
  void publish(const std::vector<std::string>& names);

 private:
  std::filesystem::path out_;
  std::filesystem::path dir_;
  bool existed_ = false;
  bool published_ = false;
  std::vector<std::filesystem::path> moved_;
};

}  // namespace harmonia
