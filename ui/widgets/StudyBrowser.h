#pragma once
// The study browser: the DICOM series of a DicomLibrary as a tree
// Patient > Study > Series, with the columns that tell scanners apart
// (modality, scanner, reconstruction kernel, slice thickness, pixel spacing,
// images, date) and why a series was split; RT Structure Sets under the study
// of the series they were drawn on, with their ROI names; skipped files and
// the reason in a tab of their own.
//
// The browser only displays the library and forwards intent: "Open folder..."
// and folders dropped on it go to DicomLibrary::openFolder (dropped files to
// openFiles); double-click, Enter or "Load" emit seriesActivated or
// structureSetActivated with the library's index. A filter box hides rows
// that match nowhere (a matching row keeps its parents and its children).
// Series rows match on any of their columns; patient and study rows on their
// own name, ID and date only (not on the modalities they summarise, so that
// "PT" shows the PET series, not every series of a PET/CT study).

#include <QWidget>

class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItem;
class QStandardItemModel;
class QTabWidget;
class QTreeView;
class QTreeWidget;

namespace harmonia {

class DicomLibrary;

/// Tree of patients, studies and series of a DicomLibrary, with filter and skipped files.
class StudyBrowser : public QWidget {
  Q_OBJECT

 public:
  /// Item data roles of the tree model.
  enum Role {
    KindRole = Qt::UserRole + 1,  ///< Kind of the row (int)
    IndexRole,                    ///< library index of a series or structure set (int)
    FilterRole,                   ///< the text the filter searches (no placeholders)
  };
  /// What a row is.
  enum Kind { PatientRow, StudyRow, SeriesRow, StructureSetRow, RoiRow };
  /// Columns of the tree.
  enum Column {
    NameColumn,
    ModalityColumn,
    ScannerColumn,
    KernelColumn,
    ThicknessColumn,
    SpacingColumn,
    ImagesColumn,
    DateColumn,
    NoteColumn,
    ColumnCount
  };

  /// MIME type of a series dragged from the tree: its library index, as text.
  static constexpr const char* kSeriesMimeType = "application/x-harmonia-series";

  /// Shows `library` (not owned) and follows its changes.
  explicit StudyBrowser(DicomLibrary* library, QWidget* parent = nullptr);

  /// The library shown.
  [[nodiscard]] DicomLibrary* library() const { return library_; }
  /// The tree (its model is filterModel()).
  [[nodiscard]] QTreeView* treeView() const { return tree_; }
  /// The model the tree shows: the filtered rows.
  [[nodiscard]] QSortFilterProxyModel* filterModel() const { return filter_; }
  /// The filter box.
  [[nodiscard]] QLineEdit* filterEdit() const { return filterEdit_; }
  /// The list of skipped files (columns: file, reason).
  [[nodiscard]] QTreeWidget* skippedList() const { return skippedList_; }
  /// The "Compare" button (its menu: Send to Compare A / B).
  [[nodiscard]] QPushButton* compareButton() const { return compareButton_; }
  /// The tabs: series, skipped files.
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  /// The one-line status ("3 series, 1 structure set, 2 skipped files").
  [[nodiscard]] QString statusText() const;

  /// Filters rows by `text` (case-insensitive, any column).
  void setFilterText(const QString& text);
  /// The row (in filterModel()) of series `index`, invalid when absent or filtered out.
  [[nodiscard]] QModelIndex rowOfSeries(int index) const;
  /// Makes series `index` the current row; false when it is not shown.
  bool selectSeries(int index);
  /// The library index of the current series, or -1 when the current row is not a series.
  [[nodiscard]] int currentSeries() const;
  /// The library index of the current structure set (or of a ROI's), or -1.
  [[nodiscard]] int currentStructureSet() const;

 public slots:
  /// Asks for a folder and opens it in the library.
  void chooseFolder();
  /// Emits the activation signal of the current row ("Load").
  void loadCurrent();
  /// Asks to show the current series in Compare's Study A (slot 0) or B (slot 1).
  void sendCurrentToCompare(int slot);

 signals:
  /// The user asked to load series `index` of the library.
  void seriesActivated(int index);
  /// The user asked to load structure set `index` of the library.
  void structureSetActivated(int index);
  /// The current row changed: series `index`, or -1 when it is not a series.
  void seriesSelected(int index);
  /// The user asked to compare series `index` as Study A (slot 0) or B (slot 1).
  void sendToCompareRequested(int index, int slot);

 protected:
  /// Accepts drags of local folders and files.
  void dragEnterEvent(QDragEnterEvent* event) override;
  /// Keeps accepting them while they move.
  void dragMoveEvent(QDragMoveEvent* event) override;
  /// Opens dropped folders (and dropped files) in the library.
  void dropEvent(QDropEvent* event) override;
  /// Starts dragging a series row (onto a Compare view).
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void rebuild();
  void fitColumns();
  void updateStatus();
  void updateSkipped();
  void activate(const QModelIndex& index);
  void currentChanged(const QModelIndex& index);
  [[nodiscard]] int indexOf(const QModelIndex& index, Kind kind) const;

  DicomLibrary* library_;
  QStandardItemModel* model_;
  QSortFilterProxyModel* filter_;
  QTreeView* tree_;
  QLineEdit* filterEdit_;
  QPushButton* openButton_;
  QPushButton* loadButton_;
  QPushButton* compareButton_;
  QTabWidget* tabs_;
  QTreeWidget* skippedList_;
  QLabel* status_;
  QPoint pressPos_;       ///< where a left press on the tree started
  int pressSeries_ = -1;  ///< the series row pressed, or -1
  QString scanning_;      ///< folder being scanned ("" when none)
  QString error_;         ///< why the last scan failed or found nothing ("" when it did)
};

}  // namespace harmonia
