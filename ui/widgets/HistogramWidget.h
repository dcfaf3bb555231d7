#pragma once
// Overlaid histograms ("before"/"after", or two studies) painted with QPainter.
//
// The widget only paints: histograms arrive already computed (core's
// computeHistogram, run through JobRunner). Each slot holds one histogram,
// drawn as a semi-transparent filled step curve with an opaque outline and
// listed in the legend. Drawing cost is O(bins + width): bins narrower than a
// pixel are merged per pixel column (maximum count) before painting.

#include <QColor>
#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/stats/Histogram.h"

class QAction;

namespace harmonia {

/// QPainter widget overlaying up to kMaxHistograms named histograms.
class HistogramWidget : public QWidget {
  Q_OBJECT

 public:
  /// Number of histogram slots (indices 0 .. kMaxHistograms - 1).
  static constexpr int kMaxHistograms = 8;

  /// Creates an empty widget (it paints "No histogram").
  explicit HistogramWidget(QWidget* parent = nullptr);
  ~HistogramWidget() override;
  HistogramWidget(const HistogramWidget&) = delete;
  HistogramWidget& operator=(const HistogramWidget&) = delete;

  /// Shows `histogram` in slot `index` under `label`; an invalid colour picks
  /// the slot's default colour. Out-of-range indices are ignored.
  void setHistogram(int index, const Histogram& histogram, const QString& label,
                    const QColor& colour = QColor());
  /// Empties slot `index`.
  void removeHistogram(int index);
  /// Empties every slot.
  void clear();
  /// Number of non-empty slots.
  [[nodiscard]] int histogramCount() const;
  /// True when slot `index` holds a histogram.
  [[nodiscard]] bool hasHistogram(int index) const;
  /// Label of slot `index` ("" when empty).
  [[nodiscard]] QString label(int index) const;
  /// Colour of slot `index` (the default colour when empty).
  [[nodiscard]] QColor colour(int index) const;
  /// The default colour of slot `index` (a qualitative palette).
  [[nodiscard]] static QColor defaultColour(int index);

  /// Logarithmic count axis (log10(1 + count)) when true.
  void setLogScale(bool on);
  /// True when the count axis is logarithmic.
  [[nodiscard]] bool logScale() const { return logScale_; }
  /// Plots densities (fraction of each histogram's total per unit of value)
  /// instead of counts: compares images of different sizes and histograms of
  /// different bin widths.
  void setNormalized(bool on);
  /// True when fractions of the total are plotted.
  [[nodiscard]] bool normalized() const { return normalized_; }

  /// A comfortable default size.
  [[nodiscard]] QSize sizeHint() const override;
  /// The smallest size that still shows axes and legend.
  [[nodiscard]] QSize minimumSizeHint() const override;

 signals:
  /// The log-scale setting changed (setLogScale or the context menu).
  void logScaleChanged(bool on);
  /// The normalised setting changed (setNormalized or the context menu).
  void normalizedChanged(bool on);

 protected:
  /// Paints axes, the histograms and the legend.
  void paintEvent(QPaintEvent* event) override;
  /// Offers the log-scale and normalise toggles.
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  struct Slot {
    Histogram histogram;
    QString label;
    QColor colour;
  };

  std::vector<std::optional<Slot>> slots_;
  bool logScale_ = false;
  bool normalized_ = false;
  QAction* logAction_ = nullptr;
  QAction* normalizeAction_ = nullptr;
};

}  // namespace harmonia
