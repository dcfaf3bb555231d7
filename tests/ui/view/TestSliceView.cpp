// SliceView: what the user sees, read back from the framebuffer.
//
// Pixel tolerances are ±2 grey levels: VTK maps window/level to 8 bits on the
// CPU and rounds; nothing else (lighting, blending) touches slice colours.

#include <gtest/gtest.h>

#include <QImage>
#include <QRegularExpression>
#include <cmath>
#include <memory>
#include <vector>

#include "DirectionTestSupport.h"
#include "UiTestSupport.h"
#include "ui/view/SliceView.h"

namespace harmonia {
namespace {

using test::expectedGray;
using test::haveGlDisplay;
using test::kNoDisplay;
using test::pixelAt;

constexpr int kViewSize = 200;
const QPointF kCentre(kViewSize / 2.0, kViewSize / 2.0);

/// 16 x 16 x 10 volume, spacing (1, 1, 2) mm, where slice k holds 10 * k.
std::shared_ptr<Volume> sliceValueVolume() {
  Geometry3D g;
  g.size = {16, 16, 10};
  g.spacing_mm = Eigen::Vector3d(1.0, 1.0, 2.0);
  g.origin_mm = Eigen::Vector3d(-8.0, -8.0, 0.0);
  auto volume = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        volume->at(i, j, k) = 10.0f * k;
      }
    }
  }
  volume->setUnits("HU");
  return volume;
}

/// 16^3 cube whose value is 10 * (index along `axis`).
std::shared_ptr<Volume> rampVolume(int axis) {
  Geometry3D g;
  g.size = {16, 16, 16};
  auto volume = std::make_shared<Volume>(g);
  for (int k = 0; k < 16; ++k) {
    for (int j = 0; j < 16; ++j) {
      for (int i = 0; i < 16; ++i) {
        const int idx[3] = {i, j, k};
        volume->at(i, j, k) = 10.0f * idx[axis];
      }
    }
  }
  return volume;
}

/// A 20 x 16 x 12 volume with the given axis directions whose value at each
/// voxel is its world x (LPS: towards the patient's left), in mm.
std::shared_ptr<Volume> worldXVolume(const Eigen::Matrix3d& direction) {
  Geometry3D g;
  g.size = {20, 16, 12};
  g.spacing_mm = Eigen::Vector3d(1.0, 1.5, 2.0);
  g.origin_mm = Eigen::Vector3d(-10.0, -10.0, -10.0);
  g.direction = direction;
  auto volume = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        volume->at(i, j, k) = static_cast<float>(g.indexToWorld(Eigen::Vector3d(i, j, k)).x());
  return volume;
}

const Eigen::Matrix3d kSagittalGrid = test::sagittalDirections();
const Eigen::Matrix3d kCoronalGrid = test::coronalDirections();

class SliceViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveGlDisplay()) {
      GTEST_SKIP() << kNoDisplay;
    }
    view_ = std::make_unique<SliceView>();
    view_->resize(kViewSize, kViewSize);
    view_->show();
    ASSERT_TRUE(test::waitExposed(*view_));
  }

  [[nodiscard]] QColor pixel(const QPointF& p) const {
    return pixelAt(view_->grabFramebuffer(), *view_, p);
  }

  void expectGray(const QPointF& p, double gray, const char* what) const {
    const QColor c = pixel(p);
    EXPECT_NEAR(c.red(), gray, 2.0) << what;
    EXPECT_NEAR(c.green(), gray, 2.0) << what;
    EXPECT_NEAR(c.blue(), gray, 2.0) << what;
  }

  // Points 60 px from the centre of the 200 px view, on each side.
  static constexpr QPointF kLeft{40, 100}, kRight{160, 100}, kTop{100, 40}, kBottom{100, 160};

  /// Every point of the view lies in one axial plane; left is the patient's
  /// right (smaller x), top is anterior (smaller y). The test volumes are at
  /// least 24 mm across, so points 120 px apart lie more than 10 mm apart.
  void expectAxialPlane() const {
    const double z = view_->worldAt(kLeft).z();
    for (const QPointF& p : {kRight, kTop, kBottom}) {
      EXPECT_NEAR(view_->worldAt(p).z(), z, 1e-9);
    }
    EXPECT_LT(view_->worldAt(kLeft).x(), view_->worldAt(kRight).x() - 10.0);
    EXPECT_LT(view_->worldAt(kTop).y(), view_->worldAt(kBottom).y() - 10.0);
  }

  std::unique_ptr<SliceView> view_;
};

