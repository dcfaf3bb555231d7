// Morphology on shapes with known answers: voxelised spheres, ellipsoids
// and boxes (analytic values), Moran's I and Geary's C against an O(n^2)
// brute force, ellipsoid areas and enclosing ellipsoids against closed
// forms, and degenerate ROIs (one voxel, empty).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/features/Ellipsoid.h"
#include "core/features/Families.h"
#include "core/features/SpatialAutocorrelation.h"
#include "tests/core/features/MorphologyTestSupport.h"

using namespace harmonia;
using namespace harmonia::features;
using namespace harmonia::test;

namespace {

constexpr double kPi = std::numbers::pi;

FeatureSet morphologyOf(const PreparedRoi& roi) {
  FeatureSet f;
  computeMorphology(roi, f, noProgress());
  return f;
}

/// Voxelised solid ellipsoid with semi-axes (a, b, c) in mm, centred on a
/// voxel centre, on a grid of `spacing`.
PreparedRoi ellipsoidRoi(double a, double b, double c, const Eigen::Vector3d& spacing) {
  const std::array<int, 3> size{static_cast<int>(2 * a / spacing.x()) + 5,
                                static_cast<int>(2 * b / spacing.y()) + 5,
                                static_cast<int>(2 * c / spacing.z()) + 5};
  const auto inside = [=](int i, int j, int k) {
    const double x = (i - size[0] / 2) * spacing.x(), y = (j - size[1] / 2) * spacing.y(),
                 z = (k - size[2] / 2) * spacing.z();
    return x * x / (a * a) + y * y / (b * b) + z * z / (c * c) <= 1.0;
  };
  // Intensities symmetric about the centre: the centre of mass shift is 0.
  return makeRoi(size, spacing, inside, [=](int i, int j, int k) {
    return 10.0 + std::abs(i - size[0] / 2) + 2.0 * std::abs(j - size[1] / 2) +
           3.0 * std::abs(k - size[2] / 2);
  });
}

/// Moran's I and Geary's C by their IBSI definitions, summing over all pairs.
std::pair<double, double> bruteForceAutocorrelation(const std::vector<double>& values,
                                                    const std::vector<std::uint8_t>& mask,
                                                    const std::array<int, 3>& size,
                                                    const Eigen::Vector3d& spacing) {
  std::vector<Eigen::Vector3d> pos;
  std::vector<double> x;
  for (int k = 0; k < size[2]; ++k)
    for (int j = 0; j < size[1]; ++j)
      for (int i = 0; i < size[0]; ++i) {
        const std::size_t g = i + size[0] * (j + size[1] * static_cast<std::size_t>(k));
        if (mask[g] == 0) continue;
        pos.emplace_back(i * spacing.x(), j * spacing.y(), k * spacing.z());
        x.push_back(values[g]);
      }
  const double n = static_cast<double>(x.size());
  double mu = 0.0;
  for (double v : x) mu += v;
  mu /= n;
  double w = 0.0, moran = 0.0, geary = 0.0, var = 0.0;
  for (std::size_t p = 0; p < x.size(); ++p) {
    var += (x[p] - mu) * (x[p] - mu);
    for (std::size_t q = 0; q < x.size(); ++q) {
      if (p == q) continue;
      const double wpq = 1.0 / (pos[p] - pos[q]).norm();
      w += wpq;
      moran += wpq * (x[p] - mu) * (x[q] - mu);
      geary += wpq * (x[p] - x[q]) * (x[p] - x[q]);
    }
  }
  return {n / w * moran / var, (n - 1.0) / (2.0 * w) * geary / var};
}

}  // namespace

