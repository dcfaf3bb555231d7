#pragma once
// Per-site box plots of one feature (Qt Charts QBoxPlotSeries), one box per site in the
// site's colour (siteColour). Displays what it is given; computes nothing.

#include <QChartView>
#include <QColor>
#include <vector>

#include "ui/model/HarmonizationSession.h"

class QBarCategoryAxis;
class QBoxPlotSeries;
class QValueAxis;

namespace harmonia {

/// The colour of site `index` (a fixed qualitative palette, repeating after 10).
QColor siteColour(int index);

/// A chart of per-site boxes.
class SiteBoxPlotChart : public QChartView {
  Q_OBJECT

 public:
  explicit SiteBoxPlotChart(QWidget* parent = nullptr);

  /// Shows `boxes` (one per site, whiskers at the given extremes) under `title`, with the
  /// value axis over [yMin, yMax] (so before and after share a scale). Empty: a blank chart.
  void setBoxes(const QString& title, const std::vector<SiteBox>& boxes, double yMin, double yMax);
  /// The series shown (one box set per site, in site order).
  [[nodiscard]] QBoxPlotSeries* series() const { return series_; }

 private:
  QBoxPlotSeries* series_ = nullptr;
  // Kept for the chart's life: axes removed and re-added leave stale labels behind.
  QBarCategoryAxis* x_;
  QValueAxis* y_;
};

}  // namespace harmonia