TEST_F(SliceViewTest, ShowsTheExpectedGreyForAKnownWindowLevel) {
  view_->setVolume(sliceValueVolume());
  view_->setCrosshairVisible(false);
  view_->setWindowLevel(100.0, 50.0);
  EXPECT_EQ(view_->sliceCount(), 10);
  EXPECT_EQ(view_->slice(), 4);  // the middle slice
  expectGray(kCentre, expectedGray(40.0, 100.0, 50.0), "middle slice");
  for (int k : {0, 2, 7, 9}) {
    view_->setSlice(k);
    expectGray(kCentre, expectedGray(10.0 * k, 100.0, 50.0), "after setSlice");
  }
  view_->setWindowLevel(40.0, 70.0);  // slice 9 = 90: above the window, white
  expectGray(kCentre, 255.0, "clamped high");
  view_->setSlice(1);  // 10: below the window, black
  expectGray(kCentre, 0.0, "clamped low");
}

TEST_F(SliceViewTest, WheelAndKeysChangeTheDisplayedSlice) {
  view_->setVolume(sliceValueVolume());
  view_->setCrosshairVisible(false);
  view_->setWindowLevel(100.0, 50.0);
  std::vector<int> emitted;
  QObject::connect(view_.get(), &SliceView::sliceChanged, [&](int s) { emitted.push_back(s); });

  const QColor before = pixel(kCentre);
  test::sendWheel(*view_, kCentre, 120);  // one notch forward: next slice
  EXPECT_EQ(view_->slice(), 5);
  const QColor after = pixel(kCentre);
  EXPECT_NE(before, after);
  expectGray(kCentre, expectedGray(50.0, 100.0, 50.0), "wheel");

  test::sendWheel(*view_, kCentre, 60);  // half notches accumulate
  EXPECT_EQ(view_->slice(), 5);
  test::sendWheel(*view_, kCentre, 60);
  EXPECT_EQ(view_->slice(), 6);
  test::sendWheel(*view_, kCentre, -240);
  EXPECT_EQ(view_->slice(), 4);

  test::sendKey(*view_, Qt::Key_Up);
  EXPECT_EQ(view_->slice(), 5);
  test::sendKey(*view_, Qt::Key_Down);
  test::sendKey(*view_, Qt::Key_Down);
  EXPECT_EQ(view_->slice(), 3);
  expectGray(kCentre, expectedGray(30.0, 100.0, 50.0), "keys");
  test::sendKey(*view_, Qt::Key_End);
  EXPECT_EQ(view_->slice(), 9);
  test::sendKey(*view_, Qt::Key_PageUp);  // clamped
  EXPECT_EQ(view_->slice(), 9);
  test::sendKey(*view_, Qt::Key_Home);
  EXPECT_EQ(view_->slice(), 0);
  expectGray(kCentre, 0.0, "first slice");
  test::sendWheel(*view_, kCentre, -120);  // clamped at 0, no signal
  EXPECT_EQ(view_->slice(), 0);
  EXPECT_EQ(emitted, (std::vector<int>{5, 6, 4, 5, 4, 3, 9, 0}));
}

