// SliceViewModel: a slice view's state without any widget or display.

#include <gtest/gtest.h>

#include <QObject>
#include <cmath>
#include <memory>

#include "DirectionTestSupport.h"
#include "ui/model/SliceViewModel.h"

namespace harmonia {
namespace {

using Orientation = SliceViewModel::Orientation;

/// A 20 x 16 x 12 volume, spacing (1, 2, 3) mm, with the given direction;
/// voxel (i, j, k) holds i + 100 * j + 10000 * k.
std::shared_ptr<Volume> volumeWith(const Eigen::Matrix3d& direction) {
  Geometry3D g;
  g.size = {20, 16, 12};
  g.spacing_mm = Eigen::Vector3d(1.0, 2.0, 3.0);
  g.origin_mm = Eigen::Vector3d(-10.0, 5.0, 100.0);
  g.direction = direction;
  auto volume = std::make_shared<Volume>(g);
  for (int k = 0; k < g.size[2]; ++k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        volume->at(i, j, k) = static_cast<float>(i + 100 * j + 10000 * k);
      }
    }
  }
  volume->setUnits("HU");
  return volume;
}

const Eigen::Matrix3d kSagittal = test::sagittalDirections();

/// Counts every signal of a model.
struct SignalCounts {
  int data = 0;
  int slice = 0;
  int window_level = 0;
  int crosshair = 0;
  int view = 0;
  int orientation = 0;
  int display = 0;
  int cursor = 0;
  int visible = 0;
  int tool = 0;
  int line = 0;

  explicit SignalCounts(SliceViewModel& m) {
    QObject::connect(&m, &SliceViewModel::dataChanged, [this] { ++data; });
    QObject::connect(&m, &SliceViewModel::sliceChanged, [this] { ++slice; });
    QObject::connect(&m, &SliceViewModel::windowLevelChanged, [this] { ++window_level; });
    QObject::connect(&m, &SliceViewModel::crosshairMoved, [this] { ++crosshair; });
    QObject::connect(&m, &SliceViewModel::viewChanged, [this] { ++view; });
    QObject::connect(&m, &SliceViewModel::orientationChanged, [this] { ++orientation; });
    QObject::connect(&m, &SliceViewModel::displayChanged, [this] { ++display; });
    QObject::connect(&m, &SliceViewModel::cursorChanged, [this] { ++cursor; });
    QObject::connect(&m, &SliceViewModel::crosshairVisibleChanged, [this] { ++visible; });
    QObject::connect(&m, &SliceViewModel::toolChanged, [this] { ++tool; });
    QObject::connect(&m, &SliceViewModel::lineChanged, [this] { ++line; });
  }
  [[nodiscard]] int total() const {
    return data + slice + window_level + crosshair + view + orientation + display + cursor +
           visible + tool + line;
  }
};

TEST(SliceViewModel, EmptyModelShowsNothingAndIgnoresNavigation) {
  SliceViewModel model;
  SignalCounts counts(model);
  EXPECT_FALSE(model.hasData());
  EXPECT_EQ(model.sliceCount(), 0);
  EXPECT_FALSE(model.cursorInfo().valid);
  model.setSlice(3);
  model.setCrosshair({1.0, 2.0, 3.0});
  EXPECT_EQ(model.slice(), 0);
  EXPECT_EQ(counts.total(), 0);
}

TEST(SliceViewModel, NewVolumeStartsAtTheMiddleSliceWithTheCrosshairOnIt) {
  SliceViewModel model;
  SignalCounts counts(model);
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  EXPECT_EQ(counts.data, 1);
  EXPECT_EQ(counts.view, 1);
  EXPECT_EQ(counts.window_level, 1);
  EXPECT_EQ(counts.cursor, 1);
  EXPECT_EQ(model.sliceCount(), 12);
  EXPECT_EQ(model.slice(), 5);  // (12 - 1) / 2 rounded down
  EXPECT_DOUBLE_EQ(model.window(), 400.0);
  EXPECT_DOUBLE_EQ(model.level(), 40.0);
  EXPECT_DOUBLE_EQ(model.dataSpan(), 1000.0);
  EXPECT_TRUE(model.crosshairIndex().isApprox(Eigen::Vector3d(9.5, 7.5, 5.0)));
  EXPECT_TRUE(model.crosshair().isApprox(Eigen::Vector3d(-0.5, 20.0, 115.0)));
  const SliceViewModel::CursorInfo info = model.cursorInfo();
  EXPECT_TRUE(info.valid);
  EXPECT_TRUE(info.inside);
  EXPECT_EQ(info.index, (std::array<int, 3>{10, 8, 5}));  // lround(9.5) = 10
  EXPECT_DOUBLE_EQ(info.value(), 10 + 800 + 50000);
  EXPECT_EQ(info.units, QStringLiteral("HU"));
}

