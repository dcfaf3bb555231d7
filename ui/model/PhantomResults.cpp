#include "ui/model/PhantomResults.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <functional>

#include "core/io/Csv.h"

namespace harmonia {

namespace {

constexpr int kN = PhantomSession::kScanners;
const char* const kAxes[3] = {"x", "y", "z"};

/// Adds a numeric row whose value per scanner comes from `get` (nothing: not measured).
void addRow(std::vector<PhantomResultRow>& rows, const PhantomSession& s, const QString& group,
            const QString& quantity, const QString& unit,
            const std::function<std::optional<double>(const PhantomScanResults&)>& get) {
  PhantomResultRow row{group, quantity, unit, {}, {}};
  bool any = false;
  for (int i = 0; i < kN; ++i) {
    row.value[static_cast<std::size_t>(i)] = get(s.results(i));
    any = any || row.value[static_cast<std::size_t>(i)].has_value();
  }
  if (any) rows.push_back(std::move(row));
}

QJsonValue number(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

std::string csvRow(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) line += ',';
    line += csvCell(cells[c]);
  }
  return line;
}

QJsonArray vec(const Eigen::Vector3d& v) { return {v.x(), v.y(), v.z()}; }

QJsonObject curveJson(const Curve& c) {
  QJsonArray x, y;
  for (double v : c.x) x.append(v);
  for (double v : c.y) y.append(v);
  return {{QStringLiteral("x"), x}, {QStringLiteral("y"), y}};
}

QJsonObject scannerJson(const ScannerParams& p) {
  return {{QStringLiteral("name"), QString::fromStdString(p.name)},
          {QStringLiteral("gain_alpha"), p.gain_alpha},
          {QStringLiteral("offset_beta"), p.offset_beta},
          {QStringLiteral("psf_fwhm_mm"), vec(p.psf_fwhm_mm)},
          {QStringLiteral("spacing_mm"), vec(p.spacing_mm)},
          {QStringLiteral("slice_thickness_mm"), p.slice_thickness_mm},
          {QStringLiteral("noise_sigma"), p.noise_sigma},
          {QStringLiteral("noise_seed"), static_cast<double>(p.noise_seed)},
          {QStringLiteral("psf_model"), QString::fromLatin1(toString(p.psf_model))}};
}

}  // namespace

QString PhantomResultRow::cell(int scanner) const {
  const auto u = static_cast<std::size_t>(scanner);
  if (!text[u].isEmpty()) return text[u];
  if (!value[u]) return {};
  return QString::number(*value[u], 'g', 6);
}

