#include "ui/widgets/SiteEffectChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLogValueAxis>
#include <algorithm>
#include <cmath>

namespace harmonia {

namespace {
// Log axis floor: F below it (or undefined) is drawn at the floor.
constexpr double kFloor = 0.01;
}  // namespace

SiteEffectChart::SiteEffectChart(QWidget* parent)
    : QChartView(parent), y_(new QBarCategoryAxis), x_(new QLogValueAxis) {
  x_->setBase(10.0);
  x_->setLabelFormat(QStringLiteral("%g"));
  x_->setTitleText(tr("ANOVA F of site (log scale)"));
  x_->setRange(kFloor, 10.0);
  chart()->addAxis(y_, Qt::AlignLeft);
  chart()->addAxis(x_, Qt::AlignBottom);
  setRenderHint(QPainter::Antialiasing);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->setMargins(QMargins(4, 4, 4, 4));
  setMinimumSize(200, 160);
}

void SiteEffectChart::setSiteEffects(const QString& title, const QStringList& features,
                                     const std::vector<double>& before,
                                     const std::vector<double>& after) {
  QChart* c = chart();
  c->removeAllSeries();  // deletes them
  c->setTitle(title);
  series_ = nullptr;
  y_->clear();
  if (features.isEmpty()) {
    return;
  }
  series_ = new QHorizontalBarSeries();
  auto* b = new QBarSet(tr("Before"));
  auto* a = new QBarSet(tr("After"));
  b->setColor(QColor(0x59, 0x59, 0x59));
  a->setColor(QColor(0x4e, 0x79, 0xa7));
  double top = 1.0;
  // Qt draws the first category at the bottom: append in reverse for top-down order.
  QStringList categories;
  for (auto i = features.size(); i-- > 0;) {
    const auto k = static_cast<std::size_t>(i);
    const auto shown = [](double f) { return std::isfinite(f) ? std::max(f, kFloor) : kFloor; };
    b->append(shown(before[k]));
    a->append(shown(after[k]));
    top = std::max({top, shown(before[k]), shown(after[k])});
    categories << features[i];
  }
  series_->append(b);
  series_->append(a);
  series_->setBarWidth(0.8);
  c->addSeries(series_);
  y_->append(categories);
  x_->setRange(kFloor, std::pow(10.0, std::ceil(std::log10(top))));
  series_->attachAxis(y_);
  series_->attachAxis(x_);
}

}  // namespace harmonia
