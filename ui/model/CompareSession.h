#pragma once
// The Compare workspace's model: two studies, how they are compared, and the
// overlaid histograms of their values (recomputed in a worker whenever a
// study changes).
//
// Comparison modes other than side by side show both studies in one view on
// a common grid: study A's (the default), study B's, or an isotropic grid over
// A's field of view. Study B, moved by the user's offset (mm), and A when the
// grid is not its own, are resampled onto it in a worker (trilinear; NaN
// outside a study's extent) once per pair of studies, offset and grid, and
// kept until one of them changes (commonGrid(), commonGridA()). Linking
// window/level across studies maps windows by matching percentiles of each
// study's values when their units differ (or the user asks for it), and
// copies raw values when units agree.

#include <Eigen/Core>
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>

#include "core/compare/ComparisonDisplay.h"
#include "core/stats/Histogram.h"
#include "ui/model/Document.h"
#include "ui/view/WindowLevelPresets.h"

namespace harmonia {

class JobRunner;
class VolumeLibrary;

/// Two studies ("Study A", "Study B"), their comparison and their histograms.
class CompareSession : public QObject {
  Q_OBJECT

 public:
  /// How window/level follows from one study to the other.
  enum class WindowLink {
    Off,          ///< each study keeps its own
    Auto,         ///< raw values when the units agree, else percentiles (default)
    Values,       ///< the same window in data units
    Percentiles,  ///< the window showing the same percentiles of each study's values
  };
  Q_ENUM(WindowLink)

  /// Histograms are computed through `runner` (not owned).
  explicit CompareSession(JobRunner* runner, QObject* parent = nullptr);

  /// Study A (left) or B (right).
  [[nodiscard]] Document* study(int index) const { return studies_[index]; }
  /// The latest histogram of study `index`, when computed.
  [[nodiscard]] const std::optional<Histogram>& histogram(int index) const {
    return histograms_[index];
  }
  /// The library where results (harmonized studies) are added; may be null.
  [[nodiscard]] VolumeLibrary* library() const { return library_; }
  /// Sets the library (not owned). A study showing an entry that the library
  /// replaces (its ROIs were drawn, it was reloaded) shows the new one.
  void setLibrary(VolumeLibrary* library);
  /// The runner its jobs use.
  [[nodiscard]] JobRunner* runner() const { return runner_; }
  /// Number of histogram bins (default 256).
  void setHistogramBins(int bins);
  /// Restricts each study's histogram to a mask on its grid (null: the whole
  /// study; a mask on another grid is ignored) and recomputes them.
  void setHistogramMasks(std::shared_ptr<const MaskVolume> a, std::shared_ptr<const MaskVolume> b);
  /// True when a histogram mask is set.
  [[nodiscard]] bool histogramsMasked() const { return histogramMasks_[0] || histogramMasks_[1]; }

  /// The comparison mode and its parameters (A's and B's windows are the views').
  [[nodiscard]] const ComparisonDisplayParams& display() const { return display_; }
  /// Sets the mode; entering a mode other than side by side starts the common grid.
  void setMode(ComparisonMode mode);
  [[nodiscard]] ComparisonMode mode() const { return display_.mode; }
  /// Fade position: 0 shows A, 1 shows B.
  void setFade(double fade);
  /// Checkerboard square side, mm (> 0).
  void setCheckerSize(double mm);
  /// Swipe divider: fraction of the view's width where B starts.
  void setSwipe(double fraction);
  /// Flicker rate, Hz (0.5..20); the phase toggles while the mode is Flicker.
  void setFlickerRate(double hz);
  [[nodiscard]] double flickerRate() const { return flickerHz_; }
  /// Difference colour range (|B - A| at full colour, units); 0 chooses it
  /// from the data (99th percentile of |B - A| where both studies have values).
  void setDifferenceRange(double range);
  /// The range in force.
  [[nodiscard]] double differenceRange() const { return display_.difference_range; }

