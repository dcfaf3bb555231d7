#pragma once
// The guard table of the Features workspace: one row per feature of a HarmonizationSession's
// result, sorted by how much biology harmonization lost (HarmonizationReport::
// orderByBiologyLost; table order without a guard report), with the site effect (ANOVA F of
// site) before and after. Flagged rows are red and carry their reasons.

#include <QAbstractTableModel>

namespace harmonia {

class HarmonizationSession;

/// A read-only table model over the session's result.
class GuardTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns.
  enum Column {
    Feature,
    BiologyLost,
    FisherBefore,
    FisherAfter,
    CoefficientBefore,
    CoefficientAfter,
    SiteFBefore,
    SiteFAfter,
    Reasons,
    ColumnCount
  };
  /// The background of a flagged row.
  static QColor flaggedColour();

  explicit GuardTableModel(HarmonizationSession* session, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role) const override;

  /// The feature (index into the result's features) shown in a row, or -1.
  [[nodiscard]] int featureAt(int row) const;
  /// The row showing a feature, or -1.
  [[nodiscard]] int rowOf(int feature) const;
  /// True when a row's feature is flagged.
  [[nodiscard]] bool isFlagged(int row) const;

 private:
  void rebuild();

  HarmonizationSession* session_;
  std::vector<std::size_t> order_;
};

}  // namespace harmonia
