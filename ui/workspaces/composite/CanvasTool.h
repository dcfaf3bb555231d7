#pragma once
// The interaction layer of a Composite canvas: an event filter on a
// SliceView that turns pointer and key input into intents on the model
// (mask strokes, paste moves) and leaves navigation to the view.
//
// Shared by every canvas tool:
//   wheel: zoom about the pointer (Ctrl+wheel too);  Space+drag, middle
//   drag: pan;  right drag: window/level (the view's own);  arrows: nudge
//   the paste 1 px (Shift: 10 px). The panel's readout follows the pointer.
// Subclasses get left-button presses, drags and releases, hover and keys in
// image pixel coordinates.

#include <QObject>
#include <QPointF>

class QKeyEvent;
class QMouseEvent;

namespace harmonia {

class CompositeSession;
class SliceView;

/// Base of the Composite canvas tools: an event filter on one SliceView.
class CanvasTool : public QObject {
  Q_OBJECT

 public:
  /// Filters `view`'s events (the view must outlive the tool); acts on `session`.
  CanvasTool(SliceView* view, CompositeSession* session, QObject* parent = nullptr);

  /// The view this tool works on.
  [[nodiscard]] SliceView* view() const { return view_; }
  /// Image pixel coordinates (x right, y down, centres at integers) under a widget position.
  [[nodiscard]] QPointF pixelAt(const QPointF& widgetPos) const;
  /// Widget distance covered by `pixels` image pixels at the current zoom.
  [[nodiscard]] double widgetLength(double pixels) const;

 protected:
  /// Dispatches the view's input to the handlers below.
  bool eventFilter(QObject* watched, QEvent* event) override;

  /// Left button pressed at image pixel `pixel`.
  virtual void press(const QPointF& pixel, QMouseEvent* event) = 0;
  /// Pointer moved with the left button down.
  virtual void drag(const QPointF& pixel, QMouseEvent* event) = 0;
  /// Left button released.
  virtual void release(const QPointF& pixel, QMouseEvent* event) = 0;
  /// Left double click (after its press/release pair).
  virtual void doubleClick(const QPointF& pixel, QMouseEvent* event);
  /// Pointer moved with no button down (or panning).
  virtual void hover(const QPointF& pixel);
  /// The pointer left the view.
  virtual void leave();
  /// A key the base class does not use; return true when consumed.
  virtual bool key(QKeyEvent* event);

  CompositeSession* session_;

 private:
  SliceView* view_;
  bool spaceHeld_ = false;
  bool panning_ = false;
  bool leftDown_ = false;
  QPointF panLast_;     ///< last pointer position of a space-drag pan
  int wheelAccum_ = 0;  ///< wheel angle not yet turned into a zoom step
};

}  // namespace harmonia
