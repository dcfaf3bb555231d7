#pragma once
// Label masks (RTSTRUCT ROIs, segmentations) drawn over a SliceView showing a
// volume: each mask on the volume's grid, in its own colour, as a one-voxel
// outline plus an optional translucent fill.
//
// The displayed slice of every visible mask is composited on the CPU into
// one RGBA image one slice thick, placed exactly on the view's slice in the
// view's (grid-order) scene; it follows the view's slice by itself. Only the
// displayed slice is touched, so following the slice costs O(slice pixels x
// masks), not O(voxels).

#include <vtkSmartPointer.h>

#include <QColor>
#include <QMetaObject>
#include <memory>
#include <vector>

#include "core/image/Volume.h"
#include "ui/view/ViewLayer.h"

class vtkImageData;
class vtkImageProperty;
class vtkImageSlice;
class vtkImageSliceMapper;

namespace harmonia {

/// Coloured masks layered over a SliceView's volume slice.
class MaskSliceOverlay : public ViewLayer {
 public:
  /// One mask and how it is drawn.
  struct Mask {
    std::shared_ptr<const MaskVolume> mask;  ///< nonzero = inside; the view volume's grid size
    QColor colour;                           ///< outline colour; the fill uses it translucent
    bool visible = true;                     ///< drawn or not
  };

  /// The render-window layer of the workspaces' ROI overlays (0: the slice, 1: the crosshair).
  static constexpr int kRoiLayer = 2;

  /// Creates an empty overlay on render-window layer `layer` (2 or more) of
  /// `view`, which must outlive it; it redraws when the view's slice changes.
  MaskSliceOverlay(SliceView* view, int layer);
  ~MaskSliceOverlay() override;

  /// Replaces the masks. Masks whose grid size differs from the view
  /// volume's are not drawn. Redraws.
  void setMasks(std::vector<Mask> masks);
  /// The masks, in drawing order (later ones on top).
  [[nodiscard]] const std::vector<Mask>& masks() const { return masks_; }
  /// Shows or hides mask `index`. Redraws.
  void setMaskVisible(int index, bool visible);
  /// Opacity of the fill inside the outlines (0: outlines only; default 0.35).
  void setFillOpacity(double opacity);
  /// The fill opacity.
  [[nodiscard]] double fillOpacity() const { return fillOpacity_; }
  /// Rebuilds the overlay for the view's current volume, orientation and slice.
  void refresh();
  /// True when at least one mask pixel is drawn on the current slice.
  [[nodiscard]] bool hasContent() const { return hasContent_; }

 protected:
  /// Shows or hides the image prop.
  void applyVisibility(bool visible) override;

 private:
  std::vector<Mask> masks_;
  double fillOpacity_ = 0.35;
  bool hasContent_ = false;
  vtkSmartPointer<vtkImageData> data_;
  vtkSmartPointer<vtkImageSliceMapper> mapper_;
  vtkSmartPointer<vtkImageProperty> property_;
  vtkSmartPointer<vtkImageSlice> slice_;
  QMetaObject::Connection sliceConnection_;
};

}  // namespace harmonia