TEST(SliceViewModel, SetSliceMovesTheCrosshairAndSignalsOnlyOnChange) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  SignalCounts counts(model);
  model.setSlice(8);
  EXPECT_EQ(model.slice(), 8);
  EXPECT_DOUBLE_EQ(model.crosshairIndex().z(), 8.0);
  EXPECT_DOUBLE_EQ(model.crosshair().z(), 100.0 + 3.0 * 8);
  EXPECT_EQ(counts.slice, 1);
  EXPECT_EQ(counts.crosshair, 1);
  EXPECT_EQ(counts.cursor, 1);

  model.setSlice(8);    // unchanged
  model.setSlice(100);  // clamped to the last slice
  EXPECT_EQ(model.slice(), 11);
  model.setSlice(-4);
  EXPECT_EQ(model.slice(), 0);
  model.setSlice(-1);  // clamped to 0 again: unchanged
  EXPECT_EQ(counts.slice, 3);
  EXPECT_EQ(counts.crosshair, 3);
}

TEST(SliceViewModel, SetCrosshairMovesTheSliceAndSignalsOnlyOnChange) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  SignalCounts counts(model);
  const Eigen::Vector3d world(-7.0, 9.0, 100.0 + 3.0 * 2.2);  // index (3, 2, 2.2)
  model.setCrosshair(world);
  EXPECT_EQ(model.crosshair(), world);
  EXPECT_TRUE(model.crosshairIndex().isApprox(Eigen::Vector3d(3.0, 2.0, 2.2)));
  EXPECT_EQ(model.slice(), 2);
  EXPECT_EQ(counts.slice, 1);
  EXPECT_EQ(counts.crosshair, 1);

  model.setCrosshair(world);  // the echo of a linked view: nothing
  EXPECT_EQ(counts.crosshair, 1);
  EXPECT_EQ(counts.cursor, 1);

  // In-plane move: the crosshair moves, the slice does not.
  model.setCrosshair(world + Eigen::Vector3d(4.0, 0.0, 0.0));
  EXPECT_EQ(counts.slice, 1);
  EXPECT_EQ(counts.crosshair, 2);

  // A click on the slice: the index's normal part is the displayed slice.
  model.setCrosshairOnSlice({6.0, 7.0, 9.0});
  EXPECT_EQ(model.crosshairIndex(), Eigen::Vector3d(6.0, 7.0, 2.0));
  EXPECT_EQ(model.slice(), 2);
  EXPECT_EQ(counts.crosshair, 3);
  model.setCrosshairOnSlice({6.0, 7.0, 5.0});  // the same point
  EXPECT_EQ(counts.crosshair, 3);
}

TEST(SliceViewModel, OrientationSlicesThroughTheCrosshairAndResetsZoomAndPan) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  model.setCrosshair(model.worldOfIndex({3.0, 12.0, 4.0}));
  model.setZoomAndPan(2.0, {5.0, -3.0, 0.0});
  SignalCounts counts(model);
  model.setOrientation(Orientation::Coronal);
  EXPECT_EQ(model.normalAxis(), 1);
  EXPECT_EQ(model.sliceCount(), 16);
  EXPECT_EQ(model.slice(), 12);
  EXPECT_DOUBLE_EQ(model.zoom(), 1.0);
  EXPECT_TRUE(model.pan().isZero());
  EXPECT_EQ(counts.orientation, 1);
  EXPECT_EQ(counts.view, 1);
  EXPECT_EQ(counts.slice, 1);
  model.setOrientation(Orientation::Coronal);
  EXPECT_EQ(counts.orientation, 1);
}

