// The IBSI interpolation grid and the interpolators, against analytic results.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/features/Interpolation.h"
#include "core/features/Preprocessing.h"
#include "core/job/Progress.h"

namespace harmonia::features {
namespace {

// IBSI docs/03_Image_processing.rst, "Interpolation grid": a 4x4 grid of
// 3 mm resampled to 2 mm is 6x6 (ceil(12 / 2)) and, with centres aligned,
// starts at x_b,w = x_a,w + (3 (4 - 1) - 2 (6 - 1)) / 2 = x_a,w - 0.5 mm, that
// is at grid coordinate (4 - 1 - (2 / 3) (6 - 1)) / 2 = -1/6.
TEST(PreprocessingInterpolation, IbsiGridOfTheDocumentationExample) {
  const AxisMap a = ibsiAxis(4, 3.0, 2.0);
  EXPECT_EQ(a.size, 6);
  EXPECT_DOUBLE_EQ(a.step, 2.0 / 3.0);
  EXPECT_NEAR(a.start, -1.0 / 6.0, 1e-15);
  // The centres coincide: (n_a - 1) / 2 = start + step (n_b - 1) / 2.
  EXPECT_NEAR(a.start + a.step * (a.size - 1) / 2.0, 1.5, 1e-15);
  Geometry3D g;
  g.size = {4, 4, 1};
  g.spacing_mm = {3.0, 3.0, 1.0};
  g.origin_mm = {10.0, 20.0, 0.0};
  InterpolationSettings s;
  s.enabled = true;
  s.in_plane_only = true;
  s.spacing_mm = {2.0, 2.0, 2.0};
  const InterpolationGrid grid = ibsiGrid(g, s);
  EXPECT_EQ(grid.geometry.size, (std::array<int, 3>{6, 6, 1}));
  EXPECT_LT((grid.geometry.origin_mm - Eigen::Vector3d(9.5, 19.5, 0.0)).norm(), 1e-12);
}

TEST(PreprocessingInterpolation, IbsiGridSizeIsTheCeilingAndExactMultiplesStay) {
  EXPECT_EQ(ibsiAxis(204, 0.9765625, 2.0).size, 100);  // 99.6 -> 100
  EXPECT_EQ(ibsiAxis(60, 3.0, 2.0).size, 90);          // exactly 90
  EXPECT_EQ(ibsiAxis(3, 0.1, 0.3).size, 1);            // 0.3 / 0.3, not 2 by rounding
  EXPECT_EQ(ibsiAxis(1, 1.0, 5.0).size, 1);            // never empty
}

TEST(PreprocessingInterpolation, GridKeepsDirectionsAndAlignsTheCentresInTheWorld) {
  Geometry3D g;
  g.size = {4, 5, 6};
  g.spacing_mm = {3.0, 1.0, 2.5};
  g.origin_mm = {10.0, -20.0, 30.0};
  // A rotation about z by 30 degrees.
  const double c = std::cos(M_PI / 6.0);
  const double s = std::sin(M_PI / 6.0);
  g.direction << c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0;
  InterpolationSettings settings;
  settings.enabled = true;
  settings.spacing_mm = {2.0, 2.0, 2.0};
  const InterpolationGrid grid = ibsiGrid(g, settings);
  EXPECT_EQ(grid.geometry.size, (std::array<int, 3>{6, 3, 8}));  // ceil 6, 2.5, 7.5
  EXPECT_TRUE(grid.geometry.direction.isApprox(g.direction));
  EXPECT_EQ(grid.geometry.spacing_mm, Eigen::Vector3d(2.0, 2.0, 2.0));
  const Eigen::Vector3d centreA = g.indexToWorld(Eigen::Vector3d(1.5, 2.0, 2.5));
  const Eigen::Vector3d centreB = grid.geometry.indexToWorld(Eigen::Vector3d(2.5, 1.0, 3.5));
  EXPECT_LT((centreA - centreB).norm(), 1e-12);
  // In-plane only: z is untouched.
  settings.in_plane_only = true;
  const InterpolationGrid flat = ibsiGrid(g, settings);
  EXPECT_EQ(flat.geometry.size[2], 6);
  EXPECT_EQ(flat.geometry.spacing_mm.z(), 2.5);
  EXPECT_TRUE(flat.axes[2].identity(6));
}

// A volume of f(i, j, k) on the original grid.
template <typename F>
std::vector<float> sample(const std::array<int, 3>& n, F f) {
  std::vector<float> v(static_cast<std::size_t>(n[0]) * n[1] * n[2]);
  std::size_t q = 0;
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) v[q++] = static_cast<float>(f(i, j, k));
  return v;
}

// Checks `values` (the box of resampleBox) against f at the original
// continuous indices, where `inside` says the point is to be checked.
template <typename F, typename G>
void expectBox(const std::vector<double>& values, const std::array<AxisMap, 3>& axes,
               const Box& box, F f, G inside, double tol) {
  std::size_t q = 0;
  int checked = 0;
  for (int k = box.lo[2]; k < box.hi[2]; ++k)
    for (int j = box.lo[1]; j < box.hi[1]; ++j)
      for (int i = box.lo[0]; i < box.hi[0]; ++i, ++q) {
        const double x = axes[0].position(i);
        const double y = axes[1].position(j);
        const double z = axes[2].position(k);
        if (!inside(x, y, z)) continue;
        ++checked;
        ASSERT_NEAR(values[q], f(x, y, z), tol) << "at " << x << ", " << y << ", " << z;
      }
  EXPECT_GT(checked, 100);
}

TEST(PreprocessingInterpolation, TrilinearReproducesALinearRampExactly) {
  const std::array<int, 3> n{10, 9, 8};
  const auto ramp = [](double i, double j, double k) { return 2.0 * i + 3.0 * j - 5.0 * k + 7.0; };
  const auto src = sample(n, ramp);
  const std::array<AxisMap, 3> axes{ibsiAxis(10, 1.5, 1.0), ibsiAxis(9, 1.2, 0.7),
                                    ibsiAxis(8, 2.5, 1.1)};
  Box box;
  box.hi = {axes[0].size, axes[1].size, axes[2].size};
  const auto values = resampleBox(src.data(), n, axes, box, ImageInterpolation::Linear);
  ASSERT_EQ(values.size(), box.count());
  // Inside the original grid the ramp is reproduced; outside, the nearest
  // boundary value is extended (IBSI padding), so those points are skipped.
  const auto inGrid = [&](double x, double y, double z) {
    return x >= 0 && y >= 0 && z >= 0 && x <= n[0] - 1 && y <= n[1] - 1 && z <= n[2] - 1;
  };
  expectBox(values, axes, box, ramp, inGrid, 1e-9);
  // A sub-box gives the same values as the whole grid (only the crop is computed).
  Box sub;
  sub.lo = {3, 2, 4};
  sub.hi = {7, 9, 10};
  const auto part = resampleBox(src.data(), n, axes, sub, ImageInterpolation::Linear);
  std::size_t q = 0;
  for (int k = sub.lo[2]; k < sub.hi[2]; ++k)
    for (int j = sub.lo[1]; j < sub.hi[1]; ++j)
      for (int i = sub.lo[0]; i < sub.hi[0]; ++i)
        ASSERT_EQ(
            part[q++],
            values[static_cast<std::size_t>(i) +
                   static_cast<std::size_t>(box.size(0)) *
                       (static_cast<std::size_t>(j) + static_cast<std::size_t>(box.size(1)) * k)]);
}

TEST(PreprocessingInterpolation, OutsideTheGridTheNearestBoundaryValueIsExtended) {
  const std::array<int, 3> n{5, 1, 1};
  const std::vector<float> src{10.0f, 20.0f, 30.0f, 40.0f, 50.0f};
  // 5 voxels of 3 mm at 2 mm: 8 points at grid coordinates -1/3, 1/3, 1,
  // 5/3, 7/3, 3, 11/3, 13/3 (start (4 - (2/3) 7) / 2, step 2/3).
  const std::array<AxisMap, 3> axes{ibsiAxis(5, 3.0, 2.0), AxisMap{1, 0.0, 1.0},
                                    AxisMap{1, 0.0, 1.0}};
  Box box;
  box.hi = {8, 1, 1};
  const auto lin = resampleBox(src.data(), n, axes, box, ImageInterpolation::Linear);
  const std::vector<double> expectLin{
      10.0, 10.0 + 10.0 / 3.0, 20.0, 20.0 + 20.0 / 3.0, 30.0 + 10.0 / 3.0,
      40.0, 40.0 + 20.0 / 3.0, 50.0};
  for (std::size_t q = 0; q < 8; ++q) EXPECT_NEAR(lin[q], expectLin[q], 1e-9) << q;
  const auto nn = resampleBox(src.data(), n, axes, box, ImageInterpolation::NearestNeighbour);
  const std::vector<double> expectNn{10.0, 10.0, 20.0, 30.0, 30.0, 40.0, 50.0, 50.0};
  for (std::size_t q = 0; q < 8; ++q) EXPECT_DOUBLE_EQ(nn[q], expectNn[q]) << q;
  // A constant stays constant everywhere, beyond the ends included.
  const std::vector<float> flat(5, 42.0f);
  const auto cub = resampleBox(flat.data(), n, axes, box, ImageInterpolation::TricubicSpline);
  for (std::size_t q = 0; q < 8; ++q) EXPECT_NEAR(cub[q], 42.0, 1e-9) << q;
}

TEST(PreprocessingInterpolation, CubicBSplinePassesThroughTheSamples) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1000.0, 1000.0);
  const std::array<int, 3> n{12, 7, 5};
  const auto src = sample(n, [&](int, int, int) { return std::round(u(rng)); });
  // Non-identity maps that land on the original samples (step 1, start 0,
  // one point fewer), so the spline is evaluated at integer positions.
  const std::array<AxisMap, 3> axes{AxisMap{11, 0.0, 1.0}, AxisMap{6, 0.0, 1.0},
                                    AxisMap{4, 0.0, 1.0}};
  Box box;
  box.hi = {11, 6, 4};
  const auto values = resampleBox(src.data(), n, axes, box, ImageInterpolation::TricubicSpline);
  std::size_t q = 0;
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 6; ++j)
      for (int i = 0; i < 11; ++i)
        ASSERT_NEAR(values[q++], src[static_cast<std::size_t>(i + 12 * (j + 7 * k))], 1e-8);
}

