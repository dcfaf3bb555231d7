#include "ui/workspaces/compare/CompareWorkspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "ui/jobs/JobKeys.h"
#include "ui/model/CompareMeasurements.h"
#include "ui/model/CompareSession.h"
#include "ui/model/FeaturesModel.h"
#include "ui/model/HarmonizeController.h"
#include "ui/view/ComparisonOverlay.h"
#include "ui/view/SliceViewCoordinator.h"
#include "ui/widgets/ColourBar.h"
#include "ui/widgets/FeaturesPanel.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/ProfileWidget.h"
#include "ui/workspaces/compare/HarmonizePanel.h"
#include "ui/workspaces/compare/MeasurementPanel.h"

namespace harmonia {

namespace {

// Settings keys of the three view links (read at start, written at exit).
const QString kLinkCrosshairKey = QStringLiteral("compare/linkCrosshair");
const QString kLinkZoomPanKey = QStringLiteral("compare/linkZoomPan");
const QString kLinkOrientationKey = QStringLiteral("compare/linkOrientation");

// Mode combo order.
constexpr ComparisonMode kModes[] = {ComparisonMode::SideBySide, ComparisonMode::Fade,
                                     ComparisonMode::Flicker,    ComparisonMode::Checkerboard,
                                     ComparisonMode::Difference, ComparisonMode::Swipe,
                                     ComparisonMode::Fusion};

int modeIndex(ComparisonMode mode) {
  for (int i = 0; i < static_cast<int>(std::size(kModes)); ++i) {
    if (kModes[i] == mode) return i;
  }
  return 0;
}

QWidget* hbox(QWidget* parent, std::initializer_list<QWidget*> widgets, bool stretch = true) {
  auto* w = new QWidget(parent);
  auto* l = new QHBoxLayout(w);
  l->setContentsMargins(0, 0, 0, 0);
  for (QWidget* child : widgets) l->addWidget(child);
  if (stretch) l->addStretch(1);
  return w;
}

}  // namespace

CompareWorkspace::CompareWorkspace(CompareSession* session, QWidget* parent)
    : QWidget(parent),
      session_(session),
      histogram_(new HistogramWidget(this)),
      link_(new QCheckBox(tr("crosshair"), this)),
      controller_(new HarmonizeController(session, session->runner(), this)),
      harmonize_(nullptr) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* vertical = new QSplitter(Qt::Vertical, this);
  vertical_ = vertical;
  auto* top = new QWidget(vertical);
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(makeModeBar());
  auto* horizontal = new QSplitter(Qt::Horizontal, top);
  for (int i = 0; i < 2; ++i) {
    panels_[i] = new ImagePanel(session_->study(i), horizontal);
    horizontal->addWidget(panels_[i]);
  }
  topLayout->addWidget(horizontal, 1);
  vertical->addWidget(top);
  auto* bottom = new QWidget(vertical);
  auto* bottomLayout = new QVBoxLayout(bottom);
  bottomLayout->setContentsMargins(0, 0, 0, 0);
  bottomLayout->addWidget(makeLinkBar());
  histogram_->setMinimumHeight(150);
  histogram_->setNormalized(true);  // studies of different sizes: compare fractions
  measurements_ = new CompareMeasurements(session_, this);
  measurementPanel_ = new MeasurementPanel(
      measurements_, session_, [this] { return panels_[0]->view()->crosshair(); }, bottom);
  profile_ = new ProfileWidget(bottom);
  bottomTabs_ = new QTabWidget(bottom);
  auto* histogramPage = new QWidget(bottom);
  auto* histogramLayout = new QVBoxLayout(histogramPage);
  histogramLayout->setContentsMargins(0, 0, 0, 0);
  histogramLayout->setSpacing(0);
  histogramInRoi_ =
      new QCheckBox(tr("Only in the region of the ROI statistics tab"), histogramPage);
  histogramInRoi_->setToolTip(
      tr("Restrict both histograms to the region chosen under ROI statistics (each study's own "
         "voxels in it)"));
  histogramLayout->addWidget(histogramInRoi_);
  histogramLayout->addWidget(histogram_, 1);
  bottomTabs_->addTab(histogramPage, tr("Histograms"));
  bottomTabs_->addTab(measurementPanel_, tr("ROI statistics"));
  bottomTabs_->addTab(profile_, tr("Line profile"));
  featuresModel_ = new FeaturesModel(session_->runner(), jobkey::kCompareFeatures, this);
  featuresPanel_ = new FeaturesPanel(featuresModel_, bottom);
  bottomTabs_->addTab(featuresPanel_, tr("Features"));
  bottomLayout->addWidget(bottomTabs_, 1);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 1);
  auto* outer = new QSplitter(Qt::Horizontal, this);
  outer->addWidget(vertical);
  harmonize_ = new HarmonizePanel(
      controller_, [this](int study) { return panels_[study]->view()->crosshair(); }, outer);
  harmonize_->setMinimumWidth(300);
  outer->addWidget(harmonize_);
  outer->setStretchFactor(0, 4);
  outer->setStretchFactor(1, 1);
  layout->addWidget(outer, 1);

  overlay_ = new ComparisonOverlay(panels_[0]->view(), 2);
  panels_[0]->view()->raiseCrosshair();

  connect(session_->study(0), &Document::changed, harmonize_, &HarmonizePanel::fillFwhmFromStudies);
  connect(session_->study(1), &Document::changed, harmonize_, &HarmonizePanel::fillFwhmFromStudies);
  connect(session_, &CompareSession::histogramsChanged, this, &CompareWorkspace::showHistograms);
  connect(session_, &CompareSession::displayChanged, this, &CompareWorkspace::showMode);
  connect(session_, &CompareSession::commonGridChanged, this, &CompareWorkspace::showMode);
  connect(session_, &CompareSession::offsetChanged, this, &CompareWorkspace::showOffset);
  connect(panels_[1]->view(), &SliceView::windowLevelChanged, this,
          &CompareWorkspace::updateOverlay);
  for (int i = 0; i < 2; ++i) {
    // Alt+arrows in either view move study B (in comparison modes, B is drawn in A's view).
    connect(
        panels_[i]->view(), &SliceView::nudgeRequested, this,
        [this](const Eigen::Vector3d& delta) { session_->setOffset(session_->offset() + delta); });
    connect(panels_[i]->view(), &SliceView::lineDrawn, this,
            [this, i](const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
              measurements_->setLine(a, b, i);
              bottomTabs_->setCurrentWidget(profile_);
            });
  }
  connect(measurements_, &CompareMeasurements::profileChanged, this,
          &CompareWorkspace::showProfile);
  const auto restrictHistograms = [this] {
    const auto& r = measurements_->result();
    if (histogramInRoi_->isChecked() && r) {
      session_->setHistogramMasks(r->masks[0], r->masks[1]);
    } else if (session_->histogramsMasked()) {
      session_->setHistogramMasks(nullptr, nullptr);
    }
  };
  connect(histogramInRoi_, &QCheckBox::toggled, this, restrictHistograms);
  connect(measurements_, &CompareMeasurements::resultChanged, this, restrictHistograms);
  for (int i = 0; i < 2; ++i) {
    connect(session_->study(i), &Document::changed, this, &CompareWorkspace::showFeatureStudies);
  }
  connect(measurements_, &CompareMeasurements::resultChanged, this,
          &CompareWorkspace::showFeatureStudies);
  connect(controller_, &HarmonizeController::histogramsChanged, this,
          &CompareWorkspace::showHistograms);
  connect(controller_, &HarmonizeController::revertChanged, this,
          &CompareWorkspace::showHistograms);
  coordinator_ = new SliceViewCoordinator(this);
  linkViews();
  showMode();
  showOffset();
  showFeatureStudies();
}

