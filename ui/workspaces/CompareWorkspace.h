#pragma once
// The Compare workspace (radiologists, physicists): two studies side by side
// in linked slice views, both studies' histograms overlaid underneath, and the
// Harmonize panel on the right.

#include <QWidget>

class QCheckBox;

namespace harmonia {

class CompareSession;
class HarmonizeController;
class HarmonizePanel;
class HistogramWidget;
class StudyPanel;

/// Two linked StudyPanels over a histogram overlay.
class CompareWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `session` (not owned).
  explicit CompareWorkspace(CompareSession* session, QWidget* parent = nullptr);

  /// Panel 0 (Study A, left) or 1 (Study B, right).
  [[nodiscard]] StudyPanel* panel(int index) const { return panels_[index]; }
  /// The histogram overlay.
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }
  /// The Harmonize panel beside the views.
  [[nodiscard]] HarmonizePanel* harmonizePanel() const { return harmonize_; }
  /// The Harmonize panel's model.
  [[nodiscard]] HarmonizeController* harmonizeController() const { return controller_; }
  /// True when crosshair, orientation and window/level follow each other.
  [[nodiscard]] bool linked() const;
  /// Links or unlinks the two views.
  void setLinked(bool linked);

 private:
  void showHistograms();
  void linkViews();

  CompareSession* session_;
  StudyPanel* panels_[2];
  HistogramWidget* histogram_;
  QCheckBox* link_;
  HarmonizeController* controller_;
  HarmonizePanel* harmonize_;
};

}  // namespace harmonia
