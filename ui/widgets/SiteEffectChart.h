#pragma once
// The site effect of each feature before and after harmonization: horizontal bars of the
// one-way ANOVA F of site (log scale, so the small F after ComBat stays visible), two bars
// per feature. Displays what it is given; computes nothing.

#include <QChartView>
#include <QStringList>
#include <vector>

class QBarCategoryAxis;
class QHorizontalBarSeries;
class QLogValueAxis;

namespace harmonia {

/// Bars of site F per feature, before and after.
class SiteEffectChart : public QChartView {
  Q_OBJECT

 public:
  explicit SiteEffectChart(QWidget* parent = nullptr);

  /// Shows one pair of bars per feature (`features`, `before`, `after` of equal length, in
  /// display order from the top). Non-finite F is drawn at the axis minimum.
  void setSiteEffects(const QString& title, const QStringList& features,
                      const std::vector<double>& before, const std::vector<double>& after);
  /// The series shown (sets "Before", "After"), or null.
  [[nodiscard]] QHorizontalBarSeries* series() const { return series_; }

 private:
  QHorizontalBarSeries* series_ = nullptr;
  // Kept for the chart's life: axes removed and re-added leave stale labels behind.
  QBarCategoryAxis* y_;
  QLogValueAxis* x_;
};

}  // namespace harmonia
