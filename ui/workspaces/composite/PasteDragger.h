#pragma once
// Moving the paste on the target view: drag anywhere to move it (a press
// where there is no paste yet puts the mask's centre there), Escape during a
// drag puts it back. The mask's outline follows the pointer at once; the
// blended preview follows as solves finish (PasteController).

#include <memory>
#include <optional>

#include "core/blend/PoissonProblem.h"
#include "ui/workspaces/composite/CanvasTool.h"

namespace harmonia {

class ImageOverlay;
class PathOverlay;

/// The paste tool of the target canvas, and the preview shown on it.
class PasteDragger : public CanvasTool {
  Q_OBJECT

 public:
  /// Moves `session`'s paste through `view` (the target view) and shows its preview there.
  PasteDragger(SliceView* view, CompositeSession* session, QObject* parent = nullptr);
  ~PasteDragger() override;

  /// Shows the blended preview (true) or the untouched target (false).
  void setPreviewVisible(bool visible);
  /// True when the preview is shown.
  [[nodiscard]] bool previewVisible() const;
  /// Shows or hides the mask outline on the target.
  void setOutlineVisible(bool visible);
  /// True while the left button drags the paste.
  [[nodiscard]] bool dragging() const { return dragging_; }

 protected:
  void press(const QPointF& pixel, QMouseEvent* event) override;
  void drag(const QPointF& pixel, QMouseEvent* event) override;
  void release(const QPointF& pixel, QMouseEvent* event) override;
  bool key(QKeyEvent* event) override;

 private:
  void showPreview();
  void showOutline();
  void followPlacement();

  std::unique_ptr<ImageOverlay> patch_;
  std::unique_ptr<PathOverlay> outline_;
  bool dragging_ = false;
  std::optional<Placement> dragFrom_;
  Placement dragStart_;
  QPointF pressPixel_;
};

}  // namespace harmonia
