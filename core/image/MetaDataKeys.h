#pragma once
// The metadata keys Harmonia writes and reads (MetaData, MetaData.h), and
// typed values under them.
//
// Every key that code writes in one place and reads in another is named
// here, once; write and read through these constants, never a typed string.
// Keys are snake_case, with the unit as a suffix where there is one (_mm).
// Numbers are stored as their shortest round-trip decimal text (setNumber),
// 3-vectors as "x,y,z" (setVector3_mm); read them back with number() and
// vector3_mm(), not with a stream.

#include <Eigen/Core>
#include <optional>
#include <string>

#include "core/image/MetaData.h"

namespace harmonia {

/// The metadata keys Harmonia writes.
namespace metakey {
// Files (core/io).
inline constexpr char kFormat[] = "format";  ///< "NIfTI-1", "PNG", "TIFF", ...
inline constexpr char kSource[] = "source";  ///< the path the image was read from
inline constexpr char kNote[] = "note";      ///< a reader's remark (NIfTI: qform/sform choice)
// Acquisition (DICOM series loader; the phantom scanner writes kModality too).
inline constexpr char kModality[] = "modality";  ///< DICOM Modality ("CT", "MR", "PT", "phantom")
inline constexpr char kSeriesUid[] = "series_uid";
inline constexpr char kSeriesId[] = "series_id";
inline constexpr char kSeriesDescription[] = "series_description";
inline constexpr char kManufacturer[] = "manufacturer";
inline constexpr char kModel[] = "model";
inline constexpr char kPatientId[] = "patient_id";
inline constexpr char kConversion[] = "conversion";  ///< how stored values became physical ones
inline constexpr char kWorld[] = "world";            ///< the world frame ("LPS")
inline constexpr char kGeometryIssues[] = "geometry_issues";
inline constexpr char kResampled[] = "resampled";  ///< why the series was resampled, if it was
// Phantoms and the virtual scanner (core/phantom).
inline constexpr char kDescription[] = "description";
inline constexpr char kScanner[] = "scanner";
inline constexpr char kGainAlpha[] = "gain_alpha";
inline constexpr char kOffsetBeta[] = "offset_beta";
inline constexpr char kSliceThickness_mm[] = "slice_thickness_mm";
inline constexpr char kNoiseSigma[] = "noise_sigma";
inline constexpr char kPsfModel[] = "psf_model";
/// Resolution: FWHM of the point-spread function per axis, mm ("x,y,z").
/// Written by the virtual scanner, kernel matching in the UI and plans;
/// read by the Harmonize panel to fill in "from".
inline constexpr char kPsfFwhm_mm[] = "psf_fwhm_mm";
}  // namespace metakey

/// Stores `value` as its shortest decimal text that reads back exactly.
void setNumber(MetaData& metadata, const std::string& key, double value);
/// The number stored under `key`; nullopt when absent or not a number.
std::optional<double> number(const MetaData& metadata, const std::string& key);

/// Stores a 3-vector in mm as "x,y,z" (each as setNumber writes it).
void setVector3_mm(MetaData& metadata, const std::string& key, const Eigen::Vector3d& value_mm);
/// The 3-vector stored under `key`; nullopt when absent or not three finite
/// numbers separated by commas.
std::optional<Eigen::Vector3d> vector3_mm(const MetaData& metadata, const std::string& key);

}  // namespace harmonia
