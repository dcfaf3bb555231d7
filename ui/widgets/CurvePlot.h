#pragma once
// A plot of sampled curves (core/measure's Curve) with optional shaded bands
// (e.g. the EARL recovery bands) and vertical markers (e.g. MTF50): used by
// the Phantom workspace for ESF, LSF, MTF, NPS and recovery. Displays what it
// is given; computes nothing but the axis ranges, which hold every curve,
// band and marker with a small margin.

#include <QChartView>
#include <QColor>
#include <QString>
#include <optional>
#include <vector>

#include "core/measure/MeasureTypes.h"

class QValueAxis;
class QXYSeries;

namespace harmonia {

/// Curves, bands and markers on two value axes.
class CurvePlot : public QChartView {
  Q_OBJECT

 public:
  /// How a curve is drawn.
  enum class Style { Line, Dashed, Points, LineAndPoints };

  explicit CurvePlot(QWidget* parent = nullptr);

  /// The chart's title and axis titles.
  void setTitles(const QString& title, const QString& xTitle, const QString& yTitle);
  /// Removes every curve, band and marker; `placeholder` (if any) is shown as the title's
  /// second line to say why the plot is empty ("not measured yet").
  void clear(const QString& placeholder = {});
  /// Adds a curve (x and y of equal length; non-finite points are skipped).
  void addCurve(const QString& name, const Curve& curve, const QColor& colour,
                Style style = Style::Line);
  /// Adds a band between lo(x) and hi(x), filled translucent in `colour`.
  void addBand(const QString& name, const std::vector<double>& x, const std::vector<double>& lo,
               const std::vector<double>& hi, const QColor& colour);
  /// Adds a vertical dashed line at `x` across the plot, named `label` in the legend.
  void addMarker(double x, const QString& label, const QColor& colour);
  /// Fixes the y range (otherwise it fits the data); clear() unfixes it.
  void setFixedYRange(std::optional<std::pair<double, double>> range);
  /// Fixes the x range (otherwise it fits the data); clear() unfixes it.
  void setFixedXRange(std::optional<std::pair<double, double>> range);

  /// Number of curves (bands and markers not counted).
  [[nodiscard]] int curveCount() const { return curves_; }
  /// Number of bands.
  [[nodiscard]] int bandCount() const { return bands_; }
  /// Number of markers.
  [[nodiscard]] int markerCount() const { return static_cast<int>(markers_.size()); }
  /// The series named `name` (a curve or marker), or null.
  [[nodiscard]] QXYSeries* seriesNamed(const QString& name) const;
  [[nodiscard]] QValueAxis* xAxis() const { return x_; }
  [[nodiscard]] QValueAxis* yAxis() const { return y_; }

 private:
  void include(double x, double y);
  void rescale();

  QString title_;
  // Kept for the chart's life: axes removed and re-added leave stale labels behind.
  QValueAxis* x_;
  QValueAxis* y_;
  int curves_ = 0;
  int bands_ = 0;
  struct Marker {
    double x;
    QXYSeries* series;
  };
  std::vector<Marker> markers_;
  double xlo_ = 0, xhi_ = 0, ylo_ = 0, yhi_ = 0;
  bool empty_ = true;
  std::optional<std::pair<double, double>> fixedX_, fixedY_;
};

}  // namespace harmonia