TEST_F(SliceViewTest, RightDragChangesWindowAndLevel) {
  view_->setVolume(sliceValueVolume());
  view_->setCrosshairVisible(false);
  view_->setWindowLevel(100.0, 50.0);
  int wlSignals = 0;
  QObject::connect(view_.get(), &SliceView::windowLevelChanged,
                   [&](double, double) { ++wlSignals; });
  const QColor before = pixel(kCentre);

  // Horizontal: window only; right widens it.
  test::drag(*view_, Qt::RightButton, kCentre, kCentre + QPointF(50, 0));
  EXPECT_GT(view_->window(), 100.0);
  EXPECT_DOUBLE_EQ(view_->level(), 50.0);
  EXPECT_GT(wlSignals, 0);
  expectGray(kCentre, expectedGray(40.0, view_->window(), view_->level()), "wider window");
  EXPECT_NE(pixel(kCentre), before);

  // Vertical: level only; up raises it (the slice gets darker).
  const double window = view_->window();
  const QColor beforeLevel = pixel(kCentre);
  test::drag(*view_, Qt::RightButton, kCentre, kCentre - QPointF(0, 40));
  EXPECT_DOUBLE_EQ(view_->window(), window);
  EXPECT_GT(view_->level(), 50.0);
  expectGray(kCentre, expectedGray(40.0, view_->window(), view_->level()), "higher level");
  EXPECT_LT(pixel(kCentre).red(), beforeLevel.red());
}

TEST_F(SliceViewTest, OrientationsFollowTheCameraConventions) {
  // Screen direction of +i, +j, +k per orientation: (dx, dy) with y down;
  // 0 means the axis is the viewing axis (constant on screen).
  struct Case {
    SliceView::Orientation orientation;
    int dx[3];
    int dy[3];
  };
  const Case cases[] = {
      {SliceView::Orientation::Axial, {1, 0, 0}, {0, 1, 0}},      // +i right, +j down
      {SliceView::Orientation::Coronal, {1, 0, 0}, {0, 0, -1}},   // +i right, +k up
      {SliceView::Orientation::Sagittal, {0, 1, 0}, {0, 0, -1}},  // +j right, +k up
  };
  view_->setCrosshairVisible(false);
  for (const Case& c : cases) {
    view_->setOrientation(c.orientation);
    for (int axis = 0; axis < 3; ++axis) {
      view_->setVolume(rampVolume(axis), false);
      view_->setWindowLevel(160.0, 80.0);
      const QImage image = view_->grabFramebuffer();
      const int left = pixelAt(image, *view_, QPointF(50, 100)).red();
      const int right = pixelAt(image, *view_, QPointF(150, 100)).red();
      const int top = pixelAt(image, *view_, QPointF(100, 50)).red();
      const int bottom = pixelAt(image, *view_, QPointF(100, 150)).red();
      const auto sign = [](int d) { return d > 20 ? 1 : d < -20 ? -1 : 0; };
      EXPECT_EQ(sign(right - left), c.dx[axis])
          << "orientation " << static_cast<int>(c.orientation) << " axis " << axis;
      EXPECT_EQ(sign(bottom - top), c.dy[axis])
          << "orientation " << static_cast<int>(c.orientation) << " axis " << axis;
    }
  }
}

