// StudyViewer: linked orthogonal views, presets, inverted grey, ROI overlays
// and the readout, checked on what the views render.
//
// Pixel positions of voxels are computed from the fitted slice view
// (SliceView.h): the slice's whole-voxel extent is fitted to the view and
// centred, +i right and +j down in the axial view, +k up in the others.
// Colour tolerances are a few grey levels (VTK maps window/level and the
// lookup table to 8 bits); comparisons between two renderings use exact
// equality away from the ROIs, because nothing else changed there.

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <QApplication>
#include <QComboBox>
#include <QImage>
#include <QListWidget>
#include <QSet>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <vector>

#include "UiTestSupport.h"
#include "core/phantom/DigitalPhantom.h"
#include "ui/view/VolumeRenderView.h"
#include "ui/workspaces/studies/StudyViewer.h"

namespace harmonia {
namespace {

using O = SliceView::Orientation;
using test::haveGlDisplay;
using test::kNoDisplay;
using test::pixelAt;

/// The digital phantom (HU) on a coarse grid, then given anisotropic spacing
/// (0.75, 1.5, 2.5) mm and an oblique direction: 40 x 30 x 18 voxels.
std::shared_ptr<Volume> obliquePhantom() {
  PhantomParams params;
  params.fov_mm = Eigen::Vector3d(80.0, 60.0, 36.0);
  params.fine_spacing_mm = 2.0;
  auto v = std::make_shared<Volume>(makePhantom(params));
  v->setSpacing(Eigen::Vector3d(0.75, 1.5, 2.5));
  v->setOrigin(Eigen::Vector3d(-12.0, 30.0, 100.0));
  const Eigen::Matrix3d r = (Eigen::AngleAxisd(0.5, Eigen::Vector3d::UnitZ()) *
                             Eigen::AngleAxisd(0.2, Eigen::Vector3d::UnitX()))
                                .matrix();
  v->setDirection(r);
  v->setUnits("HU");
  return v;
}

/// A volume of constant `value` on a 32 x 24 x 10 grid of (1, 1, 3) mm.
std::shared_ptr<Volume> uniformVolume(float value) {
  Geometry3D g;
  g.size = {32, 24, 10};
  g.spacing_mm = Eigen::Vector3d(1.0, 1.0, 3.0);
  g.origin_mm = Eigen::Vector3d(-16.0, -12.0, 0.0);
  return std::make_shared<Volume>(g, value);
}

/// Widget position of the centre of the voxel whose in-plane indices are
/// (a, b) (right axis, vertical axis) in a fitted, unzoomed slice view.
QPointF pixelOfVoxel(const SliceView& view, const Geometry3D& g, double a, double b) {
  int right = 0;
  int up = 1;
  double down = 1.0;  // +j runs down the axial view; +k runs up the others
  if (view.orientation() == O::Coronal) {
    up = 2;
    down = -1.0;
  } else if (view.orientation() == O::Sagittal) {
    right = 1;
    up = 2;
    down = -1.0;
  }
  const double w = g.spacing_mm[right] * g.size[right];
  const double h = g.spacing_mm[up] * g.size[up];
  const double width = view.width();
  const double height = view.height();
  const double scale = std::max(0.5 * h, 0.5 * w / (width / height));
  const double mmPerPixel = 2.0 * scale / height;
  const double x = 0.5 * width + (a - 0.5 * (g.size[right] - 1)) * g.spacing_mm[right] / mmPerPixel;
  const double y =
      0.5 * height + down * (b - 0.5 * (g.size[up] - 1)) * g.spacing_mm[up] / mmPerPixel;
  return {x, y};
}

bool sameColour(const QColor& a, const QColor& b, int tol) {
  return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol &&
         std::abs(a.blue() - b.blue()) <= tol;
}

class StudyViewerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveGlDisplay()) {
      GTEST_SKIP() << kNoDisplay;
    }
    viewer_ = std::make_unique<StudyViewer>();
    viewer_->resize(900, 700);
    viewer_->show();
    ASSERT_TRUE(test::waitExposed(*viewer_));
    QApplication::processEvents();
  }

  [[nodiscard]] SliceView* view(O o) const { return viewer_->sliceView(o); }

  [[nodiscard]] QColor pixel(O o, const QPointF& p) const {
    return pixelAt(view(o)->grabFramebuffer(), *view(o), p);
  }

  void hideCrosshairs() const {
    for (O o : {O::Axial, O::Coronal, O::Sagittal}) view(o)->setCrosshairVisible(false);
  }

  std::unique_ptr<StudyViewer> viewer_;
};

