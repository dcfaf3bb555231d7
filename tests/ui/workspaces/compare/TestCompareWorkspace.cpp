// The Compare workspace's comparison modes and links, read back from what the
// view shows: every sampled pixel of the view is mapped to its world position
// (SliceView::worldAt) and compared with what the mode must show there.
//
// Test studies: A = 0 everywhere, B = 1000 everywhere (or given values), on
// 1 mm grids, shown with window 1000 / level 500, so A is black and B white.
// Pixels within 1 mm of a checkerboard edge are skipped (nearest-neighbour
// display puts the edge on a voxel boundary); colours are compared within
// ±2 grey levels (VTK's 8-bit window/level rounding, see TestSliceView).

#include <gtest/gtest.h>

#include <QApplication>
#include <cmath>

#include <QTableWidget>
#include "UiTestSupport.h"
#include "ui/jobs/JobRunner.h"
#include "ui/model/CompareMeasurements.h"
#include "ui/model/CompareSession.h"
#include "ui/model/HarmonizeController.h"
#include "ui/view/ComparisonOverlay.h"
#include "ui/widgets/ColourBar.h"
#include "ui/widgets/HistogramWidget.h"
#include "ui/widgets/ImagePanel.h"
#include "ui/widgets/ProfileWidget.h"
#include "ui/workspaces/compare/CompareWorkspace.h"
#include "ui/workspaces/compare/MeasurementPanel.h"

namespace harmonia {
namespace {

using test::haveGlDisplay;
using test::kNoDisplay;

std::shared_ptr<Volume> constantVolume(float value, const Eigen::Vector3d& spacing = {1, 1, 1}) {
  Geometry3D g;
  g.size = {60, 60, 5};
  g.spacing_mm = spacing;
  g.origin_mm = Eigen::Vector3d(0.0, 0.0, 0.0);
  auto v = std::make_shared<Volume>(g, value);
  v->setUnits("HU");
  return v;
}

class CompareWorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveGlDisplay()) GTEST_SKIP() << kNoDisplay;
    workspace_ = std::make_unique<CompareWorkspace>(&session_);
    workspace_->resize(1200, 800);
    workspace_->show();
    ASSERT_TRUE(test::waitExposed(*workspace_));
  }
  void TearDown() override {
    workspace_.reset();
    runner_.cancelAll();
  }

  void load(std::shared_ptr<Volume> a, std::shared_ptr<Volume> b) {
    session_.study(0)->setVolume(std::move(a), QStringLiteral("A"), QString());
    session_.study(1)->setVolume(std::move(b), QStringLiteral("B"), QString());
    settle();
    view()->setCrosshairVisible(false);
    view()->setWindowLevel(1000.0, 500.0);
    workspace_->panel(1)->view()->setWindowLevel(1000.0, 500.0);
  }
  void setMode(ComparisonMode mode) {
    session_.setMode(mode);
    settle();
  }
  void settle() {
    for (int i = 0; i < 200 && runner_.runningCount() > 0; ++i) runner_.waitForAll(50);
    QApplication::processEvents();
    QApplication::processEvents();
  }
  SliceView* view() const { return workspace_->panel(0)->view(); }

  /// Calls check(world, colour) for pixels of the view that show the volume's slice.
  template <typename Check>
  int forEachPixelInside(const Check& check) {
    view()->update();
    QApplication::processEvents();
    const QImage image = view()->grabFramebuffer();
    const auto& g = view()->volume()->geometry();
    int checked = 0;
    // The outer 40 pixels hold the orientation letters and the scale bar.
    for (int y = 40; y < view()->height() - 40; y += 7) {
      for (int x = 40; x < view()->width() - 40; x += 7) {
        const Eigen::Vector3d w = view()->worldAt(QPointF(x, y));
        const Eigen::Vector3d idx = g.worldToIndex(w);
        if (idx.x() < 0.5 || idx.y() < 0.5 || idx.x() > g.size[0] - 1.5 ||
            idx.y() > g.size[1] - 1.5) {
          continue;
        }
        const QColor c = test::pixelAt(image, *view(), QPointF(x, y));
        check(w, c);
        ++checked;
      }
    }
    return checked;
  }

  JobRunner runner_;
  CompareSession session_{&runner_};
  std::unique_ptr<CompareWorkspace> workspace_;
};

