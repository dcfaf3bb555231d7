#include "ui/workspaces/composite/MaskPainter.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <algorithm>
#include <cmath>

#include "ui/model/CompositeSession.h"
#include "ui/model/Document.h"
#include "ui/view/ImageOverlay.h"
#include "ui/view/PathOverlay.h"
#include "ui/view/SliceView.h"

namespace harmonia {

namespace {

const QColor kTint(255, 80, 40);
constexpr double kTintOpacity = 0.4;
/// Screen pixels within which a click closes the polygon on its first corner.
constexpr double kCloseDistance = 8.0;
/// Screen pixels a press must move to count as a freehand drag.
constexpr double kDragThreshold = 4.0;

MaskOp opFor(Qt::KeyboardModifiers modifiers) {
  if (modifiers & Qt::ShiftModifier) return MaskOp::Add;
  if (modifiers & Qt::ControlModifier) return MaskOp::Subtract;
  return MaskOp::Replace;
}

}  // namespace

MaskPainter::MaskPainter(SliceView* view, CompositeSession* session, QObject* parent)
    : CanvasTool(view, session, parent),
      tint_(std::make_unique<ImageOverlay>(view, 2)),
      outline_(std::make_unique<PathOverlay>(view, 3, QColor(255, 230, 90))),
      cursor_(std::make_unique<PathOverlay>(view, 4, QColor(120, 230, 255))) {
  view->setCrosshairVisible(false);
  MaskModel* mask = session_->mask();
  connect(mask, &MaskModel::changed, this, [this, mask](const QRect& rect) {
    if (tint_->size() != mask->size()) {
      rebuildOverlay();
    } else {
      tint_->updateMask(mask->mask(), rect);
    }
  });
  connect(mask, &MaskModel::edited, this, &MaskPainter::showOutline);
  // After the panel has shown the new source: overlays take its geometry.
  connect(session_->source(), &Document::changed, this, [this] {
    cancelLasso();
    rebuildOverlay();
    showOutline();
  });
  rebuildOverlay();
  showOutline();
}

MaskPainter::~MaskPainter() = default;

void MaskPainter::rebuildOverlay() {
  const cv::Mat& mask = session_->mask()->mask();
  const auto& image = view()->image();
  if (mask.empty() || !image || image->width() != mask.cols || image->height() != mask.rows) {
    tint_->clear();
    return;
  }
  tint_->setMask(mask, kTint, kTintOpacity);
}

void MaskPainter::showOutline() { outline_->setPaths(session_->mask()->outline(), true); }

void MaskPainter::setTool(Tool tool) {
  if (tool == tool_) return;
  cancelLasso();
  tool_ = tool;
  cursor_->clear();
}

void MaskPainter::setRadius(double radius) {
  radius = std::clamp(radius, 1.0, 1000.0);
  if (radius == radius_) return;
  radius_ = radius;
  if (tool_ != Tool::Lasso && cursor_->pathCount() > 0) cursor_->setCircle(last_, radius_);
  emit radiusChanged(radius_);
}

void MaskPainter::setMaskVisible(bool visible) { tint_->setVisible(visible); }

void MaskPainter::press(const QPointF& pixel, QMouseEvent* event) {
  if (session_->mask()->mask().empty()) return;
  if (tool_ != Tool::Lasso) {
    const bool erase = tool_ == Tool::Eraser;
    session_->mask()->beginEdit(erase ? tr("Erase") : tr("Brush stroke"));
    session_->mask()->stroke(pixel, pixel, radius_, erase);
    painting_ = true;
    last_ = pixel;
    return;
  }
  pressWidget_ = event->position();
  lassoDragging_ = true;
  if (!lassoOpen_) {
    lassoOpen_ = true;
    lassoFreehand_ = false;
    lassoOp_ = opFor(event->modifiers());
    lasso_ = QPolygonF{pixel};
  } else if (lasso_.size() >= 3 &&
             std::hypot(pixel.x() - lasso_.first().x(), pixel.y() - lasso_.first().y()) <=
                 kCloseDistance / std::max(1e-9, widgetLength(1.0))) {
    lassoDragging_ = false;
    closeLasso();
    return;
  } else {
    lasso_ << pixel;
  }
  showLasso(nullptr);
}

void MaskPainter::drag(const QPointF& pixel, QMouseEvent* event) {
  if (painting_) {
    session_->mask()->stroke(last_, pixel, radius_, tool_ == Tool::Eraser);
    last_ = pixel;
    cursor_->setCircle(pixel, radius_);
    return;
  }
  if (!lassoOpen_ || !lassoDragging_) return;
  const QPointF moved = event->position() - pressWidget_;
  if (lasso_.size() == 1 && std::hypot(moved.x(), moved.y()) >= kDragThreshold) {
    lassoFreehand_ = true;  // began with a drag: a freehand lasso
  }
  const QPointF d = pixel - lasso_.last();
  if (std::hypot(d.x(), d.y()) * widgetLength(1.0) >= 1.5) lasso_ << pixel;
  showLasso(nullptr);
}

void MaskPainter::release(const QPointF& pixel, QMouseEvent*) {
  if (painting_) {
    painting_ = false;
    session_->mask()->endEdit();
    cursor_->setCircle(pixel, radius_);
    return;
  }
  if (!lassoOpen_) return;
  lassoDragging_ = false;
  if (lassoFreehand_) closeLasso();
}

void MaskPainter::doubleClick(const QPointF&, QMouseEvent*) {
  if (tool_ == Tool::Lasso && lassoOpen_) {
    lassoDragging_ = false;
    closeLasso();
  }
}

void MaskPainter::hover(const QPointF& pixel) {
  last_ = pixel;
  if (tool_ == Tool::Lasso) {
    if (lassoOpen_ && !lassoDragging_) showLasso(&pixel);
    return;
  }
  cursor_->setCircle(pixel, radius_);
}

void MaskPainter::leave() {
  if (tool_ != Tool::Lasso) cursor_->clear();
}

bool MaskPainter::key(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_BracketLeft:
      setRadius(radius_ > 10.0 ? radius_ / 1.2 : radius_ - 1.0);
      return true;
    case Qt::Key_BracketRight:
      setRadius(radius_ >= 10.0 ? radius_ * 1.2 : radius_ + 1.0);
      return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
      if (!lassoOpen_) return false;
      closeLasso();
      return true;
    case Qt::Key_Escape:
      if (painting_) {
        painting_ = false;
        session_->mask()->cancelEdit();
        return true;
      }
      if (!lassoOpen_) return false;
      cancelLasso();
      return true;
    case Qt::Key_Backspace:
      if (!lassoOpen_) return false;
      if (lasso_.size() > 1) {
        lasso_.removeLast();
        showLasso(nullptr);
      } else {
        cancelLasso();
      }
      return true;
    default:
      return false;
  }
}

void MaskPainter::showLasso(const QPointF* rubberBand) {
  QPolygonF path = lasso_;
  if (rubberBand != nullptr) path << *rubberBand;
  cursor_->setPath(path, false);
}

void MaskPainter::closeLasso() {
  const QPolygonF polygon = lasso_;
  const MaskOp op = lassoOp_;
  lassoOpen_ = false;
  lasso_.clear();
  cursor_->clear();
  if (polygon.size() >= 3) session_->mask()->fillPolygon(polygon, op, tr("Lasso"));
}

void MaskPainter::cancelLasso() {
  if (!lassoOpen_) return;
  lassoOpen_ = false;
  lasso_.clear();
  cursor_->clear();
}

}  // namespace harmonia
