#pragma once
// A scatter of PCA scores (first two components), one QScatterSeries per site in the site's
// colour (siteColour), named after the site. Displays what it is given; computes nothing.

#include <QChartView>
#include <string>
#include <vector>

#include "core/stats/Pca.h"

class QValueAxis;

namespace harmonia {

/// A chart of scans in PC1 × PC2, coloured by site.
class PcaScatterChart : public QChartView {
  Q_OBJECT

 public:
  explicit PcaScatterChart(QWidget* parent = nullptr);

  /// Shows `pca`'s scores under `title`; `siteOf[j]` indexes `siteLevels` for scan j. With a
  /// single component the second coordinate is 0.
  void setScores(const QString& title, const PcaResult& pca, const std::vector<std::size_t>& siteOf,
                 const std::vector<std::string>& siteLevels);
  /// Clears the chart.
  void clear(const QString& title);

 private:
  // Kept for the chart's life: axes removed and re-added leave stale labels behind.
  QValueAxis* x_;
  QValueAxis* y_;
};

}  // namespace harmonia
