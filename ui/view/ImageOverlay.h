#pragma once
// An image drawn over a SliceView's image, pixel for pixel: a tinted mask
// (translucent colour where the mask is set) or a patch of pixels (shown with
// the view's window/level), optionally shifted by whole or fractional pixels.
// Shifting moves the prop, not the data, so it costs no texture upload.

#include <vtkSmartPointer.h>

#include <QColor>
#include <QPoint>
#include <QRect>
#include <QSize>
#include <opencv2/core/mat.hpp>

#include "ui/view/ViewLayer.h"

class vtkImageData;
class vtkImageProperty;
class vtkImageSlice;
class vtkImageSliceMapper;
class vtkLookupTable;

namespace harmonia {

/// A mask or pixel patch layered over a SliceView's 2-D image.
class ImageOverlay : public ViewLayer {
 public:
  /// Creates an empty overlay on render-window layer `layer` of `view`.
  ImageOverlay(SliceView* view, int layer);
  ~ImageOverlay() override;

  /// Shows `mask` (CV_8U, 0 or 255, the view image's size) tinted with
  /// `colour` at `opacity` (0..1) where set, transparent elsewhere.
  void setMask(const cv::Mat& mask, const QColor& colour, double opacity);
  /// Copies the pixels of `rect` from `mask` (same size as in setMask) into the overlay.
  void updateMask(const cv::Mat& mask, const QRect& rect);
  /// Shows `pixels` (CV_8U/16U/32F, 1, 3 or 4 channels) with their top-left
  /// pixel on view image pixel `topLeft`, under the given window/level.
  void setPixels(const cv::Mat& pixels, const QPoint& topLeft, double window, double level);
  /// Window and level for setPixels() overlays (follow the view's).
  void setWindowLevel(double window, double level);
  /// Shifts the overlay by `pixels` (view image pixels).
  void setOffset(const QPointF& pixels);
  /// Removes what is shown.
  void clear();
  /// Size in pixels of what is shown (empty when nothing is).
  [[nodiscard]] QSize size() const;
  /// True when something is shown (and visible).
  [[nodiscard]] bool hasContent() const { return data_ != nullptr; }

 protected:
  /// Shows or hides the image prop.
  void applyVisibility(bool visible) override;

 private:
  void attach(vtkImageData* data);

  vtkSmartPointer<vtkImageData> data_;
  vtkSmartPointer<vtkImageSliceMapper> mapper_;
  vtkSmartPointer<vtkImageProperty> property_;
  vtkSmartPointer<vtkImageSlice> slice_;
  vtkSmartPointer<vtkLookupTable> lut_;
};

}  // namespace harmonia