TEST_F(CompareWorkspaceTest, FadeAtZeroShowsAAndAtOneShowsB) {
  load(constantVolume(0.0f), constantVolume(1000.0f));
  setMode(ComparisonMode::Fade);
  ASSERT_TRUE(session_.commonGrid());
  EXPECT_FALSE(workspace_->panel(1)->isVisible());  // one view holds both studies
  for (double fade : {0.0, 1.0, 0.5}) {
    session_.setFade(fade);
    QApplication::processEvents();
    const double want = fade * 255.0;
    const int n = forEachPixelInside([&](const Eigen::Vector3d&, const QColor& c) {
      EXPECT_NEAR(c.red(), want, 2.0) << "fade " << fade;
      EXPECT_EQ(c.red(), c.green());
    });
    EXPECT_GT(n, 100);
  }
}

TEST_F(CompareWorkspaceTest, CheckerboardSquaresAlternateAandBAtTheirSizeInMillimetres) {
  load(constantVolume(0.0f), constantVolume(1000.0f));
  setMode(ComparisonMode::Checkerboard);
  session_.setCheckerSize(10.0);
  QApplication::processEvents();
  int a = 0;
  int b = 0;
  forEachPixelInside([&](const Eigen::Vector3d& w, const QColor& c) {
    // Squares start at the grid's first voxel edge (-0.5 mm: voxel centres at 0, 1, ...).
    const double u = w.x() + 0.5;
    const double v = w.y() + 0.5;
    const double du = std::fmod(u, 10.0);
    const double dv = std::fmod(v, 10.0);
    if (du < 1.0 || du > 9.0 || dv < 1.0 || dv > 9.0) return;  // near an edge
    const bool showsB =
        (static_cast<int>(std::floor(u / 10.0)) + static_cast<int>(std::floor(v / 10.0))) % 2 == 1;
    EXPECT_NEAR(c.red(), showsB ? 255 : 0, 2) << "at " << w.x() << ", " << w.y();
    (showsB ? b : a) += 1;
  });
  EXPECT_GT(a, 30);
  EXPECT_GT(b, 30);
}

TEST_F(CompareWorkspaceTest, DifferenceOfIdenticalStudiesIsTheColourMapsZero) {
  auto a = constantVolume(0.0f);
  for (std::size_t i = 0; i < a->voxelCount(); ++i) a->data()[i] = static_cast<float>(i % 97);
  auto b = std::make_shared<Volume>(*a);
  load(a, b);
  setMode(ComparisonMode::Difference);
  const int n = forEachPixelInside(
      [](const Eigen::Vector3d&, const QColor& c) { EXPECT_EQ(c, QColor(255, 255, 255)); });
  EXPECT_GT(n, 100);
}

TEST_F(CompareWorkspaceTest, DifferenceShowsBMinusAInItsColourMapWithASymmetricRange) {
  load(constantVolume(0.0f), constantVolume(50.0f));
  setMode(ComparisonMode::Difference);
  session_.setDifferenceRange(100.0);
  QApplication::processEvents();
  // +50 of ±100: half-way from white to red.
  const auto want = divergingColour(0.5);
  forEachPixelInside([&](const Eigen::Vector3d&, const QColor& c) {
    EXPECT_EQ(c, QColor(want[0], want[1], want[2]));
  });
  const QStringList labels = workspace_->colourBar()->labels();
  EXPECT_EQ(labels.front(), QStringLiteral("−100 HU"));
  EXPECT_EQ(labels.back(), QStringLiteral("+100 HU"));
}