std::vector<PhantomResultRow> phantomResultRows(const PhantomSession& s) {
  std::vector<PhantomResultRow> rows;
  const QString res = QObject::tr("Resolution");
  for (int a = 0; a < 3; ++a) {
    const QString ax = QLatin1String(kAxes[a]);
    const auto axis = [a](const PhantomScanResults& r) -> const AxisResolution* {
      return r.psf && r.psf->axes[static_cast<std::size_t>(a)].measured
                 ? &r.psf->axes[static_cast<std::size_t>(a)]
                 : nullptr;
    };
    addRow(rows, s, res, QObject::tr("FWHM %1").arg(ax), QStringLiteral("mm"),
           [axis](const PhantomScanResults& r) -> std::optional<double> {
             if (const auto* x = axis(r)) return x->fwhm_mm;
             return std::nullopt;
           });
    addRow(rows, s, res, QObject::tr("FWHM %1 std. error").arg(ax), QStringLiteral("mm"),
           [axis](const PhantomScanResults& r) -> std::optional<double> {
             if (const auto* x = axis(r)) return x->fwhm_stderr_mm;
             return std::nullopt;
           });
    addRow(rows, s, res, QObject::tr("MTF50 %1").arg(ax), QStringLiteral("1/mm"),
           [axis](const PhantomScanResults& r) -> std::optional<double> {
             if (const auto* x = axis(r)) return x->mtf50_per_mm;
             return std::nullopt;
           });
    addRow(rows, s, res, QObject::tr("MTF10 %1").arg(ax), QStringLiteral("1/mm"),
           [axis](const PhantomScanResults& r) -> std::optional<double> {
             if (const auto* x = axis(r)) return x->mtf10_per_mm;
             return std::nullopt;
           });
  }
  const QString noise = QObject::tr("Noise");
  using R = const PhantomScanResults&;
  using O = std::optional<double>;
  addRow(rows, s, noise, QObject::tr("Mean"), {},
         [](R r) -> O { return r.noise ? O(r.noise->stats.mean) : std::nullopt; });
  addRow(rows, s, noise, QObject::tr("SD"), {},
         [](R r) -> O { return r.noise ? O(r.noise->stats.sd) : std::nullopt; });
  addRow(rows, s, noise, QObject::tr("CV"), {}, [](R r) -> O {
    return r.noise ? O(coefficientOfVariation(r.noise->stats)) : std::nullopt;
  });
  addRow(rows, s, noise, QObject::tr("NPS integral"), QObject::tr("units²"),
         [](R r) -> O { return r.noise ? O(r.noise->nps_integral) : std::nullopt; });
  addRow(rows, s, noise, QObject::tr("Integral uniformity"), QStringLiteral("%"), [](R r) -> O {
    return r.noise && r.noise->uniformity ? O(r.noise->uniformity->integral_uniformity_percent)
                                          : std::nullopt;
  });
  addRow(rows, s, noise, QObject::tr("Max. centre-periphery deviation"), {}, [](R r) -> O {
    return r.noise && r.noise->uniformity ? O(r.noise->uniformity->max_abs_deviation)
                                          : std::nullopt;
  });
  const QString rec = QObject::tr("Recovery");
  addRow(rows, s, rec, QObject::tr("Background mean"), {},
         [](R r) -> O { return r.nema ? O(r.nema->background.mean) : std::nullopt; });
  addRow(rows, s, rec, QObject::tr("Activity ratio"), {},
         [](R r) -> O { return r.nema ? O(r.nema->activity_ratio) : std::nullopt; });
  for (std::size_t k = 0; k < kNemaSphereDiameters_mm.size(); ++k) {
    const QString d = QString::number(kNemaSphereDiameters_mm[k]);
    const auto sphere = [k](R r) -> const NemaSphere* {
      return r.nema && k < r.nema->spheres.size() ? &r.nema->spheres[k] : nullptr;
    };
    addRow(rows, s, rec, QObject::tr("RCmax %1 mm").arg(d), {}, [sphere](R r) -> O {
      const NemaSphere* x = sphere(r);
      return x ? O(x->rc_max) : std::nullopt;
    });
    addRow(rows, s, rec, QObject::tr("RCmean %1 mm").arg(d), {}, [sphere](R r) -> O {
      const NemaSphere* x = sphere(r);
      return x ? O(x->rc_mean) : std::nullopt;
    });
    addRow(rows, s, rec, QObject::tr("RCpeak %1 mm").arg(d), {}, [sphere](R r) -> O {
      const NemaSphere* x = sphere(r);
      return x ? O(x->rc_peak) : std::nullopt;
    });
  }
  const QString val = QObject::tr("Values");
  for (std::size_t k = 0; k < s.inserts().size(); ++k) {
    const QString name = QString::fromStdString(s.inserts()[k].name);
    const auto insert = [k](R r) -> const InsertValue* {
      return r.values && k < r.values->inserts.size() ? &r.values->inserts[k] : nullptr;
    };
    addRow(rows, s, val, QObject::tr("%1 mean (nominal %2)").arg(name).arg(s.inserts()[k].nominal),
           {}, [insert](R r) -> O {
             const InsertValue* v = insert(r);
             return v ? O(v->measured.mean) : std::nullopt;
           });
    addRow(rows, s, val, QObject::tr("%1 error").arg(name), {}, [insert](R r) -> O {
      const InsertValue* v = insert(r);
      return v ? O(v->error) : std::nullopt;
    });
  }
  addRow(rows, s, val, QObject::tr("Linearity slope"), {}, [](R r) -> O {
    return r.values && r.values->has_fit ? O(r.values->fit.slope) : std::nullopt;
  });
  addRow(rows, s, val, QObject::tr("Linearity intercept"), {}, [](R r) -> O {
    return r.values && r.values->has_fit ? O(r.values->fit.intercept) : std::nullopt;
  });
  addRow(rows, s, val, QObject::tr("Linearity r²"), {}, [](R r) -> O {
    return r.values && r.values->has_fit ? O(r.values->fit.r2) : std::nullopt;
  });
  // EARL verdicts: one text row and one filter row per standard.
  for (const char* standard : {"EARL1", "EARL2"}) {
    PhantomResultRow verdict{
        QStringLiteral("EARL"), QObject::tr("%1 verdict").arg(standard), {}, {}, {}};
    PhantomResultRow filter{QStringLiteral("EARL"),
                            QObject::tr("%1 suggested filter FWHM").arg(standard),
                            QStringLiteral("mm"),
                            {},
                            {}};
    bool any = false;
    for (int i = 0; i < kN; ++i) {
      const auto u = static_cast<std::size_t>(i);
      const auto& nema = s.results(i).nema;
      if (!nema) continue;
      for (const EarlVerdict& v : nema->verdicts) {
        if (v.standard != standard) continue;
        any = true;
        verdict.text[u] =
            v.pass ? QObject::tr("pass") : QObject::tr("fail (%1)").arg(v.failures.size());
        filter.value[u] = v.suggested_filter_fwhm_mm;
        if (!v.suggested_filter_fwhm_mm) {
          filter.text[u] = v.pass ? QStringLiteral("-") : QObject::tr("none");
        }
      }
    }
    if (any) {
      rows.push_back(std::move(verdict));
      rows.push_back(std::move(filter));
    }
  }
  return rows;
}

