#pragma once
// The Features panel: shows a FeaturesModel and forwards the user's choices
// to it (settings preset or file, ROI of each study, compute, cancel, filter,
// CSV export). It computes nothing: the table is the model's rows, grouped
// by family (Morphology ... NGLDM, Diagnostics) with columns
// tag | A | B | A − B | rel. diff (B's columns hidden with one study).

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QToolButton;
class QTreeView;

namespace harmonia {

class FeaturesModel;

/// Settings, ROI and compute controls over a tree of feature values.
class FeaturesPanel : public QWidget {
  Q_OBJECT

 public:
  /// Tree columns.
  enum Column { TagColumn = 0, AColumn, BColumn, DiffColumn, RelDiffColumn, ColumnCount };

  /// Shows `model` (not owned).
  explicit FeaturesPanel(FeaturesModel* model, QWidget* parent = nullptr);

  [[nodiscard]] FeaturesModel* model() const { return model_; }
  /// The tree and its item model (for tests: rows are family items with feature children).
  [[nodiscard]] QTreeView* tree() const { return tree_; }
  [[nodiscard]] QStandardItemModel* items() const { return items_; }
  /// The settings choice (presets, then "Settings file...").
  [[nodiscard]] QComboBox* settingsCombo() const { return settings_; }
  /// Study `index`'s ROI choice.
  [[nodiscard]] QComboBox* roiCombo(int index) const { return roi_[index]; }
  [[nodiscard]] QToolButton* computeButton() const { return compute_; }
  [[nodiscard]] QPushButton* cancelButton() const { return cancel_; }
  [[nodiscard]] QProgressBar* progressBar() const { return progress_; }
  [[nodiscard]] QLineEdit* searchBox() const { return search_; }
  [[nodiscard]] QPushButton* exportButton() const { return export_; }
  /// The status line (what was computed, or why not).
  [[nodiscard]] QLabel* statusLabel() const { return status_; }
  /// Number of feature rows shown (children of the family items).
  [[nodiscard]] int featureRowCount() const;

  /// Asks for a file name and exports the table as CSV.
  void showExportDialog();

 private:
  void rebuildRois();
  void showSettings();
  void showRows();
  void showRunning(bool running);
  void chooseSettings(int index);

  FeaturesModel* model_;
  QComboBox* settings_;
  QLabel* roiLabel_[2];
  QComboBox* roi_[2];
  QToolButton* compute_;
  QMenu* computeMenu_ = nullptr;  ///< A only, B only (two studies)
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLineEdit* search_;
  QPushButton* export_;
  QTreeView* tree_;
  QStandardItemModel* items_;
  QLabel* status_;
};

}  // namespace harmonia
