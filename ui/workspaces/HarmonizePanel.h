#pragma once
// The Harmonize panel: pick a study, an operation and its parameters, run it
// in a worker (progress and Cancel in the status bar), and compare the
// study's histogram before and after. Lives beside the Compare workspace's views.

#include <Eigen/Core>
#include <QWidget>
#include <functional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QCheckBox;

namespace harmonia {

class HarmonizeController;
class HistogramWidget;

/// Parameters, Run/Revert and the before/after histogram of one harmonization.
class HarmonizePanel : public QWidget {
  Q_OBJECT

 public:
  /// `crosshair(study)` gives a study view's crosshair (LPS mm), the z-score ROI centre.
  HarmonizePanel(HarmonizeController* controller,
                 std::function<Eigen::Vector3d(int study)> crosshair, QWidget* parent = nullptr);

  /// Selects the operation (index in the operation list: kernel, resample, histogram, z-score).
  void setOperation(int index);
  /// Selects the study to change (0: A, 1: B).
  void setStudy(int study);
  /// Fills the FWHM fields from the studies' recorded resolutions: "from" is
  /// the selected study's, "to" the per-axis maximum of both (the blurrier).
  void fillFwhmFromStudies();
  /// Starts the operation with the parameters shown.
  void runOperation();
  /// The before/after histogram.
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }
  /// The last result or error line.
  [[nodiscard]] QString statusText() const;

 private:
  QWidget* makeKernelPage();
  QWidget* makeResamplePage();
  QWidget* makeHistogramPage();
  QWidget* makeZScorePage();
  void showHistograms();

  HarmonizeController* controller_;
  std::function<Eigen::Vector3d(int)> crosshair_;
  QComboBox* study_;
  QComboBox* operation_;
  QStackedWidget* pages_;
  QDoubleSpinBox* fromFwhm_[3];
  QDoubleSpinBox* toFwhm_[3];
  QComboBox* grid_;
  QDoubleSpinBox* spacing_;
  QComboBox* interpolation_;
  QComboBox* method_;
  QDoubleSpinBox* roiRadius_;
  QCheckBox* robust_;
  QPushButton* run_;
  QPushButton* revert_;
  QLabel* status_;
  HistogramWidget* histogram_;
};

}  // namespace harmonia
