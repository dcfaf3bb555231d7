#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include "core/image/Geometry.h"

using harmonia::Geometry3D;

TEST(Geometry, IndexToWorldFollowsSpacingOriginAndDirection) {
  Geometry3D g;
  g.size = {10, 20, 30};
  g.spacing_mm = {0.5, 2.0, 3.0};
  g.origin_mm = {10.0, -5.0, 7.0};
  // 90 degrees about z: i runs along +y, j along -x.
  g.direction = Eigen::AngleAxisd(M_PI / 2, Eigen::Vector3d::UnitZ()).toRotationMatrix();
  const Eigen::Vector3d p = g.indexToWorld({2, 3, 4});
  EXPECT_NEAR(p.x(), 10.0 - 3 * 2.0, 1e-12);
  EXPECT_NEAR(p.y(), -5.0 + 2 * 0.5, 1e-12);
  EXPECT_NEAR(p.z(), 7.0 + 4 * 3.0, 1e-12);
}

TEST(Geometry, WorldToIndexInvertsIndexToWorldOnObliqueGrid) {
  Geometry3D g;
  g.size = {4, 5, 6};
  g.spacing_mm = {0.7, 0.9, 2.5};
  g.origin_mm = {-3.0, 4.0, 100.0};
  g.direction = (Eigen::AngleAxisd(0.3, Eigen::Vector3d::UnitX()) *
                 Eigen::AngleAxisd(-0.2, Eigen::Vector3d::UnitY()))
                    .toRotationMatrix();
  const Eigen::Vector3d ijk(1.25, 3.5, -2.0);
  EXPECT_LT((g.worldToIndex(g.indexToWorld(ijk)) - ijk).norm(), 1e-12);
}

TEST(Geometry, SameGridComparesEveryField) {
  Geometry3D a;
  a.size = {2, 2, 2};
  Geometry3D b = a;
  EXPECT_TRUE(a.sameGrid(b));
  b.origin_mm.x() += 0.01;
  EXPECT_FALSE(a.sameGrid(b));
  b = a;
  b.size[2] = 3;
  EXPECT_FALSE(a.sameGrid(b));
  EXPECT_EQ(a.voxelCount(), 8u);
  EXPECT_TRUE(a.contains(1, 1, 1));
  EXPECT_FALSE(a.contains(2, 0, 0));
}