TEST_F(SliceViewTest, LeftClickMovesTheCrosshairAndReadsOut) {
  view_->setVolume(sliceValueVolume());
  view_->setWindowLevel(100.0, 50.0);
  std::vector<Eigen::Vector3d> moved;
  std::vector<SliceView::CursorInfo> cursors;
  QObject::connect(view_.get(), &SliceView::crosshairMoved,
                   [&](const Eigen::Vector3d& w) { moved.push_back(w); });
  QObject::connect(view_.get(), &SliceView::cursorChanged,
                   [&](const SliceView::CursorInfo& info) { cursors.push_back(info); });

  // The 16 x 16 mm slice fills the 200 px view: 12.5 px per voxel, and voxel
  // (i, j) covers x in [12.5 i, 12.5 (i + 1)), y likewise (+j down).
  const QPointF click(12.5 * 12 + 6, 12.5 * 3 + 6);  // inside voxel (12, 3)
  test::sendMouse(*view_, QEvent::MouseButtonPress, click, Qt::LeftButton, Qt::LeftButton);
  test::sendMouse(*view_, QEvent::MouseButtonRelease, click, Qt::LeftButton, Qt::NoButton);

  ASSERT_EQ(moved.size(), 1U);
  ASSERT_FALSE(cursors.empty());
  const SliceView::CursorInfo info = view_->cursorInfo();
  EXPECT_TRUE(info.valid);
  EXPECT_TRUE(info.inside);
  EXPECT_EQ(info.index, (std::array<int, 3>{12, 3, 4}));
  EXPECT_DOUBLE_EQ(info.value(), 40.0);
  EXPECT_EQ(info.units, QStringLiteral("HU"));
  // World = origin + spacing * index (identity direction); the crosshair
  // sits where the user clicked, within half a pixel (0.04 mm).
  EXPECT_NEAR(moved[0].x(), -8.0 + 12.0, 0.5);
  EXPECT_NEAR(moved[0].y(), -8.0 + 3.0, 0.5);
  EXPECT_DOUBLE_EQ(moved[0].z(), 8.0);
  EXPECT_EQ(view_->crosshair(), moved[0]);
  const QRegularExpression format(
      QStringLiteral(R"(^x -?\d+\.\d y -?\d+\.\d z 8\.0 mm \| \[12, 3, 4\] \| 40 HU$)"));
  EXPECT_TRUE(format.match(view_->readoutText()).hasMatch()) << view_->readoutText().toStdString();

  // The crosshair is drawn: yellow on the grey slice along its two lines.
  const QImage image = view_->grabFramebuffer();
  bool vertical = false;
  bool horizontal = false;
  for (int d = -2; d <= 2; ++d) {
    const QColor v = pixelAt(image, *view_, QPointF(click.x() + d, 180));
    const QColor h = pixelAt(image, *view_, QPointF(20, click.y() + d));
    vertical |= v.red() > 200 && v.blue() < 120;
    horizontal |= h.red() > 200 && h.blue() < 120;
  }
  EXPECT_TRUE(vertical);
  EXPECT_TRUE(horizontal);
  // ...and not elsewhere.
  expectGray(QPointF(30, 180), expectedGray(40.0, 100.0, 50.0), "away from the crosshair");

  // Scrolling carries the crosshair to the new slice.
  view_->setSlice(6);
  EXPECT_DOUBLE_EQ(view_->crosshair().z(), 12.0);
  EXPECT_DOUBLE_EQ(view_->cursorInfo().value(), 60.0);
}

TEST_F(SliceViewTest, LinkedViewsFollowEachOther) {
  SliceView coronal;
  coronal.resize(kViewSize, kViewSize);
  coronal.setOrientation(SliceView::Orientation::Coronal);
  auto volume = sliceValueVolume();
  view_->setVolume(volume);
  coronal.setVolume(volume);
  int coronalMoves = 0;
  int axialMoves = 0;
  QObject::connect(view_.get(), &SliceView::crosshairMoved, &coronal, &SliceView::setCrosshair);
  QObject::connect(&coronal, &SliceView::crosshairMoved, view_.get(), &SliceView::setCrosshair);
  QObject::connect(&coronal, &SliceView::crosshairMoved, [&] { ++coronalMoves; });
  QObject::connect(view_.get(), &SliceView::crosshairMoved, [&] { ++axialMoves; });

  const QPointF click(12.5 * 5 + 6, 12.5 * 11 + 6);  // voxel (5, 11) of the axial slice
  test::sendMouse(*view_, QEvent::MouseButtonPress, click, Qt::LeftButton, Qt::LeftButton);
  EXPECT_EQ(coronal.slice(), 11);  // coronal follows j
  EXPECT_EQ(coronal.crosshair(), view_->crosshair());
  EXPECT_EQ(axialMoves, 1);
  EXPECT_EQ(coronalMoves, 1);  // the echo back to the axial view stops there

  coronal.setSlice(2);
  EXPECT_NEAR(view_->crosshair().y(), -8.0 + 2.0, 1e-9);
  EXPECT_EQ(view_->slice(), 4);  // the axial slice did not move
}

