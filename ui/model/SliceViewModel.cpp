#include "ui/model/SliceViewModel.h"

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/stats/Histogram.h"
#include "ui/view/WindowLevelPresets.h"

namespace harmonia {

namespace {

using ViewAxes = SliceViewModel::ViewAxes;

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
/// In grid order (the renderer's scene, no direction) each screen axis is the
/// grid axis that runs nearest to that patient direction, with its sign.
ViewAxes viewAxes(SliceViewModel::Orientation orientation, const Eigen::Matrix3d& direction,
                  bool image2D) {
  using O = SliceViewModel::Orientation;
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
  axes.right_axis = gridOf[rightPatient];
  axes.up_axis = gridOf[upPatient];
  const double rs = direction(rightPatient, axes.right_axis) < 0.0 ? -rightSign : rightSign;
  const double us = direction(upPatient, axes.up_axis) < 0.0 ? -upSign : upSign;
  axes.right = Eigen::Vector3d::Zero();
  axes.right[axes.right_axis] = rs;
  axes.up = Eigen::Vector3d::Zero();
  axes.up[axes.up_axis] = us;
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
    w.lo = std::min(w.lo, histogramQuantile(h, 0.01));
    w.hi = std::max(w.hi, histogramQuantile(h, 0.99));
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

/// The smallest window allowed for a value span.
double clampWindow(double window, double span) {
  return std::max(window, 1e-9 * std::max(1.0, span));
}

}  // namespace

SliceViewModel::SliceViewModel(QObject* parent) : QObject(parent) {}

SliceViewModel::~SliceViewModel() = default;

// ---------------------------------------------------------------- data

void SliceViewModel::setVolume(std::shared_ptr<const Volume> volume, bool keepViewIfSameGrid) {
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

void SliceViewModel::setVolumeWithWindow(std::shared_ptr<const Volume> volume, double window,
                                         double level, double valueSpan, bool keepViewIfSameGrid) {
  if (!volume || volume->empty()) {
    clear();
    return;
  }
  const bool keep =
      keepViewIfSameGrid && volume_ && volume_->geometry().sameGrid(volume->geometry());
  const double span = valueSpan > 0.0 ? valueSpan : std::max(window, 1.0);
  attach(std::move(volume), nullptr, window, level, span, keep);
}

void SliceViewModel::setImage(std::shared_ptr<const Image2D> image) {
  if (!image || image->empty()) {
    clear();
    return;
  }
  if (image->sampleType() == SampleType::UInt8) {
    attach(nullptr, std::move(image), 255.0, 127.5, 255.0, false);
    return;
  }
  std::vector<Histogram> hists;
  hists.reserve(3);
  const int colourChannels = std::min(image->channels(), 3);  // not alpha
  for (int c = 0; c < colourChannels; ++c) {
    hists.push_back(computeHistogram(*image, c, HistogramParams{1024, std::nullopt}));
  }
  const InitialWindow w = windowFromHistograms(hists);
  attach(nullptr, std::move(image), w.hi - w.lo, 0.5 * (w.lo + w.hi), w.span, false);
}

void SliceViewModel::attach(std::shared_ptr<const Volume> volume,
                            std::shared_ptr<const Image2D> image, double window, double level,
                            double span, bool keepView) {
  const int oldSlice = slice_;
  const Eigen::Vector3d oldCross = crossWorld_;
  volume_ = std::move(volume);
  image_ = std::move(image);
  dataSpan_ = span;
  window_ = clampWindow(window, dataSpan_);
  level_ = level;
  if (!keepView) {
    crossIndex_ = 0.5 * (gridSize().cast<double>() - Eigen::Vector3d::Ones());
    if (image_) {
      crossIndex_.z() = 0.0;
    }
    // Middle slice exactly (rounded down), so the crosshair lies on it.
    crossIndex_[normalAxis()] = std::floor(crossIndex_[normalAxis()]);
    crossWorld_ = worldOfIndex(crossIndex_);
    zoom_ = 1.0;
    pan_.setZero();
  }
  slice_ = sliceOfCrosshair();

  emit dataChanged(keepView);
  emit viewChanged();  // what the zoom and pan apply to changed
  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  emit windowLevelChanged(window_, level_);  // new data: listeners take its window
  if (crossWorld_ != oldCross) {
    emit crosshairMoved(crossWorld_);
  }
  emit cursorChanged(cursorInfo());
}

void SliceViewModel::clear() {
  const int oldSlice = slice_;
  const bool hadData = hasData();
  volume_.reset();
  image_.reset();
  slice_ = 0;
  if (hadData) {
    emit dataChanged(false);
  }
  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  if (hadData) {
    emit cursorChanged(cursorInfo());
  }
}

void SliceViewModel::dataModified() {
  if (!hasData()) {
    return;
  }
  emit voxelsModified();
  emit cursorChanged(cursorInfo());
}

Eigen::Vector3i SliceViewModel::gridSize() const {
  if (volume_) {
    const auto& size = volume_->geometry().size;
    return {size[0], size[1], size[2]};
  }
  if (image_) {
    return {image_->width(), image_->height(), 1};
  }
  return Eigen::Vector3i::Zero();
}

// ---------------------------------------------------------------- orientation

void SliceViewModel::setOrientation(Orientation orientation) {
  if (orientation == orientation_) {
    return;
  }
  orientation_ = orientation;
  if (!hasData()) {
    emit orientationChanged(orientation_);
    return;
  }
  const int oldSlice = slice_;
  zoom_ = 1.0;
  pan_.setZero();
  slice_ = sliceOfCrosshair();
  // The view first (a renderer places its camera for the new plane), so that
  // listeners of orientationChanged find it in place.
  emit viewChanged();
  emit orientationChanged(orientation_);
  if (slice_ != oldSlice) {
    emit sliceChanged(slice_);
  }
  emit cursorChanged(cursorInfo());
}

SliceViewModel::ViewAxes SliceViewModel::axes() const {
  return viewAxes(orientation_,
                  volume_ ? volume_->geometry().direction : Eigen::Matrix3d::Identity(),
                  image_ != nullptr);
}

int SliceViewModel::normalAxis() const {
  const ViewAxes a = axes();
  return 3 - a.right_axis - a.up_axis;
}

bool SliceViewModel::obliqueToPatientAxes() const {
  if (!volume_) return false;
  const Eigen::Matrix3d& d = volume_->geometry().direction;
  const std::array<int, 3> patient = patientAxesOf(d);
  // More than about 1 degree off a patient axis.
  for (int g = 0; g < 3; ++g) {
    if (std::abs(d(patient[static_cast<std::size_t>(g)], g)) < 0.99985) return true;
  }
  return false;
}

QStringList SliceViewModel::orientationLetters() const {
  if (!volume_) return {};
  const ViewAxes a = axes();
  const Eigen::Matrix3d& d = volume_->geometry().direction;
  // Screen axes are in grid order; the world direction of grid axis g is column g.
  const Eigen::Vector3d right = d * a.right;
  const Eigen::Vector3d up = d * a.up;
  return {patientLetter(-right), patientLetter(right), patientLetter(up), patientLetter(-up)};
}

// ---------------------------------------------------------------- slice and crosshair

int SliceViewModel::sliceCount() const {
  if (!hasData()) {
    return 0;
  }
  return gridSize()[normalAxis()];
}

int SliceViewModel::sliceOfCrosshair() const {
  return std::clamp(static_cast<int>(std::lround(crossIndex_[normalAxis()])), 0,
                    std::max(0, sliceCount() - 1));
}

void SliceViewModel::setSlice(int slice) {
  if (!hasData()) {
    return;
  }
  slice = std::clamp(slice, 0, sliceCount() - 1);
  if (slice == slice_) {
    return;
  }
  slice_ = slice;
  crossIndex_[normalAxis()] = slice;
  crossWorld_ = worldOfIndex(crossIndex_);
  emit sliceChanged(slice_);
  emit crosshairMoved(crossWorld_);
  emit cursorChanged(cursorInfo());
}

void SliceViewModel::setCrosshair(const Eigen::Vector3d& world) {
  if (!hasData() || world == crossWorld_) {
    return;
  }
  crossWorld_ = world;
  crossIndex_ = indexOfWorld(world);
  if (image_) {
    crossIndex_.z() = 0.0;
  }
  const int slice = sliceOfCrosshair();
  const bool sliceMoved = slice != slice_;
  slice_ = slice;
  if (sliceMoved) {
    emit sliceChanged(slice_);
  }
  emit crosshairMoved(crossWorld_);
  emit cursorChanged(cursorInfo());
}

void SliceViewModel::setCrosshairOnSlice(const Eigen::Vector3d& index) {
  if (!hasData()) {
    return;
  }
  Eigen::Vector3d onSlice = index;
  onSlice[normalAxis()] = slice_;
  if (onSlice == crossIndex_) {
    return;
  }
  crossIndex_ = onSlice;
  crossWorld_ = worldOfIndex(onSlice);
  emit crosshairMoved(crossWorld_);
  emit cursorChanged(cursorInfo());
}

void SliceViewModel::setCrosshairVisible(bool visible) {
  if (visible == crosshairVisible_) {
    return;
  }
  crosshairVisible_ = visible;
  emit crosshairVisibleChanged(visible);
}

SliceViewModel::CursorInfo SliceViewModel::cursorInfo() const {
  CursorInfo info;
  if (!hasData()) {
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

Eigen::Vector3d SliceViewModel::worldOfIndex(const Eigen::Vector3d& index) const {
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

Eigen::Vector3d SliceViewModel::indexOfWorld(const Eigen::Vector3d& world) const {
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

// ---------------------------------------------------------------- display

void SliceViewModel::setWindowLevel(double window, double level) {
  window = clampWindow(window, dataSpan_);
  if (window == window_ && level == level_) {
    return;
  }
  window_ = window;
  level_ = level;
  emit windowLevelChanged(window_, level_);
}

void SliceViewModel::setInvertedGray(bool inverted) {
  if (inverted == inverted_) {
    return;
  }
  inverted_ = inverted;
  emit displayChanged();
}

void SliceViewModel::setLinearInterpolation(bool linear) {
  if (linear == linear_) {
    return;
  }
  linear_ = linear;
  emit displayChanged();
}

// ---------------------------------------------------------------- zoom and pan

void SliceViewModel::setZoom(double zoom) { setZoomAndPan(zoom, pan_); }

void SliceViewModel::setPan(const Eigen::Vector3d& pan) { setZoomAndPan(zoom_, pan); }

void SliceViewModel::setZoomAndPan(double zoom, const Eigen::Vector3d& pan) {
  zoom = std::clamp(zoom, 0.01, 1000.0);
  Eigen::Vector3d inPlane = pan;
  inPlane[normalAxis()] = 0.0;
  if (zoom == zoom_ && inPlane == pan_) {
    return;
  }
  zoom_ = zoom;
  pan_ = inPlane;
  emit viewChanged();
}

// ---------------------------------------------------------------- tool and line

void SliceViewModel::setTool(Tool tool) {
  if (tool == tool_) {
    return;
  }
  tool_ = tool;
  emit toolChanged(tool_);
}

void SliceViewModel::setLine(const Eigen::Vector3d& start, const Eigen::Vector3d& end) {
  if (line_ && line_->first == start && line_->second == end) {
    return;
  }
  line_ = std::make_pair(start, end);
  emit lineChanged();
}

void SliceViewModel::clearLine() {
  if (!line_) {
    return;
  }
  line_.reset();
  emit lineChanged();
}

}  // namespace harmonia