TEST(MorphologyShapes, VoxelisedSphereIsCloseToTheSphere) {
  const double r = 12.0;
  const PreparedRoi roi = ellipsoidRoi(r, r, r, Eigen::Vector3d(1.0, 1.0, 1.0));
  const FeatureSet f = morphologyOf(roi);
  EXPECT_EQ(f.size(), 29u);
  std::size_t voxels = 0;
  for (auto m : roi.morphological_mask.voxels()) voxels += m;
  // Voxel counting is exact by definition (IBSI "Approximate volume").
  EXPECT_DOUBLE_EQ(f.value("morph_vol_approx"), static_cast<double>(voxels));
  const double volume = 4.0 / 3.0 * kPi * r * r * r;
  EXPECT_NEAR(f.value("morph_volume"), volume, 0.02 * volume);
  // Marching cubes on a binary mask overestimates a sphere's area by a few %.
  const double area = 4.0 * kPi * r * r;
  EXPECT_NEAR(f.value("morph_area_mesh"), area, 0.08 * area);
  EXPECT_GT(f.value("morph_sphericity"), 0.9);
  EXPECT_LE(f.value("morph_sphericity"), 1.0);
  // Diameter: the extreme vertices sit half a voxel beyond the extreme voxel
  // centres, 2r + 1 apart along an axis.
  EXPECT_GE(f.value("morph_diam"), 2 * r + 1 - 1e-9);
  EXPECT_LE(f.value("morph_diam"), 2 * r + 1.5);
  // A solid sphere's PCA eigenvalues are r^2 / 5: axes 4 r / sqrt(5).
  EXPECT_NEAR(f.value("morph_pca_maj_axis"), 4 * r / std::sqrt(5.0), 0.02 * r);
  EXPECT_NEAR(f.value("morph_pca_elongation"), 1.0, 0.01);
  EXPECT_LE(f.value("morph_vol_dens_conv_hull"), 1.0);
  EXPECT_GT(f.value("morph_vol_dens_conv_hull"), 0.93);
  // Symmetric intensities over a symmetric ROI: no centre of mass shift.
  EXPECT_NEAR(f.value("morph_com"), 0.0, 1e-9);
}

TEST(MorphologyShapes, EllipsoidPcaAxesAreAnalytic) {
  // Anisotropic voxels; a solid ellipsoid has eigenvalues a^2/5, b^2/5, c^2/5.
  const double a = 20.0, b = 12.0, c = 7.0;
  const FeatureSet f = morphologyOf(ellipsoidRoi(a, b, c, Eigen::Vector3d(0.8, 0.6, 1.0)));
  EXPECT_NEAR(f.value("morph_pca_maj_axis"), 4 * a / std::sqrt(5.0), 0.01 * a);
  EXPECT_NEAR(f.value("morph_pca_min_axis"), 4 * b / std::sqrt(5.0), 0.01 * a);
  EXPECT_NEAR(f.value("morph_pca_least_axis"), 4 * c / std::sqrt(5.0), 0.01 * a);
  EXPECT_NEAR(f.value("morph_pca_elongation"), b / a, 0.01);
  EXPECT_NEAR(f.value("morph_pca_flatness"), c / a, 0.01);
  const double volume = 4.0 / 3.0 * kPi * a * b * c;
  EXPECT_NEAR(f.value("morph_volume"), volume, 0.02 * volume);
  // The MVEE encloses the ROI: density at most 1; close to it for an ellipsoid.
  EXPECT_LE(f.value("morph_vol_dens_mvee"), 1.0);
  EXPECT_GT(f.value("morph_vol_dens_mvee"), 0.85);
}

