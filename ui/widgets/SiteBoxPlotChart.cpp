#include "ui/widgets/SiteBoxPlotChart.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QValueAxis>
#include <cmath>

namespace harmonia {

QColor siteColour(int index) {
  // Tableau 10: distinct for the usual handful of sites, readable on white.
  static const QRgb palette[10] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                   0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor::fromRgb(palette[((index % 10) + 10) % 10]);
}

SiteBoxPlotChart::SiteBoxPlotChart(QWidget* parent)
    : QChartView(parent), x_(new QBarCategoryAxis), y_(new QValueAxis) {
  chart()->addAxis(x_, Qt::AlignBottom);
  chart()->addAxis(y_, Qt::AlignLeft);
  setRenderHint(QPainter::Antialiasing);
  chart()->legend()->hide();
  chart()->setMargins(QMargins(4, 4, 4, 4));
  setMinimumSize(200, 160);
}

void SiteBoxPlotChart::setBoxes(const QString& title, const std::vector<SiteBox>& boxes,
                                double yMin, double yMax) {
  QChart* c = chart();
  c->removeAllSeries();  // deletes them
  c->setTitle(title);
  series_ = new QBoxPlotSeries();
  QStringList categories;
  for (std::size_t s = 0; s < boxes.size(); ++s) {
    const SiteBox& b = boxes[s];
    auto* set = new QBoxSet(b.site);
    if (b.count > 0) {
      set->setValue(QBoxSet::LowerExtreme, b.lower_extreme);
      set->setValue(QBoxSet::LowerQuartile, b.lower_quartile);
      set->setValue(QBoxSet::Median, b.median);
      set->setValue(QBoxSet::UpperQuartile, b.upper_quartile);
      set->setValue(QBoxSet::UpperExtreme, b.upper_extreme);
    }
    QColor fill = siteColour(static_cast<int>(s));
    fill.setAlpha(170);
    set->setBrush(fill);
    set->setPen(QPen(siteColour(static_cast<int>(s)).darker(160), 1.5));
    series_->append(set);
    categories << b.site;
  }
  c->addSeries(series_);
  x_->clear();
  x_->append(categories);
  if (std::isfinite(yMin) && std::isfinite(yMax) && yMax > yMin) {
    const double pad = 0.05 * (yMax - yMin);
    y_->setRange(yMin - pad, yMax + pad);
  } else {
    y_->setRange(0.0, 1.0);
  }
  y_->applyNiceNumbers();
  series_->attachAxis(x_);
  series_->attachAxis(y_);
}

}  // namespace harmonia
