#pragma once
// Writing a harmonized volume as a derived DICOM series beside its source.
//
// The first file of the source series is the template: its patient, study,
// equipment and acquisition attributes are kept (Patient Name/ID/Birth
// Date/Sex, Study Instance UID, Study Date/Time, Accession Number, Study
// Description, Frame of Reference UID, Modality...). What would now be wrong
// is dropped: private attributes, overlays, icons, functional groups, the
// template's references to other images, Slice Location, Gantry Tilt, and
// every Image Pixel / Modality LUT / VOI LUT attribute (rewritten). New: a
// Series Instance UID, one SOP Instance UID per slice (gdcm::UIDGenerator),
// Image Type DERIVED\SECONDARY (PET: DERIVED\PRIMARY, as PS3.3 C.8.9.4.1.1
// says Value 2 of a PET image is PRIMARY), Series Description, Derivation
// Description, and the volume's own geometry: Image Position (Patient) of
// each slice k, Image Orientation (Patient) from the direction's first two
// columns, Pixel Spacing (between rows \ between columns), Slice Thickness,
// Spacing Between Slices, Rows, Columns, Instance Number k + 1. Slice k lies
// where the volume's slice k lies; with a left-handed grid (slice direction
// against row x column) our loader, which sorts along row x column, reads the
// same voxels at the same positions in the opposite k order.
//
// SOP Class: the source's for CT, MR and PET Image Storage; the classic class
// for an enhanced or legacy-converted source (the files written are single
// frames); Secondary Capture Image Storage for any other source, because no
// other single-frame image IOD fits every modality.
//
// Values: int16 or uint16 pixels with one Rescale Slope m and Intercept b for
// the series, value = m * stored + b (see chooseEncoding); a value comes back
// within m / 2 of what was written (plus float32 rounding when read as
// float). Values that are all integers and fit 16 bits are stored exactly
// (slope 1). Non-finite voxels are written as the lowest finite value and
// counted in the report.
//
// Units: CT writes Rescale Type HU when the volume's units are "HU", US
// (unspecified) otherwise (a z-scored CT, say). PET must hold SUV (units as
// suvUnits() names them): it is written with Units GML (CM2ML for SUVbsa) and
// the matching SUV Type, Rescale Intercept 0 (the PET Image module requires
// it), so that our loader, and any SUV-aware viewer, reads the same values
// back without redoing the decay correction from the template's dose and
// times (which describe the acquisition, not these values). Load with
// LoadParams::suv.output set to the volume's SUV type to get the values back
// (SUVbw is the default). MR and others write Rescale Type US; our loader
// applies the rescale to them as it does for Philips MR.
//
// Safety: the series is written into a hidden temporary folder that is
// renamed into place once complete (each file itself written atomically), so
// a cancelled or failed export leaves no partial series. The output folder
// must not be, or lie inside, a folder holding source files, and must not
// already hold DICOM files. The source files are only read.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/DicomScanner.h"
#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// What to write where.
struct DerivedSeriesParams {
  /// The folder to create (or an existing one without DICOM files); never a source folder.
  std::filesystem::path output_folder;
  /// What was done, e.g. "Kernel-matched to 6 mm FWHM (Harmonia)". Required.
  /// Series Description holds at most 64 characters; the whole text goes into
  /// the Derivation Description.
  std::string series_description;
  /// More detail for Derivation Description (0008,2111); empty: the series
  /// description. The units, encoding and source series are appended.
  std::string derivation_description;
  /// Series Number; when absent, the source's plus 1000 (empty when the
  /// source has none).
  std::optional<int> series_number;
};

/// How values are stored: value = slope * stored + intercept.
struct PixelEncoding {
  double slope = 1.0;        ///< Rescale Slope, exactly as written (a DS value)
  double intercept = 0.0;    ///< Rescale Intercept, exactly as written
  bool pixel_signed = true;  ///< int16 (Pixel Representation 1) or uint16 (0)
  /// The largest error the quantisation can make: half a stored step.
  [[nodiscard]] double quantum() const { return slope / 2.0; }
};

/// The 16-bit encoding of values in [lo, hi] (finite, lo <= hi). When
/// `integerValued` and the range fits 16 bits: slope 1, values exact.
/// Otherwise int16 over the whole range, slope = (hi - lo) / 65535 rounded up
/// to a DS value and intercept = lo + 32768 slope. With `zeroIntercept` (PET):
/// intercept 0, uint16 with slope hi / 65535 when lo >= 0, else int16 with
/// slope max(-lo / 32768, hi / 32767).
PixelEncoding chooseEncoding(double lo, double hi, bool integerValued, bool zeroIntercept);

/// What was written.
struct DerivedSeriesReport {
  std::filesystem::path folder;              ///< the output folder
  std::vector<std::filesystem::path> files;  ///< one per slice, in slice order k
  std::string series_instance_uid;
  std::string sop_class_uid;
  PixelEncoding encoding;
  double min_value = 0.0;             ///< lowest finite value written
  double max_value = 0.0;             ///< highest finite value written
  double max_error = 0.0;             ///< largest |written - volume| over finite voxels (double)
  std::size_t non_finite_voxels = 0;  ///< NaN/inf voxels, written as min_value
  std::string stored_units;           ///< e.g. "HU", "GML (SUV Type BW)", "US (unspecified)"
  std::vector<std::string> warnings;  ///< one readable line each
};

/// Writes `volume` (values in the series' units, any grid in the source's
/// frame of reference) as a derived series of `source`. Throws InputError
/// naming the folder or file and the problem (bad output folder, empty or
/// all-NaN volume, axes not orthogonal, PET values that are not SUV, a
/// template GDCM cannot read...), ParameterError for an empty series
/// description; honours cancel (throws Cancelled, leaves nothing behind).
DerivedSeriesReport writeDerivedSeries(const Volume& volume, const SeriesInfo& source,
                                       const DerivedSeriesParams& params,
                                       Progress& progress = noProgress());

/// The same for the files of one source series (scanned first; InputError
/// unless they hold exactly one image series).
DerivedSeriesReport writeDerivedSeries(const Volume& volume,
                                       const std::vector<std::filesystem::path>& sourceFiles,
                                       const DerivedSeriesParams& params,
                                       Progress& progress = noProgress());

}  // namespace harmonia
