#pragma once
// The Phantom workspace's results table: one row per measured quantity
// (FWHM per axis, MTF50/MTF10, noise SD and CV, NPS integral, uniformity,
// RCmax/RCmean/RCpeak per NEMA sphere, EARL verdicts and suggested filter),
// one column per scanner, side by side; and its CSV and JSON forms.

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <array>
#include <optional>
#include <vector>

#include "ui/model/PhantomSession.h"

namespace harmonia {

/// One quantity, per scanner.
struct PhantomResultRow {
  QString group;     ///< "Resolution", "Noise", "Recovery", "EARL"
  QString quantity;  ///< e.g. "FWHM x"
  QString unit;      ///< e.g. "mm"; "" for ratios and verdicts
  /// Per scanner: a number, or a text (verdicts), or neither (not measured).
  std::array<std::optional<double>, PhantomSession::kScanners> value;
  std::array<QString, PhantomSession::kScanners> text;
  /// The cell as shown and exported ("" when not measured).
  [[nodiscard]] QString cell(int scanner) const;
};

/// The rows of everything measured on either scanner, in a fixed order.
std::vector<PhantomResultRow> phantomResultRows(const PhantomSession& session);
/// The rows as CSV: header "group,quantity,unit,<scanner A name>,<scanner B name>".
std::string phantomResultsCsv(const PhantomSession& session);
/// The results as JSON: {"phantom", "scanners": [{name, params, psf: {fwhm_mm, ...}}],
/// "rows": [{group, quantity, unit, values: [a|null, b|null]}]}.
std::string phantomResultsJson(const PhantomSession& session);

/// A table model of phantomResultRows (columns: quantity, unit, A, B), refreshed on results.
class PhantomResultsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit PhantomResultsModel(PhantomSession* session, QObject* parent = nullptr);
  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role) const override;
  [[nodiscard]] const std::vector<PhantomResultRow>& rows() const { return rows_; }

 private:
  void refresh();
  PhantomSession* session_;
  std::vector<PhantomResultRow> rows_;
};

}  // namespace harmonia
