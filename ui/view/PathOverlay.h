#pragma once
// Lines drawn over a SliceView's image in image pixel coordinates: a mask's
// outline, a lasso being drawn, the brush footprint. Always on top, one
// screen pixel wide whatever the zoom.

#include <vtkSmartPointer.h>

#include <QColor>
#include <QPolygonF>
#include <vector>

#include "ui/view/ViewLayer.h"

class vtkActor;
class vtkPolyData;

namespace harmonia {

/// Polylines layered over a SliceView's 2-D image.
class PathOverlay : public ViewLayer {
 public:
  /// Creates an empty overlay on render-window layer `layer` of `view`, drawn in `colour`.
  PathOverlay(SliceView* view, int layer, const QColor& colour);
  ~PathOverlay() override;

  /// Shows `paths` (image pixel coordinates); `closed` joins each path's ends.
  void setPaths(const std::vector<QPolygonF>& paths, bool closed);
  /// Shows one path.
  void setPath(const QPolygonF& path, bool closed);
  /// Shows a circle of `radius` pixels around `centre`.
  void setCircle(const QPointF& centre, double radius);
  /// Shifts the paths by `pixels` (view image pixels).
  void setOffset(const QPointF& pixels);
  /// Removes the paths.
  void clear();
  /// Number of paths shown.
  [[nodiscard]] int pathCount() const { return pathCount_; }

 protected:
  /// Shows or hides the lines.
  void applyVisibility(bool visible) override;

 private:
  vtkSmartPointer<vtkPolyData> data_;
  vtkSmartPointer<vtkActor> actor_;
  int pathCount_ = 0;
};

}  // namespace harmonia
