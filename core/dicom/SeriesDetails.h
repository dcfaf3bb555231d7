#pragma once
// What a study browser and a metadata panel show about one series, worked
// out from the headers already scanned (and, for the full tag list, from the
// series' first file).
//
// - SeriesOverview: one line of text per column (kernel, thickness, spacing,
//   images, date) for a list of series; no disk access.
// - harmonizationAttributes(): the attributes that decide whether two series
//   can be compared (rescale, units, SUV inputs, kernel, TR/TE/TI/flip/field,
//   spacing, thickness, scanner), with their values, units and the tag each
//   came from; no disk access.
// - describeSeries(): the above, every tag of the first file (TagDump) and how
//   stored values become physical values (the SeriesLoader's conversion, or
//   the reason it is impossible). Reads the first file's header only.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/DicomScanner.h"
#include "core/dicom/TagDump.h"
#include "core/dicom/ValueConversion.h"
#include "core/job/Progress.h"

namespace harmonia {

/// Display text of a series' main properties ("" when unknown).
struct SeriesOverview {
  std::string scanner;          ///< "Manufacturer Model"
  std::string kernel;           ///< Convolution Kernel (multi-values joined with ", ")
  std::string slice_thickness;  ///< "3.27 mm"
  std::string pixel_spacing;    ///< "0.977 mm" when square, else "0.5 x 0.7 mm" (rows x columns)
  std::string images;           ///< "60" (slices; "1 file, 60 frames" for multi-frame files)
  std::string date;             ///< "2000-09-07": Series Date, else Study or Acquisition Date
};

/// The overview of `series` from its first slice's header.
SeriesOverview overviewOf(const SeriesInfo& series);

/// "YYYY-MM-DD" from a DICOM DA value ("YYYYMMDD"); other text is returned trimmed.
std::string formatDicomDate(const std::string& da);
/// "HH:MM:SS[.ffffff]" from a DICOM TM value ("HHMMSS[.ffffff]"); other text is returned trimmed.
std::string formatDicomTime(const std::string& tm);
/// "YYYY-MM-DD HH:MM:SS[.ffffff]" from a DICOM DT value (an offset "+hhmm" is kept);
/// other text is returned trimmed.
std::string formatDicomDateTime(const std::string& dt);

/// One harmonization-relevant attribute of a series.
struct KeyAttribute {
  std::string section;  ///< "Scanner", "Geometry", "Values", "CT", "PET / SUV", "MR"
  std::string name;     ///< "Rescale Intercept"
  std::string value;    ///< with unit; "(absent)" when the file does not have it
  std::string source;   ///< the attribute it came from ("Rescale Intercept (0028,1052)")
  bool present = true;  ///< false when absent from the file
};

/// The harmonization-relevant attributes of `series`, grouped by section.
/// The section of the series' modality (CT, PET / SUV, MR) lists every
/// attribute, absent ones included; other modalities' sections are left out,
/// except for modalities without a section of their own (NM, OT...), which
/// get every CT, PET and MR attribute that is present.
/// Per-slice values (rescale) are given as a range when they vary.
std::vector<KeyAttribute> harmonizationAttributes(const SeriesInfo& series);

/// Everything a metadata panel shows about one series.
struct SeriesDetails {
  std::string series_id;
  std::filesystem::path first_file;           ///< the file the tags come from
  std::vector<KeyAttribute> key_attributes;   ///< harmonizationAttributes()
  std::vector<TagEntry> tags;                 ///< every element of first_file
  std::string tags_error;                     ///< why tags is empty ("" when read)
  std::optional<ValueConversion> conversion;  ///< how stored values become physical ones
  std::string conversion_error;               ///< why they cannot ("" when they can)
};

/// Describes `series`: reads its first file's tags and works out the value
/// conversion (CT: HU; PET: SUV; others: rescale) without decoding pixels.
/// Problems with the file or the conversion are recorded, never thrown
/// (except Cancelled).
SeriesDetails describeSeries(const SeriesInfo& series, Progress& progress = noProgress());

}  // namespace harmonia