TEST_F(CompareWorkspaceTest, BOnAnotherGridIsResampledOntoAsGridWithItsOffset) {
  // B on a 2 mm grid: x < 30 mm holds 0, beyond 1000. Moved by -10 mm in x,
  // its step falls at x = 20 mm of A's grid.
  auto b = constantVolume(0.0f, {2.0, 2.0, 2.0});
  for (int k = 0; k < b->nz(); ++k)
    for (int j = 0; j < b->ny(); ++j)
      for (int i = 0; i < b->nx(); ++i) b->at(i, j, k) = i * 2.0 < 30.0 ? 0.0f : 1000.0f;
  load(constantVolume(0.0f), b);
  session_.setOffset({-10.0, 0.0, 0.0});
  setMode(ComparisonMode::Fade);
  session_.setFade(1.0);
  QApplication::processEvents();
  ASSERT_TRUE(session_.commonGrid());
  EXPECT_TRUE(session_.commonGrid()->geometry().sameGrid(session_.study(0)->volume()->geometry()));
  forEachPixelInside([&](const Eigen::Vector3d& w, const QColor& c) {
    if (std::abs(w.x() - 20.0) < 2.5) return;  // B's linear ramp between its voxels
    EXPECT_NEAR(c.red(), w.x() > 20.0 ? 255 : 0, 2) << "x " << w.x();
  });
}

TEST_F(CompareWorkspaceTest, ComparisonModesWorkOnBsGridOrAnIsotropicGridToo) {
  // B: 2 mm grid, x < 30 mm holds 0 and beyond 1000; A: 1 mm grid, all 500.
  auto b = constantVolume(0.0f, {2.0, 2.0, 2.0});
  for (int k = 0; k < b->nz(); ++k)
    for (int j = 0; j < b->ny(); ++j)
      for (int i = 0; i < b->nx(); ++i) b->at(i, j, k) = i * 2.0 < 30.0 ? 0.0f : 1000.0f;
  load(constantVolume(500.0f), b);
  session_.setOffset({4.0, 0.0, 0.0});
  setMode(ComparisonMode::Fade);
  session_.setComparisonGrid(CompareSession::ComparisonGrid::B);
  settle();
  ASSERT_TRUE(session_.commonGrid() && session_.commonGridA());
  // B's grid, moved by the offset; B itself is not resampled: its values exactly.
  Geometry3D moved = b->geometry();
  moved.origin_mm += Eigen::Vector3d(4.0, 0.0, 0.0);
  EXPECT_TRUE(session_.commonGrid()->geometry().sameGrid(moved));
  EXPECT_TRUE(session_.commonGridA()->geometry().sameGrid(moved));
  for (std::size_t i = 0; i < b->voxelCount(); ++i) {
    ASSERT_EQ(session_.commonGrid()->data()[i], b->data()[i]) << i;
  }
  // The view shows A on that grid (500 inside A, NaN beyond A's 60 mm).
  EXPECT_EQ(view()->volume(), session_.commonGridA());
  EXPECT_EQ(session_.commonGridA()->at(3, 3, 1), 500.0f);
  // Isotropic 1.5 mm over A's field of view.
  session_.setComparisonGrid(CompareSession::ComparisonGrid::Isotropic, 1.5);
  settle();
  ASSERT_TRUE(session_.commonGrid() && session_.commonGridA());
  EXPECT_DOUBLE_EQ(session_.commonGrid()->geometry().spacing_mm.x(), 1.5);
  EXPECT_EQ(view()->volume(), session_.commonGridA());
  // Back to A's grid: A is shown as it is.
  session_.setComparisonGrid(CompareSession::ComparisonGrid::A);
  settle();
  EXPECT_FALSE(session_.commonGridA());
  EXPECT_EQ(view()->volume(), session_.study(0)->volume());
  setMode(ComparisonMode::SideBySide);
  EXPECT_EQ(view()->volume(), session_.study(0)->volume());
}

