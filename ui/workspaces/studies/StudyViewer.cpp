#include "ui/workspaces/studies/StudyViewer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPalette>
#include <QPixmap>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/view/MaskSliceOverlay.h"
#include "ui/view/SliceViewCoordinator.h"
#include "ui/view/VolumeRenderPresets.h"
#include "ui/view/VolumeRenderView.h"
#include "ui/widgets/ElidedLabel.h"

namespace harmonia {

namespace {

constexpr SliceView::Orientation kOrientations[3] = {SliceView::Orientation::Axial,
                                                     SliceView::Orientation::Coronal,
                                                     SliceView::Orientation::Sagittal};
constexpr double kDefaultFillOpacity = 0.35;

QPixmap swatch(const QColor& colour) {
  QPixmap pixmap(12, 12);
  pixmap.fill(colour);
  return pixmap;
}

}  // namespace

StudyViewer::StudyViewer(QWidget* parent) : QWidget(parent), refreshTimer_(new QTimer(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);

  auto* bar = new QWidget(this);
  layout->addWidget(bar);

  auto* middle = new QHBoxLayout;
  middle->setSpacing(2);
  viewArea_ = new QWidget(this);
  // Dark gaps between the views, like the views' own background.
  viewArea_->setAutoFillBackground(true);
  QPalette dark = viewArea_->palette();
  dark.setColor(QPalette::Window, QColor(40, 40, 44));
  viewArea_->setPalette(dark);
  grid_ = new QGridLayout(viewArea_);
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(2);
  for (int i = 0; i < 3; ++i) {
    auto* view = new SliceView(viewArea_);
    view->setOrientation(kOrientations[i]);
    view->setMinimumSize(120, 120);
    view->installEventFilter(this);
    slices_[static_cast<std::size_t>(i)] = view;
    roiLayers_[static_cast<std::size_t>(i)] =
        std::make_unique<MaskSliceOverlay>(view, MaskSliceOverlay::kRoiLayer);
    connect(view, &SliceView::crosshairMoved, this, &StudyViewer::onCrosshairMoved);
    connect(view, &SliceView::windowLevelChanged, this, &StudyViewer::onWindowLevelChanged);
    connect(view, &SliceView::cursorChanged, this, [this] { updateReadout(); });
  }
  // The three planes share the crosshair and window/level.
  coordinator_ = new SliceViewCoordinator(this);
  for (SliceView* view : slices_) coordinator_->addView(view);
  volumeView_ = new VolumeRenderView(viewArea_);
  volumeView_->setMinimumSize(120, 120);
  volumeView_->installEventFilter(this);
  middle->addWidget(viewArea_, 1);

  legend_ = new QListWidget(this);
  legend_->setMaximumWidth(180);
  legend_->setToolTip(tr("Regions of interest: check to show"));
  legend_->setVisible(false);
  connect(legend_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    setRoiVisible(legend_->row(item), item->checkState() == Qt::Checked);
  });
  middle->addWidget(legend_);
  layout->addLayout(middle, 1);

  readout_ = new ElidedLabel(this);
  QFont mono = readout_->font();
  mono.setStyleHint(QFont::Monospace);
  mono.setFamily(QStringLiteral("monospace"));
  readout_->setFont(mono);
  layout->addWidget(readout_);

  buildToolbar(bar);
  arrangeViews();

  refreshTimer_->setSingleShot(true);
  refreshTimer_->setInterval(kRefreshDelayMs);
  connect(refreshTimer_, &QTimer::timeout, this, &StudyViewer::refreshAfterLoading);
}

StudyViewer::~StudyViewer() {
  // The overlays draw into the views: remove them while the views still exist.
  for (auto& layer : roiLayers_) layer.reset();
}