TEST_F(StudyViewerTest, ClickInTheAxialViewMovesTheOtherSlices) {
  const auto volume = obliquePhantom();
  const Geometry3D& g = volume->geometry();
  viewer_->setVolume(volume, QStringLiteral("CT"), QStringLiteral("HU"));
  std::vector<Eigen::Vector3d> moved;
  QObject::connect(viewer_.get(), &StudyViewer::crosshairMoved,
                   [&](const Eigen::Vector3d& w) { moved.push_back(w); });

  // The crosshair starts at the centre voxel in all three views.
  EXPECT_EQ(view(O::Axial)->slice(), (g.size[2] - 1) / 2);
  EXPECT_EQ(view(O::Coronal)->slice(), (g.size[1] - 1) / 2);
  EXPECT_EQ(view(O::Sagittal)->slice(), (g.size[0] - 1) / 2);
  const int axialSlice = view(O::Axial)->slice();

  // Click on voxel (31, 7) of the axial slice.
  SliceView* axial = view(O::Axial);
  const QPointF click = pixelOfVoxel(*axial, g, 31, 7);
  test::sendMouse(*axial, QEvent::MouseButtonPress, click, Qt::LeftButton, Qt::LeftButton);
  test::sendMouse(*axial, QEvent::MouseButtonRelease, click, Qt::LeftButton, Qt::NoButton);
  EXPECT_EQ(view(O::Sagittal)->slice(), 31);  // sagittal follows i
  EXPECT_EQ(view(O::Coronal)->slice(), 7);    // coronal follows j
  EXPECT_EQ(axial->slice(), axialSlice);
  // One world position (LPS) for all: the voxel's centre, through the oblique direction.
  const Eigen::Vector3d expected = g.indexToWorld(Eigen::Vector3d(31, 7, axialSlice));
  EXPECT_LT((axial->crosshair() - expected).norm(), 0.1);
  EXPECT_EQ(view(O::Coronal)->crosshair(), axial->crosshair());
  EXPECT_EQ(view(O::Sagittal)->crosshair(), axial->crosshair());
  ASSERT_EQ(moved.size(), 1U);  // once, not once per view
  EXPECT_EQ(moved.back(), axial->crosshair());

  // Dragging carries the others along.
  test::drag(*axial, Qt::LeftButton, click, pixelOfVoxel(*axial, g, 4, 25));
  EXPECT_EQ(view(O::Sagittal)->slice(), 4);
  EXPECT_EQ(view(O::Coronal)->slice(), 25);

  // A click in the sagittal view (j right, k up) moves the axial slice.
  SliceView* sagittal = view(O::Sagittal);
  const QPointF sagClick = pixelOfVoxel(*sagittal, g, 12, 3);
  test::sendMouse(*sagittal, QEvent::MouseButtonPress, sagClick, Qt::LeftButton, Qt::LeftButton);
  test::sendMouse(*sagittal, QEvent::MouseButtonRelease, sagClick, Qt::LeftButton, Qt::NoButton);
  EXPECT_EQ(axial->slice(), 3);
  EXPECT_EQ(view(O::Coronal)->slice(), 12);
  EXPECT_EQ(sagittal->slice(), 4);

  // Scrolling one view moves the crosshair, and the others follow it.
  test::sendKey(*view(O::Coronal), Qt::Key_Up);
  EXPECT_EQ(view(O::Coronal)->slice(), 13);
  EXPECT_EQ(std::lround(g.worldToIndex(axial->crosshair()).y()), 13);
  EXPECT_EQ(std::lround(g.worldToIndex(sagittal->crosshair()).y()), 13);

  viewer_->setCrosshair(g.indexToWorld(Eigen::Vector3d(20, 10, 15)));
  EXPECT_EQ(axial->slice(), 15);
  EXPECT_EQ(view(O::Coronal)->slice(), 10);
  EXPECT_EQ(sagittal->slice(), 20);
}

