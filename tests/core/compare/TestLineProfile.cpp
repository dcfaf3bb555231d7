// Line profiles and shape ROIs against analytic answers: trilinear
// interpolation reproduces a linear function exactly (to double rounding of
// float voxels: tolerance 1e-4 on values up to ~100), on any grid direction.

#include <gtest/gtest.h>

#include <cmath>

#include "core/compare/LineProfile.h"
#include "core/image/RoiShapes.h"

using namespace harmonia;

namespace {

// f(p) = 2x - y + 0.5z + 3 on a rotated, anisotropic grid.
Volume linearVolume() {
  Geometry3D g;
  g.size = {20, 18, 10};
  g.spacing_mm = {1.0, 1.5, 2.5};
  g.origin_mm = {-5.0, 4.0, 10.0};
  const double a = 0.3;
  g.direction << std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1;
  Volume v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        v.at(i, j, k) = static_cast<float>(2 * p.x() - p.y() + 0.5 * p.z() + 3);
      }
  return v;
}

double f(const Eigen::Vector3d& p) { return 2 * p.x() - p.y() + 0.5 * p.z() + 3; }

}  // namespace

TEST(LineProfile, ReproducesALinearFunctionAlongAnObliqueLine) {
  const Volume v = linearVolume();
  const Geometry3D& g = v.geometry();
  const Eigen::Vector3d start = g.indexToWorld(Eigen::Vector3d(1.3, 2.2, 1.7));
  const Eigen::Vector3d end = g.indexToWorld(Eigen::Vector3d(17.1, 15.4, 7.9));
  const LineProfile profile = sampleLine(v, start, end, 0.7);
  const double length = (end - start).norm();
  ASSERT_EQ(profile.values.size(), static_cast<std::size_t>(std::ceil(length / 0.7)) + 1);
  EXPECT_DOUBLE_EQ(profile.distance_mm.front(), 0.0);
  EXPECT_DOUBLE_EQ(profile.distance_mm.back(), length);
  for (std::size_t s = 0; s < profile.values.size(); ++s) {
    const Eigen::Vector3d p = start + (end - start) * (profile.distance_mm[s] / length);
    EXPECT_NEAR(profile.values[s], f(p), 1e-4) << s;
  }
}

TEST(LineProfile, OutsideTheVolumeIsNaNAndTheHalfVoxelRimIsInside) {
  const Volume v = linearVolume();
  const Geometry3D& g = v.geometry();
  EXPECT_TRUE(std::isnan(sampleLinear(v, g.indexToWorld(Eigen::Vector3d(-0.6, 3, 3)))));
  EXPECT_TRUE(std::isnan(sampleLinear(v, g.indexToWorld(Eigen::Vector3d(3, 3, 9.6)))));
  // In the rim the edge voxel's value extends.
  EXPECT_NEAR(sampleLinear(v, g.indexToWorld(Eigen::Vector3d(-0.4, 3, 3))),
              f(g.indexToWorld(Eigen::Vector3d(0, 3, 3))), 1e-4);
  const LineProfile one = sampleLine(v, g.origin_mm, g.origin_mm, 1.0);
  ASSERT_EQ(one.values.size(), 1u);
  EXPECT_NEAR(one.values[0], f(g.origin_mm), 1e-4);
}

TEST(RoiShapes, SphereAndBoxHoldExactlyTheVoxelsWhoseCentreIsInside) {
  const Volume v = linearVolume();
  const Geometry3D& g = v.geometry();
  const Eigen::Vector3d centre = g.indexToWorld(Eigen::Vector3d(9.5, 8.0, 4.2));
  const MaskVolume sphere = sphereMask(g, centre, 4.0);
  const MaskVolume box = boxMask(g, centre, {3.0, 2.0, 5.0});
  std::size_t inSphere = 0;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        const Eigen::Vector3d d = (p - centre).cwiseAbs();
        ASSERT_EQ(sphere.at(i, j, k) != 0, (p - centre).norm() <= 4.0) << i << "," << j << "," << k;
        ASSERT_EQ(box.at(i, j, k) != 0, d.x() <= 3.0 && d.y() <= 2.0 && d.z() <= 5.0);
        inSphere += sphere.at(i, j, k) != 0;
      }
  // About the sphere's volume in voxels (268 mm3 / 3.75 mm3 per voxel).
  EXPECT_GT(inSphere, 50u);
  EXPECT_LT(inSphere, 100u);
}
