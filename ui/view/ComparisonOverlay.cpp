#include "ui/view/ComparisonOverlay.h"

#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <array>

#include "ui/view/SliceView.h"

namespace harmonia {

ComparisonOverlay::ComparisonOverlay(SliceView* view, int layer)
    : ViewLayer(view, layer),
      mapper_(vtkSmartPointer<vtkImageSliceMapper>::New()),
      property_(vtkSmartPointer<vtkImageProperty>::New()),
      slice_(vtkSmartPointer<vtkImageSlice>::New()) {
  // RGBA bytes are shown as they are: window 255 at level 127.5 is the identity.
  property_->SetColorWindow(255.0);
  property_->SetColorLevel(127.5);
  addImageSlice(mapper_, property_, slice_);
  connections_.push_back(QObject::connect(view, &SliceView::sliceChanged, [this] { refresh(); }));
  connections_.push_back(
      QObject::connect(view, &SliceView::windowLevelChanged, [this] { refresh(); }));
}

ComparisonOverlay::~ComparisonOverlay() {
  for (const auto& c : connections_) QObject::disconnect(c);
  renderer()->RemoveViewProp(slice_);
}

void ComparisonOverlay::setStudyB(std::shared_ptr<const Volume> bOnGridOfA) {
  b_ = std::move(bOnGridOfA);
  refresh();
}

void ComparisonOverlay::setParams(const ComparisonDisplayParams& params) {
  params_ = params;
  refresh();
}

void ComparisonOverlay::refresh() {
  hasContent_ = false;
  const std::shared_ptr<const Volume>& a = view()->volume();
  if (!a || !b_ || params_.mode == ComparisonMode::SideBySide ||
      b_->geometry().size != a->geometry().size) {
    data_ = nullptr;
    mapper_->SetInputData(nullptr);
    slice_->VisibilityOff();
    redraw();
    return;
  }
  params_.a = {view()->window(), view()->level()};
  const SliceView::ViewAxes axes = view()->axes();
  const Geometry3D& g = a->geometry();
  const int n = view()->normalAxis();
  const int u = n == 0 ? 1 : 0;  // in-plane axes, u < v: VTK stores u fastest; u is horizontal
  const int v = n == 2 ? 1 : 2;
  const int s = std::clamp(view()->slice(), 0, g.size[n] - 1);
  // The swipe divider runs across the screen, whichever grid axis that is.
  params_.swipe_axis = axes.rightAxis == u ? 0 : 1;
  params_.swipe_reversed = axes.right[axes.rightAxis] < 0.0;
  const int nu = g.size[u];
  const int nv = g.size[v];
  const std::size_t pixels = static_cast<std::size_t>(nu) * static_cast<std::size_t>(nv);
  std::vector<float> planeA(pixels);
  std::vector<float> planeB(pixels);
  std::array<int, 3> idx{0, 0, 0};
  idx[n] = s;
  for (int y = 0; y < nv; ++y) {
    idx[v] = y;
    for (int x = 0; x < nu; ++x) {
      idx[u] = x;
      const std::size_t p = static_cast<std::size_t>(x) + static_cast<std::size_t>(nu) * y;
      planeA[p] = a->at(idx[0], idx[1], idx[2]);
      planeB[p] = b_->at(idx[0], idx[1], idx[2]);
    }
  }
  auto data = vtkSmartPointer<vtkImageData>::New();
  int extent[6] = {0, 0, 0, 0, 0, 0};
  extent[2 * u + 1] = nu - 1;
  extent[2 * v + 1] = nv - 1;
  extent[2 * n] = s;
  extent[2 * n + 1] = s;
  data->SetExtent(extent);
  data->SetSpacing(g.spacing_mm.data());
  data->SetOrigin(g.origin_mm.data());
  data->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  auto* out = static_cast<std::uint8_t*>(data->GetScalarPointer());
  composeComparisonSlice(planeA, planeB, nu, nv, g.spacing_mm[u], g.spacing_mm[v], params_,
                         std::span<std::uint8_t>(out, 4 * pixels));
  hasContent_ = true;
  data_ = data;
  mapper_->SetInputData(data_);
  mapper_->SetOrientation(n);
  mapper_->SetSliceNumber(s);
  slice_->SetVisibility(isVisible() ? 1 : 0);
  redraw();
}

void ComparisonOverlay::applyVisibility(bool visible) {
  slice_->SetVisibility(visible && hasContent_ ? 1 : 0);
}

}  // namespace harmonia
