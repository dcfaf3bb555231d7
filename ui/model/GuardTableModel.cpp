#include "ui/model/GuardTableModel.h"

#include <QColor>
#include <cmath>
#include <numeric>

#include "ui/model/HarmonizationSession.h"

namespace harmonia {

namespace {

QVariant number(double v, int decimals = 3) {
  if (!std::isfinite(v)) {
    return QStringLiteral("–");
  }
  return QString::number(v, 'f', decimals);
}

QVariant coefficient(const GuardMeasures& m) {
  if (!m.model_fitted || m.coefficients.empty()) {
    return QStringLiteral("–");
  }
  const LabelCoefficient& c = m.coefficients.front();
  return QStringLiteral("%1 (p %2)")
      .arg(QString::number(c.estimate, 'f', 3), QString::number(c.p, 'g', 2));
}

}  // namespace

QColor GuardTableModel::flaggedColour() { return {255, 205, 205}; }

GuardTableModel::GuardTableModel(HarmonizationSession* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {
  connect(session_, &HarmonizationSession::resultChanged, this, &GuardTableModel::rebuild);
  rebuild();
}

void GuardTableModel::rebuild() {
  beginResetModel();
  order_.clear();
  if (const auto& r = session_->result()) {
    if (r->report) {
      order_ = r->report->orderByBiologyLost();
    } else {
      order_.resize(r->feature_names.size());
      std::iota(order_.begin(), order_.end(), std::size_t{0});
    }
  }
  endResetModel();
}

int GuardTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(order_.size());
}

int GuardTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

int GuardTableModel::featureAt(int row) const {
  return row >= 0 && row < rowCount() ? static_cast<int>(order_[static_cast<std::size_t>(row)])
                                      : -1;
}

int GuardTableModel::rowOf(int feature) const {
  for (std::size_t r = 0; r < order_.size(); ++r) {
    if (static_cast<int>(order_[r]) == feature) {
      return static_cast<int>(r);
    }
  }
  return -1;
}

bool GuardTableModel::isFlagged(int row) const {
  const auto& r = session_->result();
  const int f = featureAt(row);
  return r && r->report && f >= 0 && r->report->features[static_cast<std::size_t>(f)].flagged;
}

QVariant GuardTableModel::data(const QModelIndex& index, int role) const {
  const auto& r = session_->result();
  const int f = featureAt(index.row());
  if (!r || f < 0) {
    return {};
  }
  const auto fi = static_cast<std::size_t>(f);
  const FeatureGuard* g = r->report ? &r->report->features[fi] : nullptr;
  if (role == Qt::BackgroundRole) {
    return g && g->flagged ? QVariant(flaggedColour()) : QVariant();
  }
  if (role == Qt::ForegroundRole) {
    return g && g->flagged ? QVariant(QColor(140, 0, 0)) : QVariant();
  }
  if (role == Qt::ToolTipRole && g && g->flagged) {
    QStringList lines;
    for (const std::string& s : g->flag_reasons) {
      lines << QString::fromStdString(s);
    }
    return lines.join(QLatin1Char('\n'));
  }
  if (role == Qt::TextAlignmentRole && index.column() != Feature && index.column() != Reasons) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) {
    return {};
  }
  switch (index.column()) {
    case Feature:
      return QString::fromStdString(r->feature_names[fi]);
    case BiologyLost:
      return g && std::isfinite(g->biology_lost)
                 ? QVariant(QStringLiteral("%1%").arg(100.0 * g->biology_lost, 0, 'f', 1))
                 : QVariant(QStringLiteral("–"));
    case FisherBefore:
      return g ? number(g->before.fisher_ratio) : QVariant(QStringLiteral("–"));
    case FisherAfter:
      return g ? number(g->after.fisher_ratio) : QVariant(QStringLiteral("–"));
    case CoefficientBefore:
      return g ? coefficient(g->before) : QVariant(QStringLiteral("–"));
    case CoefficientAfter:
      return g ? coefficient(g->after) : QVariant(QStringLiteral("–"));
    case SiteFBefore:
      return number(r->site_f_before[fi], 2);
    case SiteFAfter:
      return number(r->site_f_after[fi], 2);
    case Reasons: {
      return g ? QString::fromStdString(flagReasonsText(*g)) : QVariant();
    }
    default:
      return {};
  }
}

QVariant GuardTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return {};
  }
  static const char* const names[ColumnCount] = {
      "Feature",           "Biology lost",  "Fisher before", "Fisher after", "Label coef. before",
      "Label coef. after", "Site F before", "Site F after",  "Flag reasons"};
  return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

}  // namespace harmonia