std::string phantomResultsCsv(const PhantomSession& s) {
  std::vector<std::string> header{"group", "quantity", "unit"};
  for (int i = 0; i < kN; ++i) header.push_back(s.scanner(i).name);
  std::string out = csvRow(header) + "\n";
  for (const PhantomResultRow& r : phantomResultRows(s)) {
    std::vector<std::string> cells{r.group.toStdString(), r.quantity.toStdString(),
                                   r.unit.toStdString()};
    for (int i = 0; i < kN; ++i) {
      const auto u = static_cast<std::size_t>(i);
      // Numbers in full precision (the table shows 6 digits).
      cells.push_back(r.text[u].isEmpty() && r.value[u]
                          ? QString::number(*r.value[u], 'g', 17).toStdString()
                          : r.cell(i).toStdString());
    }
    out += csvRow(cells) + "\n";
  }
  return out;
}

std::string phantomResultsJson(const PhantomSession& s) {
  QJsonArray scanners;
  for (int i = 0; i < kN; ++i) {
    const PhantomScanResults& r = s.results(i);
    QJsonObject o{{QStringLiteral("name"), QString::fromStdString(s.scanner(i).name)},
                  {QStringLiteral("loaded"), s.isLoaded(i)}};
    if (!s.isLoaded(i)) o[QStringLiteral("params")] = scannerJson(s.scanner(i));
    if (r.psf) {
      QJsonObject psf{
          {QStringLiteral("method"), QString::fromStdString(psfMethodName(r.psf->method))},
          {QStringLiteral("centre_mm"), vec(r.psf->centre_mm)},
          {QStringLiteral("fwhm_mm"), vec(r.psf->fwhm_mm())}};
      QJsonArray axes;
      for (const AxisResolution& a : r.psf->axes) {
        axes.append(QJsonObject{{QStringLiteral("measured"), a.measured},
                                {QStringLiteral("fwhm_mm"), a.fwhm_mm},
                                {QStringLiteral("mtf50_per_mm"), a.mtf50_per_mm},
                                {QStringLiteral("mtf10_per_mm"), a.mtf10_per_mm},
                                {QStringLiteral("esf"), curveJson(a.esf)},
                                {QStringLiteral("lsf"), curveJson(a.lsf)},
                                {QStringLiteral("mtf"), curveJson(a.mtf)}});
      }
      psf[QStringLiteral("axes")] = axes;
      o[QStringLiteral("psf")] = psf;
    }
    if (r.noise) o[QStringLiteral("nps")] = curveJson(r.noise->nps);
    scanners.append(o);
  }
  QJsonArray rows;
  for (const PhantomResultRow& r : phantomResultRows(s)) {
    QJsonArray values;
    for (int i = 0; i < kN; ++i) {
      const auto u = static_cast<std::size_t>(i);
      values.append(r.text[u].isEmpty() ? number(r.value[u]) : QJsonValue(r.text[u]));
    }
    rows.append(QJsonObject{{QStringLiteral("group"), r.group},
                            {QStringLiteral("quantity"), r.quantity},
                            {QStringLiteral("unit"), r.unit},
                            {QStringLiteral("values"), values}});
  }
  const QJsonObject root{{QStringLiteral("phantom"), phantomKindName(s.kind())},
                         {QStringLiteral("scanners"), scanners},
                         {QStringLiteral("rows"), rows}};
  return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

PhantomResultsModel::PhantomResultsModel(PhantomSession* session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {
  connect(session_, &PhantomSession::resultsChanged, this, &PhantomResultsModel::refresh);
  connect(session_, &PhantomSession::scannerChanged, this, &PhantomResultsModel::refresh);
  refresh();
}

void PhantomResultsModel::refresh() {
  beginResetModel();
  rows_ = phantomResultRows(*session_);
  endResetModel();
}

int PhantomResultsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int PhantomResultsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 3 + kN;
}

QVariant PhantomResultsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
  const PhantomResultRow& r = rows_[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case 0:
        return r.group;
      case 1:
        return r.quantity;
      case 2:
        return r.unit;
      default:
        return r.cell(index.column() - 3);
    }
  }
  if (role == Qt::TextAlignmentRole && index.column() >= 3) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant PhantomResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case 0:
      return tr("Group");
    case 1:
      return tr("Quantity");
    case 2:
      return tr("Unit");
    default:
      return QString::fromStdString(session_->scanner(section - 3).name);
  }
}

}  // namespace harmonia