TEST_F(StudyViewerTest, WindowLevelPresetsApplyToAllViewsAndStaySynced) {
  viewer_->setVolume(obliquePhantom(), QStringLiteral("CT"), QStringLiteral("HU"));
  EXPECT_EQ(viewer_->currentWindowLevelPreset(), QStringLiteral("CT-Soft tissue"));
  EXPECT_EQ(viewer_->currentVolumeRenderPreset(), QStringLiteral("CT-Bone"));
  EXPECT_EQ(viewer_->volumeView()->presetName(), QStringLiteral("CT-Bone"));
  EXPECT_FALSE(viewer_->invertedGray());
  for (O o : {O::Axial, O::Coronal, O::Sagittal}) {
    EXPECT_DOUBLE_EQ(view(o)->window(), 400.0);
    EXPECT_DOUBLE_EQ(view(o)->level(), 40.0);
  }
  EXPECT_TRUE(viewer_->windowLevelPresetNames().contains(QStringLiteral("CT-Lung")));

  viewer_->applyWindowLevelPreset(QStringLiteral("CT-Lung"));
  EXPECT_EQ(viewer_->currentWindowLevelPreset(), QStringLiteral("CT-Lung"));
  auto* combo = viewer_->findChildren<QComboBox*>().value(0);
  ASSERT_NE(combo, nullptr);
  EXPECT_EQ(combo->currentText(), QStringLiteral("CT-Lung"));
  for (O o : {O::Axial, O::Coronal, O::Sagittal}) {
    EXPECT_DOUBLE_EQ(view(o)->window(), 1400.0);
    EXPECT_DOUBLE_EQ(view(o)->level(), -500.0);
  }

  // Right drag in the coronal view: all three follow; no preset any more.
  SliceView* coronal = view(O::Coronal);
  const QPointF c(coronal->width() / 2.0, coronal->height() / 2.0);
  test::drag(*coronal, Qt::RightButton, c, c + QPointF(40, -30));
  EXPECT_GT(coronal->window(), 1400.0);
  EXPECT_GT(coronal->level(), -500.0);
  for (O o : {O::Axial, O::Sagittal}) {
    EXPECT_DOUBLE_EQ(view(o)->window(), coronal->window());
    EXPECT_DOUBLE_EQ(view(o)->level(), coronal->level());
  }
  EXPECT_EQ(viewer_->currentWindowLevelPreset(), QString());
  EXPECT_EQ(combo->currentIndex(), -1);

  // PET opens inverted with SUV 0..5; MR with its 1st..99th percentile window.
  Geometry3D g;
  g.size = {16, 16, 8};
  auto pet = std::make_shared<Volume>(g, 1.0f);
  viewer_->setVolume(pet, QStringLiteral("PT"), QStringLiteral("SUV g/ml"));
  EXPECT_EQ(viewer_->currentWindowLevelPreset(), QStringLiteral("PET SUV 0-5"));
  EXPECT_TRUE(viewer_->invertedGray());
  EXPECT_TRUE(view(O::Sagittal)->invertedGray());
  EXPECT_DOUBLE_EQ(view(O::Axial)->window(), 5.0);
  EXPECT_DOUBLE_EQ(view(O::Axial)->level(), 2.5);
  EXPECT_EQ(viewer_->currentVolumeRenderPreset(), QStringLiteral("PET hot iron MIP"));

  auto mr = std::make_shared<Volume>(g, 0.0f);
  for (std::size_t i = 0; i < mr->voxelCount(); ++i) mr->data()[i] = static_cast<float>(i);
  viewer_->setVolume(mr, QStringLiteral("MR"), QString());
  EXPECT_EQ(viewer_->currentWindowLevelPreset(), QStringLiteral("Auto (1-99 %)"));
  EXPECT_FALSE(viewer_->invertedGray());
  const double n = static_cast<double>(mr->voxelCount() - 1);  // values 0..n
  EXPECT_NEAR(view(O::Coronal)->level() - 0.5 * view(O::Coronal)->window(), 0.01 * n, 1e-3);
  EXPECT_NEAR(view(O::Coronal)->level() + 0.5 * view(O::Coronal)->window(), 0.99 * n, 1e-3);
}