TEST_F(CompareWorkspaceTest, WindowLinkedByPercentilesShowsTheSameGreyAtTheSameAnatomy) {
  // B = 3 A + 40, in unknown units: auto link maps windows by percentiles.
  auto a = constantVolume(0.0f);
  a->setUnits("");
  for (std::size_t i = 0; i < a->voxelCount(); ++i) {
    a->data()[i] = static_cast<float>((i * 7919) % 1000);
  }
  auto b = std::make_shared<Volume>(*a);
  for (float& v : b->voxels()) v = 3.0f * v + 40.0f;
  session_.study(0)->setVolume(a, QStringLiteral("A"), QString());
  session_.study(1)->setVolume(b, QStringLiteral("B"), QString());
  settle();
  view()->setWindowLevel(400.0, 300.0);  // A: 100..500
  SliceView* vb = workspace_->panel(1)->view();
  // B's window shows the same values: 340..1540 (within the sample's resolution).
  EXPECT_NEAR(vb->level() - 0.5 * vb->window(), 340.0, 6.0);
  EXPECT_NEAR(vb->level() + 0.5 * vb->window(), 1540.0, 6.0);
  int compared = 0;
  for (std::size_t i = 0; i < a->voxelCount(); i += 37) {
    const double ga = test::expectedGray(a->data()[i], view()->window(), view()->level());
    const double gb = test::expectedGray(b->data()[i], vb->window(), vb->level());
    EXPECT_NEAR(ga, gb, 1.5) << "voxel " << i;
    ++compared;
  }
  EXPECT_GT(compared, 100);
  // Same units: raw values are copied.
  a->setUnits("HU");
  b->setUnits("HU");
  session_.study(0)->setVolume(a, QStringLiteral("A"), QString());
  session_.study(1)->setVolume(b, QStringLiteral("B"), QString());
  settle();
  view()->setWindowLevel(250.0, 125.0);
  EXPECT_DOUBLE_EQ(vb->window(), 250.0);
  EXPECT_DOUBLE_EQ(vb->level(), 125.0);
}

TEST_F(CompareWorkspaceTest, LinkedZoomPanAndPlaneLandOnTheSameMillimetresAcrossGrids) {
  auto b = constantVolume(1000.0f, {2.0, 2.5, 3.0});
  b->setOrigin({-7.0, 3.0, 1.0});
  load(constantVolume(0.0f), b);
  SliceView* vb = workspace_->panel(1)->view();
  // Zoom A twice about a point, then pan it: B follows in millimetres.
  view()->setZoom(2.0);
  view()->setViewCentreAndScale({20.0, 25.0, 2.0}, 0.05);
  QApplication::processEvents();
  EXPECT_NEAR(view()->millimetresPerPixel(), 0.05, 1e-12);
  EXPECT_NEAR(vb->millimetresPerPixel(), view()->millimetresPerPixel(), 1e-9);
  // Axial views: the same x and y at the centre (z is each view's own slice).
  EXPECT_NEAR(vb->viewCentre().x(), view()->viewCentre().x(), 1e-6);
  EXPECT_NEAR(vb->viewCentre().y(), view()->viewCentre().y(), 1e-6);
  EXPECT_NEAR(view()->viewCentre().x(), 20.0, 1e-6);
  // Through B's offset: B shows B's points p - offset.
  session_.setOffset({4.0, -2.0, 0.0});
  view()->setViewCentreAndScale({10.0, 12.0, 2.0}, 0.2);
  QApplication::processEvents();
  EXPECT_NEAR(vb->viewCentre().x(), 6.0, 1e-6);
  EXPECT_NEAR(vb->viewCentre().y(), 14.0, 1e-6);
  // The plane follows, and so does the view.
  view()->setOrientation(SliceView::Orientation::Coronal);
  QApplication::processEvents();
  EXPECT_EQ(vb->orientation(), SliceView::Orientation::Coronal);
  EXPECT_NEAR(vb->millimetresPerPixel(), view()->millimetresPerPixel(), 1e-9);
  EXPECT_NEAR(vb->viewCentre().z(), view()->viewCentre().z(), 1e-6);
  // Unlinked, B keeps its own view.
  workspace_->setViewLinked(false);
  const double before = vb->millimetresPerPixel();
  view()->setZoom(5.0);
  EXPECT_DOUBLE_EQ(vb->millimetresPerPixel(), before);
}