void CompareWorkspace::showFeatures() {
  bottomTabs_->setCurrentWidget(featuresPanel_);
  const int total = vertical_->height();
  vertical_->setSizes({total * 11 / 20, total * 9 / 20});
  const auto a = session_->study(0)->volume();
  if (!a) return;
  const auto& entryB = session_->study(1)->entry();
  if (!session_->study(0)->entry()->rois.empty() || (entryB && !entryB->rois.empty())) {
    featuresModel_->compute(FeaturesModel::Target::Both);
    return;
  }
  // No RTSTRUCT ROI: a sphere at A's centre; compute once it is placed on both studies.
  MeasurementRegion region = measurements_->region();
  region.kind = MeasurementRegion::Kind::Sphere;
  region.centre_mm =
      a->geometry().indexToWorld(0.5 * Eigen::Vector3d(a->nx() - 1, a->ny() - 1, a->nz() - 1));
  auto* once = new QObject(this);
  connect(measurements_, &CompareMeasurements::resultChanged, once, [this, once] {
    once->deleteLater();
    showFeatureStudies();
    for (int i = 0; i < 2; ++i) {
      if (!featuresModel_->rois(i).empty()) {
        featuresModel_->setRoi(i, static_cast<int>(featuresModel_->rois(i).size()) - 1);
      }
    }
    featuresModel_->compute(FeaturesModel::Target::Both);
  });
  measurements_->setRegion(region);
}