TEST_F(StudyViewerTest, InvertedGreyInvertsTheRenderedPixels) {
  // Value 40 under W 400 / L 40 is mid grey (127.5); -100 is darker (38.25).
  for (float value : {40.0f, -100.0f}) {
    viewer_->setVolume(uniformVolume(value), QStringLiteral("CT"), QStringLiteral("HU"));
    hideCrosshairs();
    const double normal = test::expectedGray(value, 400.0, 40.0);
    for (O o : {O::Axial, O::Coronal, O::Sagittal}) {
      const QPointF centre(view(o)->width() / 2.0, view(o)->height() / 2.0);
      EXPECT_NEAR(pixel(o, centre).red(), normal, 2.0) << "value " << value;
    }
    viewer_->setInvertedGray(true);
    for (O o : {O::Axial, O::Coronal, O::Sagittal}) {
      const QPointF centre(view(o)->width() / 2.0, view(o)->height() / 2.0);
      const QColor c = pixel(o, centre);
      EXPECT_NEAR(c.red(), 255.0 - normal, 3.0) << "value " << value;
      EXPECT_NEAR(c.green(), 255.0 - normal, 3.0) << "value " << value;
      EXPECT_NEAR(c.blue(), 255.0 - normal, 3.0) << "value " << value;
    }
    // Clamped ends swap too: below the window is white, above it black.
    viewer_->applyWindowLevelPreset(QStringLiteral("CT-Bone"));  // not inverted
    EXPECT_FALSE(viewer_->invertedGray());
    viewer_->setInvertedGray(true);
    const QPointF centre(view(O::Axial)->width() / 2.0, view(O::Axial)->height() / 2.0);
    EXPECT_NEAR(pixel(O::Axial, centre).red(), 255.0 - test::expectedGray(value, 1000.0, 400.0),
                3.0);
    viewer_->setInvertedGray(false);
    EXPECT_NEAR(pixel(O::Axial, centre).red(), test::expectedGray(value, 1000.0, 400.0), 2.0);
  }
}

