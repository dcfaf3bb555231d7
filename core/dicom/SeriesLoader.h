#pragma once
// Loading a DICOM series into a Volume of physical values, progressively and
// in parallel.
//
// The conversion (HU, SUV, raw) is worked out from the headers before any
// pixel is decoded, so missing tags fail fast and nothing is half-loaded.
// Files are decoded in parallel (oneTBB), the middle slice first (what a
// viewer shows first); a callback hears about each slice as soon as it holds
// its converted values. Uncompressed little-endian pixels are read straight
// from the file at the offset the header scan found; every other transfer
// syntax GDCM decodes (JPEG baseline/lossless, JPEG-LS, JPEG 2000, RLE,
// deflate, big endian) goes through gdcm::ImageReader.

#include <functional>
#include <optional>

#include "core/dicom/DicomScanner.h"
#include "core/dicom/MrParameters.h"
#include "core/dicom/SuvCalculator.h"
#include "core/dicom/ValueConversion.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// What to load.
struct LoadParams {
  /// Convert to physical units (CT: HU, PET: SUV); false keeps the stored values.
  bool convert_values = true;
  /// SUV normalisation and rules (PET only).
  SuvParams suv;
  /// Resample to an orthogonal, uniformly spaced grid when the slices are not
  /// (gantry tilt, non-uniform spacing, missing slices).
  bool resample_if_irregular = false;
};

/// Called once per slice k, from a worker thread, as soon as the slice holds
/// its converted values: `values` points at nx * ny floats (i fastest) inside
/// the volume being built; they stay valid as long as the returned volume's
/// buffer does. Keep the callback short (copy the slice, post to the GUI).
using SliceReadyCallback = std::function<void(int k, const float* values)>;

/// A loaded series.
struct LoadedSeries {
  Volume volume;                   ///< values with units(), geometry and metadata()
  SeriesGeometry geometry;         ///< of the slices as acquired
  ValueConversion conversion;      ///< how values were made (steps, warnings)
  std::optional<SuvResult> suv;    ///< PET only
  std::optional<MrParameters> mr;  ///< MR only
  bool resampled = false;          ///< true when resample_if_irregular changed the grid
};

/// Loads one series; build it from a scan, then call load() (from any thread).
class SeriesLoader {
 public:
  /// Works out the grid and the value conversion. Throws InputError naming the
  /// file and attribute when values cannot be converted (e.g. PET without dose).
  explicit SeriesLoader(SeriesInfo series, LoadParams params = {});

  /// Grid of the slices as delivered to the callback (the acquired grid).
  [[nodiscard]] const Geometry3D& grid() const { return series_.geometry.grid; }
  /// The conversion that will be applied.
  [[nodiscard]] const ValueConversion& conversion() const { return conversion_; }
  /// The slice decoded first (the middle one).
  [[nodiscard]] int firstSlice() const { return series_.sliceCount() / 2; }

  /// Decodes every slice in parallel; honours cancel (throws Cancelled, leaves no output).
  LoadedSeries load(Progress& progress = noProgress(), const SliceReadyCallback& onSlice = {});

 private:
  SeriesInfo series_;
  LoadParams params_;
  ValueConversion conversion_;
  std::optional<SuvResult> suv_;
};

/// Convenience: SeriesLoader(series, params).load(progress).
LoadedSeries loadSeries(const SeriesInfo& series, const LoadParams& params = {},
                        Progress& progress = noProgress());

/// Convenience: scans `folder`, selects series `id` (empty: the only one) and loads it.
/// Refuses a folder holding a damaged DICOM file (refuseDamagedFiles()): its
/// series might silently miss slices.
LoadedSeries loadDicomFolder(const std::filesystem::path& folder, const std::string& id = "",
                             const LoadParams& params = {}, Progress& progress = noProgress());

}  // namespace harmonia
