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

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QStringList>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/image/VtkBridge.h"
#include "core/stats/Histogram.h"
#include "ui/view/WindowLevelPresets.h"

namespace harmonia {

namespace {

using ViewAxes = SliceView::ViewAxes;

/// For each grid axis, the patient axis (0: x, L-R; 1: y, A-P; 2: z, S-I) it
/// runs nearest to: the assignment (a permutation) that maximises the sum of
/// |cosines| between grid axes and patient axes, as Slicer and ITK-SNAP pick
/// the nearest patient plane for oblique data.
std::array<int, 3> patientAxesOf(const Eigen::Matrix3d& direction) {
  static constexpr int kPermutations[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                              {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  double best = -1.0;
  std::array<int, 3> axes{0, 1, 2};
  for (const auto& perm : kPermutations) {
    double score = 0.0;
    for (int g = 0; g < 3; ++g) score += std::abs(direction(perm[g], g));
    if (score > best + 1e-12) {
      best = score;
      axes = {perm[0], perm[1], perm[2]};
    }
  }
  return axes;
}

/// Screen axes of a patient plane. Radiological convention (Slicer's): axial
/// has the patient's left on the right and anterior up; coronal left on the
/// right and superior up; sagittal posterior on the right and superior up.
/// In the VTK scene (grid order, no direction) each screen axis is the grid
/// axis that runs nearest to that patient direction, with its sign.
ViewAxes viewAxes(SliceView::Orientation orientation, const Eigen::Matrix3d& direction,
                  bool image2D) {
  using O = SliceView::Orientation;
  if (image2D) {
    return {0, 1, {1, 0, 0}, {0, -1, 0}, {0, 0, 1}};
  }
  // Patient axis and sign of the screen's right and up directions (LPS).
  int rightPatient = 0;
  double rightSign = 1.0;
  int upPatient = 1;
  double upSign = -1.0;
  if (orientation == O::Coronal) {
    upPatient = 2;
    upSign = 1.0;
  } else if (orientation == O::Sagittal) {
    rightPatient = 1;
    upPatient = 2;
    upSign = 1.0;
  }
  const std::array<int, 3> patient = patientAxesOf(direction);
  int gridOf[3] = {0, 1, 2};
  for (int g = 0; g < 3; ++g) gridOf[patient[static_cast<std::size_t>(g)]] = g;
  ViewAxes axes{};
  axes.rightAxis = gridOf[rightPatient];
  axes.upAxis = gridOf[upPatient];
  const double rs = direction(rightPatient, axes.rightAxis) < 0.0 ? -rightSign : rightSign;
  const double us = direction(upPatient, axes.upAxis) < 0.0 ? -upSign : upSign;
  axes.right = Eigen::Vector3d::Zero();
  axes.right[axes.rightAxis] = rs;
  axes.up = Eigen::Vector3d::Zero();
  axes.up[axes.upAxis] = us;
  axes.dop = axes.up.cross(axes.right);
  return axes;
}

/// The patient direction letter of a world (LPS) vector: its largest component.
QString patientLetter(const Eigen::Vector3d& v) {
  Eigen::Index c = 0;
  v.cwiseAbs().maxCoeff(&c);
  static const char* const kLetters[3][2] = {{"L", "R"}, {"P", "A"}, {"S", "I"}};
  return QString::fromLatin1(kLetters[c][v[c] >= 0.0 ? 0 : 1]);
}

/// The largest 1, 2 or 5 x 10^n not above `limit` (> 0).
double niceLength(double limit) {
  const double decade = std::pow(10.0, std::floor(std::log10(limit)));
  for (double m : {5.0, 2.0, 1.0}) {
    if (m * decade <= limit) return m * decade;
  }
  return decade;
}

/// Value below which a fraction q of the histogram's counts lie (linear within a bin).
double percentile(const Histogram& h, double q) {
  if (h.total == 0 || h.counts.empty()) {
    return h.min;
  }
  const double target = q * static_cast<double>(h.total);
  double cumulative = 0.0;
  for (std::size_t b = 0; b < h.counts.size(); ++b) {
    const double c = static_cast<double>(h.counts[b]);
    if (c > 0.0 && cumulative + c >= target) {
      return h.min + (static_cast<double>(b) + (target - cumulative) / c) * h.binWidth();
    }
    cumulative += c;
  }
  return h.max;
}

/// Display window (lo, hi) and value span of a set of histograms.
struct InitialWindow {
  double lo = 0.0;
  double hi = 1.0;
  double span = 1.0;
};

InitialWindow windowFromHistograms(const std::vector<Histogram>& hists) {
  InitialWindow w{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                  1.0};
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  for (const Histogram& h : hists) {
    if (h.total == 0) {
      continue;
    }
    w.lo = std::min(w.lo, percentile(h, 0.01));
    w.hi = std::max(w.hi, percentile(h, 0.99));
    min = std::min(min, h.min);
    max = std::max(max, h.max);
  }
  if (!(w.hi >= w.lo)) {
    return {0.0, 1.0, 1.0};  // nothing finite
  }
  if (!(w.hi > w.lo)) {  // (nearly) constant: show the full range instead
    w.lo = min;
    w.hi = max > min ? max : min + 1.0;
  }
  w.span = std::max(max - min, w.hi - w.lo);
  return w;
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
  property_->SetColorWindow(window_);
  property_->SetColorLevel(level_);
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
}

SliceView::~SliceView() = default;

// ---------------------------------------------------------------- data

void SliceView::setVolume(std::shared_ptr<const Volume> volume, bool keepViewIfSameGrid) {
  if (!volume || volume->empty()) {
    clear();
    return;
  }
  if (keepViewIfSameGrid && volume_ && volume_->geometry().sameGrid(volume->geometry())) {
    setVolumeWithWindow(std::move(volume), window_, level_, dataSpan_, true);
    return;
  }
  // 1st..99th percentile window from a subsample (WindowLevelPresets.h): a
  // few milliseconds on the GUI thread even for a 100-million-voxel CT, where
  // a pass over every voxel would freeze the window for about a second.
  const ValueSample sample = sampleValues(*volume);
  double lo = sample.percentile(1.0);
  double hi = sample.percentile(99.0);
  if (!(hi > lo)) {  // (nearly) constant: show the full range instead
    lo = sample.min();
    hi = sample.max() > lo ? sample.max() : lo + 1.0;
  }
  const double span = std::max(sample.max() - sample.min(), hi - lo);
  setVolumeWithWindow(std::move(volume), hi - lo, 0.5 * (lo + hi), span, false);
}

void SliceView::setVolumeWithWindow(std::shared_ptr<const Volume> volume, double window,
                                    double level, double valueSpan, bool keepViewIfSameGrid) {
  if (!volume || volume->empty()) {
    clear();
    return;
  }
  const bool keep =
      keepViewIfSameGrid && volume_ && volume_->geometry().sameGrid(volume->geometry());
  image_.reset();
  volume_ = std::move(volume);
  dataSpan_ = valueSpan > 0.0 ? valueSpan : std::max(window, 1.0);
  window_ = std::max(window, 1e-9 * std::max(1.0, dataSpan_));
  level_ = level;
  attachData(toVtkImage(*volume_), keep);
}

void SliceView::setImage(std::shared_ptr<const Image2D> image) {
  if (!image || image->empty()) {
    clear();
    return;
  }
  volume_.reset();
  image_ = std::move(image);
  if (image_->sampleType() == SampleType::UInt8) {
    window_ = 255.0;
    level_ = 127.5;
    dataSpan_ = 255.0;
  } else {
    std::vector<Histogram> hists;
    hists.reserve(3);
    const int colourChannels = std::min(image_->channels(), 3);  // not alpha
    for (int c = 0; c < colourChannels; ++c) {
      hists.push_back(computeHistogram(*image_, c, HistogramParams{1024, std::nullopt}));
    }
    const InitialWindow w = windowFromHistograms(hists);
    window_ = w.hi - w.lo;
    level_ = 0.5 * (w.lo + w.hi);
    dataSpan_ = w.span;
  }
  attachData(toVtkImage(*image_), false);
}

void SliceView::clear() {
  const int oldSlice = slice_;
  const bool hadData = data_ != nullptr;
  volume_.reset();
  image_.reset();
  data_ = nullptr;
  mapper_->SetInputData(nullptr);
  imageSlice_->VisibilityOff();
  crossActor_->VisibilityOff();
  updateAnnotations();
  slice_ = 0;
  update();
  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  if (hadData) {
    emit cursorChanged(cursorInfo());
  }
}

void SliceView::dataModified() {
  if (!data_) {
    return;
  }
  data_->Modified();
  update();
  emit cursorChanged(cursorInfo());
}

void SliceView::attachData(vtkImageData* data, bool keepView) {
  const int oldSlice = slice_;
  const Eigen::Vector3d oldCross = crossWorld_;
  data_ = data;
  mapper_->SetInputData(data_);
  applyLookupTable();
  imageSlice_->VisibilityOn();
  property_->SetColorWindow(window_);
  property_->SetColorLevel(level_);

  if (!keepView) {
    crossIndex_ = 0.5 * (gridExtent(data_).size.cast<double>() - Eigen::Vector3d::Ones());
    if (image_) {
      crossIndex_.z() = 0.0;
    }
    // Middle slice exactly (rounded down), so the crosshair lies on it.
    crossIndex_[normalAxis()] = std::floor(crossIndex_[normalAxis()]);
    crossWorld_ = worldOfIndex(crossIndex_);
    zoom_ = 1.0;
    pan_.setZero();
  }
  showCrosshairSlice();

  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  emit windowLevelChanged(window_, level_);
  if (crossWorld_ != oldCross) {
    emit crosshairMoved(crossWorld_);
  }
  emit cursorChanged(cursorInfo());
}

// ---------------------------------------------------------------- slices

void SliceView::showCrosshairSlice() {
  mapper_->SetOrientation(normalAxis());
  applySlice(
      std::clamp(static_cast<int>(std::lround(crossIndex_[normalAxis()])), 0, sliceCount() - 1));
  updateCamera();
  update();
}

void SliceView::setOrientation(Orientation orientation) {
  if (orientation == orientation_) {
    return;
  }
  orientation_ = orientation;
  if (!data_) {
    emit orientationChanged(orientation_);
    return;
  }
  const int oldSlice = slice_;
  zoom_ = 1.0;
  pan_.setZero();
  showCrosshairSlice();
  emit orientationChanged(orientation_);
  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  emit cursorChanged(cursorInfo());
}

int SliceView::sliceCount() const {
  if (!data_) {
    return 0;
  }
  return gridExtent(data_).size[normalAxis()];
}

void SliceView::setSlice(int slice) {
  if (!data_) {
    return;
  }
  slice = std::clamp(slice, 0, sliceCount() - 1);
  if (slice == slice_) {
    return;
  }
  applySlice(slice);
  Eigen::Vector3d index = crossIndex_;
  index[normalAxis()] = slice;
  moveCrosshairToIndex(index);
  emit sliceChanged(slice_);
  emitCrosshair();
}

void SliceView::applySlice(int slice) {
  slice_ = slice;
  mapper_->SetSliceNumber(slice + gridExtent(data_).first[normalAxis()]);
  updateCrosshairActor();
  updateLineActor();
  update();
}

void SliceView::setTool(Tool tool) {
  tool_ = tool;
  setCursor(tool == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
}

void SliceView::setLine(const Eigen::Vector3d& start, const Eigen::Vector3d& end) {
  line_ = std::make_pair(start, end);
  updateLineActor();
  update();
}

void SliceView::clearLine() {
  line_.reset();
  updateLineActor();
  update();
}

void SliceView::updateLineActor() {
  if (!data_ || !line_) {
    lineActor_->VisibilityOff();
    return;
  }
  // On the displayed slice's plane, whatever the end points' depth.
  Eigen::Vector3d sliceIndex = Eigen::Vector3d::Zero();
  sliceIndex[normalAxis()] = slice_;
  const double depth = vtkPointOfIndex(sliceIndex)[normalAxis()];
  for (int e = 0; e < 2; ++e) {
    Eigen::Vector3d p = vtkPointOfIndex(indexOfWorld(e == 0 ? line_->first : line_->second));
    p[normalAxis()] = depth;
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

int SliceView::normalAxis() const {
  const ViewAxes a = axes();
  return 3 - a.rightAxis - a.upAxis;
}

SliceView::ViewAxes SliceView::axes() const {
  return viewAxes(orientation_,
                  volume_ ? volume_->geometry().direction : Eigen::Matrix3d::Identity(),
                  image_ != nullptr);
}

bool SliceView::obliqueToPatientAxes() const {
  if (!volume_) return false;
  const Eigen::Matrix3d& d = volume_->geometry().direction;
  const std::array<int, 3> patient = patientAxesOf(d);
  // More than about 1 degree off a patient axis.
  for (int g = 0; g < 3; ++g) {
    if (std::abs(d(patient[static_cast<std::size_t>(g)], g)) < 0.99985) return true;
  }
  return false;
}

QStringList SliceView::orientationLetters() const {
  if (!volume_) return {};
  const ViewAxes a = axes();
  const Eigen::Matrix3d& d = volume_->geometry().direction;
  // VTK's scene axes are the grid's; the world direction of grid axis g is column g.
  const Eigen::Vector3d right = d * a.right;
  const Eigen::Vector3d up = d * a.up;
  return {patientLetter(-right), patientLetter(right), patientLetter(up), patientLetter(-up)};
}

QString SliceView::scaleBarText() const { return scaleBarText_; }

// ---------------------------------------------------------------- window/level//
// ---------------------------------------------------------------- window/level

void SliceView::setWindowLevel(double window, double level) {
  window = std::max(window, 1e-9 * std::max(1.0, dataSpan_));
  if (window == window_ && level == level_) {
    return;
  }
  window_ = window;
  level_ = level;
  property_->SetColorWindow(window_);
  property_->SetColorLevel(level_);
  update();
  emit windowLevelChanged(window_, level_);
}

void SliceView::setInvertedGray(bool inverted) {
  if (inverted == inverted_) {
    return;
  }
  inverted_ = inverted;
  applyLookupTable();
  update();
}

void SliceView::applyLookupTable() {
  const bool singleChannel = !data_ || data_->GetNumberOfScalarComponents() == 1;
  property_->SetLookupTable(inverted_ && singleChannel ? invertedLut_.Get() : nullptr);
}

void SliceView::setLinearInterpolation(bool linear) {
  linear_ = linear;
  if (linear) {
    property_->SetInterpolationTypeToLinear();
  } else {
    property_->SetInterpolationTypeToNearest();
  }
  update();
}

// ---------------------------------------------------------------- crosshair

void SliceView::setCrosshair(const Eigen::Vector3d& world) {
  if (!data_ || world == crossWorld_) {
    return;
  }
  crossWorld_ = world;
  crossIndex_ = indexOfWorld(world);
  if (image_) {
    crossIndex_.z() = 0.0;
  }
  const int slice =
      std::clamp(static_cast<int>(std::lround(crossIndex_[normalAxis()])), 0, sliceCount() - 1);
  const bool sliceMoved = slice != slice_;
  applySlice(slice);  // also redraws the crosshair
  if (sliceMoved) {
    emit sliceChanged(slice_);
  }
  emitCrosshair();
}

void SliceView::setCrosshairVisible(bool visible) {
  crosshairVisible_ = visible;
  updateCrosshairActor();
  update();
}

void SliceView::moveCrosshairToIndex(const Eigen::Vector3d& index) {
  crossIndex_ = index;
  crossWorld_ = worldOfIndex(index);
  updateCrosshairActor();
  update();
}

void SliceView::emitCrosshair() {
  emit crosshairMoved(crossWorld_);
  emit cursorChanged(cursorInfo());
}

void SliceView::updateCrosshairActor() {
  if (!data_ || !crosshairVisible_) {
    crossActor_->VisibilityOff();
    return;
  }
  Eigen::Vector3d lo;
  Eigen::Vector3d hi;
  outerBounds(lo, hi);
  const ViewAxes axes = this->axes();
  Eigen::Vector3d centre = vtkPointOfIndex(crossIndex_);
  Eigen::Vector3d sliceIndex = crossIndex_;
  sliceIndex[normalAxis()] = slice_;
  centre[normalAxis()] = vtkPointOfIndex(sliceIndex)[normalAxis()];

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

Eigen::Vector3d SliceView::worldOfIndex(const Eigen::Vector3d& index) const {
  if (volume_) {
    return volume_->geometry().indexToWorld(index);
  }
  if (image_) {
    const Eigen::Vector2d w =
        image_->origin_mm() +
        image_->direction() * image_->spacing_mm().cwiseProduct(index.head<2>());
    return {w.x(), w.y(), 0.0};
  }
  return index;
}

Eigen::Vector3d SliceView::indexOfWorld(const Eigen::Vector3d& world) const {
  if (volume_) {
    return volume_->geometry().worldToIndex(world);
  }
  if (image_) {
    const Eigen::Vector2d xy =
        (image_->direction().inverse() * (world.head<2>() - image_->origin_mm()))
            .cwiseQuotient(image_->spacing_mm());
    return {xy.x(), xy.y(), 0.0};
  }
  return world;
}

Eigen::Vector3d SliceView::vtkPointAt(const QPointF& widgetPos) const {
  const ViewAxes axes = this->axes();
  const double mmPerPixel = 2.0 * camera_->GetParallelScale() / std::max(1, height());
  const Eigen::Vector3d focal(camera_->GetFocalPoint());
  Eigen::Vector3d p = focal + (widgetPos.x() - 0.5 * width()) * mmPerPixel * axes.right +
                      (0.5 * height() - widgetPos.y()) * mmPerPixel * axes.up;
  if (data_) {
    Eigen::Vector3d sliceIndex = Eigen::Vector3d::Zero();
    sliceIndex[normalAxis()] = slice_;
    p[normalAxis()] = vtkPointOfIndex(sliceIndex)[normalAxis()];
  }
  return p;
}

Eigen::Vector3d SliceView::worldAt(const QPointF& widgetPos) const {
  if (!data_) {
    return Eigen::Vector3d::Zero();
  }
  Eigen::Vector3d index = indexOfVtkPoint(vtkPointAt(widgetPos));
  index[normalAxis()] = slice_;
  return worldOfIndex(index);
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

  Eigen::Vector3d focal = centre + pan_;
  focal[normalAxis()] = centre[normalAxis()];
  // Everything lies within diagonal/2 of the centre, so a camera at distance
  // diagonal + 1 with this clipping range sees all of it whatever the slice.
  const double distance = diagonal + 1.0;
  const Eigen::Vector3d position = focal - distance * axes.dop;
  camera_->SetFocalPoint(focal.data());
  camera_->SetPosition(position.data());
  camera_->SetViewUp(axes.up.data());
  camera_->SetParallelScale(fitScale() / zoom_);
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
  Eigen::Vector3d pan = vtkPointOfIndex(indexOfWorld(centre)) - boxCentre;
  pan[normalAxis()] = 0.0;
  if (std::abs(zoom - zoom_) < 1e-12 * zoom && (pan - pan_).norm() < 1e-9) {
    return;
  }
  zoom_ = zoom;
  pan_ = pan;
  updateCamera();
}

void SliceView::updateAnnotations() {
  const bool show = volume_ != nullptr && data_ != nullptr;
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
  zoom_ = 1.0;
  pan_.setZero();
  updateCamera();
}

void SliceView::setZoom(double zoom) {
  zoom_ = std::clamp(zoom, 0.01, 1000.0);
  updateCamera();
}

void SliceView::zoomBy(double factor, const QPointF* anchor) {
  if (!data_) {
    return;
  }
  const Eigen::Vector3d before = anchor ? vtkPointAt(*anchor) : Eigen::Vector3d::Zero();
  setZoom(zoom_ * factor);
  if (anchor != nullptr) {
    // Keep the point under the mouse where it was.
    pan_ += before - vtkPointAt(*anchor);
    pan_[normalAxis()] = 0.0;
    updateCamera();
  }
}

void SliceView::resizeGL(int w, int h) {
  VtkView::resizeGL(w, h);
  updateCamera();
}

// ---------------------------------------------------------------- readout

SliceView::CursorInfo SliceView::cursorInfo() const {
  CursorInfo info;
  if (!data_) {
    return info;
  }
  info.valid = true;
  info.world = crossWorld_;
  for (int d = 0; d < 3; ++d) {
    info.index[d] = static_cast<int>(std::lround(crossIndex_[d]));
  }
  if (volume_) {
    info.units = QString::fromStdString(volume_->units());
    info.inside = volume_->geometry().contains(info.index[0], info.index[1], info.index[2]);
    if (info.inside) {
      info.values[0] = volume_->at(info.index[0], info.index[1], info.index[2]);
    }
  } else if (image_) {
    info.dimensions = 2;
    info.index[2] = 0;
    info.channels = image_->channels();
    info.inside = info.index[0] >= 0 && info.index[1] >= 0 && info.index[0] < image_->width() &&
                  info.index[1] < image_->height();
    if (info.inside) {
      for (int c = 0; c < std::min(info.channels, 4); ++c) {
        info.values[c] = image_->sample(info.index[0], info.index[1], c);
      }
    }
  }
  return info;
}

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
        dragWindow_ = window_;
        dragLevel_ = level_;
        setCursor(Qt::SizeAllCursor);
      } else if (me->button() == Qt::LeftButton && tool_ == Tool::Line) {
        drag_ = Drag::Line;
        const Eigen::Vector3d at = worldAt(me->position());
        setLine(at, at);
      } else if (me->button() == Qt::LeftButton) {
        drag_ = Drag::Crosshair;
        Eigen::Vector3d index = indexOfVtkPoint(vtkPointAt(me->position()));
        index[normalAxis()] = slice_;
        moveCrosshairToIndex(index);
        emitCrosshair();
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
        case Drag::Crosshair: {
          Eigen::Vector3d index = indexOfVtkPoint(vtkPointAt(pos));
          index[normalAxis()] = slice_;
          moveCrosshairToIndex(index);
          emitCrosshair();
          break;
        }
        case Drag::Line:
          if (line_) setLine(line_->first, worldAt(pos));
          break;
        case Drag::Pan:
          pan_ -= vtkPointAt(pos) - vtkPointAt(dragLast_);
          updateCamera();
          break;
        case Drag::WindowLevel: {
          const double dx = (pos.x() - dragStart_.x()) / std::max(1, width());
          const double dy = (pos.y() - dragStart_.y()) / std::max(1, height());
          // Right widens the window; up raises the level (Slicer, ITK-SNAP).
          setWindowLevel(dragWindow_ + dx * dataSpan_, dragLevel_ - dy * dataSpan_);
          break;
        }
        case Drag::None:
          break;
      }
      dragLast_ = pos;
      return true;
    }
    case QEvent::MouseButtonRelease:
      if (drag_ == Drag::Line && line_) {
        drag_ = Drag::None;
        emit lineDrawn(line_->first, line_->second);
        return true;
      }
      if (drag_ != Drag::None) {
        drag_ = Drag::None;
        setCursor(tool_ == Tool::Line ? Qt::PointingHandCursor : Qt::CrossCursor);
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
        setSlice(slice_ + steps);
      }
      return true;
    }
    case QEvent::KeyPress: {
      auto* ke = static_cast<QKeyEvent*>(event);
      if ((ke->modifiers() & Qt::AltModifier) && volume_ &&
          (ke->key() == Qt::Key_Left || ke->key() == Qt::Key_Right || ke->key() == Qt::Key_Up ||
           ke->key() == Qt::Key_Down)) {
        // Alt+arrows ask to move something by 1 mm on screen (10 mm with Shift):
        // Compare nudges study B. The screen's directions in world millimetres:
        const ViewAxes a = axes();
        const Eigen::Matrix3d& d = volume_->geometry().direction;
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
          setSlice(slice_ + 1);
          return true;
        case Qt::Key_Down:
          setSlice(slice_ - 1);
          return true;
        case Qt::Key_PageUp:
          setSlice(slice_ + 10);
          return true;
        case Qt::Key_PageDown:
          setSlice(slice_ - 10);
          return true;
        case Qt::Key_Home:
          setSlice(0);
          return true;
        case Qt::Key_End:
          setSlice(sliceCount() - 1);
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