TEST_F(StudyViewerTest, RoiOverlayColoursTheMaskAndNothingElse) {
  const auto volume = uniformVolume(40.0f);
  const Geometry3D& g = volume->geometry();
  viewer_->setVolume(volume, QStringLiteral("CT"), QStringLiteral("HU"));
  // Crosshair inside the mask's block so that all three slices cut it.
  viewer_->setCrosshair(g.indexToWorld(Eigen::Vector3d(15, 10, 5)));
  hideCrosshairs();
  // Mask: i in [10, 20), j in [5, 15), k in [2, 8).
  auto mask = std::make_shared<MaskVolume>(g, std::uint8_t{0});
  for (int k = 2; k < 8; ++k) {
    for (int j = 5; j < 15; ++j) {
      for (int i = 10; i < 20; ++i) mask->at(i, j, k) = 1;
    }
  }
  viewer_->setRoiOverlays({{QStringLiteral("GTV"), QColor(255, 0, 0), mask}});
  // The legend takes room from the views: compare renderings at the same size,
  // with the ROI hidden and shown.
  QApplication::processEvents();
  viewer_->setRoiVisible(0, false);
  const QImage before[3] = {view(O::Axial)->grabFramebuffer(), view(O::Coronal)->grabFramebuffer(),
                            view(O::Sagittal)->grabFramebuffer()};
  viewer_->setRoiVisible(0, true);
  EXPECT_TRUE(viewer_->roiVisible(0));
  auto* legend = viewer_->findChild<QListWidget*>();
  ASSERT_NE(legend, nullptr);
  EXPECT_TRUE(legend->isVisible());
  ASSERT_EQ(legend->count(), 1);
  EXPECT_EQ(legend->item(0)->text(), QStringLiteral("GTV"));
  EXPECT_TRUE(viewer_->readoutText().endsWith(QStringLiteral("| in GTV")))
      << viewer_->readoutText().toStdString();

  // Per view: (right, vertical) voxel indices inside, on the edge, and outside the mask.
  struct Probe {
    O orientation;
    double in_a, in_b;      // interior voxel
    double edge_a, edge_b;  // outline voxel
    double out_a, out_b;    // outside
  };
  const Probe probes[] = {
      {O::Axial, 15, 10, 10, 10, 25, 10},  // (i, j) on slice k = 5
      {O::Coronal, 15, 5, 19, 5, 15, 9},   // (i, k) on slice j = 10
      {O::Sagittal, 10, 4, 10, 2, 20, 4},  // (j, k) on slice i = 15
  };
  const QColor grey = QColor::fromRgbF(0.5, 0.5, 0.5);
  for (int v = 0; v < 3; ++v) {
    const Probe& p = probes[v];
    SliceView* sv = view(p.orientation);
    const QImage after = sv->grabFramebuffer();
    const QColor in = pixelAt(after, *sv, pixelOfVoxel(*sv, g, p.in_a, p.in_b));
    const QColor edge = pixelAt(after, *sv, pixelOfVoxel(*sv, g, p.edge_a, p.edge_b));
    const QColor out = pixelAt(after, *sv, pixelOfVoxel(*sv, g, p.out_a, p.out_b));
    // Interior: 35 % red over mid grey (127.5): red up, green and blue down.
    EXPECT_NEAR(in.red(), 0.35 * 255 + 0.65 * 127.5, 4.0) << "view " << v;
    EXPECT_NEAR(in.green(), 0.65 * 127.5, 4.0) << "view " << v;
    // Outline: opaque red.
    EXPECT_TRUE(sameColour(edge, QColor(255, 0, 0), 3))
        << "view " << v << " " << edge.name().toStdString();
    // Outside: exactly what was there before.
    EXPECT_EQ(out, pixelAt(before[v], *sv, pixelOfVoxel(*sv, g, p.out_a, p.out_b))) << "view " << v;
    EXPECT_TRUE(sameColour(out, grey, 2)) << "view " << v;
    // Everything away from the mask's rectangle is unchanged.
    int changedOutside = 0;
    const QPointF a = pixelOfVoxel(*sv, g, p.out_a, p.out_b);
    for (int dy = -3; dy <= 3; ++dy) {
      for (int dx = -3; dx <= 3; ++dx) {
        const QPointF q = a + QPointF(dx, dy);
        changedOutside += pixelAt(after, *sv, q) != pixelAt(before[v], *sv, q) ? 1 : 0;
      }
    }
    EXPECT_EQ(changedOutside, 0) << "view " << v;
  }

  // Outlines only, then hidden through the legend: the slice is as before.
  viewer_->setRoiFillOpacity(0.0);
  {
    SliceView* sv = view(O::Axial);
    const QColor in = pixel(O::Axial, pixelOfVoxel(*sv, g, 15, 10));
    EXPECT_TRUE(sameColour(in, grey, 2));
    EXPECT_TRUE(sameColour(pixel(O::Axial, pixelOfVoxel(*sv, g, 10, 10)), QColor(255, 0, 0), 3));
  }
  legend->item(0)->setCheckState(Qt::Unchecked);
  EXPECT_FALSE(viewer_->roiVisible(0));
  EXPECT_EQ(view(O::Axial)->grabFramebuffer(), before[0]);
  EXPECT_FALSE(viewer_->readoutText().contains(QStringLiteral("GTV")));

  // The overlay follows the slice: outside the block along k nothing is drawn.
  viewer_->setRoiVisible(0, true);
  EXPECT_EQ(legend->item(0)->checkState(), Qt::Checked);
  view(O::Axial)->setSlice(9);  // k = 9 is outside [2, 8)
  const QImage k9 = view(O::Axial)->grabFramebuffer();
  viewer_->setRoiVisible(0, false);
  EXPECT_EQ(k9, view(O::Axial)->grabFramebuffer());
}