void CompareWorkspace::showFeatureStudies() {
  // Each study's RTSTRUCT ROIs, and the ROI statistics' sphere or box placed
  // on its grid (a region drawn in Compare, usable on any study).
  const auto& result = measurements_->result();
  const auto kind = measurements_->region().kind;
  const bool shape =
      kind == MeasurementRegion::Kind::Sphere || kind == MeasurementRegion::Kind::Box;
  for (int i = 0; i < 2; ++i) {
    const auto& entry = session_->study(i)->entry();
    if (!entry || !entry->volume) {
      featuresModel_->setStudy(i, nullptr, QString(), {});
      continue;
    }
    std::vector<Roi> rois = entry->rois;
    if (shape && result && result->masks[i] &&
        result->masks[i]->geometry().size == entry->volume->geometry().size) {
      rois.push_back(
          {tr("%1 (ROI statistics)").arg(result->region), QColor(255, 200, 0), result->masks[i]});
    }
    featuresModel_->setStudy(i, entry->volume, entry->name, std::move(rois));
  }
}

CompareWorkspace::~CompareWorkspace() {
  // The overlay draws into panel A's view: remove it while the view exists.
  delete overlay_;
}

QWidget* CompareWorkspace::makeModeBar() {
  auto* bar = new QWidget(this);
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Mode"), bar));
  mode_ = new QComboBox(bar);
  mode_->addItems({tr("Side by side"), tr("Fade"), tr("Flicker"), tr("Checkerboard"),
                   tr("Difference B − A"), tr("Swipe"), tr("Colour fusion")});
  mode_->setToolTip(
      tr("How the two studies are shown: side by side, or B on A's grid in one view"));
  connect(mode_, &QComboBox::activated, this, [this](int index) {
    session_->setMode(kModes[static_cast<std::size_t>(std::clamp(index, 0, 6))]);
  });
  row->addWidget(mode_);

  modeParams_ = new QStackedWidget(bar);
  modeParams_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  // Side by side and fusion: no parameter.
  auto* none = new QWidget(modeParams_);
  fade_ = new QSlider(Qt::Horizontal, modeParams_);
  fade_->setRange(0, 100);
  fade_->setValue(50);
  fade_->setToolTip(tr("0: Study A, 100: Study B"));
  connect(fade_, &QSlider::valueChanged, this, [this](int v) { session_->setFade(v / 100.0); });
  flickerRate_ = new QDoubleSpinBox(modeParams_);
  flickerRate_->setRange(0.5, 20.0);
  flickerRate_->setSingleStep(0.5);
  flickerRate_->setValue(session_->flickerRate());
  flickerRate_->setSuffix(tr(" Hz"));
  flickerRate_->setToolTip(tr("How often the view shows A then B, per second"));
  connect(flickerRate_, &QDoubleSpinBox::valueChanged, session_, &CompareSession::setFlickerRate);
  checker_ = new QDoubleSpinBox(modeParams_);
  checker_->setRange(1.0, 500.0);
  checker_->setValue(session_->display().checker_mm);
  checker_->setSuffix(tr(" mm"));
  checker_->setToolTip(tr("Side of the checkerboard's squares"));
  connect(checker_, &QDoubleSpinBox::valueChanged, session_, &CompareSession::setCheckerSize);
  differenceRange_ = new QDoubleSpinBox(modeParams_);
  differenceRange_->setRange(0.0, 1e6);
  differenceRange_->setDecimals(3);
  differenceRange_->setSpecialValueText(tr("auto"));
  differenceRange_->setToolTip(
      tr("|B − A| shown at full colour; auto: the 99th percentile of |B − A|"));
  connect(differenceRange_, &QDoubleSpinBox::valueChanged, session_,
          &CompareSession::setDifferenceRange);
  differenceRange_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  colourBar_ = new ColourBar(modeParams_);
  swipe_ = new QSlider(Qt::Horizontal, modeParams_);
  swipe_->setRange(0, 100);
  swipe_->setValue(50);
  swipe_->setToolTip(tr("Where B starts, across the view (A on the left)"));
  connect(swipe_, &QSlider::valueChanged, this, [this](int v) { session_->setSwipe(v / 100.0); });
  modeParams_->addWidget(none);  // side
  modeParams_->addWidget(hbox(
      modeParams_, {new QLabel(tr("A"), this), fade_, new QLabel(tr("B"), this)}, false));  // fade
  modeParams_->addWidget(hbox(modeParams_, {new QLabel(tr("Rate"), this), flickerRate_}));
  modeParams_->addWidget(hbox(modeParams_, {new QLabel(tr("Square"), this), checker_}));
  modeParams_->addWidget(
      hbox(modeParams_, {new QLabel(tr("Range ±"), this), differenceRange_, colourBar_}, false));
  modeParams_->addWidget(
      hbox(modeParams_, {new QLabel(tr("A"), this), swipe_, new QLabel(tr("B"), this)}, false));
  modeParams_->addWidget(hbox(modeParams_, {new QLabel(tr("A magenta, B green, grey where they "
                                                          "agree"),
                                                       this)}));
  row->addWidget(modeParams_, 1);
  lineTool_ = new QToolButton(bar);
  lineTool_->setText(tr("Line"));
  lineTool_->setCheckable(true);
  lineTool_->setToolTip(
      tr("Line tool: drag in a view to plot both studies' values along the "
         "line (Line profile tab)"));
  connect(lineTool_, &QToolButton::toggled, this, &CompareWorkspace::setLineTool);
  row->addWidget(lineTool_);
  grid_ = new QComboBox(bar);
  grid_->addItems({tr("on A's grid"), tr("on B's grid"), tr("isotropic")});
  grid_->setToolTip(
      tr("The common grid of the comparison modes: A's (A as it is, B resampled), "
         "B's (moved by its offset), or isotropic voxels over A's field of view"));
  gridSpacing_ = new QDoubleSpinBox(bar);
  gridSpacing_->setRange(0.1, 20.0);
  gridSpacing_->setDecimals(2);
  gridSpacing_->setValue(session_->isotropicSpacing());
  gridSpacing_->setSuffix(tr(" mm"));
  gridSpacing_->setToolTip(tr("Voxel size of the isotropic grid"));
  const auto chooseGrid = [this] {
    session_->setComparisonGrid(
        static_cast<CompareSession::ComparisonGrid>(std::clamp(grid_->currentIndex(), 0, 2)),
        gridSpacing_->value());
  };
  connect(grid_, &QComboBox::activated, this, chooseGrid);
  connect(gridSpacing_, &QDoubleSpinBox::editingFinished, this, chooseGrid);
  row->addWidget(grid_);
  row->addWidget(gridSpacing_);
  modeStatus_ = new QLabel(bar);
  modeStatus_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  row->addWidget(modeStatus_);
  return bar;
}