TEST(MorphologyShapes, BoxDensities) {
  const Eigen::Vector3d s(0.9, 1.1, 2.0);
  const PreparedRoi roi = makeRoi(
      {9, 8, 7}, s,
      [](int i, int j, int k) { return i >= 1 && i <= 6 && j >= 2 && j <= 5 && k >= 1 && k <= 5; },
      [](int, int, int) { return 5.0; });
  const FeatureSet f = morphologyOf(roi);
  // The box mesh is convex: convex hull densities are 1.
  EXPECT_NEAR(f.value("morph_vol_dens_conv_hull"), 1.0, 1e-12);
  EXPECT_NEAR(f.value("morph_area_dens_conv_hull"), 1.0, 1e-12);
  // Its AABB is the box of voxel faces, 6 x 4 x 5 voxels.
  const Eigen::Vector3d box(6 * s.x(), 4 * s.y(), 5 * s.z());
  EXPECT_NEAR(f.value("morph_vol_dens_aabb"), f.value("morph_volume") / box.prod(), 1e-12);
  // No oriented box is smaller than the axis-aligned one here.
  EXPECT_NEAR(f.value("morph_vol_dens_ombb"), f.value("morph_vol_dens_aabb"), 1e-9);
  EXPECT_NEAR(f.value("morph_area_dens_ombb"), f.value("morph_area_dens_aabb"), 1e-9);
  // Integrated intensity: volume times the (constant) intensity.
  EXPECT_NEAR(f.value("morph_integ_int"), 5.0 * f.value("morph_volume"), 1e-9);
  // Constant intensity: Moran's I and Geary's C are undefined (0 / 0).
  EXPECT_FALSE(f.find("morph_moran_i")->defined());
  EXPECT_FALSE(f.find("morph_geary_c")->defined());
}

TEST(MorphologyShapes, MoranAndGearyMatchBruteForce) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> value(-100.0, 300.0);
  std::bernoulli_distribution in(0.6);
  const std::vector<std::array<int, 3>> sizes{{7, 6, 5}, {11, 3, 4}, {5, 9, 1}, {1, 1, 8}};
  const std::vector<Eigen::Vector3d> spacings{
      {1.0, 1.0, 1.0}, {0.7, 1.3, 2.5}, {2.0, 0.5, 1.0}, {1.0, 1.0, 3.0}};
  for (std::size_t t = 0; t < sizes.size(); ++t) {
    const auto& size = sizes[t];
    const std::size_t total = static_cast<std::size_t>(size[0]) * size[1] * size[2];
    std::vector<double> values(total);
    std::vector<std::uint8_t> mask(total);
    for (std::size_t g = 0; g < total; ++g) {
      values[g] = value(rng);
      mask[g] = in(rng) ? 1 : 0;
    }
    mask[0] = mask[total - 1] = 1;
    const SpatialAutocorrelation fast = spatialAutocorrelation(values, mask, size, spacings[t]);
    const auto [moran, geary] = bruteForceAutocorrelation(values, mask, size, spacings[t]);
    ASSERT_TRUE(fast.defined);
    EXPECT_NEAR(fast.moran_i, moran, 1e-9 * std::max(1.0, std::abs(moran))) << "case " << t;
    EXPECT_NEAR(fast.geary_c, geary, 1e-9 * std::max(1.0, std::abs(geary))) << "case " << t;
  }
}

TEST(MorphologyShapes, EllipsoidAreaFollowsTheIbsiSeries) {
  // Sphere: 4 pi r^2 exactly.
  EXPECT_NEAR(ellipsoidSurfaceArea(3.0, 3.0, 3.0), 4 * kPi * 9.0, 1e-12);
  // Otherwise the IBSI series, evaluated here directly with Legendre
  // polynomials P_nu(x) (Bonnet's recurrence in x), nu = 0..20. Note: with
  // IBSI's alpha = sqrt(1 - b^2/a^2), beta = sqrt(1 - c^2/a^2) the series is
  // not the exact ellipsoid area (e.g. for an oblate spheroid); the IBSI
  // reference values (digital phantom 1.36, CT phantom 1.71) follow the
  // series as written, so the feature does too.
  for (const auto& [a, b, c] :
       {std::array<double, 3>{5.7, 4.65, 4.27}, std::array<double, 3>{46.4, 40.8, 35.0},
        std::array<double, 3>{10.0, 3.0, 1.0}}) {
    const double alpha = std::sqrt(1 - b * b / (a * a)), beta = std::sqrt(1 - c * c / (a * a));
    const double x = (alpha * alpha + beta * beta) / (2 * alpha * beta);
    double p0 = 1.0, p1 = x, sum = 1.0 + alpha * beta * x / (1.0 - 4.0);
    for (int nu = 2; nu <= 20; ++nu) {
      const double p2 = ((2 * nu - 1) * x * p1 - (nu - 1) * p0) / nu;
      sum += std::pow(alpha * beta, nu) / (1.0 - 4.0 * nu * nu) * p2;
      p0 = p1;
      p1 = p2;
    }
    const double expected = 4 * kPi * a * b * sum;
    EXPECT_NEAR(ellipsoidSurfaceArea(a, b, c), expected, 1e-9 * expected);
  }
}