TEST_F(StudyViewerTest, ReadoutShowsTheValueWithItsUnit) {
  viewer_->setVolume(uniformVolume(-1000.0f), QStringLiteral("CT"), QStringLiteral("HU"));
  EXPECT_TRUE(viewer_->readoutText().endsWith(QStringLiteral("| -1000 HU")))
      << viewer_->readoutText().toStdString();

  // The unit given wins over the volume's own label.
  auto pet = uniformVolume(3.2f);
  pet->setUnits("BQML");
  viewer_->setVolume(pet, QStringLiteral("PT"), QStringLiteral("SUV g/ml"));
  EXPECT_TRUE(viewer_->readoutText().endsWith(QStringLiteral("| 3.2 SUV g/ml")))
      << viewer_->readoutText().toStdString();

  // Moving the crosshair updates it.
  pet->at(3, 4, 5) = 7.25f;
  viewer_->volumeDataModified();
  viewer_->setCrosshair(pet->geometry().indexToWorld(Eigen::Vector3d(3, 4, 5)));
  EXPECT_TRUE(viewer_->readoutText().endsWith(QStringLiteral("[3, 4, 5] | 7.25 SUV g/ml")))
      << viewer_->readoutText().toStdString();

  viewer_->clear();
  EXPECT_TRUE(viewer_->readoutText().isEmpty());
  EXPECT_EQ(view(O::Axial)->volume(), nullptr);
  EXPECT_EQ(viewer_->volumeView()->volume(), nullptr);
}

TEST_F(StudyViewerTest, ProgressiveLoadingShowsSlicesFilledLater) {
  auto volume = uniformVolume(-1000.0f);  // "not loaded yet": air
  viewer_->setVolume(volume, QStringLiteral("CT"), QStringLiteral("HU"));
  hideCrosshairs();
  const QPointF centre(view(O::Axial)->width() / 2.0, view(O::Axial)->height() / 2.0);
  EXPECT_NEAR(pixel(O::Axial, centre).red(), 0.0, 2.0);
  auto* vr = viewer_->volumeView();
  const QImage vrBefore = vr->grabFramebuffer();

  for (std::size_t i = 0; i < volume->voxelCount(); ++i) volume->data()[i] = 700.0f;  // bone
  viewer_->volumeDataModified();
  EXPECT_NEAR(pixel(O::Axial, centre).red(), 255.0, 2.0);  // at once
  // The 3-D view within the coalescing delay.
  EXPECT_TRUE(test::waitUntil([&] { return vr->grabFramebuffer() != vrBefore; },
                              4 * StudyViewer::kRefreshDelayMs + 2000));
}

TEST_F(StudyViewerTest, AllFourViewsShowThePhantom) {
  viewer_->setVolume(obliquePhantom(), QStringLiteral("CT"), QStringLiteral("HU"));
  for (SliceView* v : viewer_->findChildren<SliceView*>()) v->update();
  QApplication::processEvents();
  const QImage shot = viewer_->grab().toImage();
  if (const char* dir = std::getenv("HARMONIA_SCREENSHOT_DIR")) {
    shot.save(QString::fromLocal8Bit(dir) + QStringLiteral("/studyviewer.png"));
  }
  // Each view: many distinct colours (not blank), and the crosshair's yellow in the slice views.
  const QWidget* views[4] = {view(O::Axial), view(O::Coronal), view(O::Sagittal),
                             viewer_->volumeView()};
  for (int v = 0; v < 4; ++v) {
    const QRect r(views[v]->mapTo(viewer_.get(), QPoint(0, 0)), views[v]->size());
    QSet<QRgb> colours;
    int yellow = 0;
    for (int y = r.top(); y <= r.bottom(); ++y) {
      for (int x = r.left(); x <= r.right(); ++x) {
        const QColor c = shot.pixelColor(x, y);
        colours.insert(c.rgb());
        yellow += (c.red() > 200 && c.green() > 170 && c.blue() < 100) ? 1 : 0;
      }
    }
    EXPECT_GT(colours.size(), 8) << "view " << v;
    if (v < 3) {
      EXPECT_GT(yellow, 20) << "view " << v;
    }
  }

  // The other layout: one large view beside three small ones.
  viewer_->setLayoutMode(StudyViewer::LayoutMode::OneLarge);
  QApplication::processEvents();
  EXPECT_GT(view(O::Axial)->width(), 2 * view(O::Coronal)->width());
  test::sendMouse(*view(O::Sagittal), QEvent::MouseButtonDblClick, QPointF(10, 10), Qt::LeftButton,
                  Qt::LeftButton);
  QApplication::processEvents();
  EXPECT_EQ(viewer_->largeView(), StudyViewer::SagittalView);
  EXPECT_GT(view(O::Sagittal)->width(), 2 * view(O::Axial)->width());
}

}  // namespace
}  // namespace harmonia
