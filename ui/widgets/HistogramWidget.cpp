#include "ui/widgets/HistogramWidget.h"

#include <QAction>
#include <QContextMenuEvent>
#include <QFontMetrics>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <limits>

namespace harmonia {

namespace {

/// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `count` ticks.
double niceStep(double range, double count) {
  if (!(range > 0.0) || !(count >= 1.0)) {
    return 1.0;
  }
  const double raw = range / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double n = raw / magnitude;
  const double m = n < 1.5 ? 1.0 : n < 3.0 ? 2.0 : n < 7.0 ? 5.0 : 10.0;
  return m * magnitude;
}

/// Tick positions in [lo, hi] at a nice step.
std::vector<double> linearTicks(double lo, double hi, double count) {
  std::vector<double> ticks;
  const double step = niceStep(hi - lo, count);
  for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
    ticks.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
    if (ticks.size() > 100) {
      break;
    }
  }
  return ticks;
}

/// Short tick label: 1500 -> "1500", 25000 -> "25k", 3e6 -> "3M", 0.002 -> "0.002".
QString tickLabel(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) {
    return QString::number(v / 1e9, 'g', 4) + QLatin1Char('G');
  }
  if (a >= 1e6) {
    return QString::number(v / 1e6, 'g', 4) + QLatin1Char('M');
  }
  if (a >= 1e4) {
    return QString::number(v / 1e3, 'g', 4) + QLatin1Char('k');
  }
  return QString::number(v, 'g', 4);
}

}  // namespace

HistogramWidget::HistogramWidget(QWidget* parent) : QWidget(parent), slots_(kMaxHistograms) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

  logAction_ = new QAction(tr("Logarithmic scale"), this);
  logAction_->setCheckable(true);
  connect(logAction_, &QAction::toggled, this, &HistogramWidget::setLogScale);
  normalizeAction_ = new QAction(tr("Normalise (density)"), this);
  normalizeAction_->setCheckable(true);
  connect(normalizeAction_, &QAction::toggled, this, &HistogramWidget::setNormalized);
}

HistogramWidget::~HistogramWidget() = default;

void HistogramWidget::setHistogram(int index, const Histogram& histogram, const QString& label,
                                   const QColor& colour) {
  if (index < 0 || index >= kMaxHistograms) {
    return;
  }
  slots_[static_cast<std::size_t>(index)] =
      Slot{histogram, label, colour.isValid() ? colour : defaultColour(index)};
  update();
}

void HistogramWidget::removeHistogram(int index) {
  if (index < 0 || index >= kMaxHistograms) {
    return;
  }
  slots_[static_cast<std::size_t>(index)].reset();
  update();
}

void HistogramWidget::clear() {
  for (auto& slot : slots_) {
    slot.reset();
  }
  update();
}

int HistogramWidget::histogramCount() const {
  return static_cast<int>(
      std::count_if(slots_.begin(), slots_.end(), [](const auto& s) { return s.has_value(); }));
}

bool HistogramWidget::hasHistogram(int index) const {
  return index >= 0 && index < kMaxHistograms && slots_[static_cast<std::size_t>(index)];
}

QString HistogramWidget::label(int index) const {
  return hasHistogram(index) ? slots_[static_cast<std::size_t>(index)]->label : QString();
}

QColor HistogramWidget::colour(int index) const {
  return hasHistogram(index) ? slots_[static_cast<std::size_t>(index)]->colour
                             : defaultColour(index);
}

QColor HistogramWidget::defaultColour(int index) {
  // Tableau 10: distinct for the common colour-vision deficiencies' first pairs.
  static const QColor palette[] = {
      QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
      QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127)};
  const int n = static_cast<int>(std::size(palette));
  return palette[((index % n) + n) % n];
}

void HistogramWidget::setLogScale(bool on) {
  if (on == logScale_) {
    return;
  }
  logScale_ = on;
  logAction_->setChecked(on);
  update();
  emit logScaleChanged(on);
}

void HistogramWidget::setNormalized(bool on) {
  if (on == normalized_) {
    return;
  }
  normalized_ = on;
  normalizeAction_->setChecked(on);
  update();
  emit normalizedChanged(on);
}

QSize HistogramWidget::sizeHint() const { return {400, 220}; }

QSize HistogramWidget::minimumSizeHint() const { return {160, 100}; }

void HistogramWidget::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(logAction_);
  menu.addAction(normalizeAction_);
  menu.exec(event->globalPos());
}

