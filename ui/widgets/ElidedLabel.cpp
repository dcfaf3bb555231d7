#include "ui/widgets/ElidedLabel.h"

#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

namespace harmonia {

ElidedLabel::ElidedLabel(QWidget* parent) : QFrame(parent) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ElidedLabel::setText(const QString& text) {
  if (text == text_) return;
  text_ = text;
  updateGeometry();
  updateToolTip();
  update();
}

bool ElidedLabel::isElided() const {
  return fontMetrics().horizontalAdvance(text_) > contentsRect().width();
}

QSize ElidedLabel::sizeHint() const {
  const QFontMetrics fm = fontMetrics();
  const QMargins m = contentsMargins();
  return {fm.horizontalAdvance(text_) + m.left() + m.right() + 2,
          fm.height() + m.top() + m.bottom() + 2};
}

QSize ElidedLabel::minimumSizeHint() const {
  const QFontMetrics fm = fontMetrics();
  const QMargins m = contentsMargins();
  return {fm.horizontalAdvance(QStringLiteral("0000")) + m.left() + m.right(),
          fm.height() + m.top() + m.bottom() + 2};
}

void ElidedLabel::paintEvent(QPaintEvent* event) {
  QFrame::paintEvent(event);
  QPainter painter(this);
  const QRect r = contentsRect();
  const QString shown = fontMetrics().elidedText(text_, Qt::ElideRight, r.width());
  painter.setPen(palette().color(foregroundRole()));
  painter.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, shown);
}

void ElidedLabel::resizeEvent(QResizeEvent* event) {
  QFrame::resizeEvent(event);
  updateToolTip();
}

void ElidedLabel::updateToolTip() { setToolTip(isElided() ? text_ : QString()); }

}  // namespace harmonia