TEST_F(CompareWorkspaceTest, AltArrowsNudgeStudyBAlongTheScreen) {
  load(constantVolume(0.0f), constantVolume(1000.0f));
  session_.setOffset({0.0, 0.0, 0.0});
  // Axial view: screen right is the patient's left (+x), screen up anterior (-y).
  test::sendKey(*view(), Qt::Key_Right, Qt::AltModifier);
  EXPECT_EQ(session_.offset(), Eigen::Vector3d(1.0, 0.0, 0.0));
  test::sendKey(*view(), Qt::Key_Up, Qt::AltModifier | Qt::ShiftModifier);
  EXPECT_EQ(session_.offset(), Eigen::Vector3d(1.0, -10.0, 0.0));
  // Without Alt the arrows still change the slice.
  const int slice = view()->slice();
  test::sendKey(*view(), Qt::Key_Down);
  EXPECT_EQ(view()->slice(), slice - 1);
  EXPECT_EQ(session_.offset(), Eigen::Vector3d(1.0, -10.0, 0.0));
}

TEST_F(CompareWorkspaceTest, HistogramsFollowTheRegionAndShowTheStudyBeforeHarmonization) {
  auto a = constantVolume(0.0f);
  for (std::size_t i = 0; i < a->voxelCount(); ++i) a->data()[i] = static_cast<float>(i % 50);
  load(a, constantVolume(1000.0f));
  MeasurementRegion sphere;
  sphere.kind = MeasurementRegion::Kind::Sphere;
  sphere.centre_mm = {30.0, 30.0, 2.0};
  sphere.radius_mm = 5.0;
  workspace_->measurements()->setRegion(sphere);
  settle();
  workspace_->setHistogramsInRegion(true);
  settle();
  const auto& r = workspace_->measurements()->result();
  ASSERT_TRUE(r && r->stats[0] && r->stats[1]);
  ASSERT_TRUE(session_.histogram(0) && session_.histogram(1));
  EXPECT_EQ(session_.histogram(0)->total, r->stats[0]->count);
  EXPECT_EQ(session_.histogram(1)->total, r->stats[1]->count);
  EXPECT_LT(session_.histogram(0)->total, a->voxelCount() / 10);
  workspace_->setHistogramsInRegion(false);
  settle();
  EXPECT_EQ(session_.histogram(0)->total, a->voxelCount());
  EXPECT_EQ(workspace_->histogramWidget()->histogramCount(), 2);

  HarmonizeRequest blur;
  blur.study = 0;
  blur.kernel.from_fwhm_mm = {1.0, 1.0, 1.0};
  blur.kernel.to_fwhm_mm = {3.0, 3.0, 3.0};
  session_.setOffset({2.0, 0.0, 0.0});
  workspace_->harmonizeController()->run(blur);
  settle();
  ASSERT_TRUE(workspace_->harmonizeController()->canRevert(0));
  // The harmonized study is the same study: B's offset stays.
  EXPECT_EQ(session_.offset(), Eigen::Vector3d(2.0, 0.0, 0.0));
  // Both studies now, and Study A as it was.
  EXPECT_EQ(workspace_->histogramWidget()->histogramCount(), 3);
  EXPECT_TRUE(workspace_->histogramWidget()->label(2).contains(QStringLiteral("before")));
  workspace_->harmonizeController()->revert(0);
  settle();
  EXPECT_EQ(workspace_->histogramWidget()->histogramCount(), 2);
}

// ---------------------------------------------------------------- measurements

/// A linear ramp f(p) = 3x + 2y - z + 10 on the given grid.
std::shared_ptr<Volume> rampVolume(const Eigen::Vector3d& spacing, const Eigen::Vector3d& origin) {
  Geometry3D g;
  g.size = {30, 28, 12};
  g.spacing_mm = spacing;
  g.origin_mm = origin;
  auto v = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        v->at(i, j, k) = static_cast<float>(3 * p.x() + 2 * p.y() - p.z() + 10);
      }
  v->setUnits("HU");
  return v;
}

