#include "ui/widgets/CurvePlot.h"

#include <QAreaSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace harmonia {

CurvePlot::CurvePlot(QWidget* parent) : QChartView(parent), x_(new QValueAxis), y_(new QValueAxis) {
  chart()->addAxis(x_, Qt::AlignBottom);
  chart()->addAxis(y_, Qt::AlignLeft);
  x_->setLabelFormat(QStringLiteral("%.3g"));
  y_->setLabelFormat(QStringLiteral("%.4g"));
  x_->setTickCount(5);
  setRenderHint(QPainter::Antialiasing);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->setMargins(QMargins(2, 2, 2, 2));
  setMinimumSize(220, 180);
  rescale();
}

void CurvePlot::setTitles(const QString& title, const QString& xTitle, const QString& yTitle) {
  title_ = title;
  chart()->setTitle(title);
  x_->setTitleText(xTitle);
  y_->setTitleText(yTitle);
}

void CurvePlot::clear(const QString& placeholder) {
  chart()->removeAllSeries();  // deletes them
  curves_ = 0;
  bands_ = 0;
  markers_.clear();
  empty_ = true;
  fixedX_.reset();
  fixedY_.reset();
  chart()->setTitle(
      placeholder.isEmpty() ? title_ : QStringLiteral("%1<br><i>%2</i>").arg(title_, placeholder));
  rescale();
}

void CurvePlot::include(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y)) return;
  if (empty_) {
    xlo_ = xhi_ = x;
    ylo_ = yhi_ = y;
    empty_ = false;
    return;
  }
  xlo_ = std::min(xlo_, x);
  xhi_ = std::max(xhi_, x);
  ylo_ = std::min(ylo_, y);
  yhi_ = std::max(yhi_, y);
}

void CurvePlot::addCurve(const QString& name, const Curve& curve, const QColor& colour,
                         Style style) {
  const std::size_t n = std::min(curve.x.size(), curve.y.size());
  auto fill = [&](QXYSeries* s) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isfinite(curve.x[k]) || !std::isfinite(curve.y[k])) continue;
      s->append(curve.x[k], curve.y[k]);
      include(curve.x[k], curve.y[k]);
    }
  };
  auto attach = [this](QXYSeries* s) {
    chart()->addSeries(s);
    s->attachAxis(x_);
    s->attachAxis(y_);
  };
  if (style != Style::Points) {
    auto* line = new QLineSeries;
    line->setName(name);
    QPen pen(colour, 2.0);
    if (style == Style::Dashed) pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    fill(line);
    attach(line);
  }
  if (style == Style::Points || style == Style::LineAndPoints) {
    auto* points = new QScatterSeries;
    points->setName(style == Style::Points ? name : name + tr(" (points)"));
    points->setColor(colour);
    points->setBorderColor(colour.darker(130));
    points->setMarkerSize(style == Style::Points ? 6.0 : 7.0);
    fill(points);
    attach(points);
    if (style == Style::LineAndPoints) {
      chart()->legend()->markers(points).front()->setVisible(false);
    }
  }
  ++curves_;
  rescale();
}

void CurvePlot::addBand(const QString& name, const std::vector<double>& x,
                        const std::vector<double>& lo, const std::vector<double>& hi,
                        const QColor& colour) {
  const std::size_t n = std::min({x.size(), lo.size(), hi.size()});
  if (n == 0) return;
  auto* lower = new QLineSeries;
  auto* upper = new QLineSeries;
  for (std::size_t k = 0; k < n; ++k) {
    lower->append(x[k], lo[k]);
    upper->append(x[k], hi[k]);
    include(x[k], lo[k]);
    include(x[k], hi[k]);
  }
  auto* area = new QAreaSeries(upper, lower);
  area->setName(name);
  QColor fillColour = colour;
  fillColour.setAlphaF(0.22);
  area->setBrush(fillColour);
  QColor edge = colour;
  edge.setAlphaF(0.6);
  area->setPen(QPen(edge, 1.0));
  chart()->addSeries(area);
  area->attachAxis(x_);
  area->attachAxis(y_);
  ++bands_;
  rescale();
}

void CurvePlot::addMarker(double x, const QString& label, const QColor& colour) {
  if (!std::isfinite(x)) return;
  auto* line = new QLineSeries;
  line->setName(label);
  QPen pen(colour, 1.5);
  pen.setStyle(Qt::DotLine);
  line->setPen(pen);
  chart()->addSeries(line);
  line->attachAxis(x_);
  line->attachAxis(y_);
  if (empty_) {
    xlo_ = xhi_ = x;
    ylo_ = 0;
    yhi_ = 1;
    empty_ = false;
  } else {
    xlo_ = std::min(xlo_, x);
    xhi_ = std::max(xhi_, x);
  }
  markers_.push_back({x, line});
  rescale();
}

void CurvePlot::setFixedYRange(std::optional<std::pair<double, double>> range) {
  fixedY_ = range;
  rescale();
}

void CurvePlot::setFixedXRange(std::optional<std::pair<double, double>> range) {
  fixedX_ = range;
  rescale();
}

QXYSeries* CurvePlot::seriesNamed(const QString& name) const {
  for (QAbstractSeries* s : chart()->series()) {
    if (s->name() == name) return qobject_cast<QXYSeries*>(s);
  }
  return nullptr;
}

void CurvePlot::rescale() {
  double xlo = empty_ ? 0.0 : xlo_, xhi = empty_ ? 1.0 : xhi_;
  double ylo = empty_ ? 0.0 : ylo_, yhi = empty_ ? 1.0 : yhi_;
  if (fixedX_) std::tie(xlo, xhi) = *fixedX_;
  if (fixedY_) std::tie(ylo, yhi) = *fixedY_;
  const auto pad = [](double& lo, double& hi, double fraction) {
    const double span = hi - lo;
    const double m = span > 0 ? fraction * span : std::max(1e-9, 0.05 * std::abs(hi) + 0.5);
    lo -= m;
    hi += m;
  };
  if (!fixedX_) pad(xlo, xhi, 0.02);
  if (!fixedY_) pad(ylo, yhi, 0.06);
  x_->setRange(xlo, xhi);
  y_->setRange(ylo, yhi);
  // Round ticks along x (0, 0.25, 0.5...) instead of the data's own ends; y keeps its
  // padded range so curves do not shrink into a corner.
  if (!fixedX_) x_->applyNiceNumbers();
  ylo = y_->min();
  yhi = y_->max();
  for (const Marker& m : markers_) m.series->replace({QPointF(m.x, ylo), QPointF(m.x, yhi)});
}

}  // namespace harmonia
