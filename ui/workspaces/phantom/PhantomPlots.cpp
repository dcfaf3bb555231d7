#include "ui/workspaces/phantom/PhantomPlots.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/model/PhantomSession.h"
#include "ui/widgets/CurvePlot.h"

namespace harmonia {

namespace {

/// `label` in a frameless scroll area: a long text scrolls instead of growing the plots' tab.
QScrollArea* scrolled(QLabel* label) {
  auto* area = new QScrollArea;
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  area->setWidget(label);
  area->setMinimumWidth(240);
  return area;
}

QString scannerName(const PhantomSession* s, int i) {
  return QString::fromStdString(s->scanner(i).name);
}

/// The EARL bands of one coefficient (0 max, 1 mean, 2 peak) as x, lo, hi.
void addEarlBands(CurvePlot* plot, int which) {
  const QColor colours[2] = {QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd)};
  const EarlSpec* specs[2] = {&earl1(), &earl2()};
  for (int e = 0; e < 2; ++e) {
    const EarlSpec& spec = *specs[e];
    const std::vector<EarlBand>& bands = which == 0   ? spec.rc_max
                                         : which == 1 ? spec.rc_mean
                                                      : spec.rc_peak;
    if (bands.empty()) continue;
    std::vector<double> x, lo, hi;
    for (const EarlBand& b : bands) {
      x.push_back(b.diameter_mm);
      lo.push_back(b.lo);
      hi.push_back(b.hi);
    }
    plot->addBand(QString::fromStdString(spec.name), x, lo, hi, colours[e]);
  }
}

}  // namespace

QColor PhantomPlots::scannerColour(int i) {
  return i == 0 ? QColor(0x1f, 0x77, 0xb4) : QColor(0xe0, 0x6c, 0x00);
}

PhantomPlots::PhantomPlots(PhantomSession* session, QWidget* parent)
    : QTabWidget(parent),
      session_(session),
      axis_(new QComboBox),
      rc_(new QComboBox),
      esf_(new CurvePlot),
      lsf_(new CurvePlot),
      mtf_(new CurvePlot),
      nps_(new CurvePlot),
      recovery_(new CurvePlot),
      values_(new CurvePlot),
      noiseText_(new QLabel),
      earlText_(new QLabel) {
  axis_->addItems({tr("x (left-right)"), tr("y (anterior-posterior)"), tr("z (slices)")});
  rc_->addItems({tr("RCmax"), tr("RCmean"), tr("RCpeak")});
  esf_->setTitles(tr("Edge-spread function"), tr("distance along the normal (mm)"), tr("value"));
  lsf_->setTitles(tr("Line-spread function"), tr("distance (mm)"), tr("derivative"));
  mtf_->setTitles(tr("Modulation transfer function"), tr("spatial frequency (cycles/mm)"),
                  tr("MTF"));
  nps_->setTitles(tr("Noise power spectrum (radial, 2-D)"), tr("spatial frequency (cycles/mm)"),
                  tr("NPS (units² mm²)"));
  recovery_->setTitles(tr("Recovery against sphere diameter"), tr("sphere diameter (mm)"),
                       tr("recovery coefficient"));

  auto* res = new QWidget;
  auto* resLayout = new QVBoxLayout(res);
  resLayout->setContentsMargins(2, 2, 2, 2);
  auto* resBar = new QHBoxLayout;
  resBar->addWidget(new QLabel(tr("Axis:")));
  resBar->addWidget(axis_);
  resBar->addStretch(1);
  resLayout->addLayout(resBar);
  auto* resPlots = new QHBoxLayout;
  resPlots->addWidget(esf_);
  resPlots->addWidget(lsf_);
  resPlots->addWidget(mtf_);
  resLayout->addLayout(resPlots, 1);
  addTab(res, tr("Resolution"));

  auto* noise = new QWidget;
  auto* noiseLayout = new QHBoxLayout(noise);
  noiseLayout->setContentsMargins(2, 2, 2, 2);
  noiseLayout->addWidget(nps_, 3);
  noiseText_->setWordWrap(true);
  noiseText_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  noiseText_->setTextFormat(Qt::RichText);
  noiseLayout->addWidget(scrolled(noiseText_), 1);
  addTab(noise, tr("Noise"));

  auto* rec = new QWidget;
  auto* recLayout = new QHBoxLayout(rec);
  recLayout->setContentsMargins(2, 2, 2, 2);
  auto* recSide = new QVBoxLayout;
  recSide->addWidget(rc_);
  earlText_->setWordWrap(true);
  earlText_->setTextFormat(Qt::RichText);
  earlText_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  recSide->addWidget(scrolled(earlText_), 1);
  recLayout->addWidget(recovery_, 3);
  recLayout->addLayout(recSide, 1);
  addTab(rec, tr("Recovery"));
  values_->setTitles(tr("Insert values: measured against nominal"), tr("nominal value"),
                     tr("measured mean"));
  addTab(values_, tr("Values"));

  connect(axis_, &QComboBox::currentIndexChanged, this, &PhantomPlots::refreshResolution);
  connect(rc_, &QComboBox::currentIndexChanged, this, &PhantomPlots::refreshRecovery);
  connect(session_, &PhantomSession::resultsChanged, this, &PhantomPlots::refresh);
  connect(session_, &PhantomSession::scannerChanged, this, &PhantomPlots::refresh);
  refresh();
}

