#include "ui/view/ImageOverlay.h"

#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cstring>

#include "core/image/Image2D.h"
#include "ui/view/VtkBridge.h"

namespace harmonia {

ImageOverlay::ImageOverlay(SliceView* view, int layer)
    : ViewLayer(view, layer),
      mapper_(vtkSmartPointer<vtkImageSliceMapper>::New()),
      property_(vtkSmartPointer<vtkImageProperty>::New()),
      slice_(vtkSmartPointer<vtkImageSlice>::New()),
      lut_(vtkSmartPointer<vtkLookupTable>::New()) {
  mapper_->SetOrientation(2);
  mapper_->SetSliceNumber(0);
  addImageSlice(mapper_, property_, slice_);
}

ImageOverlay::~ImageOverlay() { renderer()->RemoveViewProp(slice_); }

void ImageOverlay::attach(vtkImageData* data) {
  data_ = data;
  mapper_->SetInputData(data_);
  slice_->SetVisibility(isVisible() ? 1 : 0);
  redraw();
}

void ImageOverlay::setMask(const cv::Mat& mask, const QColor& colour, double opacity) {
  if (mask.empty()) {
    clear();
    return;
  }
  auto data = vtkSmartPointer<vtkImageData>::New();
  data->SetDimensions(mask.cols, mask.rows, 1);
  double s[2];
  pixelSize(s);
  double o[3];
  scenePoint(QPointF(0.0, 0.0), o);
  data->SetSpacing(s[0], s[1], 1.0);
  data->SetOrigin(o);
  data->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  data_ = data;  // updateMask writes into it
  updateMask(mask, QRect(0, 0, mask.cols, mask.rows));

  // Two colours over 0..255: below 128 transparent, from 128 the tint.
  lut_->SetNumberOfTableValues(2);
  lut_->SetTableRange(0.0, 255.0);
  lut_->SetTableValue(0, 0.0, 0.0, 0.0, 0.0);
  lut_->SetTableValue(1, colour.redF(), colour.greenF(), colour.blueF(), opacity);
  lut_->Build();
  property_->SetLookupTable(lut_);
  property_->UseLookupTableScalarRangeOn();
  attach(data);
}

void ImageOverlay::updateMask(const cv::Mat& mask, const QRect& rect) {
  if (!data_) return;
  int dims[3];
  data_->GetDimensions(dims);
  if (dims[0] != mask.cols || dims[1] != mask.rows) return;
  const QRect r = rect & QRect(0, 0, mask.cols, mask.rows);
  if (r.isEmpty()) return;
  auto* base = static_cast<unsigned char*>(data_->GetScalarPointer());
  for (int y = r.top(); y <= r.bottom(); ++y) {
    std::memcpy(base + static_cast<std::size_t>(y) * mask.cols + r.left(),
                mask.ptr<unsigned char>(y) + r.left(), static_cast<std::size_t>(r.width()));
  }
  data_->Modified();
  redraw();
}

void ImageOverlay::setPixels(const cv::Mat& pixels, const QPoint& topLeft, double window,
                             double level) {
  if (pixels.empty()) {
    clear();
    return;
  }
  vtkSmartPointer<vtkImageData> data = toVtkImage(Image2D::wrap(pixels));
  double s[2];
  pixelSize(s);
  double o[3];
  scenePoint(QPointF(topLeft), o);
  data->SetSpacing(s[0], s[1], 1.0);
  data->SetOrigin(o);
  property_->SetLookupTable(nullptr);
  property_->UseLookupTableScalarRangeOff();
  setWindowLevel(window, level);
  attach(data);
}

void ImageOverlay::setWindowLevel(double window, double level) {
  property_->SetColorWindow(window);
  property_->SetColorLevel(level);
  redraw();
}

void ImageOverlay::setOffset(const QPointF& pixels) {
  double s[2];
  pixelSize(s);
  slice_->SetPosition(pixels.x() * s[0], pixels.y() * s[1], 0.0);
  redraw();
}

QSize ImageOverlay::size() const {
  if (!data_) return {};
  int dims[3];
  data_->GetDimensions(dims);
  return {dims[0], dims[1]};
}

void ImageOverlay::clear() {
  data_ = nullptr;
  mapper_->SetInputData(nullptr);
  slice_->VisibilityOff();
  redraw();
}

void ImageOverlay::applyVisibility(bool visible) {
  slice_->SetVisibility(visible && data_ != nullptr ? 1 : 0);
}

}  // namespace harmonia
