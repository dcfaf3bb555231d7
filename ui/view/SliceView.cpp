#include "ui/view/SliceView.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSlice.h>
#include <vtkImageSliceMapper.h>
#include <vtkLookupTable.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>

#include <QStringList>
#include <algorithm>
#include <cmath>

#include "ui/view/SliceAnnotations.h"
#include "ui/view/SliceReadout.h"
#include "ui/view/SliceViewCamera.h"
#include "ui/view/VtkBridge.h"

namespace harmonia {

namespace {

using ViewAxes = SliceView::ViewAxes;

}  // namespace

SliceView::SliceView(QWidget* parent)
    : VtkView(parent),
      ownModel_(new SliceViewModel(this)),
      model_(ownModel_),
      renderer_(vtkSmartPointer<vtkRenderer>::New()),
      overlay_(vtkSmartPointer<vtkRenderer>::New()),
      camera_(vtkSmartPointer<vtkCamera>::New()),
      mapper_(vtkSmartPointer<vtkImageSliceMapper>::New()),
      property_(vtkSmartPointer<vtkImageProperty>::New()),
      imageSlice_(vtkSmartPointer<vtkImageSlice>::New()),
      invertedLut_(vtkSmartPointer<vtkLookupTable>::New()),
      crossPoints_(vtkSmartPointer<vtkPoints>::New()),
      crossData_(vtkSmartPointer<vtkPolyData>::New()),
      crossActor_(vtkSmartPointer<vtkActor>::New()) {
  // Interaction is ours (handleEvent); VTK's default style must not act too.
  interactor()->SetInteractorStyle(nullptr);

  camera_->ParallelProjectionOn();
  renderer_->SetActiveCamera(camera_);
  renderer_->SetBackground(0.0, 0.0, 0.0);
  // The crosshair is drawn by a second renderer on a higher layer sharing the
  // camera: its depth buffer is cleared, so the lines are always on top.
  overlay_->SetActiveCamera(camera_);
  overlay_->SetLayer(1);
  overlay_->InteractiveOff();
  renderWindow()->SetNumberOfLayers(2);
  renderWindow()->AddRenderer(renderer_);
  renderWindow()->AddRenderer(overlay_);

  mapper_->SliceFacesCameraOff();
  mapper_->SliceAtFocalPointOff();
  mapper_->BorderOn();  // draw whole voxels up to the grid's outer edges
  property_->SetInterpolationTypeToNearest();
  property_->SetColorWindow(model_->window());
  property_->SetColorLevel(model_->level());
  // A grey ramp from white to black; with UseLookupTableScalarRange off the
  // property maps [level - window/2, level + window/2] onto it.
  invertedLut_->SetNumberOfTableValues(256);
  invertedLut_->SetHueRange(0.0, 0.0);
  invertedLut_->SetSaturationRange(0.0, 0.0);
  invertedLut_->SetValueRange(1.0, 0.0);
  invertedLut_->SetAlphaRange(1.0, 1.0);
  invertedLut_->SetRampToLinear();
  invertedLut_->Build();
  property_->UseLookupTableScalarRangeOff();
  imageSlice_->SetMapper(mapper_);
  imageSlice_->SetProperty(property_);
  imageSlice_->VisibilityOff();
  renderer_->AddViewProp(imageSlice_);

  crossPoints_->SetNumberOfPoints(4);
  for (vtkIdType i = 0; i < 4; ++i) {
    crossPoints_->SetPoint(i, 0.0, 0.0, 0.0);
  }
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  const vtkIdType horizontal[2] = {0, 1};
  const vtkIdType vertical[2] = {2, 3};
  lines->InsertNextCell(2, horizontal);
  lines->InsertNextCell(2, vertical);
  crossData_->SetPoints(crossPoints_);
  crossData_->SetLines(lines);
  auto crossMapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  crossMapper->SetInputData(crossData_);
  crossActor_->SetMapper(crossMapper);
  crossActor_->GetProperty()->SetColor(1.0, 0.85, 0.2);
  crossActor_->GetProperty()->SetLineWidth(1.0);
  crossActor_->GetProperty()->LightingOff();
  crossActor_->PickableOff();
  crossActor_->VisibilityOff();
  overlay_->AddActor(crossActor_);

  // The line of the Line tool (a profile), drawn like the crosshair.
  linePoints_ = vtkSmartPointer<vtkPoints>::New();
  linePoints_->SetNumberOfPoints(2);
  linePoints_->SetPoint(0, 0.0, 0.0, 0.0);
  linePoints_->SetPoint(1, 0.0, 0.0, 0.0);
  auto lineCells = vtkSmartPointer<vtkCellArray>::New();
  const vtkIdType segment[2] = {0, 1};
  lineCells->InsertNextCell(2, segment);
  auto lineData = vtkSmartPointer<vtkPolyData>::New();
  lineData->SetPoints(linePoints_);
  lineData->SetLines(lineCells);
  auto lineMapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  lineMapper->SetInputData(lineData);
  lineActor_ = vtkSmartPointer<vtkActor>::New();
  lineActor_->SetMapper(lineMapper);
  lineActor_->GetProperty()->SetColor(0.3, 0.9, 1.0);
  lineActor_->GetProperty()->SetLineWidth(2.0);
  lineActor_->GetProperty()->LightingOff();
  lineActor_->PickableOff();
  lineActor_->VisibilityOff();
  overlay_->AddActor(lineActor_);

  // Orientation letters, scale bar and the oblique note, placed in pixels by
  // updateAnnotations().
  annotations_ = std::make_unique<SliceAnnotations>(overlay_);

  setCursor(Qt::CrossCursor);
  connectModel();
}

SliceView::~SliceView() {
  // A shared model may outlive this view: it must not call back into it.
  if (model_ != ownModel_) disconnect(model_, nullptr, this, nullptr);
}

// ---------------------------------------------------------------- model

void SliceView::setModel(SliceViewModel* model) {
  if (model == nullptr) model = ownModel_;
  if (model == model_) return;
  disconnect(model_, nullptr, this, nullptr);
  model_ = model;
  connectModel();
  if (model_ != ownModel_) {
    // A shared model destroyed first: back to the view's own.
    connect(model_, &QObject::destroyed, this, [this] {
      model_ = ownModel_;
      connectModel();
      showModel();
    });
  }
  showModel();
}

void SliceView::connectModel() {
  // Render first, then pass the signal on, so that listeners of the view see
  // the new state drawn (the coordinator reads the camera, say).
  SliceViewModel* m = model_;
  connect(m, &SliceViewModel::dataChanged, this, [this] { attachData(); });
  connect(m, &SliceViewModel::voxelsModified, this, [this] {
    if (data_) data_->Modified();
    update();
  });
  connect(m, &SliceViewModel::sliceChanged, this, [this](int slice) {
    applySlice();
    emit sliceChanged(slice);
  });
  connect(m, &SliceViewModel::windowLevelChanged, this, [this](double window, double level) {
    applyWindowLevel();
    emit windowLevelChanged(window, level);
  });
  connect(m, &SliceViewModel::crosshairMoved, this, [this](const Eigen::Vector3d& world) {
    updateCrosshairActor();
    update();
    emit crosshairMoved(world);
  });
  connect(m, &SliceViewModel::crosshairVisibleChanged, this, [this] {
    updateCrosshairActor();
    update();
  });
  connect(m, &SliceViewModel::viewChanged, this, [this] { updateCamera(); });
  connect(m, &SliceViewModel::orientationChanged, this, [this](Orientation orientation) {
    applySlice();  // the camera followed viewChanged()
    emit orientationChanged(orientation);
  });
  connect(m, &SliceViewModel::displayChanged, this, [this] {
    applyLookupTable();
    applyInterpolation();
    update();
  });
  connect(m, &SliceViewModel::toolChanged, this, [this](Tool tool) {
    setCursor(tool == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
  });
  connect(m, &SliceViewModel::lineChanged, this, [this] {
    updateLineActor();
    update();
  });
  connect(m, &SliceViewModel::cursorChanged, this,
          [this](const CursorInfo& info) { emit cursorChanged(info); });
}

void SliceView::showModel() {
  attachData();
  updateCamera();
  applyInterpolation();
  setCursor(model_->tool() == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
  emit sliceChanged(model_->slice());
  emit windowLevelChanged(model_->window(), model_->level());
  emit crosshairMoved(model_->crosshair());
  emit orientationChanged(model_->orientation());
  emit cursorChanged(model_->cursorInfo());
}

// ---------------------------------------------------------------- data

void SliceView::setVolume(std::shared_ptr<const Volume> volume, bool keepViewIfSameGrid) {
  model_->setVolume(std::move(volume), keepViewIfSameGrid);
}

void SliceView::setVolumeWithWindow(std::shared_ptr<const Volume> volume, double window,
                                    double level, double valueSpan, bool keepViewIfSameGrid) {
  model_->setVolumeWithWindow(std::move(volume), window, level, valueSpan, keepViewIfSameGrid);
}

void SliceView::setImage(std::shared_ptr<const Image2D> image) {
  model_->setImage(std::move(image));
}

void SliceView::clear() { model_->clear(); }

void SliceView::dataModified() { model_->dataModified(); }

void SliceView::attachData() {
  if (model_->volume()) {
    data_ = toVtkImage(*model_->volume());
  } else if (model_->image()) {
    data_ = toVtkImage(*model_->image());
  } else {
    data_ = nullptr;
  }
  mapper_->SetInputData(data_);
  applyLookupTable();
  applyWindowLevel();
  if (!data_) {
    imageSlice_->VisibilityOff();
    crossActor_->VisibilityOff();
    lineActor_->VisibilityOff();
    updateAnnotations();
    update();
    return;
  }
  imageSlice_->VisibilityOn();
  applySlice();  // the camera follows the model's viewChanged()
}

// ---------------------------------------------------------------- slices

void SliceView::setOrientation(Orientation orientation) { model_->setOrientation(orientation); }

int SliceView::sliceCount() const { return model_->sliceCount(); }

void SliceView::setSlice(int slice) { model_->setSlice(slice); }

void SliceView::applySlice() {
  if (!data_) {
    return;
  }
  const int normal = model_->normalAxis();
  mapper_->SetOrientation(normal);
  mapper_->SetSliceNumber(model_->slice() + grid().first[normal]);
  updateCrosshairActor();
  updateLineActor();
  update();
}

void SliceView::setTool(Tool tool) { model_->setTool(tool); }

void SliceView::setLine(const Eigen::Vector3d& start, const Eigen::Vector3d& end) {
  model_->setLine(start, end);
}

void SliceView::clearLine() { model_->clearLine(); }

void SliceView::updateLineActor() {
  const auto& line = model_->line();
  if (!data_ || !line) {
    lineActor_->VisibilityOff();
    return;
  }
  // On the displayed slice's plane, whatever the end points' depth.
  const int normal = model_->normalAxis();
  Eigen::Vector3d sliceIndex = Eigen::Vector3d::Zero();
  sliceIndex[normal] = model_->slice();
  const double depth = vtkPointOfIndex(sliceIndex)[normal];
  for (int e = 0; e < 2; ++e) {
    Eigen::Vector3d p = vtkPointOfIndex(model_->indexOfWorld(e == 0 ? line->first : line->second));
    p[normal] = depth;
    linePoints_->SetPoint(e, p.data());
  }
  linePoints_->Modified();
  lineActor_->VisibilityOn();
}

void SliceView::raiseCrosshair() {
  const int top = renderWindow()->GetNumberOfLayers();
  renderWindow()->SetNumberOfLayers(top + 1);
  overlay_->SetLayer(top);
  update();
}

int SliceView::normalAxis() const { return model_->normalAxis(); }

SliceView::ViewAxes SliceView::axes() const { return model_->axes(); }

bool SliceView::obliqueToPatientAxes() const { return model_->obliqueToPatientAxes(); }

QStringList SliceView::orientationLetters() const { return model_->orientationLetters(); }

QString SliceView::scaleBarText() const { return annotations_->scaleBarText(); }

// ---------------------------------------------------------------- window/level

void SliceView::setWindowLevel(double window, double level) {
  model_->setWindowLevel(window, level);
}

void SliceView::applyWindowLevel() {
  property_->SetColorWindow(model_->window());
  property_->SetColorLevel(model_->level());
  update();
}

void SliceView::setInvertedGray(bool inverted) { model_->setInvertedGray(inverted); }

void SliceView::applyLookupTable() {
  const bool singleChannel = !data_ || data_->GetNumberOfScalarComponents() == 1;
  property_->SetLookupTable(model_->invertedGray() && singleChannel ? invertedLut_.Get() : nullptr);
}

void SliceView::setLinearInterpolation(bool linear) { model_->setLinearInterpolation(linear); }

void SliceView::applyInterpolation() {
  if (model_->linearInterpolation()) {
    property_->SetInterpolationTypeToLinear();
  } else {
    property_->SetInterpolationTypeToNearest();
  }
}

// ---------------------------------------------------------------- crosshair

void SliceView::setCrosshair(const Eigen::Vector3d& world) { model_->setCrosshair(world); }

void SliceView::setCrosshairVisible(bool visible) { model_->setCrosshairVisible(visible); }

void SliceView::updateCrosshairActor() {
  if (!data_ || !model_->crosshairVisible()) {
    crossActor_->VisibilityOff();
    return;
  }
  Eigen::Vector3d lo;
  Eigen::Vector3d hi;
  outerBounds(lo, hi);
  const ViewAxes axes = this->axes();
  const int normal = model_->normalAxis();
  const Eigen::Vector3d& crossIndex = model_->crosshairIndex();
  Eigen::Vector3d centre = vtkPointOfIndex(crossIndex);
  Eigen::Vector3d sliceIndex = crossIndex;
  sliceIndex[normal] = model_->slice();
  centre[normal] = vtkPointOfIndex(sliceIndex)[normal];

  Eigen::Vector3d p = centre;
  p[axes.right_axis] = lo[axes.right_axis];
  crossPoints_->SetPoint(0, p.data());
  p[axes.right_axis] = hi[axes.right_axis];
  crossPoints_->SetPoint(1, p.data());
  p = centre;
  p[axes.up_axis] = lo[axes.up_axis];
  crossPoints_->SetPoint(2, p.data());
  p[axes.up_axis] = hi[axes.up_axis];
  crossPoints_->SetPoint(3, p.data());
  crossPoints_->Modified();
  crossData_->Modified();
  crossActor_->VisibilityOn();
}

// ---------------------------------------------------------------- coordinates

SliceGrid SliceView::grid() const {
  SliceGrid g;
  int e[6];
  data_->GetExtent(e);
  data_->GetOrigin(g.origin.data());
  data_->GetSpacing(g.spacing.data());
  g.first = Eigen::Vector3i(e[0], e[2], e[4]);
  g.size = Eigen::Vector3i(e[1] - e[0] + 1, e[3] - e[2] + 1, e[5] - e[4] + 1);
  return g;
}

Eigen::Vector3d SliceView::vtkPointOfIndex(const Eigen::Vector3d& index) const {
  return grid().pointOfIndex(index);
}

Eigen::Vector3d SliceView::indexOfVtkPoint(const Eigen::Vector3d& p) const {
  return grid().indexOfPoint(p);
}

Eigen::Vector3d SliceView::vtkPointAt(const QPointF& widgetPos) const {
  const ViewAxes axes = this->axes();
  Eigen::Vector3d p =
      scenePointAt(Eigen::Vector3d(camera_->GetFocalPoint()), camera_->GetParallelScale(), width(),
                   height(), widgetPos.x(), widgetPos.y(), axes.right, axes.up);
  if (data_) {
    Eigen::Vector3d sliceIndex = Eigen::Vector3d::Zero();
    sliceIndex[normalAxis()] = model_->slice();
    p[normalAxis()] = vtkPointOfIndex(sliceIndex)[normalAxis()];
  }
  return p;
}

Eigen::Vector3d SliceView::worldAt(const QPointF& widgetPos) const {
  if (!data_) {
    return Eigen::Vector3d::Zero();
  }
  Eigen::Vector3d index = indexOfVtkPoint(vtkPointAt(widgetPos));
  index[normalAxis()] = model_->slice();
  return model_->worldOfIndex(index);
}

// ---------------------------------------------------------------- camera

void SliceView::outerBounds(Eigen::Vector3d& lo, Eigen::Vector3d& hi) const {
  grid().outerBounds(lo, hi);
}

double SliceView::fitScale() const {
  if (!data_) {
    return 1.0;
  }
  const ViewAxes axes = this->axes();
  return grid().fitScale(axes.right_axis, axes.up_axis, width(), height());
}

void SliceView::updateCamera() {
  if (!data_) {
    return;
  }
  Eigen::Vector3d lo;
  Eigen::Vector3d hi;
  outerBounds(lo, hi);
  const ViewAxes axes = this->axes();
  const SliceCameraPose pose =
      sliceCameraPose(lo, hi, model_->pan(), normalAxis(), axes.dop, fitScale(), model_->zoom());
  camera_->SetFocalPoint(pose.focal.data());
  camera_->SetPosition(pose.position.data());
  camera_->SetViewUp(axes.up.data());
  camera_->SetParallelScale(pose.parallel_scale);
  camera_->SetClippingRange(pose.near_clip, pose.far_clip);
  updateAnnotations();
  update();
  emit viewChanged();
}

double SliceView::millimetresPerPixel() const {
  return 2.0 * camera_->GetParallelScale() / std::max(1, height());
}

Eigen::Vector3d SliceView::viewCentre() const {
  return worldAt(QPointF(0.5 * width(), 0.5 * height()));
}

void SliceView::setViewCentreAndScale(const Eigen::Vector3d& centre, double mmPerPixel) {
  if (!data_ || !(mmPerPixel > 0.0)) {
    return;
  }
  Eigen::Vector3d lo;
  Eigen::Vector3d hi;
  outerBounds(lo, hi);
  const Eigen::Vector3d boxCentre = 0.5 * (lo + hi);
  const double scale = 0.5 * mmPerPixel * std::max(1, height());
  const double zoom = std::clamp(fitScale() / scale, 0.01, 1000.0);
  Eigen::Vector3d pan = vtkPointOfIndex(model_->indexOfWorld(centre)) - boxCentre;
  pan[normalAxis()] = 0.0;
  if (std::abs(zoom - model_->zoom()) < 1e-12 * zoom && (pan - model_->pan()).norm() < 1e-9) {
    return;
  }
  model_->setZoomAndPan(zoom, pan);
}

void SliceView::updateAnnotations() {
  if (model_->volume() == nullptr || data_ == nullptr) {
    annotations_->hide();
    return;
  }
  annotations_->show(orientationLetters(), obliqueToPatientAxes(), width(), height(),
                     devicePixelRatioF(), camera_->GetParallelScale());
}

void SliceView::resetCamera() {
  if (model_->zoom() == 1.0 && model_->pan().isZero(0.0)) {
    updateCamera();  // refit (the model has nothing to change)
  } else {
    model_->resetView();
  }
}

void SliceView::setZoom(double zoom) { model_->setZoom(zoom); }

void SliceView::zoomBy(double factor, const QPointF* anchor) {
  if (!data_) {
    return;
  }
  const Eigen::Vector3d before = anchor ? vtkPointAt(*anchor) : Eigen::Vector3d::Zero();
  model_->setZoom(model_->zoom() * factor);
  if (anchor != nullptr) {
    // Keep the point under the mouse where it was.
    model_->setPan(model_->pan() + before - vtkPointAt(*anchor));
  }
}

void SliceView::zoomAbout(double factor, const QPointF& anchor) { zoomBy(factor, &anchor); }

void SliceView::panBy(const QPointF& from, const QPointF& to) {
  if (!data_) {
    return;
  }
  model_->setPan(model_->pan() - (vtkPointAt(to) - vtkPointAt(from)));
}

void SliceView::resizeGL(int w, int h) {
  VtkView::resizeGL(w, h);
  updateCamera();
}

// ---------------------------------------------------------------- readout

SliceView::CursorInfo SliceView::cursorInfo() const { return model_->cursorInfo(); }

QString SliceView::readoutText() const { return formatReadout(cursorInfo()); }

QString SliceView::formatReadout(const CursorInfo& info) { return harmonia::formatReadout(info); }

}  // namespace harmonia