QWidget* CompareWorkspace::makeLinkBar() {
  // Two short rows (links; B's offset) rather than one long one: the window
  // must fit 1280 pixels whatever the fonts are.
  auto* bar = new QWidget(this);
  auto* rows = new QVBoxLayout(bar);
  rows->setContentsMargins(0, 0, 0, 0);
  rows->setSpacing(2);
  auto* row = new QHBoxLayout;
  rows->addLayout(row);
  row->addWidget(new QLabel(tr("Link"), bar));
  link_->setChecked(true);
  link_->setToolTip(tr("The crosshair (in mm) and with it the slice follow between the views"));
  row->addWidget(link_);
  linkView_ = new QCheckBox(tr("zoom/pan"), bar);
  linkView_->setChecked(true);
  linkView_->setToolTip(tr("Both views show the same millimetres per pixel around the same point"));
  row->addWidget(linkView_);
  linkOrientation_ = new QCheckBox(tr("plane"), bar);
  linkOrientation_->setChecked(true);
  linkOrientation_->setToolTip(tr("Both views show the same patient plane"));
  row->addWidget(linkOrientation_);
  row->addWidget(new QLabel(tr("W/L"), bar));
  windowLink_ = new QComboBox(bar);
  windowLink_->addItems(
      {tr("not linked"), tr("linked (auto)"), tr("same values"), tr("same percentiles")});
  windowLink_->setCurrentIndex(1);
  windowLink_->setToolTip(
      tr("How window/level follows between the studies. Auto: the same values when the units "
         "agree (HU and HU), else the same percentiles of each study's values (two MR vendors, "
         "a gain difference)"));
  connect(windowLink_, &QComboBox::activated, this, [this](int index) {
    session_->setWindowLink(static_cast<CompareSession::WindowLink>(index));
  });
  row->addWidget(windowLink_);
  row->addStretch(1);
  row = new QHBoxLayout;
  rows->addLayout(row);
  row->addWidget(new QLabel(tr("B offset"), bar));
  const QString axes[3] = {QStringLiteral("x "), QStringLiteral("y "), QStringLiteral("z ")};
  for (int a = 0; a < 3; ++a) {
    offset_[a] = new QDoubleSpinBox(bar);
    offset_[a]->setRange(-2000.0, 2000.0);
    offset_[a]->setDecimals(1);
    offset_[a]->setPrefix(axes[a]);
    offset_[a]->setSuffix(tr(" mm"));
    offset_[a]->setToolTip(
        tr("Study B's translation against A (LPS, mm): part of every comparison mode. Alt+arrow "
           "keys in a view move B by 1 mm (Shift: 10 mm)"));
    connect(offset_[a], &QDoubleSpinBox::valueChanged, this, [this] {
      session_->setOffset({offset_[0]->value(), offset_[1]->value(), offset_[2]->value()});
    });
    row->addWidget(offset_[a]);
  }
  auto* resetOffset = new QPushButton(tr("Reset"), bar);
  resetOffset->setToolTip(
      tr("No offset when the studies share a frame of reference, else their "
         "centres aligned"));
  connect(resetOffset, &QPushButton::clicked, session_, &CompareSession::resetOffset);
  row->addWidget(resetOffset);
  row->addStretch(1);
  return bar;
}