void PhantomPlots::refresh() {
  refreshResolution();
  refreshNoise();
  refreshRecovery();
  refreshValues();
}

void PhantomPlots::refreshValues() {
  values_->clear(tr("not measured: place the inserts, then Measure values"));
  bool any = false;
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    const auto& v = session_->results(i).values;
    if (!v || v->inserts.empty()) continue;
    if (!any) values_->clear();
    const QString n = scannerName(session_, i);
    Curve points;
    for (const InsertValue& insert : v->inserts) {
      points.x.push_back(insert.nominal);
      points.y.push_back(insert.measured.mean);
    }
    const auto [lo, hi] = std::minmax_element(points.x.begin(), points.x.end());
    if (!any) {  // identity, for reading gain and offset off the fits
      values_->addCurve(tr("identity"), Curve{{*lo, *hi}, {*lo, *hi}}, QColor(0x80, 0x80, 0x80),
                        CurvePlot::Style::Dashed);
    }
    any = true;
    values_->addCurve(n, points, scannerColour(i), CurvePlot::Style::Points);
    if (v->has_fit) {
      const LinearityFit& f = v->fit;
      values_->addCurve(
          tr("%1 fit: %2 x + %3 (r² %4)")
              .arg(n)
              .arg(f.slope, 0, 'f', 3)
              .arg(f.intercept, 0, 'g', 4)
              .arg(f.r2, 0, 'f', 4),
          Curve{{*lo, *hi}, {f.slope * *lo + f.intercept, f.slope * *hi + f.intercept}},
          scannerColour(i).darker(130));
    }
  }
}

void PhantomPlots::refreshResolution() {
  const auto a = static_cast<std::size_t>(std::max(0, axis_->currentIndex()));
  const QString none = tr("not measured: place the PSF object, then Measure resolution");
  esf_->clear(none);
  lsf_->clear(none);
  mtf_->clear(none);
  bool any = false;
  QStringList fwhm, mtf50;
  double widest = 1.0;
  bool edgeMethod = true;
  double highest = 0.1;  // the MTF curves' highest frequency, cycles/mm
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    const auto& psf = session_->results(i).psf;
    if (!psf || !psf->axes[a].measured) continue;
    if (!any) {
      esf_->clear();
      lsf_->clear();
      mtf_->clear();
      any = true;
    }
    const AxisResolution& r = psf->axes[a];
    const QString n = scannerName(session_, i);
    const QColor c = scannerColour(i);
    esf_->addCurve(n, r.esf, c, CurvePlot::Style::Points);
    esf_->addCurve(tr("%1 fit").arg(n), r.esf_fit, c.darker(140));
    fwhm << tr("%1 %2 mm").arg(n).arg(r.fwhm_mm, 0, 'f', 2);
    widest = std::max(widest, r.fwhm_mm);
    edgeMethod = edgeMethod && psf->method != PsfMethod::Sphere;
    if (!r.mtf.x.empty()) highest = std::max(highest, r.mtf.x.back());
    lsf_->addCurve(n, r.lsf, c, CurvePlot::Style::Points);
    lsf_->addCurve(tr("%1 fit").arg(n), r.lsf_fit, c.darker(140));
    mtf_->addCurve(n, r.mtf, c);
    mtf_->addMarker(r.mtf50_per_mm, tr("%1 MTF50").arg(n), c);
    mtf50 << tr("%1 %2/mm").arg(n).arg(r.mtf50_per_mm, 0, 'f', 3);
  }
  if (any) {
    mtf_->setFixedYRange(std::make_pair(0.0, 1.05));
    // The edge region: a few FWHM either side (the curves reach further, into flat levels).
    const double reach = 2.0 * std::ceil(1.5 * widest);  // 3 FWHM, rounded up to even mm
    const auto edge = std::make_pair(-reach, reach);
    mtf_->setFixedXRange(std::make_pair(0.0, std::ceil(10.0 * highest) / 10.0));
    if (edgeMethod) {  // a sphere's profile runs from its centre outwards: shown whole
      esf_->setFixedXRange(edge);
      lsf_->setFixedXRange(edge);
    }
    const QString sep = QStringLiteral(", ");
    esf_->chart()->setTitle(tr("Edge-spread function (%1 axis)").arg(QLatin1Char("xyz"[a])));
    lsf_->chart()->setTitle(tr("Line-spread function: FWHM %1").arg(fwhm.join(sep)));
    mtf_->chart()->setTitle(tr("MTF: MTF50 %1").arg(mtf50.join(sep)));
  }
}