void StudyViewer::buildToolbar(QWidget* bar) {
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->setSpacing(6);

  row->addWidget(new QLabel(tr("W/L"), bar));
  wlCombo_ = new QComboBox(bar);
  wlCombo_->addItems(harmonia::windowLevelPresetNames());
  wlCombo_->setPlaceholderText(tr("Custom"));
  wlCombo_->setCurrentIndex(-1);
  wlCombo_->setToolTip(tr("Window/level preset of the slice views (right drag adjusts)"));
  connect(wlCombo_, &QComboBox::activated, this,
          [this](int index) { applyWindowLevelPreset(wlCombo_->itemText(index)); });
  row->addWidget(wlCombo_);

  invertedCheck_ = new QCheckBox(tr("Inverted"), bar);
  invertedCheck_->setToolTip(tr("Black on white (PET's convention)"));
  connect(invertedCheck_, &QCheckBox::toggled, this, &StudyViewer::setInvertedGray);
  row->addWidget(invertedCheck_);
  row->addSpacing(12);

  row->addWidget(new QLabel(tr("3-D"), bar));
  vrCombo_ = new QComboBox(bar);
  vrCombo_->addItems(harmonia::volumeRenderPresetNames());
  vrCombo_->setToolTip(tr("Colour and opacity preset of the 3-D view"));
  connect(vrCombo_, &QComboBox::activated, this,
          [this](int index) { applyVolumeRenderPreset(vrCombo_->itemText(index)); });
  row->addWidget(vrCombo_);
  row->addSpacing(12);

  layoutButton_ = new QToolButton(bar);
  layoutButton_->setText(tr("1 + 3"));
  layoutButton_->setCheckable(true);
  layoutButton_->setToolTip(
      tr("One large view beside three small ones (double-click a view to enlarge it)"));
  connect(layoutButton_, &QToolButton::toggled, this,
          [this](bool on) { setLayoutMode(on ? LayoutMode::OneLarge : LayoutMode::Grid); });
  row->addWidget(layoutButton_);

  fillCheck_ = new QCheckBox(tr("Fill ROIs"), bar);
  fillCheck_->setChecked(true);
  fillCheck_->setToolTip(tr("Translucent fill inside the ROI outlines"));
  fillCheck_->setVisible(false);
  connect(fillCheck_, &QCheckBox::toggled, this,
          [this](bool on) { setRoiFillOpacity(on ? kDefaultFillOpacity : 0.0); });
  row->addWidget(fillCheck_);
  row->addStretch(1);
}

// ---------------------------------------------------------------- layout

QWidget* StudyViewer::viewWidget(int index) const {
  if (index == VolumeView) return volumeView_;
  return slices_[static_cast<std::size_t>(std::clamp(index, 0, 2))];
}

void StudyViewer::arrangeViews() {
  for (int i = 0; i < 4; ++i) grid_->removeWidget(viewWidget(i));
  for (int r = 0; r < 3; ++r) grid_->setRowStretch(r, 0);
  for (int c = 0; c < 2; ++c) grid_->setColumnStretch(c, 0);
  if (layoutMode_ == LayoutMode::Grid) {
    // Slicer's four-up: axial and 3-D on top, coronal and sagittal below.
    grid_->addWidget(viewWidget(AxialView), 0, 0);
    grid_->addWidget(viewWidget(VolumeView), 0, 1);
    grid_->addWidget(viewWidget(CoronalView), 1, 0);
    grid_->addWidget(viewWidget(SagittalView), 1, 1);
    grid_->setRowStretch(0, 1);
    grid_->setRowStretch(1, 1);
    grid_->setColumnStretch(0, 1);
    grid_->setColumnStretch(1, 1);
    return;
  }
  grid_->addWidget(viewWidget(largeView_), 0, 0, 3, 1);
  int row = 0;
  for (int i = 0; i < 4; ++i) {
    if (i == largeView_) continue;
    grid_->addWidget(viewWidget(i), row, 1);
    grid_->setRowStretch(row, 1);
    ++row;
  }
  grid_->setColumnStretch(0, 3);
  grid_->setColumnStretch(1, 1);
}

void StudyViewer::setLayoutMode(LayoutMode mode) {
  if (mode == layoutMode_) return;
  layoutMode_ = mode;
  {
    const QSignalBlocker block(layoutButton_);
    layoutButton_->setChecked(mode == LayoutMode::OneLarge);
  }
  arrangeViews();
}

void StudyViewer::setLargeView(int index) {
  index = std::clamp(index, 0, 3);
  if (index == largeView_) return;
  largeView_ = index;
  if (layoutMode_ == LayoutMode::OneLarge) arrangeViews();
}

bool StudyViewer::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseButtonDblClick && layoutMode_ == LayoutMode::OneLarge) {
    for (int i = 0; i < 4; ++i) {
      if (watched == viewWidget(i)) {
        setLargeView(i);
        break;
      }
    }
  }
  return QWidget::eventFilter(watched, event);  // the view still handles the click
}

// ---------------------------------------------------------------- volume

