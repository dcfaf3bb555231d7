// HistogramWidget paints what it is given: the grabbed picture must change
// with the data and with the log-scale setting.

#include <gtest/gtest.h>

#include <QImage>

#include "UiTestSupport.h"
#include "ui/widgets/HistogramWidget.h"

namespace harmonia {
namespace {

/// A histogram over [lo, hi] shaped like a peak at `centre` (bin index).
Histogram peak(double lo, double hi, int bins, int centre, std::uint64_t height) {
  Histogram h;
  h.min = lo;
  h.max = hi;
  h.counts.resize(static_cast<std::size_t>(bins));
  for (int b = 0; b < bins; ++b) {
    const int d = std::abs(b - centre);
    h.counts[static_cast<std::size_t>(b)] =
        d < 20 ? height / (1 + static_cast<std::uint64_t>(d * d)) : 1;
    h.total += h.counts[static_cast<std::size_t>(b)];
  }
  return h;
}

QImage grab(HistogramWidget& widget) { return widget.grab().toImage(); }

/// Number of pixels close to `colour` (its semi-transparent fill or outline).
int pixelsNear(const QImage& image, const QColor& colour) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) < 12 && std::abs(c.green() - colour.green()) < 12 &&
          std::abs(c.blue() - colour.blue()) < 12) {
        ++n;
      }
    }
  }
  return n;
}

TEST(HistogramWidget, PictureFollowsDataAndLogScale) {
  HistogramWidget widget;
  widget.resize(320, 200);
  EXPECT_EQ(widget.histogramCount(), 0);
  const QImage empty = grab(widget);

  widget.setHistogram(0, peak(-100.0, 100.0, 256, 100, 10000), QStringLiteral("before"));
  EXPECT_EQ(widget.histogramCount(), 1);
  EXPECT_EQ(widget.label(0), QStringLiteral("before"));
  const QImage one = grab(widget);
  EXPECT_NE(one, empty);
  // The outline is drawn in the slot's opaque colour.
  EXPECT_GT(pixelsNear(one, HistogramWidget::defaultColour(0)), 20);

  widget.setHistogram(1, peak(-100.0, 100.0, 256, 180, 5000), QStringLiteral("after"),
                      QColor(200, 30, 30));
  EXPECT_EQ(widget.histogramCount(), 2);
  const QImage two = grab(widget);
  EXPECT_NE(two, one);
  EXPECT_GT(pixelsNear(two, QColor(200, 30, 30)), 20);

  int logSignals = 0;
  QObject::connect(&widget, &HistogramWidget::logScaleChanged, [&](bool) { ++logSignals; });
  widget.setLogScale(true);
  EXPECT_TRUE(widget.logScale());
  EXPECT_EQ(logSignals, 1);
  const QImage logImage = grab(widget);
  EXPECT_NE(logImage, two);
  widget.setLogScale(true);  // unchanged: no signal
  EXPECT_EQ(logSignals, 1);

  // New data in slot 0 changes the picture again.
  widget.setHistogram(0, peak(-100.0, 100.0, 256, 30, 10000), QStringLiteral("before"));
  EXPECT_NE(grab(widget), logImage);

  widget.setLogScale(false);
  EXPECT_EQ(grab(widget), grab(widget));  // painting is deterministic
  widget.removeHistogram(1);
  EXPECT_EQ(widget.histogramCount(), 1);
  EXPECT_FALSE(widget.hasHistogram(1));
  widget.clear();
  EXPECT_EQ(widget.histogramCount(), 0);
  EXPECT_EQ(grab(widget), empty);
}

TEST(HistogramWidget, HandlesManyBinsAndDegenerateInput) {
  HistogramWidget widget;
  widget.resize(300, 180);
  // 100k bins are merged per pixel column.
  widget.setHistogram(0, peak(0.0, 1.0, 100000, 50000, 1000000), QStringLiteral("fine"));
  const QImage fine = grab(widget);
  EXPECT_GT(pixelsNear(fine, HistogramWidget::defaultColour(0)), 20);
  // Empty counts, a zero-width range and out-of-range slots do not crash.
  Histogram degenerate;
  degenerate.min = degenerate.max = 5.0;
  degenerate.counts = {3};
  degenerate.total = 3;
  widget.setHistogram(1, Histogram{}, QStringLiteral("empty"));
  widget.setHistogram(2, degenerate, QStringLiteral("flat"));
  widget.setHistogram(HistogramWidget::kMaxHistograms, degenerate, QStringLiteral("ignored"));
  widget.setHistogram(-1, degenerate, QStringLiteral("ignored"));
  EXPECT_EQ(widget.histogramCount(), 3);
  widget.setNormalized(true);
  widget.setLogScale(true);
  EXPECT_FALSE(grab(widget).isNull());
}

}  // namespace
}  // namespace harmonia