bool CompareWorkspace::linked() const { return link_->isChecked(); }

void CompareWorkspace::setHistogramsInRegion(bool on) { histogramInRoi_->setChecked(on); }

void CompareWorkspace::setViewLinked(bool linked) { linkView_->setChecked(linked); }

void CompareWorkspace::setOrientationLinked(bool linked) { linkOrientation_->setChecked(linked); }

void CompareWorkspace::setLineTool(bool on) {
  {
    const QSignalBlocker block(lineTool_);
    lineTool_->setChecked(on);
  }
  for (ImagePanel* p : panels_) {
    p->view()->setTool(on ? SliceView::Tool::Line : SliceView::Tool::Crosshair);
  }
}

void CompareWorkspace::showProfile() {
  const auto& line = measurements_->line();
  for (int i = 0; i < 2; ++i) {
    SliceView* view = panels_[i]->view();
    if (!line) {
      view->clearLine();
      continue;
    }
    const Eigen::Vector3d shift =
        i == 0 ? Eigen::Vector3d::Zero() : Eigen::Vector3d(-session_->offset());
    view->setLine(line->first + shift, line->second + shift);
  }
  profile_->clear();
  for (int i = 0; i < 2; ++i) {
    const Document* d = session_->study(i);
    if (measurements_->profile(i).values.empty()) continue;
    const auto v = d->volume();
    profile_->setProfile(i, measurements_->profile(i), d->role() + QStringLiteral(": ") + d->name(),
                         v ? QString::fromStdString(v->units()) : QString());
  }
}

void CompareWorkspace::setLinked(bool linked) { link_->setChecked(linked); }

void CompareWorkspace::linkViews() {
  using Link = SliceViewCoordinator::Link;
  for (ImagePanel* p : panels_) coordinator_->addView(p->view());
  // World positions (mm), not indices: the studies have different grids. B's
  // offset applies: A's point p is B's point p - offset.
  coordinator_->setFrameMap([this](int from, int to, const Eigen::Vector3d& world) {
    if (from == to) return world;
    const Eigen::Vector3d& offset = session_->offset();
    return Eigen::Vector3d(from == 0 ? Eigen::Vector3d(world - offset)
                                     : Eigen::Vector3d(world + offset));
  });
  coordinator_->setWindowMap([this](int from, int to, const WindowLevel& window) {
    return session_->linkedWindow(from, to, window);
  });
  const auto follow = [this](QCheckBox* box, Link link) {
    coordinator_->setLinked(link, box->isChecked());
    connect(box, &QCheckBox::toggled, this, [this, link](bool on) {
      coordinator_->setLinked(link, on);
      if (on && link == Link::ZoomPan) coordinator_->syncView(0);
    });
  };
  follow(link_, Link::Crosshair);
  follow(linkView_, Link::ZoomPan);
  follow(linkOrientation_, Link::Plane);
  const auto windowLinked = [this] {
    coordinator_->setLinked(Link::WindowLevel,
                            session_->windowLink() != CompareSession::WindowLink::Off);
  };
  windowLinked();
  connect(session_, &CompareSession::displayChanged, this, windowLinked);
}

