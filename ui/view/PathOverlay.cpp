#include "ui/view/PathOverlay.h"

#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace harmonia {

PathOverlay::PathOverlay(SliceView* view, int layer, const QColor& colour)
    : ViewLayer(view, layer),
      data_(vtkSmartPointer<vtkPolyData>::New()),
      actor_(vtkSmartPointer<vtkActor>::New()) {
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(data_);
  actor_->SetMapper(mapper);
  actor_->GetProperty()->SetColor(colour.redF(), colour.greenF(), colour.blueF());
  actor_->GetProperty()->SetOpacity(colour.alphaF());
  actor_->GetProperty()->SetLineWidth(1.0);
  actor_->GetProperty()->LightingOff();
  actor_->PickableOff();
  actor_->VisibilityOff();
  renderer()->AddActor(actor_);
}

PathOverlay::~PathOverlay() { renderer()->RemoveActor(actor_); }

void PathOverlay::setPaths(const std::vector<QPolygonF>& paths, bool closed) {
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  pathCount_ = 0;
  for (const QPolygonF& path : paths) {
    if (path.size() < 2) continue;
    const vtkIdType first = points->GetNumberOfPoints();
    for (const QPointF& p : path) {
      double x[3];
      scenePoint(p, x);
      points->InsertNextPoint(x);
    }
    const vtkIdType n = path.size();
    lines->InsertNextCell(n + (closed ? 1 : 0));
    for (vtkIdType i = 0; i < n; ++i) lines->InsertCellPoint(first + i);
    if (closed) lines->InsertCellPoint(first);
    ++pathCount_;
  }
  data_->SetPoints(points);
  data_->SetLines(lines);
  data_->Modified();
  actor_->SetVisibility(isVisible() && pathCount_ > 0 ? 1 : 0);
  redraw();
}

void PathOverlay::setPath(const QPolygonF& path, bool closed) { setPaths({path}, closed); }

void PathOverlay::setCircle(const QPointF& centre, double radius) {
  QPolygonF circle;
  const int segments = std::clamp(static_cast<int>(radius * 2.0), 16, 128);
  for (int i = 0; i < segments; ++i) {
    const double a = 2.0 * std::numbers::pi * i / segments;
    circle << centre + QPointF(radius * std::cos(a), radius * std::sin(a));
  }
  setPath(circle, true);
}

void PathOverlay::setOffset(const QPointF& pixels) {
  double s[2];
  pixelSize(s);
  actor_->SetPosition(pixels.x() * s[0], pixels.y() * s[1], 0.0);
  redraw();
}

void PathOverlay::clear() {
  if (pathCount_ == 0) return;
  setPaths({}, false);
}

void PathOverlay::applyVisibility(bool visible) {
  actor_->SetVisibility(visible && pathCount_ > 0 ? 1 : 0);
}

}  // namespace harmonia
