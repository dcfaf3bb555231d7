#include "ui/widgets/ColourBar.h"

#include <QPainter>

#include "core/compare/ComparisonDisplay.h"

namespace harmonia {

ColourBar::ColourBar(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  setToolTip(tr("B − A: blue where B is lower, red where B is higher, white where they agree"));
}

void ColourBar::setRange(double range, const QString& units) {
  range_ = range;
  units_ = units;
  update();
}

QStringList ColourBar::labels() const {
  const QString unit = units_.isEmpty() ? QString() : QStringLiteral(" ") + units_;
  return {QStringLiteral("−%1%2").arg(range_, 0, 'g', 4).arg(unit), QStringLiteral("0"),
          QStringLiteral("+%1%2").arg(range_, 0, 'g', 4).arg(unit)};
}

QSize ColourBar::sizeHint() const { return {220, fontMetrics().height() + 14}; }

QSize ColourBar::minimumSizeHint() const { return {120, fontMetrics().height() + 14}; }

void ColourBar::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const int barHeight = 8;
  const QRect bar(0, 0, width(), barHeight);
  for (int x = 0; x < bar.width(); ++x) {
    const double t = bar.width() > 1 ? 2.0 * x / (bar.width() - 1) - 1.0 : 0.0;
    const auto c = divergingColour(t);
    p.setPen(QColor(c[0], c[1], c[2]));
    p.drawLine(x, 0, x, barHeight - 1);
  }
  p.setPen(palette().color(QPalette::WindowText));
  const QStringList l = labels();
  const QRect text(0, barHeight + 1, width(), height() - barHeight - 1);
  p.drawText(text, Qt::AlignLeft | Qt::AlignTop, l[0]);
  p.drawText(text, Qt::AlignHCenter | Qt::AlignTop, l[1]);
  p.drawText(text, Qt::AlignRight | Qt::AlignTop, l[2]);
}

}  // namespace harmonia
