#pragma once
// Turning files into library entries, in a worker: a NIfTI file, or a DICOM
// folder's image series with its values converted (HU, SUV) and the ROIs of
// the structure sets that refer to it. Used by Studies (ROIs of the series
// being viewed), by `harmonia --compare A B` and by opening files.

#include <QString>
#include <QStringList>
#include <vector>

#include "core/dicom/DicomScanner.h"
#include "core/job/Progress.h"
#include "ui/model/VolumeLibrary.h"

namespace harmonia {

/// ROIs rasterised from structure sets, and what could not be drawn.
struct RasterizedRois {
  std::vector<Roi> rois;
  QStringList warnings;  ///< e.g. contours that lie off the grid's slices
};

/// Rasterises every ROI of `structureSets` onto `grid`, coloured from a
/// palette of distinct colours (Slicer's first label colours); when there are
/// several structure sets, names get the set's label. Throws InputError
/// naming the file of an unreadable structure set; honours cancellation.
RasterizedRois rasterizeStructureSets(const std::vector<StructureSetInfo>& structureSets,
                                      const Geometry3D& grid, Progress& progress = noProgress());

/// The structure sets drawn on `series` (by referenced Series Instance UID).
std::vector<StructureSetInfo> structureSetsOf(const SeriesInfo& series,
                                              const std::vector<StructureSetInfo>& all);

/// A library entry for a loaded DICOM series (id 0; ROIs not set): name from
/// the series description and number, source the folder, modality, UIDs and files.
VolumeEntry dicomSeriesEntry(const SeriesInfo& series, const QString& folder,
                             std::shared_ptr<const Volume> volume);

/// Loads `path` as an entry (id 0): a NIfTI file, or a DICOM folder (its only
/// image series, or the first when there are several; values in HU/SUV;
/// irregular slice grids resampled to a uniform one) with its ROIs. Throws
/// InputError naming the file and problem.
VolumeEntry loadVolumeEntry(const QString& path, Progress& progress = noProgress());

}  // namespace harmonia