void StudyViewer::setVolume(std::shared_ptr<const Volume> volume, const QString& modality,
                            const QString& unit) {
  if (!volume || volume->empty()) {
    clear();
    return;
  }
  const bool sameSize = volume_ && volume_->geometry().size == volume->geometry().size;
  volume_ = std::move(volume);
  modality_ = modality;
  unit_ = unit;
  refreshTimer_->stop();
  sample_ = sampleValues(*volume_);

  const WindowLevelPreset* preset = findWindowLevelPreset(defaultWindowLevelPresetName(modality_));
  const WindowLevel wl = preset != nullptr ? resolveWindowLevel(*preset, sample_) : WindowLevel{};
  const double span = std::max(sample_.max() - sample_.min(), wl.window);

  loading_ = true;
  coordinator_->setSuspended(true);
  for (SliceView* view : slices_) {
    view->setVolumeWithWindow(volume_, wl.window, wl.level, span, false);
  }
  volumeView_->setVolume(volume_);
  coordinator_->setSuspended(false);
  loading_ = false;

  // One crosshair for all three: the centre voxel.
  const std::array<int, 3>& size = volume_->geometry().size;
  const std::array<int, 3> middle{(size[0] - 1) / 2, (size[1] - 1) / 2, (size[2] - 1) / 2};
  const Eigen::Vector3d centre(middle[0], middle[1], middle[2]);
  setCrosshair(volume_->geometry().indexToWorld(centre));

  if (preset != nullptr) applyWindowLevelPreset(preset->name);
  applyVolumeRenderPreset(defaultVolumeRenderPresetName(modality_));
  if (!sameSize) {
    rois_.clear();
    roiVisible_.clear();
    rebuildLegend();
  }
  updateRoiOverlays();
  updateReadout();
}

bool StudyViewer::refreshPending() const { return refreshTimer_->isActive(); }

void StudyViewer::volumeDataModified() {
  if (!volume_) return;
  for (SliceView* view : slices_) view->dataModified();
  if (!refreshTimer_->isActive()) refreshTimer_->start();
}

void StudyViewer::refreshAfterLoading() {
  if (!volume_) return;
  sample_ = sampleValues(*volume_);
  const WindowLevelPreset* preset = findWindowLevelPreset(wlPreset_);
  if (preset != nullptr && preset->kind == WindowLevelPreset::Kind::Percentile) {
    applyWindowLevelPreset(wlPreset_);
  }
  const VolumeRenderPreset* vr = findVolumeRenderPreset(vrPreset_);
  if (vr != nullptr && vr->scale == VolumeRenderPreset::Scale::DataRange) {
    applyVolumeRangePreset();
  }
  volumeView_->dataModified();
}

void StudyViewer::clear() {
  refreshTimer_->stop();
  volume_.reset();
  sample_ = {};
  modality_.clear();
  unit_.clear();
  rois_.clear();
  roiVisible_.clear();
  loading_ = true;
  coordinator_->setSuspended(true);
  for (SliceView* view : slices_) view->clear();
  coordinator_->setSuspended(false);
  loading_ = false;
  volumeView_->clear();
  updateRoiOverlays();
  rebuildLegend();
  readout_->clear();
}

SliceView* StudyViewer::sliceView(SliceView::Orientation o) const {
  switch (o) {
    case SliceView::Orientation::Coronal:
      return slices_[1];
    case SliceView::Orientation::Sagittal:
      return slices_[2];
    case SliceView::Orientation::Axial:
      break;
  }
  return slices_[0];
}

VolumeRenderView* StudyViewer::volumeView() const { return volumeView_; }

// ---------------------------------------------------------------- linking

void StudyViewer::setCrosshair(const Eigen::Vector3d& worldLps) {
  for (SliceView* view : slices_) view->setCrosshair(worldLps);
  if (volume_ && worldLps != lastCrosshair_) {
    lastCrosshair_ = worldLps;
    emit crosshairMoved(worldLps);
  }
}

Eigen::Vector3d StudyViewer::crosshair() const { return slices_[0]->crosshair(); }

void StudyViewer::onCrosshairMoved(const Eigen::Vector3d& world) {
  if (loading_) return;
  // The coordinator moves the other views; this only tells the viewer's users.
  if (world != lastCrosshair_) {
    lastCrosshair_ = world;
    emit crosshairMoved(world);
  }
}

void StudyViewer::onWindowLevelChanged(double window, double level) {
  if (loading_) return;
  if (!applyingPreset_ && !wlPreset_.isEmpty() &&
      (window != wlPresetValues_.window || level != wlPresetValues_.level)) {
    wlPreset_.clear();  // changed by hand: no preset any more
    wlCombo_->setCurrentIndex(-1);
  }
}

// ---------------------------------------------------------------- presets

QStringList StudyViewer::windowLevelPresetNames() const {
  return harmonia::windowLevelPresetNames();
}

void StudyViewer::applyWindowLevelPreset(const QString& name) {
  const WindowLevelPreset* preset = findWindowLevelPreset(name);
  if (preset == nullptr) return;
  const WindowLevel wl = resolveWindowLevel(*preset, sample_);
  applyingPreset_ = true;
  for (SliceView* view : slices_) view->setWindowLevel(wl.window, wl.level);
  applyingPreset_ = false;
  // The views may clamp a tiny window: remember what they show.
  wlPresetValues_ = {slices_[0]->window(), slices_[0]->level()};
  wlPreset_ = preset->name;
  wlCombo_->setCurrentIndex(wlCombo_->findText(preset->name));
  setInvertedGray(preset->inverted);
}

