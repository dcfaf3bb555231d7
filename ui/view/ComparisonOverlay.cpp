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
  addRgbaSlice(mapper_, property_, slice_);
  connections_.push_back(QObject::connect(view, &SliceView::sliceChanged, [this] { refresh(); }));
  connections_.push_back(
      QObject::connect(view, &SliceView::windowLevelChanged, [this] { refresh(); }));
}

ComparisonOverlay::~ComparisonOverlay() {
  for (const auto& c : connections_) QObject::disconnect(c);
  renderer()->RemoveViewProp(slice_);
}

void ComparisonOverlay::setStudyB(std::shared_ptr<const Volume> bOnGridOfA) {
  if (bOnGridOfA == b_) return;  // the same study: setParams() redraws if needed
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
  const Geometry3D& g = a->geometry();
  const SlicePlane plane = currentPlane(g);
  // The swipe divider runs across the screen, whichever grid axis that is.
  const SliceView::ViewAxes axes = view()->axes();
  params_.swipe_axis = axes.right_axis == plane.u ? 0 : 1;
  params_.swipe_reversed = axes.right[axes.right_axis] < 0.0;
  std::vector<float> planeA(plane.pixels());
  std::vector<float> planeB(plane.pixels());
  int idx[3] = {0, 0, 0};
  for (int y = 0; y < plane.nv; ++y) {
    for (int x = 0; x < plane.nu; ++x) {
      plane.voxel(x, y, idx);
      const std::size_t p = static_cast<std::size_t>(x) + static_cast<std::size_t>(plane.nu) * y;
      planeA[p] = a->at(idx[0], idx[1], idx[2]);
      planeB[p] = b_->at(idx[0], idx[1], idx[2]);
    }
  }
  data_ = rgbaSlice(g, plane);
  auto* out = static_cast<std::uint8_t*>(data_->GetScalarPointer());
  composeComparisonSlice(planeA, planeB, plane.nu, plane.nv, g.spacing_mm[plane.u],
                         g.spacing_mm[plane.v], params_,
                         std::span<std::uint8_t>(out, 4 * plane.pixels()));
  hasContent_ = true;
  showSlice(mapper_, data_, plane);
  slice_->SetVisibility(isVisible() ? 1 : 0);
  redraw();
}

void ComparisonOverlay::applyVisibility(bool visible) {
  slice_->SetVisibility(visible && hasContent_ ? 1 : 0);
}

}  // namespace harmonia
