#pragma once
// The header of one DICOM file, read without its pixel data.
//
// Holds the attributes Harmonia needs (see DicomTag.h) as strings, plus the
// per-frame geometry and rescale of the file: one FrameHeader for a classic
// single-frame image, one per frame for an enhanced multi-frame object (from
// its functional groups).

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/DicomStructure.h"
#include "core/dicom/DicomTag.h"

namespace harmonia {

/// Attribute values as strings, keyed by DicomTag::key(); multi-values keep their '\'.
using TagValues = std::map<std::uint32_t, std::string>;

/// Geometry and value rescale of one frame (a 2-D slice) of a file.
struct FrameHeader {
  std::optional<Eigen::Vector3d> position_mm;  ///< Image Position (Patient), LPS mm
  /// Image Orientation (Patient): row direction (increasing column index), then column direction.
  std::optional<std::array<double, 6>> orientation;
  /// Pixel Spacing: (between rows, between columns) in mm.
  std::optional<Eigen::Vector2d> pixel_spacing_mm;
  double rescale_slope = 1.0;         ///< Rescale Slope (1 when absent)
  double rescale_intercept = 0.0;     ///< Rescale Intercept (0 when absent)
  bool has_rescale = false;           ///< true when either rescale attribute was present
  std::string acquisition_date_time;  ///< Frame Acquisition DateTime (enhanced objects only)
};

/// Everything Harmonia reads from one file's header.
struct DicomHeader {
  std::filesystem::path file;
  TagValues values;  ///< string attributes (see DicomTag.h), flattened from known sequences
  int rows = 0;
  int columns = 0;
  int number_of_frames = 1;
  int samples_per_pixel = 1;
  int bits_allocated = 0;
  int bits_stored = 0;
  int pixel_representation = 0;  ///< 0 unsigned, 1 signed
  bool has_pixel_data = false;
  /// Byte offset of the Pixel Data value in the file (0 when absent).
  std::uint64_t pixel_data_offset = 0;
  /// True for uncompressed little-endian transfer syntaxes (pixels read directly).
  bool native_little_endian = false;
  std::vector<FrameHeader> frames;  ///< one per frame

  /// The trimmed value of `t`, or nullopt when absent or empty.
  [[nodiscard]] std::optional<std::string> value(const DicomTag& t) const;
  /// The trimmed value of `t`, or "" when absent.
  [[nodiscard]] std::string text(const DicomTag& t) const;
  /// The first numeric value of `t` (DS, IS), or nullopt when absent or not a number.
  [[nodiscard]] std::optional<double> number(const DicomTag& t) const;
  /// Every numeric value of a multi-valued `t` (e.g. "1\0\0").
  [[nodiscard]] std::vector<double> numbers(const DicomTag& t) const;
  /// Sets a string value (tests build synthetic headers with it).
  void set(const DicomTag& t, std::string v) { values[t.key()] = std::move(v); }
  /// True for RT Structure Set objects.
  [[nodiscard]] bool isRtStruct() const;
};

/// Reads the header of `file`, stopping at Pixel Data (whose presence and
/// size are checked against the file length). Throws InputError naming the
/// file and the problem when it is not a readable DICOM file.
DicomHeader readDicomHeader(const std::filesystem::path& file);

/// Checks, without GDCM, that `file` is a DICOM file GDCM can parse safely
/// (Debian's GDCM aborts on some malformed input): not empty, and a sound
/// structure (see checkDicomStructure in DicomStructure.h) up to the top-level
/// Pixel Data header, or through the whole file. Throws InputError naming the
/// file and the problem otherwise. Call it before handing any file to a
/// gdcm::Reader: UntilPixelData before reading up to Pixel Data, WholeFile
/// before reading (or decoding) the whole file.
void checkDicomFile(const std::filesystem::path& file, DicomExtent extent = DicomExtent::WholeFile);

/// Turns GDCM's own warning and error printing off (we report problems ourselves).
void silenceGdcm();

/// Splits a DICOM multi-value string at '\'.
std::vector<std::string> splitDicomValues(const std::string& s);
/// Removes leading/trailing spaces and NULs (DICOM padding).
std::string trimDicom(const std::string& s);

/// One 2-D slice of a series: frame `frame` of a file's header.
struct DicomSlice {
  std::shared_ptr<const DicomHeader> header;
  int frame = 0;
  /// The frame's geometry and rescale.
  [[nodiscard]] const FrameHeader& frameHeader() const {
    return header->frames[static_cast<std::size_t>(frame)];
  }
};

}  // namespace harmonia