TEST(PreprocessingInterpolation, CubicBSplineReproducesACubicPolynomialInTheInterior) {
  // Cubic B-spline interpolation reproduces polynomials of degree <= 3; the
  // nearest-value padding at the ends only disturbs a few samples near them
  // (the prefilter's influence decays as 0.268^distance).
  const std::array<int, 3> n{60, 44, 40};
  const auto poly = [](double i, double j, double k) {
    const double x = (i - 30.0) / 10.0;
    const double y = (j - 22.0) / 10.0;
    const double z = (k - 20.0) / 10.0;
    return 100.0 * x * x * x - 40.0 * x * y + 25.0 * y * y * z + 60.0 * z * z - 30.0 * z + 5.0;
  };
  const auto src = sample(n, [&](int i, int j, int k) { return poly(i, j, k); });
  // Floats hold the samples to ~1e-5 relative; compare with that precision.
  const std::array<AxisMap, 3> axes{ibsiAxis(60, 1.0, 0.77), ibsiAxis(44, 1.0, 1.3),
                                    ibsiAxis(40, 1.0, 0.9)};
  Box box;
  box.lo = {20, 8, 11};
  box.hi = {58, 26, 34};
  const auto values = resampleBox(src.data(), n, axes, box, ImageInterpolation::TricubicSpline);
  const auto interior = [&](double x, double y, double z) {
    return x >= 15 && x <= 45 && y >= 15 && y <= 29 && z >= 15 && z <= 25;
  };
  expectBox(values, axes, box, poly, interior, 1e-3);
}

