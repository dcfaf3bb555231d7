// SliceView's pure parts (ui/view/SliceViewCamera.h, ui/view/SliceReadout.h):
// the grid's scene coordinates, the fitted camera, the point under the mouse,
// the scale bar and the readout's numbers, against values worked out by hand.
// No display needed.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ui/view/SliceReadout.h"
#include "ui/view/SliceViewCamera.h"

using namespace harmonia;

namespace {

// origin (10, -5, 2), spacing (2, 0.5, -3), extent starting at (1, 0, 2), 4 x 6 x 5 points.
SliceGrid exampleGrid() {
  SliceGrid g;
  g.origin = Eigen::Vector3d(10.0, -5.0, 2.0);
  g.spacing = Eigen::Vector3d(2.0, 0.5, -3.0);
  g.first = Eigen::Vector3i(1, 0, 2);
  g.size = Eigen::Vector3i(4, 6, 5);
  return g;
}

void expectNear(const Eigen::Vector3d& a, const Eigen::Vector3d& b) {
  EXPECT_NEAR((a - b).norm(), 0.0, 1e-12) << a.transpose() << " vs " << b.transpose();
}

}  // namespace

TEST(SliceViewCamera, PointOfIndexCountsFromTheExtentsFirstIndex) {
  const SliceGrid g = exampleGrid();
  // x = 10 + 2 * (0 + 1), y = -5 + 0.5 * 0, z = 2 - 3 * (0 + 2).
  expectNear(g.pointOfIndex(Eigen::Vector3d(0, 0, 0)), Eigen::Vector3d(12, -5, -4));
  // x = 10 + 2 * 2.5, y = -5 + 0.5 * 2, z = 2 - 3 * 3.
  expectNear(g.pointOfIndex(Eigen::Vector3d(1.5, 2, 1)), Eigen::Vector3d(15, -4, -7));
  expectNear(g.indexOfPoint(Eigen::Vector3d(15, -4, -7)), Eigen::Vector3d(1.5, 2, 1));
}

TEST(SliceViewCamera, OuterBoundsAreWholeVoxelsWhateverTheSpacingsSign) {
  Eigen::Vector3d lo, hi;
  exampleGrid().outerBounds(lo, hi);
  // Index -0.5 -> (11, -5.25, -2.5); index size - 0.5 = (3.5, 5.5, 4.5) -> (19, -2.25, -17.5).
  expectNear(lo, Eigen::Vector3d(11, -5.25, -17.5));
  expectNear(hi, Eigen::Vector3d(19, -2.25, -2.5));
}

TEST(SliceViewCamera, FitScaleFitsTheLimitingSide) {
  const SliceGrid g = exampleGrid();
  // The i x j face is 8 mm x 3 mm. A 400 x 200 view (aspect 2): the width
  // limits, half height 8 / 2 / 2 = 2 mm (the height alone needs 1.5).
  EXPECT_DOUBLE_EQ(g.fitScale(0, 1, 400, 200), 2.0);
  // A 100 x 300 view (aspect 1/3): 0.5 * 8 * 3 = 12 mm.
  EXPECT_DOUBLE_EQ(g.fitScale(0, 1, 100, 300), 12.0);
  // The j x k face, 3 mm x 15 mm, in a square view: the height, 7.5 mm.
  EXPECT_DOUBLE_EQ(g.fitScale(1, 2, 300, 300), 7.5);
  // An unsized widget counts as 1 x 1 pixel.
  EXPECT_DOUBLE_EQ(g.fitScale(0, 1, 0, 0), 4.0);
}

TEST(SliceViewCamera, PoseLooksAtThePannedCentreFromBeyondTheBox) {
  // Box 6 x 8 x 0 (diagonal 10), centre (3, 4, 0); the pan's normal part is dropped.
  const SliceCameraPose pose =
      sliceCameraPose(Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(6, 8, 0), Eigen::Vector3d(1, 2, 3),
                      2, Eigen::Vector3d(0, 0, 1), 5.0, 2.0);
  expectNear(pose.focal, Eigen::Vector3d(4, 6, 0));
  expectNear(pose.position, Eigen::Vector3d(4, 6, -11));  // distance 10 + 1
  EXPECT_DOUBLE_EQ(pose.parallel_scale, 2.5);
  EXPECT_DOUBLE_EQ(pose.near_clip, 0.5);
  EXPECT_DOUBLE_EQ(pose.far_clip, 17.0);  // 11 + 10 / 2 + 1
}

TEST(SliceViewCamera, ScenePointAtMapsPixelsToMillimetres) {
  const Eigen::Vector3d focal(1, 2, 3);
  const Eigen::Vector3d right(1, 0, 0), up(0, -1, 0);
  // Parallel scale 50 in a 200 x 100 view: 1 mm per pixel; the centre is the focal point.
  expectNear(scenePointAt(focal, 50.0, 200, 100, 100.0, 50.0, right, up), focal);
  // 50 px right and 25 px up of the centre.
  expectNear(scenePointAt(focal, 50.0, 200, 100, 150.0, 25.0, right, up),
             Eigen::Vector3d(51, -23, 3));
}

TEST(SliceViewCamera, NiceLengthIsOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_DOUBLE_EQ(niceLength(7.0), 5.0);
  EXPECT_DOUBLE_EQ(niceLength(20.0), 20.0);
  EXPECT_DOUBLE_EQ(niceLength(19.99), 10.0);
  EXPECT_DOUBLE_EQ(niceLength(100.0), 100.0);
  EXPECT_NEAR(niceLength(0.35), 0.2, 1e-15);
}

TEST(SliceReadout, ScaleBarLabel) {
  EXPECT_EQ(scaleBarLabel(50.0), QStringLiteral("50 mm"));
  EXPECT_EQ(scaleBarLabel(1.0), QStringLiteral("1 mm"));
  EXPECT_EQ(scaleBarLabel(0.5), QStringLiteral("0.5 mm"));
  EXPECT_EQ(scaleBarLabel(0.02), QStringLiteral("0.02 mm"));
}

TEST(SliceReadout, ValuesAsIntegersOneDecimalOrFourDigits) {
  EXPECT_EQ(formatReadoutValue(43.0), QStringLiteral("43"));
  EXPECT_EQ(formatReadoutValue(-1024.0), QStringLiteral("-1024"));
  EXPECT_EQ(formatReadoutValue(1234.56), QStringLiteral("1234.6"));
  EXPECT_EQ(formatReadoutValue(2.3456), QStringLiteral("2.346"));
  EXPECT_EQ(formatReadoutValue(0.012346), QStringLiteral("0.01235"));
  // An integer of 1e9 or more is a large value: one decimal.
  EXPECT_EQ(formatReadoutValue(1e10), QStringLiteral("10000000000.0"));
  EXPECT_EQ(formatReadoutValue(std::numeric_limits<double>::quiet_NaN()), QStringLiteral("nan"));
}
