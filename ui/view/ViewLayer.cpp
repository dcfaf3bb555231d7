#include "ui/view/ViewLayer.h"

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageData.h>
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

void ViewLayer::addRgbaSlice(vtkImageSliceMapper* mapper, vtkImageProperty* property,
                             vtkImageSlice* slice) const {
  // RGBA bytes are shown as they are: window 255 at level 127.5 is the identity.
  property->SetColorWindow(255.0);
  property->SetColorLevel(127.5);
  addImageSlice(mapper, property, slice);
}

ViewLayer::SlicePlane ViewLayer::currentPlane(const Geometry3D& g) const {
  SlicePlane p;
  p.n = view_->normalAxis();
  p.u = p.n == 0 ? 1 : 0;
  p.v = p.n == 2 ? 1 : 2;
  p.s = std::clamp(view_->slice(), 0, g.size[p.n] - 1);
  p.nu = g.size[p.u];
  p.nv = g.size[p.v];
  return p;
}

vtkSmartPointer<vtkImageData> ViewLayer::rgbaSlice(const Geometry3D& g, const SlicePlane& plane) {
  auto data = vtkSmartPointer<vtkImageData>::New();
  int extent[6] = {0, 0, 0, 0, 0, 0};
  extent[2 * plane.u + 1] = plane.nu - 1;
  extent[2 * plane.v + 1] = plane.nv - 1;
  extent[2 * plane.n] = plane.s;
  extent[2 * plane.n + 1] = plane.s;
  data->SetExtent(extent);
  data->SetSpacing(g.spacing_mm.data());
  data->SetOrigin(g.origin_mm.data());
  data->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  return data;
}

void ViewLayer::showSlice(vtkImageSliceMapper* mapper, vtkImageData* data,
                          const SlicePlane& plane) {
  mapper->SetInputData(data);
  mapper->SetOrientation(plane.n);
  mapper->SetSliceNumber(plane.s);
}

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