TEST(SliceViewModel, IdentityDirectionShowsTheGridPlanes) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  EXPECT_FALSE(model.obliqueToPatientAxes());

  SliceViewModel::ViewAxes a = model.axes();  // axial: L on the right, A up
  EXPECT_EQ(a.right_axis, 0);
  EXPECT_EQ(a.up_axis, 1);
  EXPECT_EQ(a.right, Eigen::Vector3d(1, 0, 0));
  EXPECT_EQ(a.up, Eigen::Vector3d(0, -1, 0));
  EXPECT_EQ(model.normalAxis(), 2);
  EXPECT_EQ(model.orientationLetters(), (QStringList{"R", "L", "A", "P"}));

  model.setOrientation(Orientation::Coronal);
  a = model.axes();
  EXPECT_EQ(a.right_axis, 0);
  EXPECT_EQ(a.up_axis, 2);
  EXPECT_EQ(a.up, Eigen::Vector3d(0, 0, 1));
  EXPECT_EQ(model.orientationLetters(), (QStringList{"R", "L", "S", "I"}));

  model.setOrientation(Orientation::Sagittal);
  a = model.axes();
  EXPECT_EQ(a.right_axis, 1);
  EXPECT_EQ(a.up_axis, 2);
  EXPECT_EQ(a.right, Eigen::Vector3d(0, 1, 0));
  EXPECT_EQ(model.normalAxis(), 0);
  EXPECT_EQ(model.sliceCount(), 20);
  EXPECT_EQ(model.orientationLetters(), (QStringList{"A", "P", "S", "I"}));
}

TEST(SliceViewModel, SagittallyAcquiredVolumeShowsThePatientPlanes) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(kSagittal), 400.0, 40.0, 1000.0);
  EXPECT_FALSE(model.obliqueToPatientAxes());

  // Axial: across the screen runs k (L-R), up runs -i (anterior); slices along j (S-I).
  SliceViewModel::ViewAxes a = model.axes();
  EXPECT_EQ(a.right_axis, 2);
  EXPECT_EQ(a.up_axis, 0);
  EXPECT_EQ(a.right, Eigen::Vector3d(0, 0, 1));
  EXPECT_EQ(a.up, Eigen::Vector3d(-1, 0, 0));
  EXPECT_EQ(model.normalAxis(), 1);
  EXPECT_EQ(model.sliceCount(), 16);
  EXPECT_EQ(model.orientationLetters(), (QStringList{"R", "L", "A", "P"}));

  // Coronal: slices along i (A-P); up is -j (superior).
  model.setOrientation(Orientation::Coronal);
  a = model.axes();
  EXPECT_EQ(a.right_axis, 2);
  EXPECT_EQ(a.up_axis, 1);
  EXPECT_EQ(a.up, Eigen::Vector3d(0, -1, 0));
  EXPECT_EQ(model.normalAxis(), 0);
  EXPECT_EQ(model.sliceCount(), 20);
  EXPECT_EQ(model.orientationLetters(), (QStringList{"R", "L", "S", "I"}));

  // Sagittal: the acquired plane, slices along k; posterior right, superior up.
  model.setOrientation(Orientation::Sagittal);
  a = model.axes();
  EXPECT_EQ(a.right_axis, 0);
  EXPECT_EQ(a.up_axis, 1);
  EXPECT_EQ(a.right, Eigen::Vector3d(1, 0, 0));
  EXPECT_EQ(a.up, Eigen::Vector3d(0, -1, 0));
  EXPECT_EQ(model.normalAxis(), 2);
  EXPECT_EQ(model.sliceCount(), 12);
  EXPECT_EQ(model.orientationLetters(), (QStringList{"A", "P", "S", "I"}));

  // World <-> index through the direction matrix.
  const Eigen::Vector3d index(2.0, 3.0, 4.0);
  const Eigen::Vector3d world = model.worldOfIndex(index);
  EXPECT_TRUE(world.isApprox(Eigen::Vector3d(-10.0 + 3.0 * 4, 5.0 + 1.0 * 2, 100.0 - 2.0 * 3)));
  EXPECT_TRUE(model.indexOfWorld(world).isApprox(index));
}

