// SliceView's mouse, wheel and key handling (the bindings are listed in
// SliceView.h): each gesture becomes a model call.

#include <vtkImageData.h>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ui/view/SliceView.h"

namespace harmonia {

bool SliceView::handleEvent(QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
      startDrag(static_cast<QMouseEvent*>(event));
      return true;
    case QEvent::MouseMove:
      continueDrag(static_cast<QMouseEvent*>(event));
      return true;
    case QEvent::MouseButtonRelease:
      endDrag();
      return true;
    case QEvent::Wheel:
      wheel(static_cast<QWheelEvent*>(event));
      return true;
    case QEvent::KeyPress:
      return keyPress(static_cast<QKeyEvent*>(event));
    case QEvent::ContextMenu:
      return true;  // the right button adjusts window/level here
    default:
      return false;
  }
}

void SliceView::startDrag(QMouseEvent* me) {
  if (!data_) {
    return;
  }
  dragStart_ = dragLast_ = me->position();
  const bool shift = me->modifiers() & Qt::ShiftModifier;
  if (me->button() == Qt::MiddleButton || (me->button() == Qt::LeftButton && shift)) {
    drag_ = Drag::Pan;
    setCursor(Qt::ClosedHandCursor);
  } else if (me->button() == Qt::RightButton) {
    drag_ = Drag::WindowLevel;
    dragWindow_ = model_->window();
    dragLevel_ = model_->level();
    setCursor(Qt::SizeAllCursor);
  } else if (me->button() == Qt::LeftButton && model_->tool() == Tool::Line) {
    drag_ = Drag::Line;
    const Eigen::Vector3d at = worldAt(me->position());
    model_->setLine(at, at);
  } else if (me->button() == Qt::LeftButton) {
    drag_ = Drag::Crosshair;
    model_->setCrosshairOnSlice(indexOfVtkPoint(vtkPointAt(me->position())));
  }
}

void SliceView::continueDrag(QMouseEvent* me) {
  if (!data_) {  // cleared while dragging
    drag_ = Drag::None;
    return;
  }
  const QPointF pos = me->position();
  switch (drag_) {
    case Drag::Crosshair:
      model_->setCrosshairOnSlice(indexOfVtkPoint(vtkPointAt(pos)));
      break;
    case Drag::Line:
      if (model_->line()) model_->setLine(model_->line()->first, worldAt(pos));
      break;
    case Drag::Pan:
      panBy(dragLast_, pos);
      break;
    case Drag::WindowLevel:
      dragWindowLevel(pos);
      break;
    case Drag::None:
      break;
  }
  dragLast_ = pos;
}

void SliceView::dragWindowLevel(const QPointF& pos) {
  const double dx = (pos.x() - dragStart_.x()) / std::max(1, width());
  const double dy = (pos.y() - dragStart_.y()) / std::max(1, height());
  // Right widens the window; up raises the level (Slicer, ITK-SNAP).
  const double span = model_->dataSpan();
  model_->setWindowLevel(dragWindow_ + dx * span, dragLevel_ - dy * span);
}

void SliceView::endDrag() {
  if (drag_ == Drag::Line && model_->line()) {
    drag_ = Drag::None;
    const auto line = *model_->line();
    emit lineDrawn(line.first, line.second);
    return;
  }
  if (drag_ != Drag::None) {
    drag_ = Drag::None;
    setCursor(model_->tool() == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
  }
}

void SliceView::wheel(QWheelEvent* we) {
  wheelAccum_ += we->angleDelta().y();
  const int steps = wheelAccum_ / 120;  // whole notches; keep the remainder
  wheelAccum_ -= steps * 120;
  if (steps == 0) {
    return;
  }
  if (we->modifiers() & Qt::ControlModifier) {
    const QPointF anchor = we->position();
    zoomBy(std::pow(1.1, steps), &anchor);
  } else {
    model_->setSlice(model_->slice() + steps);
  }
}

bool SliceView::keyPress(QKeyEvent* ke) {
  if (nudgeKey(ke)) {
    return true;
  }
  switch (ke->key()) {
    case Qt::Key_Up:
      model_->setSlice(model_->slice() + 1);
      return true;
    case Qt::Key_Down:
      model_->setSlice(model_->slice() - 1);
      return true;
    case Qt::Key_PageUp:
      model_->setSlice(model_->slice() + 10);
      return true;
    case Qt::Key_PageDown:
      model_->setSlice(model_->slice() - 10);
      return true;
    case Qt::Key_Home:
      model_->setSlice(0);
      return true;
    case Qt::Key_End:
      model_->setSlice(model_->sliceCount() - 1);
      return true;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomBy(1.25, nullptr);
      return true;
    case Qt::Key_Minus:
      zoomBy(0.8, nullptr);
      return true;
    case Qt::Key_R:
      resetCamera();
      return true;
    default:
      return false;
  }
}

bool SliceView::nudgeKey(QKeyEvent* ke) {
  const int key = ke->key();
  if (!(ke->modifiers() & Qt::AltModifier) || !model_->volume() ||
      (key != Qt::Key_Left && key != Qt::Key_Right && key != Qt::Key_Up && key != Qt::Key_Down)) {
    return false;
  }
  // Alt+arrows ask to move something by 1 mm on screen (10 mm with Shift):
  // Compare nudges study B. The screen's directions in world millimetres:
  const ViewAxes a = axes();
  const Eigen::Matrix3d& d = model_->volume()->geometry().direction;
  const double step = (ke->modifiers() & Qt::ShiftModifier) ? 10.0 : 1.0;
  const Eigen::Vector3d right = d * a.right;
  const Eigen::Vector3d up = d * a.up;
  const Eigen::Vector3d delta = key == Qt::Key_Left    ? Eigen::Vector3d(-step * right)
                                : key == Qt::Key_Right ? Eigen::Vector3d(step * right)
                                : key == Qt::Key_Up    ? Eigen::Vector3d(step * up)
                                                       : Eigen::Vector3d(-step * up);
  emit nudgeRequested(delta);
  return true;
}

}  // namespace harmonia