void PhantomPlots::refreshNoise() {
  nps_->clear(tr("not measured: place the uniform region, then Measure noise"));
  QString text;
  bool any = false;
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    const auto& noise = session_->results(i).noise;
    if (!noise) continue;
    if (!any) nps_->clear();
    any = true;
    const QString n = scannerName(session_, i);
    nps_->addCurve(n, noise->nps, scannerColour(i), CurvePlot::Style::LineAndPoints);
    text += tr("<p><b style='color:%1'>%2</b><br>mean %3, SD %4, CV %5<br>NPS integral %6 "
               "(variance %7)")
                .arg(scannerColour(i).name(), n)
                .arg(noise->stats.mean, 0, 'g', 5)
                .arg(noise->stats.sd, 0, 'g', 4)
                .arg(coefficientOfVariation(noise->stats), 0, 'g', 3)
                .arg(noise->nps_integral, 0, 'g', 4)
                .arg(noise->stats.sd * noise->stats.sd, 0, 'g', 4);
    if (noise->uniformity) {
      text += tr("<br>uniformity: integral %1 %, max. deviation %2")
                  .arg(noise->uniformity->integral_uniformity_percent, 0, 'f', 2)
                  .arg(noise->uniformity->max_abs_deviation, 0, 'g', 4);
    }
    text += QStringLiteral("</p>");
  }
  // A power spectrum is read against zero (white noise: flat at variance x pixel area).
  if (any) nps_->setFixedYRange(std::make_pair(0.0, 1.1 * nps_->yAxis()->max()));
  noiseText_->setText(text);
}

void PhantomPlots::refreshRecovery() {
  const int which = std::max(0, rc_->currentIndex());
  recovery_->clear();
  addEarlBands(recovery_, which);
  QString text;
  bool any = false;
  for (int i = 0; i < PhantomSession::kScanners; ++i) {
    const auto& nema = session_->results(i).nema;
    if (!nema) continue;
    any = true;
    Curve c;
    for (const NemaSphere& s : nema->spheres) {
      c.x.push_back(s.diameter_mm);
      c.y.push_back(which == 0 ? s.rc_max : which == 1 ? s.rc_mean : s.rc_peak);
    }
    const QString n = scannerName(session_, i);
    recovery_->addCurve(n, c, scannerColour(i), CurvePlot::Style::LineAndPoints);
    text += QStringLiteral("<p><b style='color:%1'>%2</b>").arg(scannerColour(i).name(), n);
    for (const EarlVerdict& v : nema->verdicts) {
      text += tr("<br>%1: %2")
                  .arg(QString::fromStdString(v.standard),
                       v.pass ? tr("<span style='color:#2ca02c'>pass</span>")
                              : tr("<span style='color:#d62728'>fail</span>"));
      if (v.suggested_filter_fwhm_mm) {
        text += tr(", Gaussian post-filter %1 mm").arg(*v.suggested_filter_fwhm_mm, 0, 'f', 1);
      }
      for (const std::string& f : v.failures) {
        text += QStringLiteral("<br>&nbsp;&nbsp;<small>%1</small>")
                    .arg(QString::fromStdString(f).toHtmlEscaped());
      }
    }
    for (const std::string& w : nema->warnings) {
      text += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(w).toHtmlEscaped());
    }
    text += QStringLiteral("</p>");
  }
  if (!any) {
    recovery_->clear(tr("EARL bands shown; not measured: Measure recovery on a NEMA scan"));
    addEarlBands(recovery_, which);
  }
  // Recovery from 0, in steps of 0.2, up to the highest band or coefficient.
  const double top = std::max(1.4, std::ceil(5.0 * recovery_->yAxis()->max()) / 5.0);
  recovery_->setFixedYRange(std::make_pair(0.0, top));
  recovery_->yAxis()->setTickCount(static_cast<int>(std::lround(top / 0.2)) + 1);
  earlText_->setText(text);
}

}  // namespace harmonia