TEST_F(SliceViewTest, ResetAndZoomKeepTheCentre) {
  view_->setVolume(sliceValueVolume());
  view_->setCrosshairVisible(false);
  view_->setWindowLevel(100.0, 50.0);
  const Eigen::Vector3d centre = view_->worldAt(kCentre);
  test::sendKey(*view_, Qt::Key_Plus, Qt::NoModifier, QStringLiteral("+"));
  EXPECT_GT(view_->zoom(), 1.0);
  EXPECT_NEAR((view_->worldAt(kCentre) - centre).norm(), 0.0, 1e-9);
  // Zooming in moves the corners' world positions towards the centre.
  EXPECT_LT((view_->worldAt(QPointF(0, 0)) - centre).norm(), 10.0);  // 11.3 at fit
  test::drag(*view_, Qt::MiddleButton, kCentre, kCentre + QPointF(20, 0));
  EXPECT_GT((view_->worldAt(kCentre) - centre).norm(), 0.5);
  test::sendKey(*view_, Qt::Key_R, Qt::NoModifier, QStringLiteral("r"));
  EXPECT_DOUBLE_EQ(view_->zoom(), 1.0);
  EXPECT_NEAR((view_->worldAt(kCentre) - centre).norm(), 0.0, 1e-9);
  expectGray(kCentre, expectedGray(40.0, 100.0, 50.0), "after reset");
}

TEST_F(SliceViewTest, ShowsAnRgbImageWithRowZeroAtTheTop) {
  // 40 x 20 RGB: quadrants red (top left), green (top right), blue (bottom
  // left), white (bottom right).
  auto image = std::make_shared<Image2D>(40, 20, 3, SampleType::UInt8);
  for (int y = 0; y < 20; ++y) {
    auto* row = image->mat().ptr<std::uint8_t>(y);
    for (int x = 0; x < 40; ++x) {
      const bool top = y < 10;
      const bool leftHalf = x < 20;
      const std::uint8_t rgb[3] = {
          static_cast<std::uint8_t>((top && leftHalf) || (!top && !leftHalf) ? 255 : 0),
          static_cast<std::uint8_t>(!leftHalf ? 255 : 0),
          static_cast<std::uint8_t>(!top ? 255 : 0)};
      for (int c = 0; c < 3; ++c) {
        row[3 * x + c] = rgb[c];
      }
    }
  }
  view_->setImage(image);
  view_->setCrosshairVisible(false);
  EXPECT_EQ(view_->sliceCount(), 1);
  EXPECT_DOUBLE_EQ(view_->window(), 255.0);
  // The 40 x 20 image fits the width: 5 px per pixel, rows 50..150 of the view.
  const QImage grabbed = view_->grabFramebuffer();
  const auto rgbAt = [&](double x, double y) {
    const QColor c = pixelAt(grabbed, *view_, QPointF(x, y));
    return std::array<int, 3>{c.red(), c.green(), c.blue()};
  };
  EXPECT_EQ(rgbAt(50, 75), (std::array<int, 3>{255, 0, 0}));
  EXPECT_EQ(rgbAt(150, 75), (std::array<int, 3>{0, 255, 0}));
  EXPECT_EQ(rgbAt(50, 125), (std::array<int, 3>{0, 0, 255}));
  EXPECT_EQ(rgbAt(150, 125), (std::array<int, 3>{255, 255, 255}));
  EXPECT_EQ(rgbAt(100, 20), (std::array<int, 3>{0, 0, 0}));  // background above

  test::sendMouse(*view_, QEvent::MouseButtonPress, QPointF(52, 72), Qt::LeftButton,
                  Qt::LeftButton);
  const SliceView::CursorInfo info = view_->cursorInfo();
  EXPECT_EQ(info.dimensions, 2);
  EXPECT_EQ(info.index[0], 10);
  EXPECT_EQ(info.index[1], 4);
  EXPECT_EQ(info.channels, 3);
  EXPECT_EQ(view_->readoutText(), QStringLiteral("x 9.9 y 3.9 mm | [10, 4] | (255, 0, 0)"));
}

