#pragma once
// The metadata of one series of a DicomLibrary, in three parts:
//  - "Harmonization", at the top: the attributes that decide whether two
//    series can be compared (rescale, units, SUV inputs, kernel, TR/TE/TI/flip,
//    field strength, spacing, thickness, scanner), with the tag each came from;
//  - "All tags": every element of the series' first file, searchable
//    (case-insensitive, on tag, name, keyword, VR and value);
//  - "How values were converted": the conversion to physical values step by
//    step (for PET the SUV computation: dose, decay, weight, the factor), or
//    the reason it is impossible.
// The details are worked out by the library in a worker thread
// (DicomLibrary::requestDetails); the panel only displays them.

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTabWidget;
class QTextBrowser;
class QTreeView;
class QTreeWidget;

namespace harmonia {

class DicomLibrary;
struct SeriesDetails;

/// Harmonization attributes, all tags (searchable) and the value conversion of one series.
class MetadataPanel : public QWidget {
  Q_OBJECT

 public:
  /// Columns of the tag table.
  enum TagColumn { TagCodeColumn, TagNameColumn, TagVrColumn, TagValueColumn, TagKeywordColumn };

  /// Shows series of `library` (not owned).
  explicit MetadataPanel(DicomLibrary* library, QWidget* parent = nullptr);

  /// Shows series `index` of the library (-1: nothing); the details arrive
  /// from a worker, "Reading..." shows meanwhile.
  void showSeries(int index);
  /// The library index shown (-1 when none).
  [[nodiscard]] int series() const { return series_; }
  /// Shows already worked-out details (what showSeries ends with).
  void showDetails(const SeriesDetails& details);
  /// Empties every part.
  void clear();

  /// Filters the tag table (case-insensitive, any column).
  void setSearchText(const QString& text);
  /// The search box.
  [[nodiscard]] QLineEdit* searchEdit() const { return search_; }
  /// The tag table (its model is tagFilter()).
  [[nodiscard]] QTreeView* tagView() const { return tagView_; }
  /// The filtered tags.
  [[nodiscard]] QSortFilterProxyModel* tagFilter() const { return tagFilter_; }
  /// The harmonization table (top-level items: sections; children: attribute, value, source).
  [[nodiscard]] QTreeWidget* harmonizationView() const { return harmonization_; }
  /// The value shown for a harmonization attribute ("Rescale intercept"), or a null string.
  [[nodiscard]] QString harmonizationValue(const QString& name) const;
  /// The conversion explanation as plain text.
  [[nodiscard]] QString conversionText() const;
  /// The tabs (all tags, conversion).
  [[nodiscard]] QTabWidget* tabs() const { return tabs_; }
  /// True while the details of the shown series are being read.
  [[nodiscard]] bool isWaiting() const { return waiting_; }

 signals:
  /// New details are displayed.
  void detailsShown();

 private:
  void onDetailsReady(int index);
  void onDetailsFailed(int index, const QString& message);
  void showMessage(const QString& message);

  DicomLibrary* library_;
  int series_ = -1;
  bool waiting_ = false;
  QLabel* title_;
  QTreeWidget* harmonization_;
  QTabWidget* tabs_;
  QLineEdit* search_;
  QStandardItemModel* tags_;
  QSortFilterProxyModel* tagFilter_;
  QTreeView* tagView_;
  QTextBrowser* conversion_;
};

}  // namespace harmonia
