#pragma once
// The Features workspace's left panel: the table, its column choices, ComBat's options,
// Run/Cancel with progress, export, and the session's message. It shows the session's
// settings and forwards every edit to the session; it computes nothing.

#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace harmonia {

class ElidedLabel;
class HarmonizationSession;

/// Setup controls of the Features workspace.
class CohortSetupPanel : public QWidget {
  Q_OBJECT

 public:
  explicit CohortSetupPanel(HarmonizationSession* session, QWidget* parent = nullptr);

  [[nodiscard]] QComboBox* siteBox() const { return site_; }
  [[nodiscard]] QComboBox* labelBox() const { return label_; }
  [[nodiscard]] QComboBox* methodBox() const { return method_; }
  [[nodiscard]] QComboBox* referenceBox() const { return reference_; }
  [[nodiscard]] QCheckBox* meanOnlyBox() const { return meanOnly_; }
  [[nodiscard]] QLineEdit* fitWhereEdit() const { return fitWhere_; }
  /// The guard's relative drop threshold, in percent.
  [[nodiscard]] QDoubleSpinBox* thresholdBox() const { return threshold_; }
  [[nodiscard]] QCheckBox* onlySignificantBox() const { return onlySignificant_; }
  /// Columns: 0 "protect" check (with the column's name), 1 "categorical", 2 "ignore".
  [[nodiscard]] QTableWidget* covariateTable() const { return covariates_; }
  [[nodiscard]] QPushButton* runButton() const { return run_; }
  [[nodiscard]] QPushButton* cancelButton() const { return cancel_; }
  [[nodiscard]] QProgressBar* progressBar() const { return progress_; }
  [[nodiscard]] QLabel* messageLabel() const { return message_; }

 signals:
  /// The user asked to open a table.
  void openRequested();
  /// The user asked to export: 0 harmonized table, 1 model, 2 report.
  void exportRequested(int what);

 private:
  void showTable();
  void showSettings();
  void forwardCovariates();
  void forwardOptions();
  void forwardGuard();

  HarmonizationSession* session_;
  ElidedLabel* file_;
  QComboBox* site_;
  QComboBox* label_;
  QTableWidget* covariates_;
  QLineEdit* fitWhere_;
  QComboBox* method_;
  QCheckBox* meanOnly_;
  QComboBox* reference_;
  QDoubleSpinBox* threshold_;
  QCheckBox* onlySignificant_;
  QPushButton* run_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* message_;
  QPushButton* exports_[3];
};

}  // namespace harmonia