QString StudyViewer::currentWindowLevelPreset() const { return wlPreset_; }

void StudyViewer::setInvertedGray(bool inverted) {
  for (SliceView* view : slices_) view->setInvertedGray(inverted);
  const QSignalBlocker block(invertedCheck_);
  invertedCheck_->setChecked(inverted);
}

bool StudyViewer::invertedGray() const { return slices_[0]->invertedGray(); }

QStringList StudyViewer::volumeRenderPresetNames() const {
  return harmonia::volumeRenderPresetNames();
}

void StudyViewer::applyVolumeRenderPreset(const QString& name) {
  if (findVolumeRenderPreset(name) == nullptr) return;
  vrPreset_ = name;
  vrCombo_->setCurrentIndex(vrCombo_->findText(name));
  applyVolumeRangePreset();
}

void StudyViewer::applyVolumeRangePreset() {
  const VolumeRenderPreset* preset = findVolumeRenderPreset(vrPreset_);
  if (preset == nullptr) return;
  volumeView_->setPreset(*preset, sample_.percentile(kVolumeRangeLowPercentile),
                         sample_.percentile(kVolumeRangeHighPercentile));
}

QString StudyViewer::currentVolumeRenderPreset() const { return vrPreset_; }

// ---------------------------------------------------------------- ROIs

void StudyViewer::setRoiOverlays(std::vector<Roi> rois) {
  rois_ = std::move(rois);
  roiVisible_.assign(rois_.size(), true);
  rebuildLegend();
  updateRoiOverlays();
  updateReadout();
}

void StudyViewer::setRoiVisible(int index, bool visible) {
  if (index < 0 || index >= static_cast<int>(rois_.size())) return;
  roiVisible_[static_cast<std::size_t>(index)] = visible;
  for (auto& layer : roiLayers_) layer->setMaskVisible(index, visible);
  if (QListWidgetItem* item = legend_->item(index)) {
    const QSignalBlocker block(legend_);
    item->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
  }
  updateReadout();
}

bool StudyViewer::roiVisible(int index) const {
  return index >= 0 && index < static_cast<int>(roiVisible_.size()) &&
         roiVisible_[static_cast<std::size_t>(index)];
}

void StudyViewer::setRoiFillOpacity(double opacity) {
  roiFillOpacity_ = std::clamp(opacity, 0.0, 1.0);
  for (auto& layer : roiLayers_) layer->setFillOpacity(roiFillOpacity_);
  const QSignalBlocker block(fillCheck_);
  fillCheck_->setChecked(roiFillOpacity_ > 0.0);
}

void StudyViewer::rebuildLegend() {
  const QSignalBlocker block(legend_);
  legend_->clear();
  for (std::size_t i = 0; i < rois_.size(); ++i) {
    auto* item = new QListWidgetItem(QIcon(swatch(rois_[i].color)), rois_[i].name, legend_);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    item->setCheckState(roiVisible_[i] ? Qt::Checked : Qt::Unchecked);
  }
  legend_->setVisible(!rois_.empty());
  fillCheck_->setVisible(!rois_.empty());
}

void StudyViewer::updateRoiOverlays() {
  std::vector<MaskSliceOverlay::Mask> masks;
  masks.reserve(rois_.size());
  for (std::size_t i = 0; i < rois_.size(); ++i) {
    masks.push_back({rois_[i].mask, rois_[i].color, roiVisible_[i]});
  }
  for (auto& layer : roiLayers_) {
    layer->setFillOpacity(roiFillOpacity_);
    layer->setMasks(masks);
  }
}

// ---------------------------------------------------------------- readout

void StudyViewer::updateReadout() {
  SliceView::CursorInfo info = slices_[0]->cursorInfo();
  if (!info.valid) {
    readout_->clear();
    return;
  }
  if (!unit_.isEmpty()) info.units = unit_;
  QString text = SliceView::formatReadout(info);
  if (info.inside) {
    QStringList inside;
    for (std::size_t i = 0; i < rois_.size(); ++i) {
      const auto& mask = rois_[i].mask;
      if (roiVisible_[i] && mask &&
          mask->geometry().contains(info.index[0], info.index[1], info.index[2]) &&
          mask->at(info.index[0], info.index[1], info.index[2]) != 0) {
        inside << rois_[i].name;
      }
    }
    if (!inside.isEmpty()) text += QStringLiteral(" | in ") + inside.join(QStringLiteral(", "));
  }
  readout_->setText(text);
}

QString StudyViewer::readoutText() const { return readout_->text(); }

}  // namespace harmonia