  /// B's translation (mm, LPS) against A, part of every comparison. Default:
  /// none when the studies share a frame of reference, else their centres
  /// aligned; put back whenever another study is loaded (not when a study is
  /// harmonized or its ROIs arrive).
  void setOffset(const Eigen::Vector3d& offset_mm);
  [[nodiscard]] const Eigen::Vector3d& offset() const { return offset_mm_; }
  /// Puts back the default offset (see setOffset()).
  void resetOffset();
  /// True when both studies are in one frame of reference (same Frame of
  /// Reference UID, or both NIfTI/generated: world coordinates).
  [[nodiscard]] bool sharedFrameOfReference() const;

  /// The grid the comparison modes use.
  enum class ComparisonGrid {
    A,          ///< study A's grid (the default: A is shown as it is)
    B,          ///< study B's grid, moved by the offset
    Isotropic,  ///< isotropic voxels of isotropicSpacing() mm over A's field of view
  };
  Q_ENUM(ComparisonGrid)
  /// Chooses the comparison grid (and, when positive, the isotropic spacing in mm).
  void setComparisonGrid(ComparisonGrid grid, double isotropic_mm = 0.0);
  [[nodiscard]] ComparisonGrid comparisonGrid() const { return grid_; }
  [[nodiscard]] double isotropicSpacing() const { return isotropicSpacing_; }
  /// The comparison grid's geometry in A's frame (empty without study A).
  [[nodiscard]] Geometry3D comparisonGeometry() const;

  /// Study B, moved by offset(), on the comparison grid (NaN outside B); null
  /// until computed or when a study is missing.
  [[nodiscard]] const std::shared_ptr<const Volume>& commonGrid() const { return commonGrid_; }
  /// Study A on the comparison grid; null when that grid is A's own (A is
  /// shown as it is) or before it is computed.
  [[nodiscard]] const std::shared_ptr<const Volume>& commonGridA() const { return commonA_; }
  /// True while the common grid is being computed.
  [[nodiscard]] bool commonGridPending() const;

  /// How window/level is linked.
  void setWindowLink(WindowLink link);
  [[nodiscard]] WindowLink windowLink() const { return windowLink_; }
  /// Study `to`'s window for study `from`'s `window` under windowLink() (Off: unchanged).
  [[nodiscard]] WindowLevel linkedWindow(int from, int to, const WindowLevel& window) const;

 signals:
  /// New histograms are available (either may be absent when its study is empty).
  void histogramsChanged();
  /// The mode or one of its parameters changed (display()).
  void displayChanged();
  /// commonGrid() changed (computed, or dropped because a study changed).
  void commonGridChanged();
  /// B's offset changed.
  void offsetChanged();

 private:
  void recomputeHistograms();
  void studiesChanged();
  void updateCommonGrid();
  void updateFlicker();

  JobRunner* runner_;
  VolumeLibrary* library_ = nullptr;
  Document* studies_[2];
  std::optional<Histogram> histograms_[2];
  std::shared_ptr<const MaskVolume> histogramMasks_[2];
  int bins_ = 256;
  ComparisonDisplayParams display_;
  bool autoDifferenceRange_ = true;
  double flickerHz_ = 2.0;
  QTimer flicker_;
  Eigen::Vector3d offset_mm_{0.0, 0.0, 0.0};
  QString
      studyIdentity_[2];  ///< frame, series and source of each study: a new one resets the offset
  std::shared_ptr<const Volume> commonGrid_;
  std::shared_ptr<const Volume> commonA_;
  ComparisonGrid grid_ = ComparisonGrid::A;
  double isotropicSpacing_ = 1.0;
  std::shared_ptr<const Volume> gridInputs_[2];  ///< the volumes commonGrid_ was made from
  Eigen::Vector3d gridOffset_{0.0, 0.0, 0.0};    ///< and the offset
  double measuredDifferenceRange_ = 1.0;
  ValueSample samples_[2];
  std::shared_ptr<const Volume> sampledVolumes_[2];  ///< what samples_ were taken from
  WindowLink windowLink_ = WindowLink::Auto;
};

}  // namespace harmonia
