#include "ui/widgets/ProfileWidget.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace harmonia {
namespace {

// The histogram overlay's colours for Study A and B.
const QColor kColours[2] = {QColor(31, 119, 180), QColor(255, 127, 14)};

}  // namespace

ProfileWidget::ProfileWidget(QWidget* parent) : QWidget(parent) {
  setToolTip(tr("Both studies' values along the line drawn with the Line tool"));
}

void ProfileWidget::setProfile(int index, const LineProfile& profile, const QString& label,
                               const QString& units) {
  index = std::clamp(index, 0, 1);
  profiles_[index] = profile;
  labels_[index] = label;
  if (!units.isEmpty()) units_ = units;
  updateRange();
  update();
}

void ProfileWidget::clear() {
  for (auto& p : profiles_) p = LineProfile{};
  updateRange();
  update();
}

int ProfileWidget::profileCount() const {
  return static_cast<int>(!profiles_[0].values.empty()) +
         static_cast<int>(!profiles_[1].values.empty());
}

void ProfileWidget::updateRange() {
  lo_ = std::numeric_limits<double>::infinity();
  hi_ = -std::numeric_limits<double>::infinity();
  length_ = 0.0;
  for (const auto& p : profiles_) {
    for (double v : p.values) {
      if (!std::isfinite(v)) continue;
      lo_ = std::min(lo_, v);
      hi_ = std::max(hi_, v);
    }
    if (!p.distance_mm.empty()) length_ = std::max(length_, p.distance_mm.back());
  }
  if (!(hi_ >= lo_)) {
    lo_ = 0.0;
    hi_ = 1.0;
  }
  if (!(hi_ > lo_)) hi_ = lo_ + 1.0;
  if (!(length_ > 0.0)) length_ = 1.0;
}

void ProfileWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QFontMetrics fm = fontMetrics();
  const QRect plot = rect().adjusted(fm.horizontalAdvance(QStringLiteral("-0000.0")) + 8,
                                     fm.height() + 4, -8, -(2 * fm.height() + 6));
  if (profileCount() == 0) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(rect(), Qt::AlignCenter, tr("Draw a line with the Line tool"));
    return;
  }
  const auto x = [&](double d) { return plot.left() + plot.width() * d / length_; };
  const auto y = [&](double v) { return plot.bottom() - plot.height() * (v - lo_) / (hi_ - lo_); };
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(plot);
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(0, plot.top() - fm.height() / 2, plot.left() - 4, fm.height()),
             Qt::AlignRight | Qt::AlignVCenter, QString::number(hi_, 'g', 4));
  p.drawText(QRect(0, plot.bottom() - fm.height() / 2, plot.left() - 4, fm.height()),
             Qt::AlignRight | Qt::AlignVCenter, QString::number(lo_, 'g', 4));
  p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignLeft,
             QStringLiteral("0"));
  p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignRight,
             tr("%1 mm").arg(length_, 0, 'f', 1));
  p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignHCenter,
             tr("distance along the line (mm)"));
  p.drawText(QRect(plot.left(), 0, plot.width(), fm.height() + 2), Qt::AlignLeft,
             units_.isEmpty() ? tr("value") : units_);
  int legendX = plot.right();
  for (int i = 1; i >= 0; --i) {
    const LineProfile& prof = profiles_[i];
    if (prof.values.empty()) continue;
    QPainterPath path;
    bool open = false;
    for (std::size_t s = 0; s < prof.values.size(); ++s) {
      const double v = prof.values[s];
      if (!std::isfinite(v)) {
        open = false;  // a gap where the study has no value
        continue;
      }
      const QPointF pt(x(prof.distance_mm[s]), y(v));
      if (open) {
        path.lineTo(pt);
      } else {
        path.moveTo(pt);
        open = true;
      }
    }
    p.setPen(QPen(kColours[i], 1.5));
    p.drawPath(path);
    const int w = fm.horizontalAdvance(labels_[i]) + 24;
    legendX -= w;
    p.fillRect(QRect(legendX, plot.bottom() + fm.height() + 6, 12, 3), kColours[i]);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(legendX + 16, plot.bottom() + fm.height() + 4 + fm.ascent(), labels_[i]);
  }
}

}  // namespace harmonia
