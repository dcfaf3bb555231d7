#include "ui/view/SliceView.h"

#include <vtkActor.h>
#include <vtkActor2D.h>
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
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QStringList>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ui/view/VtkBridge.h"

namespace harmonia {

namespace {

using ViewAxes = SliceView::ViewAxes;

/// The largest 1, 2 or 5 x 10^n not above `limit` (> 0).
double niceLength(double limit) {
  const double decade = std::pow(10.0, std::floor(std::log10(limit)));
  for (double m : {5.0, 2.0, 1.0}) {
    if (m * decade <= limit) return m * decade;
  }
  return decade;
}

/// Structured extent of image data: first index and number of points per axis.
struct GridExtent {
  Eigen::Vector3i first;
  Eigen::Vector3i size;
};

GridExtent gridExtent(vtkImageData* data) {
  int e[6];
  data->GetExtent(e);
  return {Eigen::Vector3i(e[0], e[2], e[4]),
          Eigen::Vector3i(e[1] - e[0] + 1, e[3] - e[2] + 1, e[5] - e[4] + 1)};
}

double withoutNegativeZero(double v) { return std::abs(v) < 0.05 ? 0.0 : v; }

/// Integers as integers (16-bit data, HU), large values with one decimal,
/// small ones with four significant digits (SUV 2.345, 0.01234).
QString formatValue(double v) {
  if (!std::isfinite(v)) {
    return QString::number(v);
  }
  if (v == std::round(v) && std::abs(v) < 1e9) {
    return QString::number(v, 'f', 0);
  }
  if (std::abs(v) >= 1000.0) {
    return QString::number(v, 'f', 1);
  }
  return QString::number(v, 'g', 4);
}

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