TEST(MorphologyShapes, MveeOfBoxCornersIsAnalytic) {
  // The MVEE of the 8 corners of a box of half-extents (p, q, r) has
  // semi-axes sqrt(3) (p, q, r) (by symmetry and the 3-D cube's sqrt(3)).
  std::vector<Eigen::Vector3d> corners;
  for (int c = 0; c < 8; ++c)
    corners.emplace_back((c & 1 ? 4.0 : -4.0) + 1.0, (c & 2 ? 2.0 : -2.0) - 3.0,
                         (c & 4 ? 1.0 : -1.0) + 7.0);
  const Eigen::Vector3d axes = mveeSemiAxes(corners, 1e-10);
  EXPECT_NEAR(axes.x(), std::sqrt(3.0) * 4.0, 1e-5);
  EXPECT_NEAR(axes.y(), std::sqrt(3.0) * 2.0, 1e-5);
  EXPECT_NEAR(axes.z(), std::sqrt(3.0) * 1.0, 1e-5);
}

TEST(MorphologyShapes, OneVoxelRoiIsFiniteOrUndefinedWithAReason) {
  const Eigen::Vector3d s(1.0, 2.0, 3.0);
  PreparedRoi roi = makeRoi(
      {3, 3, 3}, s, [](int i, int j, int k) { return i == 1 && j == 1 && k == 1; },
      [](int i, int, int) { return 7.0 + i; });
  FeatureSet f = morphologyOf(roi);
  computeLocalIntensity(roi, f, noProgress());
  ASSERT_EQ(f.size(), 31u);
  // The mesh is an octahedron: volume prod(s) / 6.
  EXPECT_NEAR(f.value("morph_volume"), s.prod() / 6.0, 1e-12);
  EXPECT_DOUBLE_EQ(f.value("morph_vol_approx"), s.prod());
  for (const char* tag : {"morph_pca_elongation", "morph_pca_flatness", "morph_vol_dens_aee",
                          "morph_area_dens_aee", "morph_moran_i", "morph_geary_c"}) {
    const Feature* feature = f.find(tag);
    ASSERT_NE(feature, nullptr) << tag;
    EXPECT_FALSE(feature->defined()) << tag;
    EXPECT_TRUE(std::isnan(feature->value)) << tag;
    EXPECT_FALSE(feature->reason.empty()) << tag;
  }
  for (const Feature& feature : f.features())
    if (feature.defined()) {
      EXPECT_TRUE(std::isfinite(feature.value)) << feature.tag;
    }
  EXPECT_NEAR(f.value("morph_pca_maj_axis"), 0.0, 1e-12);
  EXPECT_TRUE(f.find("loc_peak_loc")->defined());

  // An empty ROI: every feature undefined, none missing, no crash.
  for (auto& m : roi.morphological_mask.voxels()) m = 0;
  for (auto& m : roi.intensity_mask.voxels()) m = 0;
  FeatureSet empty = morphologyOf(roi);
  computeLocalIntensity(roi, empty, noProgress());
  ASSERT_EQ(empty.size(), 31u);
  for (const Feature& feature : empty.features()) EXPECT_FALSE(feature.defined()) << feature.tag;
}
