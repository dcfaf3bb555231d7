// Slice sorting, spacing checks, missing slices and gantry tilt on synthetic stacks.

#include <gtest/gtest.h>

#include <cmath>

#include "core/dicom/SeriesGeometry.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

std::vector<SlicePlacement> stack(const std::vector<double>& z, double shearY = 0.0) {
  std::vector<SlicePlacement> s;
  for (std::size_t i = 0; i < z.size(); ++i) {
    SlicePlacement p;
    p.rows = 4;
    p.columns = 5;
    p.pixel_spacing_mm = {0.5, 0.8};  // between rows, between columns
    p.position_mm = {10.0, -20.0 + shearY * z[i], z[i]};
    p.instance_number = static_cast<int>(z.size() - i);  // deliberately unrelated to position
    s.push_back(p);
  }
  return s;
}

}  // namespace

TEST(SeriesGeometry, SortsByPositionNotInstanceNumber) {
  const SeriesGeometry g = computeSeriesGeometry(stack({6.0, 0.0, 3.0, 9.0}));
  EXPECT_EQ(g.order, (std::vector<std::size_t>{1, 2, 0, 3}));
  EXPECT_TRUE(g.regular());
  EXPECT_EQ(g.grid.size, (std::array<int, 3>{5, 4, 4}));
  EXPECT_DOUBLE_EQ(g.grid.spacing_mm[0], 0.8);
  EXPECT_DOUBLE_EQ(g.grid.spacing_mm[1], 0.5);
  EXPECT_NEAR(g.grid.spacing_mm[2], 3.0, 1e-12);
  EXPECT_NEAR((g.grid.origin_mm - Eigen::Vector3d(10, -20, 0)).norm(), 0.0, 1e-12);
  EXPECT_TRUE(g.issues.empty());
}

TEST(SeriesGeometry, ReportsMissingSlicesAndNonUniformSpacing) {
  const SeriesGeometry g = computeSeriesGeometry(stack({0, 2, 4, 8, 10}));
  EXPECT_FALSE(g.uniform_spacing);
  EXPECT_EQ(g.missing_slices, 1);
  EXPECT_NEAR(g.median_gap_mm, 2.0, 1e-12);
  EXPECT_FALSE(g.regular());
  EXPECT_GE(g.issues.size(), 2u);
  const Geometry3D regular = regularGridFor(g);
  EXPECT_EQ(regular.size[2], 6);
  EXPECT_NEAR(regular.spacing_mm[2], 2.0, 1e-12);
}

TEST(SeriesGeometry, DetectsGantryTiltAndKeepsPhysicalPositions) {
  const double shear = std::tan(15.0 * M_PI / 180.0);
  const SeriesGeometry g = computeSeriesGeometry(stack({0, 2, 4, 6}, shear));
  EXPECT_NEAR(g.gantry_tilt_deg, 15.0, 1e-6);
  EXPECT_FALSE(g.regular());
  // Voxel (0, 0, 3) is exactly where the last slice's first pixel is.
  const Eigen::Vector3d p = g.grid.indexToWorld(Eigen::Vector3d(0, 0, 3));
  EXPECT_NEAR((p - Eigen::Vector3d(10, -20 + shear * 6, 6)).norm(), 0.0, 1e-9);

  // Resampling a tilted ramp (value = physical y) keeps values at their positions.
  Volume v(g.grid);
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 5; ++i)
        v.at(i, j, k) = static_cast<float>(g.grid.indexToWorld(Eigen::Vector3d(i, j, k))[1]);
  const Volume r = resampleToRegularGrid(v, g);
  EXPECT_NEAR(r.geometry().direction.col(2).dot(Eigen::Vector3d(0, 0, 1)), 1.0, 1e-12);
  const Eigen::Vector3d q = r.geometry().indexToWorld(Eigen::Vector3d(2, 3, 1));
  EXPECT_NEAR(r.at(2, 3, 1), q[1], 1e-4);
}

TEST(SeriesGeometry, RefusesMixedOrientations) {
  auto s = stack({0, 1});
  s[1].orientation = {0, 1, 0, 0, 0, -1};
  EXPECT_THROW((void)computeSeriesGeometry(s), InputError);
}
