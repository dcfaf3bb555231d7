#pragma once
// The paste mask drawn on the source: one byte per source pixel, 0 (out) or
// 255 (in), edited by brush, eraser, lasso/polygon, invert, clear and loaded
// mask images.
//
// Every edit is undoable: an edit opens with beginEdit(), changes pixels
// (changed() is emitted for each dab so the overlay follows the pointer) and
// closes with endEdit(), which pushes one MaskEditCommand holding only the
// touched rectangle before and after. edited() is emitted once per finished
// edit, undo or redo: that is when the paste re-solves with the new mask.

#include <QObject>
#include <QPolygonF>
#include <QRect>
#include <QSize>
#include <QString>
#include <functional>
#include <opencv2/core/mat.hpp>
#include <vector>

#include "core/image/Image2D.h"

class QUndoStack;

namespace harmonia {

/// How a filled shape combines with the mask.
enum class MaskOp {
  Replace,  ///< the shape becomes the mask
  Add,      ///< the shape is added to the mask
  Subtract  ///< the shape is removed from the mask
};

/// The source's paste mask, with undoable edits.
class MaskModel : public QObject {
  Q_OBJECT

 public:
  /// Creates an empty (0 x 0) mask; edits are pushed on `undo` (not owned, may be null).
  explicit MaskModel(QUndoStack* undo, QObject* parent = nullptr);

  /// Replaces the mask with an empty one of `size` (not undoable: a new source).
  void reset(const QSize& size);
  /// Mask size in pixels (the source's size).
  [[nodiscard]] QSize size() const { return {mask_.cols, mask_.rows}; }
  /// The mask, CV_8U, 0 or 255 per pixel.
  [[nodiscard]] const cv::Mat& mask() const { return mask_; }
  /// True when no pixel is in the mask.
  [[nodiscard]] bool isEmpty() const;
  /// Bounding box of the masked pixels (empty when the mask is).
  [[nodiscard]] QRect boundingRect() const;
  /// The mask's outlines (outer edges and holes) through boundary pixel centres.
  [[nodiscard]] std::vector<QPolygonF> outline() const;
  /// A copy as an 8-bit grey Image2D (0/255), what core's Compositor takes.
  [[nodiscard]] Image2D toImage() const;

  /// Opens an undoable edit named `text` (nested calls are ignored).
  void beginEdit(const QString& text);
  /// Closes the edit: pushes its command when pixels changed; emits edited().
  void endEdit();
  /// Drops the open edit and restores the mask as it was at beginEdit().
  void cancelEdit();
  /// True between beginEdit() and endEdit()/cancelEdit().
  [[nodiscard]] bool isEditing() const { return editing_; }

  /// Paints (or erases) a round brush along the segment from..to, pixel coordinates.
  void stroke(const QPointF& from, const QPointF& to, double radius, bool erase);
  /// Fills a closed polygon (pixel coordinates) with `op`; one undo step.
  void fillPolygon(const QPolygonF& polygon, MaskOp op, const QString& text);
  /// Fills an axis-aligned ellipse (pixel coordinates) with `op`; one undo step.
  void fillEllipse(const QPointF& centre, double rx, double ry, MaskOp op, const QString& text);
  /// Inverts the mask; one undo step.
  void invert();
  /// Empties the mask; one undo step.
  void clear();
  /// Sets every pixel; one undo step.
  void selectAll();
  /// Loads a mask image (first channel >= half of full scale is in:
  /// core/image/Mask2D.h); one undo step. Returns false with `error` set when its size
  /// differs from the source's.
  bool load(const Image2D& image, QString* error = nullptr);

  /// Copy of the pixels in `rect` (for undo).
  [[nodiscard]] cv::Mat region(const QRect& rect) const;
  /// Writes `pixels` into `rect` and emits changed() and edited() (undo/redo).
  void restoreRegion(const QRect& rect, const cv::Mat& pixels);

 signals:
  /// Pixels in `rect` changed (during an edit too).
  void changed(const QRect& rect);
  /// An edit finished, or was undone or redone: the mask is stable again.
  void edited();

 private:
  void touch(const QRect& rect);
  void wholeEdit(const QString& text, const std::function<void(cv::Mat&)>& op);

  QUndoStack* undo_;
  cv::Mat mask_;
  cv::Mat before_;  ///< the mask at beginEdit()
  QRect dirty_;     ///< pixels touched by the open edit
  QString editText_;
  bool editing_ = false;
};

}  // namespace harmonia