TEST(PreprocessingInterpolation, PrefilterOfAConstantIsTheConstant) {
  std::vector<double> c(9, 3.5);
  cubicBSplinePrefilter(c);
  for (double v : c) EXPECT_NEAR(v, 3.5, 1e-12);
}

TEST(PreprocessingInterpolation, PreparedImageFollowsTheWorldPositionsOfTheNewGrid) {
  // A linear ramp in world coordinates on an oblique grid: after prepareRoi
  // (trilinear, no rounding) every voxel of the cropped image holds the ramp at
  // its own world position, which checks the new origin, the crop and the
  // direction handling together.
  Geometry3D g;
  g.size = {30, 28, 12};
  g.spacing_mm = {0.8, 0.9, 3.0};
  g.origin_mm = {-5.0, 7.0, 11.0};
  const double c = std::cos(0.3);
  const double s = std::sin(0.3);
  g.direction << c, 0.0, s, 0.0, 1.0, 0.0, -s, 0.0, c;
  const auto world = [](const Eigen::Vector3d& p) {
    return 0.5 * p.x() - 1.5 * p.y() + 2.0 * p.z();
  };
  Volume image(g);
  MaskVolume mask(g, 0);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        image.at(i, j, k) = static_cast<float>(world(g.indexToWorld(Eigen::Vector3d(i, j, k))));
        if (i >= 8 && i < 22 && j >= 9 && j < 20 && k >= 4 && k < 8) mask.at(i, j, k) = 1;
      }
  FeatureSettings settings;
  settings.interpolation.enabled = true;
  settings.interpolation.spacing_mm = {1.0, 1.0, 1.0};
  settings.interpolation.round_intensities = false;
  settings.discretisation.method = DiscretisationMethod::FixedBinNumber;
  NullProgress progress;
  const PreparedRoi roi = prepareRoi(image, mask, settings, progress);
  const Geometry3D& gc = roi.image.geometry();
  EXPECT_TRUE(gc.direction.isApprox(g.direction));
  int checked = 0;
  for (int k = 0; k < gc.size[2]; ++k)
    for (int j = 0; j < gc.size[1]; ++j)
      for (int i = 0; i < gc.size[0]; ++i) {
        const Eigen::Vector3d p = gc.indexToWorld(Eigen::Vector3d(i, j, k));
        const Eigen::Vector3d t = g.worldToIndex(p);
        if ((t.array() < 0.0).any() || t.x() > 29 || t.y() > 27 || t.z() > 11) continue;
        ++checked;
        ASSERT_NEAR(roi.image.at(i, j, k), world(p), 2e-4) << i << "," << j << "," << k;
      }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace harmonia::features