/// Brute force: count and mean of the voxels whose centre lies within r of c.
std::pair<std::size_t, double> sphereMean(const Volume& v, const Eigen::Vector3d& c, double r) {
  std::size_t n = 0;
  double sum = 0;
  const Geometry3D& g = v.geometry();
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        if ((g.indexToWorld(Eigen::Vector3d(i, j, k)) - c).norm() <= r) {
          ++n;
          sum += v.at(i, j, k);
        }
      }
  return {n, n ? sum / n : 0.0};
}

class CompareMeasurementsTest : public ::testing::Test {
 protected:
  void settle() {
    for (int i = 0; i < 200 && runner_.runningCount() > 0; ++i) runner_.waitForAll(50);
    QApplication::processEvents();
    QApplication::processEvents();
  }
  JobRunner runner_;
  CompareSession session_{&runner_};
  CompareMeasurements measurements_{&session_};
};

TEST_F(CompareMeasurementsTest, SphereStatisticsUseEachStudysOwnVoxelsThroughTheOffset) {
  auto a = rampVolume({1.0, 1.0, 2.0}, {0.0, 0.0, 0.0});
  auto b = rampVolume({1.5, 1.25, 2.5}, {-3.0, 1.0, -2.0});
  session_.study(0)->setVolume(a, QStringLiteral("A"), QString());
  session_.study(1)->setVolume(b, QStringLiteral("B"), QString());
  session_.setOffset({2.0, -1.0, 0.0});
  MeasurementRegion region;
  region.kind = MeasurementRegion::Kind::Sphere;
  region.centre_mm = {14.0, 13.0, 10.0};
  region.radius_mm = 6.0;
  measurements_.setRegion(region);
  settle();
  const auto& r = measurements_.result();
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->stats[0] && r->stats[1])
      << r->errors[0].toStdString() << r->errors[1].toStdString();
  const auto [na, ma] = sphereMean(*a, region.centre_mm, 6.0);
  // B moved by the offset: A's point p is B's point p - offset.
  const auto [nb, mb] = sphereMean(*b, region.centre_mm - Eigen::Vector3d(2.0, -1.0, 0.0), 6.0);
  EXPECT_EQ(r->stats[0]->count, na);
  EXPECT_EQ(r->stats[1]->count, nb);
  // Means of float voxels summed in double: 1e-4 HU.
  EXPECT_NEAR(r->stats[0]->mean, ma, 1e-4);
  EXPECT_NEAR(r->stats[1]->mean, mb, 1e-4);
  EXPECT_EQ(r->units[0], "HU");
}