  // Orientation letters, scale bar and the oblique note: 2-D actors placed in
  // pixels by updateAnnotations().
  for (auto& letter : letters_) {
    letter = vtkSmartPointer<vtkTextActor>::New();
    letter->GetTextProperty()->SetFontSize(15);
    letter->GetTextProperty()->BoldOn();
    letter->GetTextProperty()->SetColor(1.0, 0.85, 0.2);
    letter->VisibilityOff();
    overlay_->AddActor2D(letter);
  }
  letters_[0]->GetTextProperty()->SetJustificationToLeft();
  letters_[1]->GetTextProperty()->SetJustificationToRight();
  letters_[2]->GetTextProperty()->SetJustificationToCentered();
  letters_[3]->GetTextProperty()->SetJustificationToCentered();
  letters_[0]->GetTextProperty()->SetVerticalJustificationToCentered();
  letters_[1]->GetTextProperty()->SetVerticalJustificationToCentered();
  letters_[2]->GetTextProperty()->SetVerticalJustificationToTop();
  letters_[3]->GetTextProperty()->SetVerticalJustificationToBottom();
  scaleText_ = vtkSmartPointer<vtkTextActor>::New();
  scaleText_->GetTextProperty()->SetFontSize(12);
  scaleText_->GetTextProperty()->SetColor(0.9, 0.9, 0.9);
  scaleText_->GetTextProperty()->SetJustificationToRight();
  scaleText_->VisibilityOff();
  overlay_->AddActor2D(scaleText_);
  obliqueText_ = vtkSmartPointer<vtkTextActor>::New();
  obliqueText_->GetTextProperty()->SetFontSize(12);
  obliqueText_->GetTextProperty()->SetColor(1.0, 0.6, 0.3);
  obliqueText_->SetInput("oblique: nearest patient plane");
  obliqueText_->VisibilityOff();
  overlay_->AddActor2D(obliqueText_);
  scalePoints_ = vtkSmartPointer<vtkPoints>::New();
  scalePoints_->SetNumberOfPoints(4);
  for (vtkIdType i = 0; i < 4; ++i) scalePoints_->SetPoint(i, 0.0, 0.0, 0.0);
  auto scaleLines = vtkSmartPointer<vtkCellArray>::New();
  const vtkIdType bar[2] = {0, 1};
  const vtkIdType tick[2] = {2, 3};
  scaleLines->InsertNextCell(2, bar);
  scaleLines->InsertNextCell(2, tick);
  auto scaleData = vtkSmartPointer<vtkPolyData>::New();
  scaleData->SetPoints(scalePoints_);
  scaleData->SetLines(scaleLines);
  auto scaleMapper = vtkSmartPointer<vtkPolyDataMapper2D>::New();
  scaleMapper->SetInputData(scaleData);
  scaleActor_ = vtkSmartPointer<vtkActor2D>::New();
  scaleActor_->SetMapper(scaleMapper);
  scaleActor_->GetProperty()->SetColor(0.9, 0.9, 0.9);
  scaleActor_->GetProperty()->SetLineWidth(2.0);
  scaleActor_->VisibilityOff();
  overlay_->AddActor2D(scaleActor_);

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
  mapper_->SetSliceNumber(model_->slice() + gridExtent(data_).first[normal]);
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

QString SliceView::scaleBarText() const { return scaleBarText_; }

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
  p[axes.rightAxis] = lo[axes.rightAxis];
  crossPoints_->SetPoint(0, p.data());
  p[axes.rightAxis] = hi[axes.rightAxis];
  crossPoints_->SetPoint(1, p.data());
  p = centre;
  p[axes.upAxis] = lo[axes.upAxis];
  crossPoints_->SetPoint(2, p.data());
  p[axes.upAxis] = hi[axes.upAxis];
  crossPoints_->SetPoint(3, p.data());
  crossPoints_->Modified();
  crossData_->Modified();
  crossActor_->VisibilityOn();
}

// ---------------------------------------------------------------- coordinates

Eigen::Vector3d SliceView::vtkPointOfIndex(const Eigen::Vector3d& index) const {
  double origin[3];
  double spacing[3];
  data_->GetOrigin(origin);
  data_->GetSpacing(spacing);
  const Eigen::Vector3i first = gridExtent(data_).first;
  Eigen::Vector3d p;
  for (int d = 0; d < 3; ++d) {
    p[d] = origin[d] + spacing[d] * (index[d] + first[d]);
  }
  return p;
}

Eigen::Vector3d SliceView::indexOfVtkPoint(const Eigen::Vector3d& p) const {
  double origin[3];
  double spacing[3];
  data_->GetOrigin(origin);
  data_->GetSpacing(spacing);
  const Eigen::Vector3i first = gridExtent(data_).first;
  Eigen::Vector3d index;
  for (int d = 0; d < 3; ++d) {
    index[d] = (p[d] - origin[d]) / spacing[d] - first[d];
  }
  return index;
}

Eigen::Vector3d SliceView::vtkPointAt(const QPointF& widgetPos) const {
  const ViewAxes axes = this->axes();
  const double mmPerPixel = 2.0 * camera_->GetParallelScale() / std::max(1, height());
  const Eigen::Vector3d focal(camera_->GetFocalPoint());
  Eigen::Vector3d p = focal + (widgetPos.x() - 0.5 * width()) * mmPerPixel * axes.right +
                      (0.5 * height() - widgetPos.y()) * mmPerPixel * axes.up;
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
  // Whole voxels: half a voxel beyond the first and last voxel centres.
  const Eigen::Vector3d a = vtkPointOfIndex(Eigen::Vector3d::Constant(-0.5));
  const Eigen::Vector3d b =
      vtkPointOfIndex(gridExtent(data_).size.cast<double>() - Eigen::Vector3d::Constant(0.5));
  lo = a.cwiseMin(b);
  hi = a.cwiseMax(b);
}

double SliceView::fitScale() const {
  if (!data_) {
    return 1.0;
  }
  double spacing[3];
  data_->GetSpacing(spacing);
  const Eigen::Vector3i size = gridExtent(data_).size;
  const ViewAxes axes = this->axes();
  const double w = std::abs(spacing[axes.rightAxis]) * size[axes.rightAxis];
  const double h = std::abs(spacing[axes.upAxis]) * size[axes.upAxis];
  const double aspect = static_cast<double>(std::max(1, width())) / std::max(1, height());
  return std::max(0.5 * h, 0.5 * w / aspect);
}

void SliceView::updateCamera() {
  if (!data_) {
    return;
  }
  Eigen::Vector3d lo;
  Eigen::Vector3d hi;
  outerBounds(lo, hi);
  const Eigen::Vector3d centre = 0.5 * (lo + hi);
  const double diagonal = (hi - lo).norm();
  const ViewAxes axes = this->axes();

  Eigen::Vector3d focal = centre + model_->pan();
  focal[normalAxis()] = centre[normalAxis()];
  // Everything lies within diagonal/2 of the centre, so a camera at distance
  // diagonal + 1 with this clipping range sees all of it whatever the slice.
  const double distance = diagonal + 1.0;
  const Eigen::Vector3d position = focal - distance * axes.dop;
  camera_->SetFocalPoint(focal.data());
  camera_->SetPosition(position.data());
  camera_->SetViewUp(axes.up.data());
  camera_->SetParallelScale(fitScale() / model_->zoom());
  camera_->SetClippingRange(0.5, distance + 0.5 * diagonal + 1.0);
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
  const bool show = model_->volume() != nullptr && data_ != nullptr;
  for (auto& letter : letters_) letter->SetVisibility(show ? 1 : 0);
  scaleText_->SetVisibility(show ? 1 : 0);
  scaleActor_->SetVisibility(show ? 1 : 0);
  obliqueText_->SetVisibility(show && obliqueToPatientAxes() ? 1 : 0);
  scaleBarText_.clear();
  if (!show) return;
  // Render-window pixels (device pixels), origin at the bottom left.
  const double dpr = devicePixelRatioF();
  const double w = std::max(1, width()) * dpr;
  const double h = std::max(1, height()) * dpr;
  const double margin = 6.0 * dpr;
  const QStringList letters = orientationLetters();
  const double positions[4][2] = {
      {margin, 0.5 * h}, {w - margin, 0.5 * h}, {0.5 * w, h - margin}, {0.5 * w, margin}};
  for (int i = 0; i < 4; ++i) {
    letters_[i]->SetInput(letters[i].toLatin1().constData());
    letters_[i]->SetDisplayPosition(static_cast<int>(positions[i][0]),
                                    static_cast<int>(positions[i][1]));
  }
  obliqueText_->SetDisplayPosition(static_cast<int>(margin), static_cast<int>(h - 22.0 * dpr));
  // Scale bar: a round length near a fifth of the width, at the bottom right.
  const double mmPerPixel = 2.0 * camera_->GetParallelScale() / h;
  const double length_mm = niceLength(0.2 * w * mmPerPixel);
  const double length_px = length_mm / mmPerPixel;
  const double x1 = w - 2.0 * margin;
  const double x0 = x1 - length_px;
  const double y = 2.0 * margin;
  scalePoints_->SetPoint(0, x0, y, 0.0);
  scalePoints_->SetPoint(1, x1, y, 0.0);
  scalePoints_->SetPoint(2, x0, y, 0.0);
  scalePoints_->SetPoint(3, x0, y + 5.0 * dpr, 0.0);
  scalePoints_->Modified();
  scaleBarText_ = length_mm >= 1.0 ? QStringLiteral("%1 mm").arg(length_mm)
                                   : QStringLiteral("%1 mm").arg(length_mm, 0, 'g', 3);
  scaleText_->SetInput(scaleBarText_.toLatin1().constData());
  scaleText_->SetDisplayPosition(static_cast<int>(x1), static_cast<int>(y + 4.0 * dpr));
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

QString SliceView::formatReadout(const CursorInfo& info) {
  if (!info.valid) {
    return {};
  }
  const auto mm = [](double v) { return QString::number(withoutNegativeZero(v), 'f', 1); };
  QString text;
  if (info.dimensions == 2) {
    text = QStringLiteral("x %1 y %2 mm | [%3, %4] | ")
               .arg(mm(info.world.x()), mm(info.world.y()))
               .arg(info.index[0])
               .arg(info.index[1]);
  } else {
    text = QStringLiteral("x %1 y %2 z %3 mm | [%4, %5, %6] | ")
               .arg(mm(info.world.x()), mm(info.world.y()), mm(info.world.z()))
               .arg(info.index[0])
               .arg(info.index[1])
               .arg(info.index[2]);
  }
  if (!info.inside) {
    return text + QStringLiteral("outside");
  }
  if (info.channels == 1) {
    text += formatValue(info.values[0]);
  } else {
    QStringList parts;
    for (int c = 0; c < std::min(info.channels, 4); ++c) {
      parts << formatValue(info.values[c]);
    }
    text += QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
  }
  if (!info.units.isEmpty()) {
    text += QLatin1Char(' ') + info.units;
  } else if (info.dimensions == 3) {
    text += QStringLiteral(" (arbitrary)");  // a volume without units: raw MR values, say
  }
  return text;
}

// ---------------------------------------------------------------- events

bool SliceView::handleEvent(QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick: {
      auto* me = static_cast<QMouseEvent*>(event);
      if (!data_) {
        return true;
      }
      dragStart_ = dragLast_ = me->position();
      const bool shift = me->modifiers() & Qt::ShiftModifier;
      if (me->button() == Qt::MiddleButton || (me->button() == Qt::LeftButton && shift)) {
        drag_ = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
      } else if (me->button() == Qt::RightButton) {
        drag_ = Drag::WindowLevel;
        dragWindow_ = model_->window();
        dragLevel_ = model_->level();
        setCursor(Qt::SizeAllCursor);
      } else if (me->button() == Qt::LeftButton && model_->tool() == Tool::Line) {
        drag_ = Drag::Line;
        const Eigen::Vector3d at = worldAt(me->position());
        model_->setLine(at, at);
      } else if (me->button() == Qt::LeftButton) {
        drag_ = Drag::Crosshair;
        model_->setCrosshairOnSlice(indexOfVtkPoint(vtkPointAt(me->position())));
      }
      return true;
    }
    case QEvent::MouseMove: {
      if (!data_) {  // cleared while dragging
        drag_ = Drag::None;
        return true;
      }
      auto* me = static_cast<QMouseEvent*>(event);
      const QPointF pos = me->position();
      switch (drag_) {
        case Drag::Crosshair:
          model_->setCrosshairOnSlice(indexOfVtkPoint(vtkPointAt(pos)));
          break;
        case Drag::Line:
          if (model_->line()) model_->setLine(model_->line()->first, worldAt(pos));
          break;
        case Drag::Pan:
          panBy(dragLast_, pos);
          break;
        case Drag::WindowLevel: {
          const double dx = (pos.x() - dragStart_.x()) / std::max(1, width());
          const double dy = (pos.y() - dragStart_.y()) / std::max(1, height());
          // Right widens the window; up raises the level (Slicer, ITK-SNAP).
          const double span = model_->dataSpan();
          model_->setWindowLevel(dragWindow_ + dx * span, dragLevel_ - dy * span);
          break;
        }
        case Drag::None:
          break;
      }
      dragLast_ = pos;
      return true;
    }
    case QEvent::MouseButtonRelease:
      if (drag_ == Drag::Line && model_->line()) {
        drag_ = Drag::None;
        const auto line = *model_->line();
        emit lineDrawn(line.first, line.second);
        return true;
      }
      if (drag_ != Drag::None) {
        drag_ = Drag::None;
        setCursor(model_->tool() == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
      }
      return true;
    case QEvent::Wheel: {
      auto* we = static_cast<QWheelEvent*>(event);
      wheelAccum_ += we->angleDelta().y();
      const int steps = wheelAccum_ / 120;  // whole notches; keep the remainder
      wheelAccum_ -= steps * 120;
      if (steps == 0) {
        return true;
      }
      if (we->modifiers() & Qt::ControlModifier) {
        const QPointF anchor = we->position();
        zoomBy(std::pow(1.1, steps), &anchor);
      } else {
        model_->setSlice(model_->slice() + steps);
      }
      return true;
    }
    case QEvent::KeyPress: {
      auto* ke = static_cast<QKeyEvent*>(event);
      if ((ke->modifiers() & Qt::AltModifier) && model_->volume() &&
          (ke->key() == Qt::Key_Left || ke->key() == Qt::Key_Right || ke->key() == Qt::Key_Up ||
           ke->key() == Qt::Key_Down)) {
        // Alt+arrows ask to move something by 1 mm on screen (10 mm with Shift):
        // Compare nudges study B. The screen's directions in world millimetres:
        const ViewAxes a = axes();
        const Eigen::Matrix3d& d = model_->volume()->geometry().direction;
        const double step = (ke->modifiers() & Qt::ShiftModifier) ? 10.0 : 1.0;
        const Eigen::Vector3d right = d * a.right;
        const Eigen::Vector3d up = d * a.up;
        const Eigen::Vector3d delta = ke->key() == Qt::Key_Left    ? Eigen::Vector3d(-step * right)
                                      : ke->key() == Qt::Key_Right ? Eigen::Vector3d(step * right)
                                      : ke->key() == Qt::Key_Up    ? Eigen::Vector3d(step * up)
                                                                   : Eigen::Vector3d(-step * up);
        emit nudgeRequested(delta);
        return true;
      }
      switch (ke->key()) {
        case Qt::Key_Up:
          model_->setSlice(model_->slice() + 1);
          return true;
        case Qt::Key_Down:
          model_->setSlice(model_->slice() - 1);
          return true;
        case Qt::Key_PageUp:
          model_->setSlice(model_->slice() + 10);
          return true;
        case Qt::Key_PageDown:
          model_->setSlice(model_->slice() - 10);
          return true;
        case Qt::Key_Home:
          model_->setSlice(0);
          return true;
        case Qt::Key_End:
          model_->setSlice(model_->sliceCount() - 1);
          return true;
        case Qt::Key_Plus:
        case Qt::Key_Equal:
          zoomBy(1.25, nullptr);
          return true;
        case Qt::Key_Minus:
          zoomBy(0.8, nullptr);
          return true;
        case Qt::Key_R:
          resetCamera();
          return true;
        default:
          return false;
      }
    }
    case QEvent::ContextMenu:
      return true;  // the right button adjusts window/level here
    default:
      return false;
  }
}

}  // namespace harmonia