void HistogramWidget::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().color(QPalette::Base));
  const QColor textColour = palette().color(QPalette::Text);
  const QFontMetrics fm(font());

  // Common ranges of everything shown.
  double xMin = std::numeric_limits<double>::infinity();
  double xMax = -std::numeric_limits<double>::infinity();
  double yMax = 0.0;
  // Normalised: a density (fraction of the total per unit of value), so that
  // histograms with different bin widths (a study before and after
  // harmonization, two studies' ranges) can be overlaid; it integrates to 1.
  const auto normOf = [this](const Histogram& h) {
    if (!normalized_ || h.total == 0) return 1.0;
    const double bw = h.binWidth() > 0.0 ? h.binWidth() : 1.0;
    return 1.0 / (static_cast<double>(h.total) * bw);
  };
  double unit = std::numeric_limits<double>::infinity();
  for (const auto& slot : slots_) {
    if (!slot || slot->histogram.counts.empty()) {
      continue;
    }
    const Histogram& h = slot->histogram;
    xMin = std::min(xMin, h.min);
    xMax = std::max(xMax, h.max);
    const double norm = normOf(h);
    unit = std::min(unit, norm);
    for (auto c : h.counts) {
      yMax = std::max(yMax, static_cast<double>(c) * norm);
    }
  }
  if (!(xMax >= xMin)) {
    painter.setPen(textColour);
    painter.drawText(rect(), Qt::AlignCenter, tr("No histogram"));
    return;
  }
  if (!(xMax > xMin)) {
    xMax = xMin + 1.0;
  }
  // The smallest non-zero value a bin can have; log scale starts just below it.
  if (!std::isfinite(unit)) {
    unit = 1.0;
  }
  if (!(yMax > 0.0)) {
    yMax = unit;
  }
  const double logFloor = 0.5 * unit;
  const double logSpan = std::log10(std::max(yMax, unit) / logFloor);

  // Y tick values and their labels decide the left margin.
  std::vector<double> yTicks;
  const double rowsForTicks = std::max(2.0, (height() - 3.0 * fm.height()) / (2.5 * fm.height()));
  if (logScale_) {
    for (double t = std::pow(10.0, std::ceil(std::log10(unit))); t <= yMax * 1.0001; t *= 10.0) {
      yTicks.push_back(t);
    }
  } else {
    yTicks = linearTicks(0.0, yMax, rowsForTicks);
  }
  int labelWidth = fm.horizontalAdvance(QStringLiteral("0"));
  for (double t : yTicks) {
    labelWidth = std::max(labelWidth, fm.horizontalAdvance(tickLabel(t)));
  }

  const double left = labelWidth + 10.0;
  const double top = fm.height() + 6.0;
  // Room for half of the last x label.
  const double right = width() - std::max(12, fm.horizontalAdvance(QStringLiteral("0000")) / 2 + 4);
  const double bottom = height() - fm.height() - 10.0;
  const QRectF plot(QPointF(left, top), QPointF(right, bottom));
  if (plot.width() < 10.0 || plot.height() < 10.0) {
    return;
  }

  const auto xOf = [&](double v) {
    return plot.left() + (v - xMin) / (xMax - xMin) * plot.width();
  };
  const auto yOf = [&](double v) {
    double t = 0.0;
    if (logScale_) {
      t = v > logFloor ? std::log10(v / logFloor) / logSpan : 0.0;
    } else {
      t = v / yMax;
    }
    return plot.bottom() - std::clamp(t, 0.0, 1.0) * plot.height();
  };

  // Grid and axes.
  QColor gridColour = textColour;
  gridColour.setAlpha(40);
  painter.setPen(QPen(gridColour, 1.0));
  for (double t : yTicks) {
    painter.drawLine(QPointF(plot.left(), yOf(t)), QPointF(plot.right(), yOf(t)));
  }
  const double approxLabel = fm.horizontalAdvance(QStringLiteral("-0.0000")) * 1.6;
  const std::vector<double> xTicks =
      linearTicks(xMin, xMax, std::max(2.0, plot.width() / approxLabel));

  // Histograms: per pixel column, the largest value of the bins it covers.
  const int columns = std::max(1, static_cast<int>(plot.width()));
  std::vector<double> column(static_cast<std::size_t>(columns));
  painter.setRenderHint(QPainter::Antialiasing, true);
  for (const auto& slot : slots_) {
    if (!slot || slot->histogram.counts.empty()) {
      continue;
    }
    const Histogram& h = slot->histogram;
    const double norm = normOf(h);
    std::fill(column.begin(), column.end(), -1.0);  // -1: outside this histogram
    const double bw = h.binWidth();
    for (std::size_t b = 0; b < h.counts.size(); ++b) {
      const double x0 = xOf(h.min + b * bw) - plot.left();
      const double x1 = xOf(h.min + (b + 1) * bw) - plot.left();
      const int c0 = std::clamp(static_cast<int>(std::floor(x0)), 0, columns - 1);
      const int c1 = std::clamp(std::max(c0, static_cast<int>(std::ceil(x1)) - 1), 0, columns - 1);
      const double v = static_cast<double>(h.counts[b]) * norm;
      for (int c = c0; c <= c1; ++c) {
        column[static_cast<std::size_t>(c)] = std::max(column[static_cast<std::size_t>(c)], v);
      }
    }
    QPainterPath path;
    bool open = false;
    for (int c = 0; c <= columns; ++c) {
      const double v = c < columns ? column[static_cast<std::size_t>(c)] : -1.0;
      const double x = plot.left() + c;
      if (v < 0.0) {
        if (open) {
          path.lineTo(x, plot.bottom());
          path.closeSubpath();
          open = false;
        }
        continue;
      }
      const double y = yOf(v);
      if (!open) {
        path.moveTo(x, plot.bottom());
        open = true;
      }
      path.lineTo(x, y);
      path.lineTo(x + 1.0, y);
    }
    QColor fill = slot->colour;
    fill.setAlpha(90);
    painter.fillPath(path, fill);
    painter.strokePath(path, QPen(slot->colour, 1.2));
  }
  painter.setRenderHint(QPainter::Antialiasing, false);

  // Axes, ticks and labels on top of the data.
  painter.setPen(QPen(textColour, 1.0));
  painter.drawLine(plot.bottomLeft(), plot.bottomRight());
  painter.drawLine(plot.bottomLeft(), plot.topLeft());
  for (double t : yTicks) {
    const double y = yOf(t);
    painter.drawLine(QPointF(plot.left() - 4.0, y), QPointF(plot.left(), y));
    painter.drawText(QRectF(0.0, y - fm.height() / 2.0, plot.left() - 6.0, fm.height()),
                     Qt::AlignRight | Qt::AlignVCenter, tickLabel(t));
  }
  for (double t : xTicks) {
    const double x = xOf(t);
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4.0));
    painter.drawText(QRectF(x - approxLabel / 2.0, plot.bottom() + 5.0, approxLabel, fm.height()),
                     Qt::AlignHCenter | Qt::AlignTop, tickLabel(t));
  }
  const QString yTitle =
      QString(normalized_ ? tr("density") : tr("count")) + (logScale_ ? tr(" (log)") : QString());
  painter.drawText(QPointF(4.0, fm.ascent() + 2.0), yTitle);

  // Legend, top right inside the plot.
  const int swatch = fm.height() - 4;
  int legendWidth = 0;
  int rows = 0;
  for (const auto& slot : slots_) {
    if (!slot) {
      continue;
    }
    legendWidth = std::max(legendWidth, fm.horizontalAdvance(slot->label));
    ++rows;
  }
  if (rows == 0) {
    return;
  }
  const QRectF legend(plot.right() - legendWidth - swatch - 16.0, plot.top() + 4.0,
                      legendWidth + swatch + 12.0, rows * fm.height() + 6.0);
  QColor legendBackground = palette().color(QPalette::Base);
  legendBackground.setAlpha(200);
  painter.fillRect(legend, legendBackground);
  painter.setPen(QPen(gridColour, 1.0));
  painter.drawRect(legend);
  double y = legend.top() + 3.0;
  for (const auto& slot : slots_) {
    if (!slot) {
      continue;
    }
    const QRectF box(legend.left() + 4.0, y + 2.0, swatch, swatch);
    QColor fill = slot->colour;
    fill.setAlpha(160);
    painter.fillRect(box, fill);
    painter.setPen(QPen(slot->colour, 1.0));
    painter.drawRect(box);
    painter.setPen(textColour);
    painter.drawText(QRectF(box.right() + 4.0, y, legendWidth + 4.0, fm.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, slot->label);
    y += fm.height();
  }
}

}  // namespace harmonia
