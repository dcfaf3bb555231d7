#pragma once
// One study in three orthogonal slice views and a 3-D view.
//
// A 2x2 grid (axial, 3-D / coronal, sagittal: Slicer's "four-up") or one
// large view beside three small ones; a toolbar with window/level presets
// (Slicer's CT presets, PET SUV windows, percentile auto), an "Inverted"
// grey check, the 3-D preset and the layout; a readout of the value under
// the crosshair with its unit ("-1000 HU", "3.2 SUV g/ml"); and, when ROIs
// are given (RTSTRUCT), their outlines and translucent fill on the three
// slice views with a legend whose check boxes show and hide them.
//
// The three slice views share the crosshair (LPS mm; clicking in one moves
// the others' slices) and the window/level, through a SliceViewCoordinator. Nothing here passes
// over all the voxels on the GUI thread: percentile windows and 3-D ranges come from a subsample
// (WindowLevelPresets.h), the slice views show only their slice, and the 3-D view is refreshed at
// most every kRefreshDelayMs while a volume is being filled progressively.

#include <Eigen/Core>
#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <array>
#include <memory>
#include <vector>

#include "core/image/Volume.h"
#include "ui/model/Roi.h"
#include "ui/view/SliceView.h"
#include "ui/view/WindowLevelPresets.h"

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QTimer;
class QToolButton;

namespace harmonia {

class ElidedLabel;
class MaskSliceOverlay;
class SliceViewCoordinator;
class VolumeRenderView;

/// Three linked orthogonal slice views and a 3-D view of one volume.
class StudyViewer : public QWidget {
  Q_OBJECT

 public:
  /// How the four views are arranged.
  enum class LayoutMode {
    Grid,      ///< 2x2: axial, 3-D / coronal, sagittal
    OneLarge,  ///< one large view (largeView()) beside the three others
  };
  Q_ENUM(LayoutMode)

  /// Views by index, for setLargeView().
  enum ViewIndex { AxialView = 0, CoronalView = 1, SagittalView = 2, VolumeView = 3 };

  /// Coalescing delay of the 3-D and percentile refresh during progressive loading, ms.
  static constexpr int kRefreshDelayMs = 300;

  explicit StudyViewer(QWidget* parent = nullptr);
  ~StudyViewer() override;
  StudyViewer(const StudyViewer&) = delete;
  StudyViewer& operator=(const StudyViewer&) = delete;

  /// Shows a volume whose values are already converted (HU for CT, SUV for PET, raw for MR).
  /// `modality` ("CT", "PT", "MR", ...) picks the default W/L and opacity presets; `unit`
  /// ("HU", "SUV g/ml", "") labels values. The crosshair starts at the centre voxel.
  /// ROIs are kept only when the new volume has the same grid size. Null clears.
  void setVolume(std::shared_ptr<const Volume> volume, const QString& modality,
                 const QString& unit);
  /// Progressive loading: more slices of the same volume object were filled; re-render all
  /// views (cheap, GUI thread: the slice views at once, the 3-D view and percentile windows
  /// within kRefreshDelayMs, coalesced).
  void volumeDataModified();
  /// Removes the volume and the ROIs.
  void clear();
  /// The displayed volume, or null.
  [[nodiscard]] const std::shared_ptr<const Volume>& volume() const { return volume_; }
  /// The modality given to setVolume().
  [[nodiscard]] const QString& modality() const { return modality_; }
  /// The unit given to setVolume() (readouts use it).
  [[nodiscard]] const QString& unit() const { return unit_; }

  /// Replaces the ROIs drawn over the slice views (all shown), and the legend.
  void setRoiOverlays(std::vector<Roi> rois);
  /// The ROIs, in legend order.
  [[nodiscard]] const std::vector<Roi>& roiOverlays() const { return rois_; }
  /// Shows or hides ROI `index` (the legend's check box follows).
  void setRoiVisible(int index, bool visible);
  /// True when ROI `index` is shown.
  [[nodiscard]] bool roiVisible(int index) const;
  /// Opacity of the ROIs' fill inside their outlines (0: outlines only).
  void setRoiFillOpacity(double opacity);

