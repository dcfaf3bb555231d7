#pragma once
// The Composite workspace (artists): the target photograph and the source to
// paste from, side by side, with the target's and source's colour histograms.

#include <QWidget>

namespace harmonia {

class CompositeSession;
class HistogramWidget;
class StudyPanel;

/// Target and source panels over their histograms.
class CompositeWorkspace : public QWidget {
  Q_OBJECT

 public:
  /// Shows `session` (not owned).
  explicit CompositeWorkspace(CompositeSession* session, QWidget* parent = nullptr);

  /// Panel 0 (target) or 1 (source).
  [[nodiscard]] StudyPanel* panel(int index) const { return panels_[index]; }
  /// The histogram overlay.
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }

 private:
  void showHistograms();

  CompositeSession* session_;
  StudyPanel* panels_[2];
  HistogramWidget* histogram_;
};

}  // namespace harmonia
