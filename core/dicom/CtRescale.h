#pragma once
// Modality rescale: stored values to Hounsfield units (CT) or to the
// scanner's rescaled values (MR and others), per slice.

#include <vector>

#include "core/dicom/DicomHeader.h"
#include "core/dicom/ValueConversion.h"

namespace harmonia {

/// CT: HU = Rescale Slope * stored + Rescale Intercept, per slice (slices in
/// volume order). Missing rescale attributes mean slope 1, intercept 0, with a warning.
ValueConversion hounsfieldConversion(const std::vector<DicomSlice>& slices);

/// Any modality without a physical unit (MR...): the Rescale Slope and
/// Intercept when present (identity otherwise); `units` is stored as given.
ValueConversion modalityRescale(const std::vector<DicomSlice>& slices, const std::string& units);

}  // namespace harmonia
