#pragma once
// Mask editing on the source view: brush, eraser and lasso/polygon, with the
// mask shown as a translucent tint and its outline, the brush footprint
// following the pointer, and the lasso drawn as it grows.
//
//   Brush/Eraser: drag paints/erases; [ and ] shrink/grow the brush.
//   Lasso: drag draws freehand and closes on release; clicks add polygon
//   corners, closed by a double click, Enter or a click on the first corner;
//   Backspace removes the last corner, Escape cancels. Shift adds to the
//   mask, Ctrl subtracts, neither replaces it (as selections do).

#include <QPolygonF>
#include <memory>

#include "ui/model/MaskModel.h"
#include "ui/workspaces/composite/CanvasTool.h"

namespace harmonia {

class ImageOverlay;
class PathOverlay;

/// The mask tools of the source canvas.
class MaskPainter : public CanvasTool {
  Q_OBJECT

 public:
  /// The tools.
  enum class Tool { Brush, Eraser, Lasso };
  Q_ENUM(Tool)

  /// Edits `session`'s mask through `view` (the source view).
  MaskPainter(SliceView* view, CompositeSession* session, QObject* parent = nullptr);
  ~MaskPainter() override;

  /// Chooses the tool (an open lasso is cancelled).
  void setTool(Tool tool);
  /// The current tool.
  [[nodiscard]] Tool tool() const { return tool_; }
  /// Sets the brush radius in source pixels (clamped to 1..1000).
  void setRadius(double radius);
  /// The brush radius in source pixels.
  [[nodiscard]] double radius() const { return radius_; }
  /// Shows or hides the mask tint (the outline stays).
  void setMaskVisible(bool visible);
  /// True while a lasso/polygon is being drawn.
  [[nodiscard]] bool lassoOpen() const { return lassoOpen_; }

 signals:
  /// The radius changed (keys [ and ]).
  void radiusChanged(double radius);

 protected:
  void press(const QPointF& pixel, QMouseEvent* event) override;
  void drag(const QPointF& pixel, QMouseEvent* event) override;
  void release(const QPointF& pixel, QMouseEvent* event) override;
  void doubleClick(const QPointF& pixel, QMouseEvent* event) override;
  void hover(const QPointF& pixel) override;
  void leave() override;
  bool key(QKeyEvent* event) override;

 private:
  void rebuildOverlay();
  void showOutline();
  void showLasso(const QPointF* rubberBand);
  void closeLasso();
  void cancelLasso();

  std::unique_ptr<ImageOverlay> tint_;
  std::unique_ptr<PathOverlay> outline_;
  std::unique_ptr<PathOverlay> cursor_;
  Tool tool_ = Tool::Brush;
  double radius_ = 20.0;
  bool painting_ = false;
  QPointF last_;
  QPolygonF lasso_;
  bool lassoOpen_ = false;
  bool lassoFreehand_ = false;  ///< the lasso began with a drag: release closes it
  bool lassoDragging_ = false;
  QPointF pressWidget_;
  MaskOp lassoOp_ = MaskOp::Replace;
};

}  // namespace harmonia