TEST(SliceViewReadout, FormatsPositionIndexValueAndUnits) {
  SliceView::CursorInfo info;
  info.valid = true;
  info.inside = true;
  info.world = Eigen::Vector3d(12.34, -4.0, 50.0);
  info.index = {64, 70, 25};
  info.values[0] = static_cast<double>(43.2f);  // volumes hold floats
  info.units = QStringLiteral("HU");
  EXPECT_EQ(SliceView::formatReadout(info),
            QStringLiteral("x 12.3 y -4.0 z 50.0 mm | [64, 70, 25] | 43.2 HU"));
  info.values[0] = 2.34567;
  info.units = QStringLiteral("SUVbw g/ml");
  EXPECT_EQ(SliceView::formatReadout(info),
            QStringLiteral("x 12.3 y -4.0 z 50.0 mm | [64, 70, 25] | 2.346 SUVbw g/ml"));
  info.values[0] = 1200.0;
  info.units.clear();
  info.world.x() = -0.01;  // no "-0.0"
  EXPECT_EQ(SliceView::formatReadout(info),
            QStringLiteral("x 0.0 y -4.0 z 50.0 mm | [64, 70, 25] | 1200 (arbitrary)"));
  info.inside = false;
  EXPECT_EQ(SliceView::formatReadout(info),
            QStringLiteral("x 0.0 y -4.0 z 50.0 mm | [64, 70, 25] | outside"));
  EXPECT_EQ(SliceView::formatReadout(SliceView::CursorInfo{}), QString());
}

TEST_F(SliceViewTest, SagittallyAcquiredVolumeShowsItsAxialPlaneInTheAxialView) {
  view_->setVolume(worldXVolume(kSagittalGrid));
  view_->setCrosshairVisible(false);
  view_->setOrientation(SliceView::Orientation::Axial);
  // The grid's j axis runs inferior: the axial view slices along it.
  EXPECT_EQ(view_->normalAxis(), 1);
  EXPECT_FALSE(view_->obliqueToPatientAxes());
  EXPECT_EQ(view_->orientationLetters(), (QStringList{QStringLiteral("R"), QStringLiteral("L"),
                                                      QStringLiteral("A"), QStringLiteral("P")}));
  expectAxialPlane();
  EXPECT_NEAR(view_->worldAt(kLeft).y(), view_->worldAt(kRight).y(), 1e-9);
  // What is drawn there: values are world x, so the patient's left is brighter.
  view_->setWindowLevel(20.0, 0.0);
  EXPECT_LT(pixel(kLeft).red() + 60, pixel(kRight).red());
  EXPECT_NEAR(pixel(kTop).red(), pixel(kBottom).red(), 2.0);
}

TEST_F(SliceViewTest, SagittallyAcquiredVolumeShowsItsSagittalPlaneWithSuperiorUp) {
  view_->setVolume(worldXVolume(kSagittalGrid));
  view_->setOrientation(SliceView::Orientation::Sagittal);
  EXPECT_EQ(view_->normalAxis(), 2);
  EXPECT_EQ(view_->orientationLetters(), (QStringList{QStringLiteral("A"), QStringLiteral("P"),
                                                      QStringLiteral("S"), QStringLiteral("I")}));
  EXPECT_NEAR(view_->worldAt(kLeft).x(), view_->worldAt(kTop).x(), 1e-9);
  EXPECT_LT(view_->worldAt(kLeft).y(), view_->worldAt(kRight).y() - 10.0);
  EXPECT_GT(view_->worldAt(kTop).z(), view_->worldAt(kBottom).z() + 10.0);
}

TEST_F(SliceViewTest, CoronallyAcquiredVolumeShowsItsAxialPlaneInTheAxialView) {
  view_->setVolume(worldXVolume(kCoronalGrid));
  view_->setOrientation(SliceView::Orientation::Axial);
  EXPECT_EQ(view_->normalAxis(), 1);
  EXPECT_EQ(view_->orientationLetters(), (QStringList{QStringLiteral("R"), QStringLiteral("L"),
                                                      QStringLiteral("A"), QStringLiteral("P")}));
  expectAxialPlane();
  view_->setOrientation(SliceView::Orientation::Coronal);
  EXPECT_EQ(view_->normalAxis(), 2);
  EXPECT_EQ(view_->orientationLetters(), (QStringList{QStringLiteral("R"), QStringLiteral("L"),
                                                      QStringLiteral("S"), QStringLiteral("I")}));
}