  /// Slice view for an orientation.
  [[nodiscard]] SliceView* sliceView(SliceView::Orientation o) const;
  /// The 3-D view.
  [[nodiscard]] VolumeRenderView* volumeView() const;

  /// Names of the window/level presets, in combo order.
  [[nodiscard]] QStringList windowLevelPresetNames() const;
  /// Applies a window/level preset to the three slice views (and its inverted
  /// flag to the "Inverted" check). Unknown names are ignored.
  void applyWindowLevelPreset(const QString& name);
  /// The applied preset, or "" when window/level was changed by hand since.
  [[nodiscard]] QString currentWindowLevelPreset() const;
  /// Shows the slice views in inverted grey (black on white) or not.
  void setInvertedGray(bool inverted);
  /// True when the slice views show inverted grey.
  [[nodiscard]] bool invertedGray() const;
  /// True while a coalesced refresh (3-D view, percentile window) is pending.
  [[nodiscard]] bool refreshPending() const;

  /// Names of the 3-D presets, in combo order.
  [[nodiscard]] QStringList volumeRenderPresetNames() const;
  /// Applies a 3-D preset (data-range presets use the volume's percentiles).
  void applyVolumeRenderPreset(const QString& name);
  /// The applied 3-D preset.
  [[nodiscard]] QString currentVolumeRenderPreset() const;

  /// Moves the crosshair of the three slice views to a world position (LPS, mm).
  void setCrosshair(const Eigen::Vector3d& worldLps);
  /// The crosshair (LPS, mm).
  [[nodiscard]] Eigen::Vector3d crosshair() const;
  /// The readout under the crosshair: position, index, value with unit, ROIs containing it.
  [[nodiscard]] QString readoutText() const;

  /// Arranges the views.
  void setLayoutMode(LayoutMode mode);
  /// The arrangement.
  [[nodiscard]] LayoutMode layoutMode() const { return layoutMode_; }
  /// Which view is large in OneLarge mode (a ViewIndex; double-click a view to choose it).
  void setLargeView(int index);
  /// The large view's ViewIndex.
  [[nodiscard]] int largeView() const { return largeView_; }

 signals:
  /// The shared crosshair moved (user click, slice change, setCrosshair).
  void crosshairMoved(const Eigen::Vector3d& worldLps);

 protected:
  /// Double-click on a view makes it the large one in OneLarge mode.
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void buildToolbar(QWidget* bar);
  void arrangeViews();
  void onCrosshairMoved(const Eigen::Vector3d& world);
  void onWindowLevelChanged(double window, double level);
  void updateReadout();
  void refreshAfterLoading();
  void applyVolumeRangePreset();
  void rebuildLegend();
  void updateRoiOverlays();
  [[nodiscard]] QWidget* viewWidget(int index) const;

  std::array<SliceView*, 3> slices_{};
  VolumeRenderView* volumeView_ = nullptr;
  SliceViewCoordinator* coordinator_ = nullptr;  ///< crosshair and window/level of the planes
  std::array<std::unique_ptr<MaskSliceOverlay>, 3> roiLayers_;
  QWidget* viewArea_ = nullptr;
  QGridLayout* grid_ = nullptr;
  QComboBox* wlCombo_ = nullptr;
  QCheckBox* invertedCheck_ = nullptr;
  QComboBox* vrCombo_ = nullptr;
  QToolButton* layoutButton_ = nullptr;
  QCheckBox* fillCheck_ = nullptr;
  QListWidget* legend_ = nullptr;
  ElidedLabel* readout_ = nullptr;
  QTimer* refreshTimer_ = nullptr;

  std::shared_ptr<const Volume> volume_;
  QString modality_;
  QString unit_;
  ValueSample sample_;
  std::vector<Roi> rois_;
  std::vector<bool> roiVisible_;
  double roiFillOpacity_ = 0.35;
  QString wlPreset_;
  WindowLevel wlPresetValues_;
  QString vrPreset_;
  Eigen::Vector3d lastCrosshair_{0.0, 0.0, 0.0};
  LayoutMode layoutMode_ = LayoutMode::Grid;
  int largeView_ = AxialView;
  bool loading_ = false;         ///< views are being (re)filled: no syncing
  bool applyingPreset_ = false;  ///< window/level changes come from a preset
};

}  // namespace harmonia
