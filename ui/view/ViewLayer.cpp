#include "ui/view/ViewLayer.h"

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>

#include <algorithm>

#include "ui/view/SliceView.h"

namespace harmonia {

ViewLayer::ViewLayer(SliceView* view, int layer)
    : view_(view), renderer_(vtkSmartPointer<vtkRenderer>::New()) {
  vtkGenericOpenGLRenderWindow* window = view_->renderWindow();
  // SliceView adds its image renderer first; its camera is the one to share.
  vtkRenderer* base = window->GetRenderers()->GetFirstRenderer();
  renderer_->SetActiveCamera(base->GetActiveCamera());
  renderer_->SetLayer(layer);
  renderer_->InteractiveOff();
  window->SetNumberOfLayers(std::max(window->GetNumberOfLayers(), layer + 1));
  window->AddRenderer(renderer_);
}

ViewLayer::~ViewLayer() { view_->renderWindow()->RemoveRenderer(renderer_); }

vtkRenderer* ViewLayer::renderer() const { return renderer_; }

void ViewLayer::setVisible(bool visible) {
  visible_ = visible;
  applyVisibility(visible);
  redraw();
}

void ViewLayer::scenePoint(const QPointF& p, double out[3]) const {
  const auto& image = view_->image();
  const double ox = image ? image->origin_mm().x() : 0.0;
  const double oy = image ? image->origin_mm().y() : 0.0;
  double s[2];
  pixelSize(s);
  out[0] = ox + s[0] * p.x();
  out[1] = oy + s[1] * p.y();
  out[2] = 0.0;
}

void ViewLayer::pixelSize(double out[2]) const {
  const auto& image = view_->image();
  out[0] = image ? image->spacing_mm().x() : 1.0;
  out[1] = image ? image->spacing_mm().y() : 1.0;
}

void ViewLayer::redraw() const { view_->update(); }

void ViewLayer::addImageSlice(vtkImageSliceMapper* mapper, vtkImageProperty* property,
                              vtkImageSlice* slice) const {
  mapper->SliceFacesCameraOff();
  mapper->SliceAtFocalPointOff();
  mapper->BorderOn();  // whole pixels, like the image underneath
  property->SetInterpolationTypeToNearest();
  slice->SetMapper(mapper);
  slice->SetProperty(property);
  slice->VisibilityOff();
  slice->PickableOff();
  renderer()->AddViewProp(slice);
}

}  // namespace harmonia