TEST_F(SliceViewTest, AnObliqueGridShowsTheNearestPatientPlaneAndSaysSo) {
  const double a = 20.0 * 3.14159265358979 / 180.0;
  const Eigen::Matrix3d tilted =
      test::directions({std::cos(a), std::sin(a), 0}, {-std::sin(a), std::cos(a), 0}, {0, 0, 1});
  view_->setVolume(worldXVolume(tilted));
  EXPECT_TRUE(view_->obliqueToPatientAxes());
  EXPECT_EQ(view_->normalAxis(), 2);
  EXPECT_EQ(view_->orientationLetters().size(), 4);
  view_->setVolume(worldXVolume(Eigen::Matrix3d::Identity()));
  EXPECT_FALSE(view_->obliqueToPatientAxes());
}

TEST_F(SliceViewTest, ScaleBarShowsARoundLengthOfAtMostAFifthOfTheView) {
  view_->setVolume(worldXVolume(Eigen::Matrix3d::Identity()));
  const auto check = [this] {
    const QRegularExpression re(QStringLiteral("^(\\d+(\\.\\d+)?) mm$"));
    const auto m = re.match(view_->scaleBarText());
    ASSERT_TRUE(m.hasMatch()) << view_->scaleBarText().toStdString();
    const double mm = m.captured(1).toDouble();
    const double mantissa = mm / std::pow(10.0, std::floor(std::log10(mm)));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 5) < 1e-9)
        << mm;
    // The view's width in mm, from two points across it.
    const double width_mm =
        view_->worldAt(QPointF(view_->width(), 100)).x() - view_->worldAt(QPointF(0, 100)).x();
    EXPECT_LE(mm, 0.2 * width_mm + 1e-9);
    EXPECT_GT(mm, 0.2 * width_mm / 2.5 - 1e-9);  // the next round length would not fit
  };
  check();
  const QString before = view_->scaleBarText();
  view_->setZoom(4.0);
  check();
  EXPECT_NE(view_->scaleBarText(), before);
}

TEST_F(SliceViewTest, RendersWhatItsModelIsToldFromOutside) {
  view_->setVolume(sliceValueVolume());
  view_->setCrosshairVisible(false);
  view_->setWindowLevel(100.0, 50.0);
  std::vector<int> emitted;
  QObject::connect(view_.get(), &SliceView::sliceChanged,
                   [&emitted](int slice) { emitted.push_back(slice); });
  SliceViewModel* model = view_->model();
  ASSERT_NE(model, nullptr);
  model->setSlice(7);  // a tool calls the model, not the widget
  EXPECT_EQ(view_->slice(), 7);
  EXPECT_EQ(emitted, std::vector<int>{7});
  expectGray(kCentre, expectedGray(70.0, 100.0, 50.0), "slice set on the model");
  model->setWindowLevel(40.0, 70.0);  // 70 at the level: mid grey
  EXPECT_DOUBLE_EQ(view_->window(), 40.0);
  expectGray(kCentre, expectedGray(70.0, 40.0, 70.0), "window set on the model");
}

TEST_F(SliceViewTest, TwoViewsShowOneSharedModel) {
  auto shared = std::make_unique<SliceViewModel>();
  SliceView other;
  other.resize(kViewSize, kViewSize);
  other.show();
  ASSERT_TRUE(test::waitExposed(other));
  view_->setModel(shared.get());
  other.setModel(shared.get());
  view_->setCrosshairVisible(false);
  view_->setVolumeWithWindow(sliceValueVolume(), 100.0, 50.0, 90.0);
  EXPECT_EQ(other.sliceCount(), 10);
  view_->setSlice(2);
  EXPECT_EQ(other.slice(), 2);
  EXPECT_FALSE(other.crosshairVisible());
  const QColor c = pixelAt(other.grabFramebuffer(), other, kCentre);
  EXPECT_NEAR(c.red(), expectedGray(20.0, 100.0, 50.0), 2.0) << "the other view";

  // Destroying the shared model returns each view to its own (empty) model.
  shared.reset();
  EXPECT_NE(view_->model(), nullptr);
  EXPECT_EQ(view_->sliceCount(), 0);
  EXPECT_EQ(other.volume(), nullptr);
}

}  // namespace
}  // namespace harmonia
