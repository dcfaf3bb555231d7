#include "ui/workspaces/composite/CanvasTool.h"

#include <Eigen/LU>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>

#include "ui/model/CompositeSession.h"
#include "ui/view/SliceView.h"

namespace harmonia {

CanvasTool::CanvasTool(SliceView* view, CompositeSession* session, QObject* parent)
    : QObject(parent), session_(session), view_(view) {
  view_->installEventFilter(this);
  view_->setMouseTracking(true);  // hover: brush footprint, lasso rubber band
}

QPointF CanvasTool::pixelAt(const QPointF& widgetPos) const {
  const auto& image = view_->image();
  if (!image) return {};
  const Eigen::Vector3d world = view_->worldAt(widgetPos);
  const Eigen::Vector2d xy = (image->direction().inverse() * (world.head<2>() - image->origin_mm()))
                                 .cwiseQuotient(image->spacing_mm());
  return {xy.x(), xy.y()};
}

double CanvasTool::widgetLength(double pixels) const {
  const QPointF a = pixelAt(QPointF(0.0, 0.0));
  const QPointF b = pixelAt(QPointF(100.0, 0.0));
  const double perHundred = std::hypot(b.x() - a.x(), b.y() - a.y());
  return perHundred > 0.0 ? pixels * 100.0 / perHundred : pixels;
}

void CanvasTool::doubleClick(const QPointF&, QMouseEvent*) {}
void CanvasTool::hover(const QPointF&) {}
void CanvasTool::leave() {}
bool CanvasTool::key(QKeyEvent*) { return false; }

bool CanvasTool::eventFilter(QObject* watched, QEvent* event) {
  if (watched != view_ || !view_->image()) return false;
  switch (event->type()) {
    case QEvent::MouseButtonPress: {
      auto* me = static_cast<QMouseEvent*>(event);
      if (me->button() != Qt::LeftButton) return false;  // middle: pan, right: window/level
      view_->setFocus(Qt::MouseFocusReason);
      if (spaceHeld_) {
        // Space + drag pans (GIMP, Photoshop), through the view's own pan.
        panning_ = true;
        panLast_ = me->position();
        view_->setCursor(Qt::ClosedHandCursor);
        return true;
      }
      leftDown_ = true;
      press(pixelAt(me->position()), me);
      return true;
    }
    case QEvent::MouseButtonDblClick: {
      auto* me = static_cast<QMouseEvent*>(event);
      if (me->button() != Qt::LeftButton) return false;
      if (spaceHeld_) return true;
      doubleClick(pixelAt(me->position()), me);
      return true;
    }
    case QEvent::MouseMove: {
      auto* me = static_cast<QMouseEvent*>(event);
      const QPointF pixel = pixelAt(me->position());
      // The panel's readout follows the pointer (the crosshair itself is hidden).
      view_->setCrosshair(view_->worldAt(me->position()));
      if (panning_) {
        view_->panBy(panLast_, me->position());
        panLast_ = me->position();
        hover(pixel);
        return true;
      }
      if (leftDown_ && (me->buttons() & Qt::LeftButton)) {
        drag(pixel, me);
        return true;
      }
      hover(pixel);
      return false;  // the view may be panning (middle) or windowing (right)
    }
    case QEvent::MouseButtonRelease: {
      auto* me = static_cast<QMouseEvent*>(event);
      if (me->button() != Qt::LeftButton) return false;
      if (panning_) {
        panning_ = false;
        view_->setCursor(spaceHeld_ ? Qt::OpenHandCursor : Qt::CrossCursor);
        return true;
      }
      if (!leftDown_) return true;
      leftDown_ = false;
      release(pixelAt(me->position()), me);
      return true;
    }
    case QEvent::Wheel: {
      auto* we = static_cast<QWheelEvent*>(event);
      if (we->modifiers() & Qt::ControlModifier) return false;  // the view zooms
      // Plain wheel zooms too (about the pointer, like Ctrl+wheel): a photograph
      // has no slices to scroll through. Whole notches; the remainder is kept.
      wheelAccum_ += we->angleDelta().y();
      const int steps = wheelAccum_ / 120;
      wheelAccum_ -= steps * 120;
      if (steps != 0) view_->zoomAbout(std::pow(1.1, steps), we->position());
      return true;
    }
    case QEvent::KeyPress: {
      auto* ke = static_cast<QKeyEvent*>(event);
      const int step = (ke->modifiers() & Qt::ShiftModifier) ? 10 : 1;
      switch (ke->key()) {
        case Qt::Key_Space:
          if (!ke->isAutoRepeat()) {
            spaceHeld_ = true;
            view_->setCursor(Qt::OpenHandCursor);
          }
          return true;
        case Qt::Key_Left:
          session_->nudge(-step, 0);
          return true;
        case Qt::Key_Right:
          session_->nudge(step, 0);
          return true;
        case Qt::Key_Up:
          session_->nudge(0, -step);
          return true;
        case Qt::Key_Down:
          session_->nudge(0, step);
          return true;
        default:
          return key(ke);
      }
    }
    case QEvent::KeyRelease: {
      auto* ke = static_cast<QKeyEvent*>(event);
      if (ke->key() == Qt::Key_Space && !ke->isAutoRepeat()) {
        spaceHeld_ = false;
        view_->unsetCursor();
        view_->setCursor(Qt::CrossCursor);
        return true;
      }
      return false;
    }
    case QEvent::FocusOut:
      spaceHeld_ = false;
      return false;
    case QEvent::Leave:
      leave();
      return false;
    default:
      return false;
  }
}

}  // namespace harmonia
