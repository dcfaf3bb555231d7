#pragma once
// The Harmonize panel: pick a study, an operation and its parameters, run it
// in a worker (progress and Cancel in the status bar), and compare the
// study's histogram before and after; export the study as shown (NIfTI, or a
// derived DICOM series of its source series). Lives beside the Compare
// workspace's views. The panel asks for parameters and file names and passes
// them to HarmonizeController and its StudyExporter.
//
// "Apply plan..." loads a harmonization plan (PLAN.json of `harmonia-cli
// measure plan`); the user picks which of its scanners made Study A and
// which Study B, and "Apply to A and B" harmonizes both with it.

#include <Eigen/Core>
#include <QWidget>
#include <functional>
#include <utility>

class QComboBox;
class QDoubleSpinBox;
class QAction;
class QLabel;
class QMenu;
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
  /// When the selected study's resolution is not recorded (a DICOM series),
  /// the fields keep what the user typed and a hint says so.
  void fillFwhmFromStudies();
  /// Types resolutions into the FWHM fields (per axis, mm).
  void setFwhm(const Eigen::Vector3d& from_mm, const Eigen::Vector3d& to_mm);
  /// The FWHM fields' "from" (first) and "to" (second) resolutions, mm.
  [[nodiscard]] std::pair<Eigen::Vector3d, Eigen::Vector3d> fwhm() const;
  /// Starts the operation with the parameters shown.
  void runOperation();
  /// The before/after histogram.
  [[nodiscard]] HistogramWidget* histogramWidget() const { return histogram_; }
  /// The last result or error line.
  [[nodiscard]] QString statusText() const;
  /// The hint under the FWHM fields ("" when the resolution is recorded).
  [[nodiscard]] QString fwhmHint() const;
  /// The Export button's menu: "As NIfTI..." and "As DICOM series..." (the
  /// latter enabled when the study has DICOM source files).
  [[nodiscard]] QMenu* exportMenu() const { return exportMenu_; }
  /// Asks for a NIfTI file name and exports the selected study to it.
  void exportAsNifti();
  /// Asks for a folder and exports the selected study as a derived DICOM series.
  void exportAsDicom();
  /// Asks for a plan file and loads it ("Apply plan...").
  void choosePlanFile();
  /// Loads a plan and lists its scanners for A and B (A: the first, B: the
  /// second); false (and the error in the status line) when it cannot be read.
  bool loadPlanFile(const QString& path);
  /// The plan scanner chosen for a study (0: A, 1: B).
  [[nodiscard]] QComboBox* planScannerBox(int study) const { return planScanner_[study]; }
  /// Harmonizes both studies with the loaded plan and the scanners chosen.
  void applyPlan();

 private:
  QWidget* makeKernelPage();
  QWidget* makeResamplePage();
  QWidget* makeHistogramPage();
  QWidget* makeZScorePage();
  void showHistograms();
  void updateExportActions();
  QWidget* makePlanBox();
  void showPlan();

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
  QPushButton* export_;
  QMenu* exportMenu_;
  QAction* exportNifti_;
  QAction* exportDicom_;
  QLabel* fwhmHint_ = nullptr;
  QPushButton* planOpen_;
  QComboBox* planScanner_[2];
  QPushButton* planApply_;
  QLabel* planInfo_;
  QLabel* status_;
  HistogramWidget* histogram_;
};

}  // namespace harmonia
