#pragma once
// Study B drawn with study A in one SliceView, in one of the comparison modes
// (fade, flicker, checkerboard, difference, swipe, fusion; see
// core/compare/ComparisonDisplay.h for what each shows).
//
// The view shows study A; B comes resampled onto A's grid (NaN outside B's
// extent). The displayed slice of both is composed on the CPU into one opaque
// RGBA image one slice thick, placed on the view's slice like the ROI overlay
// (MaskSliceOverlay.h), so following the slice costs O(slice pixels). The
// overlay follows the view's slice and A's window/level by itself; B's window
// and the mode's parameters come from setParams().

#include <vtkSmartPointer.h>

#include <QMetaObject>
#include <memory>
#include <vector>

#include "core/compare/ComparisonDisplay.h"
#include "core/image/Volume.h"
#include "ui/view/ViewLayer.h"

class vtkImageData;
class vtkImageProperty;
class vtkImageSlice;
class vtkImageSliceMapper;

namespace harmonia {

/// Study B (on A's grid) composed with the view's study A, slice by slice.
class ComparisonOverlay : public ViewLayer {
 public:
  /// Creates an empty overlay on render-window layer `layer` (2 or more) of
  /// `view`, which must outlive it.
  ComparisonOverlay(SliceView* view, int layer);
  ~ComparisonOverlay() override;

  /// Study B on the view volume's grid (null: nothing drawn). Redraws when it changed.
  void setStudyB(std::shared_ptr<const Volume> bOnGridOfA);
  /// The mode and its parameters; the A window is taken from the view. Redraws.
  void setParams(const ComparisonDisplayParams& params);
  /// The parameters in force (A's window as last drawn).
  [[nodiscard]] const ComparisonDisplayParams& params() const { return params_; }
  /// Rebuilds the overlay for the view's current volume, orientation, slice and window.
  void refresh();
  /// True when the current slice is drawn (a mode other than side by side, B on A's grid).
  [[nodiscard]] bool hasContent() const { return hasContent_; }

 protected:
  /// Shows or hides the image prop.
  void applyVisibility(bool visible) override;

 private:
  std::shared_ptr<const Volume> b_;
  ComparisonDisplayParams params_;
  bool hasContent_ = false;
  vtkSmartPointer<vtkImageData> data_;
  vtkSmartPointer<vtkImageSliceMapper> mapper_;
  vtkSmartPointer<vtkImageProperty> property_;
  vtkSmartPointer<vtkImageSlice> slice_;
  std::vector<QMetaObject::Connection> connections_;
};

}  // namespace harmonia
