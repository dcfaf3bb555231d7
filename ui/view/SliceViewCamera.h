#pragma once
// The geometry behind a SliceView (SliceView.h), without Qt or VTK: the grid
// as VTK's scene places it, the parallel-projection camera that fits and pans
// it, the scene point under a widget position and the scale bar's length.
//
// VTK's scene is the grid in index order: scene point = origin + spacing *
// (index + first) per axis, no direction matrix. Widget positions are logical
// pixels with y down; the camera's parallel scale is half the view's height
// in scene millimetres.

#include <Eigen/Core>

namespace harmonia {

/// A structured grid as VTK's scene places it (vtkImageData's origin, spacing, extent).
struct SliceGrid {
  Eigen::Vector3d origin = Eigen::Vector3d::Zero();
  Eigen::Vector3d spacing = Eigen::Vector3d::Ones();
  Eigen::Vector3i first = Eigen::Vector3i::Zero();  ///< first index of the extent per axis
  Eigen::Vector3i size = Eigen::Vector3i::Ones();   ///< points per axis

  /// Scene point of a (fractional) index counted from the extent's first index.
  [[nodiscard]] Eigen::Vector3d pointOfIndex(const Eigen::Vector3d& index) const;
  /// The inverse of pointOfIndex().
  [[nodiscard]] Eigen::Vector3d indexOfPoint(const Eigen::Vector3d& p) const;
  /// The box of whole voxels (half a voxel beyond the first and last voxel
  /// centres), lo <= hi per axis whatever the spacing's sign.
  void outerBounds(Eigen::Vector3d& lo, Eigen::Vector3d& hi) const;
  /// The parallel scale (half height, mm) at which the grid's rightAxis x
  /// upAxis face just fits a widget of widthPx x heightPx pixels.
  [[nodiscard]] double fitScale(int rightAxis, int upAxis, int widthPx, int heightPx) const;
};

/// A parallel-projection camera looking at a grid.
struct SliceCameraPose {
  Eigen::Vector3d focal = Eigen::Vector3d::Zero();
  Eigen::Vector3d position = Eigen::Vector3d::Zero();
  double parallel_scale = 1.0;
  double near_clip = 0.5;
  double far_clip = 1.0;
};

/// The camera for the box [lo, hi] panned by `pan` (its normalAxis part is
/// ignored), looking along `dop`, at parallel scale fitScale / zoom. The
/// camera stands diagonal + 1 from the focal point and clips beyond the box,
/// so it sees the whole box whatever the slice.
[[nodiscard]] SliceCameraPose sliceCameraPose(const Eigen::Vector3d& lo, const Eigen::Vector3d& hi,
                                              const Eigen::Vector3d& pan, int normalAxis,
                                              const Eigen::Vector3d& dop, double fitScale,
                                              double zoom);

/// The scene point under widget position (x, y) of a widthPx x heightPx view
/// whose camera has `focal` at the centre, `parallelScale`, and the screen's
/// right and up directions `right` and `up` (unit vectors).
[[nodiscard]] Eigen::Vector3d scenePointAt(const Eigen::Vector3d& focal, double parallelScale,
                                           int widthPx, int heightPx, double x, double y,
                                           const Eigen::Vector3d& right, const Eigen::Vector3d& up);

/// The largest 1, 2 or 5 x 10^n not above `limit` (> 0): a scale bar's length.
[[nodiscard]] double niceLength(double limit);

}  // namespace harmonia
