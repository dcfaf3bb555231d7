#pragma once
// The Compare workspace (radiologists, physicists): two studies in linked
// slice views, or both in one view in a comparison mode (fade, flicker,
// checkerboard, difference, swipe, colour fusion); both studies' histograms
// overlaid underneath (beside ROI statistics, a line profile and the radiomic
// features of both studies), and the Harmonize panel on the right.
//
// Widgets here display the CompareSession and forward intent to it: the mode
// bar sets the session's mode and parameters, the link controls its window
// link, the offset boxes B's translation. The views are kept in step by a
// SliceViewCoordinator (crosshair, zoom/pan and plane in mm through B's
// offset; window/level by value or percentile, as the session says).

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace harmonia {

class ColourBar;
class CompareMeasurements;
class CompareSession;
class FeaturesModel;
class FeaturesPanel;
class MeasurementPanel;
class ProfileWidget;
class SliceViewCoordinator;
class ComparisonOverlay;
class HarmonizeController;
class HarmonizePanel;
class HistogramWidget;
class ImagePanel;

/// Two linked ImagePanels (or one, in a comparison mode) over a histogram overlay.
class CompareWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `session` (not owned).
  explicit CompareWorkspace(CompareSession* session, QWidget* parent = nullptr);
  ~CompareWorkspace() override;
  CompareWorkspace(const CompareWorkspace&) = delete;
  CompareWorkspace& operator=(const CompareWorkspace&) = delete;

  /// Panel 0 (Study A, left; the comparison view in other modes) or 1 (Study B, right).
  [[nodiscard]] ImagePanel* panel(int index) const { return panels_[index]; }
  /// The histogram overlay.
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }
  /// The Harmonize panel beside the views.
  [[nodiscard]] HarmonizePanel* harmonizePanel() const { return harmonize_; }
  /// The Harmonize panel's model.
  [[nodiscard]] HarmonizeController* harmonizeController() const { return controller_; }
  /// The comparison overlay drawn on panel 0's view.
  [[nodiscard]] ComparisonOverlay* overlay() const { return overlay_; }
  /// Restricts the histograms to the ROI statistics' region (or not).
  void setHistogramsInRegion(bool on);
  /// The ROI statistics' model, panel and the line profile plot.
  [[nodiscard]] CompareMeasurements* measurements() const { return measurements_; }
  [[nodiscard]] MeasurementPanel* measurementPanel() const { return measurementPanel_; }
  [[nodiscard]] ProfileWidget* profileWidget() const { return profile_; }
  /// The radiomic features of both studies' ROIs: model and panel (a tab under the views).
  [[nodiscard]] FeaturesModel* featuresModel() const { return featuresModel_; }
  [[nodiscard]] FeaturesPanel* featuresPanel() const { return featuresPanel_; }
  /// Shows the Features tab with room for its table, and computes both
  /// studies' features of the chosen ROIs; without any ROI, of the ROI
  /// statistics' sphere, placed at Study A's centre.
  /// For screenshots and demos; the result arrives in a worker.
  void showFeatures();
  /// The tabs under the views: histograms, ROI statistics, line profile, features.
  [[nodiscard]] QTabWidget* bottomTabs() const { return bottomTabs_; }
  /// Turns the Line tool on (a left drag in either view draws the profile line) or off.
  void setLineTool(bool on);
  /// The difference mode's colour bar.
  [[nodiscard]] ColourBar* colourBar() const { return colourBar_; }
  /// True when the crosshair (and with it the slice) follows between the views.
  [[nodiscard]] bool linked() const;
  /// Links or unlinks the two views' crosshairs.
  void setLinked(bool linked);
  /// Links zoom and pan (the same millimetres per pixel around the same point) or not.
  void setViewLinked(bool linked);
  /// Links the views' orientation (axial, coronal, sagittal) or not.
  void setOrientationLinked(bool linked);

  /// Restores the link toggles and mode saved by saveSettings().
  void restoreSettings();
  /// Saves the link toggles and mode (QSettings).
  void saveSettings() const;

 private:
  QWidget* makeModeBar();
  QWidget* makeLinkBar();
  void linkViews();
  void showHistograms();
  void showMode();
  void showOffset();
  void updateOverlay();
  void showProfile();
  void showFeatureStudies();

  CompareSession* session_;
  ImagePanel* panels_[2];
  HistogramWidget* histogram_;
  QCheckBox* link_;
  QCheckBox* linkView_ = nullptr;
  QCheckBox* histogramInRoi_ = nullptr;
  QCheckBox* linkOrientation_ = nullptr;
  QComboBox* windowLink_ = nullptr;
  QComboBox* mode_ = nullptr;
  QStackedWidget* modeParams_ = nullptr;
  QSlider* fade_ = nullptr;
  QDoubleSpinBox* flickerRate_ = nullptr;
  QDoubleSpinBox* checker_ = nullptr;
  QDoubleSpinBox* differenceRange_ = nullptr;
  QSlider* swipe_ = nullptr;
  ColourBar* colourBar_ = nullptr;
  QLabel* modeStatus_ = nullptr;
  QComboBox* grid_ = nullptr;
  QDoubleSpinBox* gridSpacing_ = nullptr;
  QDoubleSpinBox* offset_[3] = {nullptr, nullptr, nullptr};
  QToolButton* lineTool_ = nullptr;
  QTabWidget* bottomTabs_ = nullptr;
  CompareMeasurements* measurements_ = nullptr;
  MeasurementPanel* measurementPanel_ = nullptr;
  ProfileWidget* profile_ = nullptr;
  FeaturesModel* featuresModel_ = nullptr;
  FeaturesPanel* featuresPanel_ = nullptr;
  HarmonizeController* controller_;
  HarmonizePanel* harmonize_;
  ComparisonOverlay* overlay_ = nullptr;
  SliceViewCoordinator* coordinator_ = nullptr;  ///< links the two views
  QSplitter* vertical_ = nullptr;                ///< views over the bottom tabs
};

}  // namespace harmonia
