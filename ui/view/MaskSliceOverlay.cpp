#include "ui/view/MaskSliceOverlay.h"

#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "ui/view/SliceView.h"

namespace harmonia {

namespace {

/// Straight-alpha RGBA, 0..1.
using Rgba = std::array<float, 4>;

/// `src` over `dst` (Porter-Duff, straight alpha).
void compositeOver(Rgba& dst, const QColor& colour, float alpha) {
  const float outA = alpha + dst[3] * (1.0F - alpha);
  if (outA <= 0.0F) return;
  const float src[3] = {static_cast<float>(colour.redF()), static_cast<float>(colour.greenF()),
                        static_cast<float>(colour.blueF())};
  for (int c = 0; c < 3; ++c) {
    dst[c] = (src[c] * alpha + dst[c] * dst[3] * (1.0F - alpha)) / outA;
  }
  dst[3] = outA;
}

}  // namespace

MaskSliceOverlay::MaskSliceOverlay(SliceView* view, int layer)
    : ViewLayer(view, layer),
      mapper_(vtkSmartPointer<vtkImageSliceMapper>::New()),
      property_(vtkSmartPointer<vtkImageProperty>::New()),
      slice_(vtkSmartPointer<vtkImageSlice>::New()) {
  addRgbaSlice(mapper_, property_, slice_);
  sliceConnection_ = QObject::connect(view, &SliceView::sliceChanged, [this] { refresh(); });
}

MaskSliceOverlay::~MaskSliceOverlay() {
  QObject::disconnect(sliceConnection_);
  renderer()->RemoveViewProp(slice_);
}

void MaskSliceOverlay::setMasks(std::vector<Mask> masks) {
  masks_ = std::move(masks);
  refresh();
}

void MaskSliceOverlay::setMaskVisible(int index, bool visible) {
  if (index < 0 || index >= static_cast<int>(masks_.size())) return;
  masks_[static_cast<std::size_t>(index)].visible = visible;
  refresh();
}

void MaskSliceOverlay::setFillOpacity(double opacity) {
  fillOpacity_ = std::clamp(opacity, 0.0, 1.0);
  refresh();
}

void MaskSliceOverlay::refresh() {
  hasContent_ = false;
  const std::shared_ptr<const Volume>& volume = view()->volume();
  if (!volume || masks_.empty()) {
    data_ = nullptr;
    mapper_->SetInputData(nullptr);
    slice_->VisibilityOff();
    redraw();
    return;
  }
  const Geometry3D& g = volume->geometry();
  const SlicePlane slice = currentPlane(g);
  const int nu = slice.nu;
  const int nv = slice.nv;
  const std::size_t pixels = slice.pixels();

  std::vector<Rgba> rgba(pixels, Rgba{0.0F, 0.0F, 0.0F, 0.0F});
  std::vector<std::uint8_t> plane(pixels);
  for (const Mask& m : masks_) {
    if (!m.visible || !m.mask || m.mask->geometry().size != g.size) continue;
    int idx[3] = {0, 0, 0};
    for (int b = 0; b < nv; ++b) {
      for (int a = 0; a < nu; ++a) {
        slice.voxel(a, b, idx);
        plane[static_cast<std::size_t>(a) + static_cast<std::size_t>(nu) * b] =
            m.mask->at(idx[0], idx[1], idx[2]) != 0 ? 1 : 0;
      }
    }
    const auto inside = [&](int a, int b) {
      return a >= 0 && b >= 0 && a < nu && b < nv &&
             plane[static_cast<std::size_t>(a) + static_cast<std::size_t>(nu) * b] != 0;
    };
    const auto fill = static_cast<float>(fillOpacity_);
    for (int b = 0; b < nv; ++b) {
      for (int a = 0; a < nu; ++a) {
        if (!inside(a, b)) continue;
        const bool edge =
            !inside(a - 1, b) || !inside(a + 1, b) || !inside(a, b - 1) || !inside(a, b + 1);
        const float alpha = edge ? 1.0F : fill;
        if (alpha > 0.0F) {
          compositeOver(rgba[static_cast<std::size_t>(a) + static_cast<std::size_t>(nu) * b],
                        m.colour, alpha);
        }
      }
    }
  }

  data_ = rgbaSlice(g, slice);
  auto* out = static_cast<std::uint8_t*>(data_->GetScalarPointer());
  for (std::size_t p = 0; p < pixels; ++p) {
    for (int c = 0; c < 4; ++c) {
      out[4 * p + static_cast<std::size_t>(c)] =
          static_cast<std::uint8_t>(std::lround(std::clamp(rgba[p][c], 0.0F, 1.0F) * 255.0F));
    }
    hasContent_ = hasContent_ || rgba[p][3] > 0.0F;
  }
  showSlice(mapper_, data_, slice);
  slice_->SetVisibility(isVisible() && hasContent_ ? 1 : 0);
  redraw();
}

void MaskSliceOverlay::applyVisibility(bool visible) {
  slice_->SetVisibility(visible && hasContent_ ? 1 : 0);
}

}  // namespace harmonia
