#include "ui/workspaces/composite/PasteDragger.h"

#include <QKeyEvent>
#include <cmath>

#include "ui/model/CompositeSession.h"
#include "ui/model/Document.h"
#include "ui/model/MaskModel.h"
#include "ui/model/PasteController.h"
#include "ui/view/ImageOverlay.h"
#include "ui/view/PathOverlay.h"
#include "ui/view/SliceView.h"

namespace harmonia {

PasteDragger::PasteDragger(SliceView* view, CompositeSession* session, QObject* parent)
    : CanvasTool(view, session, parent),
      patch_(std::make_unique<ImageOverlay>(view, 2)),
      outline_(std::make_unique<PathOverlay>(view, 3, QColor(255, 230, 90, 200))) {
  view->setCrosshairVisible(false);
  PasteController* paste = session_->paste();
  connect(paste, &PasteController::previewChanged, this, &PasteDragger::showPreview);
  connect(paste, &PasteController::placementChanged, this, &PasteDragger::followPlacement);
  connect(session_->mask(), &MaskModel::edited, this, &PasteDragger::showOutline);
  connect(view, &SliceView::windowLevelChanged, this,
          [this](double window, double level) { patch_->setWindowLevel(window, level); });
  // After the panel has shown the new target: overlays take its geometry.
  connect(session_->target(), &Document::changed, this, [this] {
    showOutline();
    showPreview();
  });
  showOutline();
  showPreview();
}

PasteDragger::~PasteDragger() = default;

void PasteDragger::setPreviewVisible(bool visible) { patch_->setVisible(visible); }

bool PasteDragger::previewVisible() const { return patch_->isVisible(); }

void PasteDragger::setOutlineVisible(bool visible) { outline_->setVisible(visible); }

void PasteDragger::showPreview() {
  const PastePreview& preview = session_->paste()->preview();
  if (!preview.placement || preview.patch.empty() || !view()->image()) {
    patch_->clear();
    return;
  }
  patch_->setPixels(preview.patch, preview.rect.topLeft(), view()->window(), view()->level());
}

void PasteDragger::showOutline() {
  outline_->clear();
  followPlacement();
}

void PasteDragger::followPlacement() {
  const PasteController* paste = session_->paste();
  const std::optional<Placement> at = paste->placement();
  if (!at || !paste->isReady() || !view()->image()) {
    outline_->clear();
  } else {
    if (outline_->pathCount() == 0) outline_->setPaths(session_->mask()->outline(), true);
    outline_->setOffset(QPointF(at->x, at->y));
  }
  view()->setCursor(paste->isReady() ? Qt::SizeAllCursor : Qt::CrossCursor);
}

void PasteDragger::press(const QPointF& pixel, QMouseEvent*) {
  PasteController* paste = session_->paste();
  if (!paste->isReady()) return;
  dragging_ = true;
  dragFrom_ = paste->placement();
  pressPixel_ = pixel;
  if (dragFrom_) {
    dragStart_ = *dragFrom_;
  } else {
    dragStart_ = paste->placementCentredAt(pixel);  // no paste yet: put it here
    paste->setPlacement(dragStart_);
  }
}

void PasteDragger::drag(const QPointF& pixel, QMouseEvent*) {
  if (!dragging_) return;
  const QPointF d = pixel - pressPixel_;
  session_->paste()->setPlacement(Placement{dragStart_.x + static_cast<int>(std::lround(d.x())),
                                            dragStart_.y + static_cast<int>(std::lround(d.y()))});
}

void PasteDragger::release(const QPointF& pixel, QMouseEvent* event) {
  if (!dragging_) return;
  drag(pixel, event);
  dragging_ = false;
  session_->finishDrag(dragFrom_);
}

bool PasteDragger::key(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape && dragging_) {
    dragging_ = false;
    session_->paste()->setPlacement(dragFrom_);
    return true;
  }
  return false;
}

}  // namespace harmonia
