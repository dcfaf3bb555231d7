#pragma once
// Measurements of the Compare workspace's two studies: statistics inside one
// region of interest for each study (N, mean, SD, median, P5, P95, min, max in
// units, and A - B), and both studies' values along a line.
//
// The region is a sphere or a box placed in study A's world coordinates, an
// RTSTRUCT ROI of either study, or the whole of each study. It is placed on
// each study's own grid by physical position, through B's offset (A's point p
// is B's point p - offset; CompareSession.h), so each study's statistics use
// its own voxels, never resampled values. Statistics run in a worker and are
// recomputed when a study, the offset or the region changes; the line profile
// is a few hundred interpolated samples, computed at once.

#include <Eigen/Core>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "core/compare/LineProfile.h"
#include "core/stats/Summary.h"

namespace harmonia {

class CompareSession;

/// Where the statistics are taken.
struct MeasurementRegion {
  /// The region's shape.
  enum class Kind {
    Whole,     ///< every voxel of each study
    Sphere,    ///< radius_mm around centre_mm (study A's world coordinates)
    Box,       ///< half_size_mm around centre_mm along x, y, z
    StudyRoi,  ///< ROI roi_index of study roi_study (an RTSTRUCT ROI)
  };
  Kind kind = Kind::Sphere;
  Eigen::Vector3d centre_mm{0.0, 0.0, 0.0};
  double radius_mm = 10.0;
  Eigen::Vector3d half_size_mm{10.0, 10.0, 10.0};
  int roi_study = 0;  ///< 0: A, 1: B
  int roi_index = 0;  ///< index in that study's entry's rois

  /// A short description ("sphere r 10 mm at (1.0, 2.0, 3.0)", "GTV (A)").
  [[nodiscard]] QString describe(const CompareSession& session) const;
};

/// Both studies' statistics in one region.
// clang-tidy 14 reports the loop variable of the implicit copy of the array
// members (__i0) as a reserved identifier; it is not in our code.
struct MeasurementResult {               // NOLINT(bugprone-reserved-identifier)
  std::optional<ValueSummary> stats[2];  ///< per study; absent when it failed
  QString errors[2];                     ///< why a study has no statistics
  QString units[2];                      ///< each study's units ("" when unknown)
  QString region;                        ///< MeasurementRegion::describe()
  /// The region on each study's grid (null: the whole study), for histograms in the region.
  std::shared_ptr<const MaskVolume> masks[2];
};

/// Region statistics and a line profile of a CompareSession's two studies.
class CompareMeasurements : public QObject {
  Q_OBJECT

 public:
  /// Measures `session`'s studies (not owned); jobs run on its runner.
  explicit CompareMeasurements(CompareSession* session, QObject* parent = nullptr);

  /// Sets the region and recomputes the statistics.
  void setRegion(const MeasurementRegion& region);
  /// The region in force.
  [[nodiscard]] const MeasurementRegion& region() const { return region_; }
  /// The latest statistics (absent before the first result).
  [[nodiscard]] const std::optional<MeasurementResult>& result() const { return result_; }

  /// Sets the profile line, world coordinates of study `frame`'s view (0: A,
  /// 1: B; B's points are moved into A's frame by the offset), and samples both studies.
  void setLine(const Eigen::Vector3d& start_mm, const Eigen::Vector3d& end_mm, int frame = 0);
  /// The line's end points in A's frame, when set.
  [[nodiscard]] const std::optional<std::pair<Eigen::Vector3d, Eigen::Vector3d>>& line() const {
    return line_;
  }
  /// Study `index`'s values along the line (empty before a line is set).
  [[nodiscard]] const LineProfile& profile(int index) const { return profiles_[index]; }

 signals:
  /// result() changed.
  void resultChanged();
  /// The line or its profiles changed.
  void profileChanged();

 private:
  void recompute();
  void resample();

  CompareSession* session_;
  MeasurementRegion region_;
  std::optional<MeasurementResult> result_;
  std::optional<std::pair<Eigen::Vector3d, Eigen::Vector3d>> line_;
  LineProfile profiles_[2];
};

}  // namespace harmonia
