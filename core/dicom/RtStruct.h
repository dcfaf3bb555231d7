#pragma once
// DICOM RT Structure Sets: ROI names, contours, and their voxel masks.
//
// Contours are closed planar polygons in LPS patient coordinates (mm). A ROI
// is rasterised onto a volume grid slice by slice: each contour's points are
// mapped to continuous voxel indices, and a voxel is inside when its centre is
// inside an odd number of the ROI's contours on that slice (even-odd rule, so
// holes drawn as inner contours stay empty). A centre exactly on an edge counts
// as inside on the left/top edge and outside on the right/bottom one.

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <vector>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// One contour: Contour Data (3006,0050) points, LPS mm.
struct RtContour {
  std::string geometric_type;  ///< CLOSED_PLANAR, OPEN_PLANAR, POINT...
  std::vector<Eigen::Vector3d> points_mm;
};

/// One region of interest.
struct RtRoi {
  int number = 0;                      ///< ROI Number (3006,0022)
  std::string name;                    ///< ROI Name (3006,0026)
  std::string frame_of_reference_uid;  ///< Referenced Frame of Reference UID (3006,0024)
  std::vector<RtContour> contours;
};

/// A structure set file.
struct RtStruct {
  std::filesystem::path file;
  std::string label;                   ///< Structure Set Label (3006,0002)
  std::string frame_of_reference_uid;  ///< of the referenced images
  std::string referenced_series_uid;   ///< Series Instance UID the contours were drawn on
  std::vector<RtRoi> rois;

  /// Names of every ROI, in file order.
  [[nodiscard]] std::vector<std::string> roiNames() const;
  /// The ROI called `name` (exact, else case-insensitive); with an empty name,
  /// the only ROI. Throws InputError naming the file and listing the ROIs.
  [[nodiscard]] const RtRoi& roi(const std::string& name) const;
};

/// Reads a structure set. Throws InputError naming the file and the problem.
RtStruct readRtStruct(const std::filesystem::path& file);

/// A rasterised ROI and how many contours could not be placed on the grid.
struct RoiMask {
  MaskVolume mask;            ///< on the requested grid; 1 inside
  int contours_used = 0;      ///< closed planar contours rasterised
  int contours_off_grid = 0;  ///< contours not on a slice plane, or outside the grid
};

/// Rasterises `roi` onto `grid` (even-odd fill per slice, in physical coordinates).
RoiMask rasterizeRoi(const RtRoi& roi, const Geometry3D& grid, Progress& progress = noProgress());

}  // namespace harmonia