TEST_F(CompareMeasurementsTest, AnRoiOfAIsPlacedOnBByPosition) {
  auto a = rampVolume({1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
  auto b = std::make_shared<Volume>(*a);
  for (float& v : b->voxels()) v += 5.0f;
  VolumeEntry ea;
  ea.name = QStringLiteral("A");
  ea.volume = a;
  auto mask = std::make_shared<MaskVolume>(a->geometry(), 0);
  for (int k = 2; k < 6; ++k)
    for (int j = 3; j < 9; ++j)
      for (int i = 4; i < 12; ++i) mask->at(i, j, k) = 1;
  ea.rois.push_back({QStringLiteral("GTV"), QColor(255, 0, 0), mask});
  session_.study(0)->setEntry(std::make_shared<const VolumeEntry>(ea));
  session_.study(1)->setVolume(b, QStringLiteral("B"), QString());
  MeasurementRegion region;
  region.kind = MeasurementRegion::Kind::StudyRoi;
  region.roi_study = 0;
  region.roi_index = 0;
  measurements_.setRegion(region);
  settle();
  auto r = measurements_.result();
  ASSERT_TRUE(r && r->stats[0] && r->stats[1]);
  EXPECT_EQ(r->stats[0]->count, 8u * 6u * 4u);
  EXPECT_EQ(r->stats[1]->count, 8u * 6u * 4u);
  EXPECT_NEAR(r->stats[1]->mean - r->stats[0]->mean, 5.0, 1e-4);
  EXPECT_NEAR(r->stats[1]->max - r->stats[0]->max, 5.0, 1e-4);
  EXPECT_TRUE(r->region.contains(QStringLiteral("GTV"))) << r->region.toStdString();
  // B moved 3 mm along x: the ROI lands 3 voxels further on B, where the ramp
  // (3 HU/mm in x) is 9 HU lower: B - A = 5 - 9.
  session_.setOffset({3.0, 0.0, 0.0});
  settle();
  r = measurements_.result();
  ASSERT_TRUE(r && r->stats[1]);
  EXPECT_EQ(r->stats[1]->count, 8u * 6u * 4u);
  EXPECT_NEAR(r->stats[1]->mean - r->stats[0]->mean, -4.0, 1e-4);
}

TEST_F(CompareMeasurementsTest, ProfilesFollowTheLineInBothStudies) {
  auto a = rampVolume({1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
  auto b = rampVolume({2.0, 2.0, 2.0}, {0.0, 0.0, 0.0});
  for (float& v : b->voxels()) v *= 2.0f;
  session_.study(0)->setVolume(a, QStringLiteral("A"), QString());
  session_.study(1)->setVolume(b, QStringLiteral("B"), QString());
  const Eigen::Vector3d start(2.0, 3.0, 4.0), end(20.0, 15.0, 6.0);
  measurements_.setLine(start, end);
  const LineProfile& pa = measurements_.profile(0);
  const LineProfile& pb = measurements_.profile(1);
  ASSERT_GT(pa.values.size(), 20u);
  ASSERT_EQ(pa.values.size(), pb.values.size());
  const double length = (end - start).norm();
  for (std::size_t s = 0; s < pa.values.size(); ++s) {
    const Eigen::Vector3d p = start + (end - start) * (pa.distance_mm[s] / length);
    const double f = 3 * p.x() + 2 * p.y() - p.z() + 10;
    EXPECT_NEAR(pa.values[s], f, 1e-3);
    EXPECT_NEAR(pb.values[s], 2 * f, 2e-3);
  }
}

TEST_F(CompareWorkspaceTest, TheLineToolPlotsBothStudiesAndTheTableFillsIn) {
  load(constantVolume(0.0f), constantVolume(1000.0f));
  workspace_->setLineTool(true);
  const Eigen::Vector3d crosshair = view()->crosshair();
  test::drag(*view(), Qt::LeftButton, QPointF(300, 150), QPointF(500, 150));
  settle();
  EXPECT_TRUE(workspace_->measurements()->line().has_value());
  EXPECT_EQ(workspace_->profileWidget()->profileCount(), 2);
  const auto range = workspace_->profileWidget()->valueRange();
  EXPECT_DOUBLE_EQ(range.first, 0.0);
  EXPECT_DOUBLE_EQ(range.second, 1000.0);
  // The tool drew a line; the crosshair stayed where it was.
  EXPECT_EQ(view()->crosshair(), crosshair);
  workspace_->setLineTool(false);
  MeasurementPanel* panel = workspace_->measurementPanel();
  panel->chooseRegion(
      static_cast<int>(panel->regionNames().indexOf(QStringLiteral("Whole image"))));
  settle();
  QTableWidget* table = panel->table();
  EXPECT_EQ(table->item(0, 0)->text(), QString::number(60 * 60 * 5));
  EXPECT_EQ(table->item(1, 1)->text(), QStringLiteral("1000"));
  EXPECT_EQ(table->item(1, 2)->text(), QStringLiteral("-1000"));
  EXPECT_TRUE(table->horizontalHeaderItem(0)->text().contains(QStringLiteral("HU")));
}

}  // namespace
}  // namespace harmonia
