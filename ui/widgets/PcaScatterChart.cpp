#include "ui/widgets/PcaScatterChart.h"

#include <QChart>
#include <QLegend>
#include <QScatterSeries>
#include <QValueAxis>

#include "ui/widgets/SiteBoxPlotChart.h"

namespace harmonia {

PcaScatterChart::PcaScatterChart(QWidget* parent)
    : QChartView(parent), x_(new QValueAxis), y_(new QValueAxis) {
  chart()->addAxis(x_, Qt::AlignBottom);
  chart()->addAxis(y_, Qt::AlignLeft);
  setRenderHint(QPainter::Antialiasing);
  chart()->legend()->setAlignment(Qt::AlignRight);
  chart()->setMargins(QMargins(4, 4, 4, 4));
  setMinimumSize(200, 160);
}

void PcaScatterChart::clear(const QString& title) {
  QChart* c = chart();
  c->removeAllSeries();  // deletes them
  c->setTitle(title);
  x_->setTitleText(QString());
  y_->setTitleText(QString());
}

void PcaScatterChart::setScores(const QString& title, const PcaResult& pca,
                                const std::vector<std::size_t>& siteOf,
                                const std::vector<std::string>& siteLevels) {
  clear(title);
  QChart* c = chart();
  std::vector<QScatterSeries*> series;
  for (std::size_t s = 0; s < siteLevels.size(); ++s) {
    auto* one = new QScatterSeries();
    one->setName(QString::fromStdString(siteLevels[s]));
    one->setColor(siteColour(static_cast<int>(s)));
    one->setBorderColor(siteColour(static_cast<int>(s)).darker(150));
    one->setMarkerSize(8.0);
    series.push_back(one);
  }
  const bool two = pca.scores.cols() > 1;
  for (Eigen::Index j = 0; j < pca.scores.rows(); ++j) {
    series[siteOf[static_cast<std::size_t>(j)]]->append(pca.scores(j, 0),
                                                        two ? pca.scores(j, 1) : 0.0);
  }
  QValueAxis* x = x_;
  QValueAxis* y = y_;
  const auto pct = [&](Eigen::Index k) {
    return k < pca.explained_fraction.size() ? 100.0 * pca.explained_fraction(k) : 0.0;
  };
  x->setTitleText(tr("PC1 (%1%)").arg(pct(0), 0, 'f', 1));
  y->setTitleText(tr("PC2 (%1%)").arg(pct(1), 0, 'f', 1));
  for (QScatterSeries* one : series) {
    c->addSeries(one);
    one->attachAxis(x);
    one->attachAxis(y);
  }
  if (pca.scores.rows() > 0) {
    const double pad = 0.05;
    const double x0 = pca.scores.col(0).minCoeff(), x1 = pca.scores.col(0).maxCoeff();
    x->setRange(x0 - pad * (x1 - x0 + 1e-9), x1 + pad * (x1 - x0 + 1e-9));
    if (two) {
      const double y0 = pca.scores.col(1).minCoeff(), y1 = pca.scores.col(1).maxCoeff();
      y->setRange(y0 - pad * (y1 - y0 + 1e-9), y1 + pad * (y1 - y0 + 1e-9));
    } else {
      y->setRange(-1.0, 1.0);
    }
    x->applyNiceNumbers();
    y->applyNiceNumbers();
  }
}

}  // namespace harmonia