void CompareWorkspace::showHistograms() {
  histogram_->clear();
  const QString where = session_->histogramsMasked() ? tr(" (in the region)") : QString();
  for (int i = 0; i < 2; ++i) {
    const auto& h = session_->histogram(i);
    if (!h) continue;
    const Document* d = session_->study(i);
    histogram_->setHistogram(i, *h, d->role() + QStringLiteral(": ") + d->name() + where);
  }
  // After a harmonization step: the changed study as it was, beside it now.
  const int changed = controller_->histogramStudy();
  if (controller_->canRevert(changed) && controller_->before()) {
    histogram_->setHistogram(
        2, *controller_->before(),
        tr("%1 before harmonization (whole study)").arg(session_->study(changed)->role()),
        QColor(128, 128, 128));
  }
}

void CompareWorkspace::showMode() {
  const ComparisonMode mode = session_->mode();
  const int index = modeIndex(mode);
  mode_->setCurrentIndex(index);
  modeParams_->setCurrentIndex(index);
  const bool overlay = mode != ComparisonMode::SideBySide;
  panels_[1]->setVisible(!overlay);
  grid_->setVisible(overlay);
  grid_->setCurrentIndex(static_cast<int>(session_->comparisonGrid()));
  gridSpacing_->setVisible(overlay &&
                           session_->comparisonGrid() == CompareSession::ComparisonGrid::Isotropic);
  QString status;
  if (overlay && !session_->commonGrid()) {
    status = session_->study(0)->isEmpty() || session_->study(1)->isEmpty()
                 ? tr("needs both studies")
                 : tr("resampling...");
  }
  modeStatus_->setText(status);
  const auto a = session_->study(0)->volume();
  colourBar_->setRange(session_->differenceRange(),
                       a && !a->units().empty() ? QString::fromStdString(a->units()) : QString());
  updateOverlay();
}

void CompareWorkspace::showOffset() {
  const Eigen::Vector3d& o = session_->offset();
  for (int a = 0; a < 3; ++a) {
    const QSignalBlocker block(offset_[a]);
    offset_[a]->setValue(o[a]);
  }
}

void CompareWorkspace::updateOverlay() {
  // In a comparison mode on a grid other than A's, the view shows A on that grid.
  SliceView* a = panels_[0]->view();
  const bool overlay = session_->mode() != ComparisonMode::SideBySide;
  std::shared_ptr<const Volume> shown = session_->study(0)->volume();
  if (overlay && session_->commonGridA()) shown = session_->commonGridA();
  if (shown && a->volume() != shown) {
    const Eigen::Vector3d crosshair = a->crosshair();
    a->setVolumeWithWindow(shown, a->window(), a->level(), 0.0, true);
    a->setCrosshair(crosshair);
  }
  ComparisonDisplayParams params = session_->display();
  SliceView* b = panels_[1]->view();
  if (b->volume()) params.b = {b->window(), b->level()};
  overlay_->setStudyB(params.mode == ComparisonMode::SideBySide ? nullptr : session_->commonGrid());
  overlay_->setParams(params);
}

void CompareWorkspace::restoreSettings() {
  QSettings settings;
  link_->setChecked(settings.value(kLinkCrosshairKey, true).toBool());
  linkView_->setChecked(settings.value(kLinkZoomPanKey, true).toBool());
  linkOrientation_->setChecked(settings.value(kLinkOrientationKey, true).toBool());
  const int wl = std::clamp(settings.value(QStringLiteral("compare/windowLink"), 1).toInt(), 0, 3);
  windowLink_->setCurrentIndex(wl);
  session_->setWindowLink(static_cast<CompareSession::WindowLink>(wl));
  const auto mode =
      parseComparisonMode(settings.value(QStringLiteral("compare/mode"), QStringLiteral("side"))
                              .toString()
                              .toStdString());
  session_->setMode(mode.value_or(ComparisonMode::SideBySide));
}

void CompareWorkspace::saveSettings() const {
  QSettings settings;
  settings.setValue(kLinkCrosshairKey, link_->isChecked());
  settings.setValue(kLinkZoomPanKey, linkView_->isChecked());
  settings.setValue(kLinkOrientationKey, linkOrientation_->isChecked());
  settings.setValue(QStringLiteral("compare/windowLink"), windowLink_->currentIndex());
  settings.setValue(QStringLiteral("compare/mode"),
                    QString::fromLatin1(toString(session_->mode())));
}

}  // namespace harmonia