TEST(SliceViewModel, ObliqueDirectionIsReported) {
  const double a = 0.1;  // about 6 degrees about S-I
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(test::directions({std::cos(a), std::sin(a), 0},
                                                        {-std::sin(a), std::cos(a), 0}, {0, 0, 1})),
                            400.0, 40.0, 1000.0);
  EXPECT_TRUE(model.obliqueToPatientAxes());
  EXPECT_EQ(model.normalAxis(), 2);  // still the nearest patient plane
}

TEST(SliceViewModel, WindowIsClampedAndSignalsOnlyOnChange) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  SignalCounts counts(model);
  model.setWindowLevel(400.0, 40.0);
  EXPECT_EQ(counts.window_level, 0);
  model.setWindowLevel(0.0, 10.0);
  EXPECT_GT(model.window(), 0.0);
  EXPECT_DOUBLE_EQ(model.window(), 1e-9 * 1000.0);
  EXPECT_DOUBLE_EQ(model.level(), 10.0);
  model.setWindowLevel(-50.0, 10.0);  // clamped to the same smallest window
  EXPECT_EQ(counts.window_level, 1);
  // A new volume with a non-positive window: the span falls back to 1.
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), -3.0, 0.0, 0.0, false);
  EXPECT_DOUBLE_EQ(model.dataSpan(), 1.0);
  EXPECT_DOUBLE_EQ(model.window(), 1e-9);
}

TEST(SliceViewModel, DisplayOptionsZoomToolAndLineSignalOnlyOnChange) {
  SliceViewModel model;
  SignalCounts counts(model);
  model.setInvertedGray(true);
  model.setInvertedGray(true);
  model.setLinearInterpolation(false);  // the default
  model.setLinearInterpolation(true);
  EXPECT_EQ(counts.display, 2);
  model.setCrosshairVisible(true);  // the default
  model.setCrosshairVisible(false);
  EXPECT_EQ(counts.visible, 1);
  model.setZoom(5000.0);
  EXPECT_DOUBLE_EQ(model.zoom(), 1000.0);
  model.setZoom(2000.0);  // clamped to the same
  EXPECT_EQ(counts.view, 1);
  model.setTool(SliceViewModel::Tool::Line);
  model.setTool(SliceViewModel::Tool::Line);
  EXPECT_EQ(counts.tool, 1);
  model.setLine({0, 0, 0}, {1, 2, 3});
  model.setLine({0, 0, 0}, {1, 2, 3});
  ASSERT_TRUE(model.line().has_value());
  EXPECT_EQ(model.line()->second, Eigen::Vector3d(1, 2, 3));
  model.clearLine();
  model.clearLine();
  EXPECT_EQ(counts.line, 2);
}

TEST(SliceViewModel, KeepsTheViewForAVolumeOnTheSameGridAndClearsToNothing) {
  SliceViewModel model;
  model.setVolumeWithWindow(volumeWith(Eigen::Matrix3d::Identity()), 400.0, 40.0, 1000.0);
  model.setSlice(9);
  model.setZoom(3.0);
  SignalCounts counts(model);
  model.setVolume(volumeWith(Eigen::Matrix3d::Identity()));  // same grid: view kept
  EXPECT_EQ(model.slice(), 9);
  EXPECT_DOUBLE_EQ(model.zoom(), 3.0);
  EXPECT_DOUBLE_EQ(model.window(), 400.0);
  EXPECT_EQ(counts.slice, 0);
  EXPECT_EQ(counts.crosshair, 0);
  model.clear();
  EXPECT_FALSE(model.hasData());
  EXPECT_EQ(model.slice(), 0);
  EXPECT_EQ(model.sliceCount(), 0);
  EXPECT_EQ(counts.slice, 1);
  EXPECT_FALSE(model.cursorInfo().valid);
}

}  // namespace
}  // namespace harmonia
