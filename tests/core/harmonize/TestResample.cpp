// Resampling in physical coordinates: exactness for linear functions,
// geometry (origin, direction) on oblique volumes, agreement of the fast
// separable path with a direct trilinear evaluation, nearest and cubic
// B-spline, masks (nearest and partial volume), cancellation.

#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <cmath>

#include "HarmonizeTestSupport.h"
#include "core/harmonize/Resample.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

Eigen::Matrix3d rotation(double ax, double ay, double az) {
  return (Eigen::AngleAxisd(az, Eigen::Vector3d::UnitZ()) *
          Eigen::AngleAxisd(ay, Eigen::Vector3d::UnitY()) *
          Eigen::AngleAxisd(ax, Eigen::Vector3d::UnitX()))
      .toRotationMatrix();
}

// f(p) = a . p + c in world millimetres.
const Eigen::Vector3d kSlope(2.0, -3.0, 1.5);
constexpr double kIntercept = 40.0;
double linearField(const Eigen::Vector3d& p) { return kSlope.dot(p) + kIntercept; }

Volume sampledLinearField(const Geometry3D& g) {
  Volume v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        v.at(i, j, k) = static_cast<float>(linearField(g.indexToWorld(Eigen::Vector3d(i, j, k))));
  return v;
}

bool strictlyInsideCentres(const Eigen::Vector3d& c, const std::array<int, 3>& n) {
  for (int a = 0; a < 3; ++a) {
    if (c[a] < 0.0 || c[a] > n[a] - 1) return false;
  }
  return true;
}

Geometry3D obliqueGrid() {
  Geometry3D g;
  g.size = {20, 18, 12};
  g.spacing_mm = {0.8, 1.1, 2.0};
  g.origin_mm = {-7.0, 3.0, 11.0};
  g.direction = rotation(0.3, -0.2, 0.5);
  return g;
}

// Direct trilinear (clamped) evaluation, the reference for the fast path.
double trilinearReference(const Volume& v, Eigen::Vector3d c) {
  int i0[3];
  double f[3];
  for (int a = 0; a < 3; ++a) {
    const int n = v.geometry().size[a];
    c[a] = std::clamp(c[a], 0.0, n - 1.0);
    i0[a] = std::min(static_cast<int>(std::floor(c[a])), std::max(n - 2, 0));
    f[a] = c[a] - i0[a];
  }
  double acc = 0;
  for (int dz = 0; dz < 2; ++dz)
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx) {
        const double w = (dx ? f[0] : 1 - f[0]) * (dy ? f[1] : 1 - f[1]) * (dz ? f[2] : 1 - f[2]);
        if (w == 0) continue;
        acc += w * v.at(std::min(i0[0] + dx, v.nx() - 1), std::min(i0[1] + dy, v.ny() - 1),
                        std::min(i0[2] + dz, v.nz() - 1));
      }
  return acc;
}

}  // namespace

TEST(Resample, LinearInterpolationReproducesALinearFunctionOnObliqueGrids) {
  // Input and output grids are both oblique (different rotations, spacings,
  // origins). Wherever an output centre falls between input voxel centres,
  // trilinear interpolation of a linear function is exact; the only error is
  // float32 rounding of values up to ~150: tolerance 1e-4 absolute.
  const Geometry3D in = obliqueGrid();
  const Volume v = sampledLinearField(in);
  Geometry3D out;
  out.size = {25, 22, 16};
  out.spacing_mm = {0.9, 0.7, 1.3};
  out.direction = rotation(-0.1, 0.25, 0.1);
  out.origin_mm = in.indexToWorld({9.5, 8.5, 5.5}) - out.direction * Eigen::Vector3d(11, 7.7, 10);
  const Volume r = resample(v, out, {Interpolation::Linear, -999.0f});
  ASSERT_TRUE(r.geometry().sameGrid(out));
  const IndexMap map = indexMap(in, out);
  int checked = 0, outside = 0;
  for (int k = 0; k < out.size[2]; ++k)
    for (int j = 0; j < out.size[1]; ++j)
      for (int i = 0; i < out.size[0]; ++i) {
        const Eigen::Vector3d c = map.linear * Eigen::Vector3d(i, j, k) + map.offset;
        const Eigen::Vector3d p = out.indexToWorld(Eigen::Vector3d(i, j, k));
        EXPECT_LT((in.indexToWorld(c) - p).norm(), 1e-9);
        if (strictlyInsideCentres(c, in.size)) {
          EXPECT_NEAR(r.at(i, j, k), linearField(p), 1e-4);
          ++checked;
        }
        bool inVoxels = true;
        for (int a = 0; a < 3; ++a) inVoxels &= c[a] >= -0.5 && c[a] <= in.size[a] - 0.5;
        if (!inVoxels) {
          EXPECT_EQ(r.at(i, j, k), -999.0f);
          ++outside;
        }
      }
  EXPECT_GT(checked, 500);
  EXPECT_GT(outside, 100);
}

TEST(Resample, SeparablePathIsExactForLinearFunctionsAndAgreesWithDirectTrilinear) {
  // Same direction, different spacing: the fast separable path. Compared
  // with the analytic field (interior) and with a direct trilinear evaluation
  // (everywhere inside, rim included). Tolerance 1e-4 absolute (float32).
  Geometry3D in = obliqueGrid();
  const Volume v = harmonia::test::randomVolume(in, 4, 0.0f, 100.0f);
  const Volume lin = sampledLinearField(in);
  const Geometry3D out = isotropicGrid(in, 0.6);
  const Volume r = resample(v, out);
  const Volume rl = resample(lin, out);
  const IndexMap map = indexMap(in, out);
  ASSERT_TRUE(map.linear.isDiagonal(1e-12));
  for (int k = 0; k < out.size[2]; ++k)
    for (int j = 0; j < out.size[1]; ++j)
      for (int i = 0; i < out.size[0]; ++i) {
        const Eigen::Vector3d c = map.linear * Eigen::Vector3d(i, j, k) + map.offset;
        EXPECT_NEAR(r.at(i, j, k), trilinearReference(v, c), 1e-4);
        if (strictlyInsideCentres(c, in.size)) {
          EXPECT_NEAR(rl.at(i, j, k), linearField(out.indexToWorld(Eigen::Vector3d(i, j, k))),
                      1e-4);
        }
      }
}

TEST(Resample, SeparablePathAgreesWithTheGeneralPathForEveryInterpolationAndOutside) {
  // An axis-aligned target that sticks out of the input on every side (so
  // rows, columns and planes of "outside" voxels), sampled by the separable
  // path, against the same target turned by 1e-7 rad, which takes the
  // general per-voxel path. The turn moves sample points by < 1e-5 voxel
  // (values change by < 1e-3 on this field of slope <= 100 per voxel); the
  // grid offsets keep every output centre well away from the inside/outside
  // limit and from nearest-neighbour ties.
  Geometry3D in;
  in.size = {23, 17, 11};
  in.spacing_mm = {0.7, 0.9, 1.6};
  in.origin_mm = {4.0, -2.0, 7.0};
  const Volume v = harmonia::test::randomVolume(in, 11, 0.0f, 100.0f);
  Geometry3D out;
  out.size = {21, 20, 16};
  out.spacing_mm = {0.93, 0.88, 1.17};
  out.origin_mm = in.origin_mm - Eigen::Vector3d(1.37, 1.61, 2.11);
  Geometry3D turned = out;
  turned.direction = rotation(1e-7, -1e-7, 1e-7);
  ASSERT_FALSE(indexMap(in, turned).linear.isDiagonal(1e-9));
  for (Interpolation m :
       {Interpolation::Nearest, Interpolation::Linear, Interpolation::CubicBSpline}) {
    const Volume fast = resample(v, out, {m, -500.0f});
    const Volume general = resample(v, turned, {m, -500.0f});
    int outside = 0;
    double err = 0;
    for (std::size_t i = 0; i < fast.voxelCount(); ++i) {
      outside += general.data()[i] == -500.0f;
      err = std::max(err, static_cast<double>(std::abs(fast.data()[i] - general.data()[i])));
    }
    EXPECT_LT(err, 1e-3) << toString(m);
    EXPECT_GT(outside, 1000) << toString(m);
    EXPECT_LT(outside, static_cast<int>(fast.voxelCount()) - 1000) << toString(m);
  }
  // resampleInto() writes the same values into an existing volume of that grid.
  Volume reused(out, 7.0f);
  resampleInto(v, reused, {Interpolation::Linear, -500.0f});
  const Volume fresh = resample(v, out, {Interpolation::Linear, -500.0f});
  for (std::size_t i = 0; i < fresh.voxelCount(); ++i) {
    ASSERT_EQ(reused.data()[i], fresh.data()[i]) << i;
  }
  EXPECT_THROW(resampleInto(v, const_cast<Volume&>(v)), ParameterError);
}

TEST(Resample, IsotropicGridKeepsDirectionCentreAndExtent) {
  const Geometry3D in = obliqueGrid();
  const Geometry3D iso = isotropicGrid(in, 1.0);
  EXPECT_EQ(iso.size[0], 16);  // 20 * 0.8 mm
  EXPECT_EQ(iso.size[1], 20);  // 18 * 1.1 mm = 19.8
  EXPECT_EQ(iso.size[2], 24);  // 12 * 2.0 mm
  EXPECT_TRUE(iso.spacing_mm.isApproxToConstant(1.0));
  EXPECT_LT((iso.direction - in.direction).cwiseAbs().maxCoeff(), 1e-15);
  const auto centre = [](const Geometry3D& g) {
    return g.indexToWorld(0.5 * Eigen::Vector3d(g.size[0] - 1, g.size[1] - 1, g.size[2] - 1));
  };
  EXPECT_LT((centre(iso) - centre(in)).norm(), 1e-9);
  // Resampling carries the target's origin and direction through unchanged.
  const Volume r = resample(sampledLinearField(in), iso);
  EXPECT_TRUE(r.geometry().sameGrid(iso, 1e-12));
  EXPECT_EQ(r.geometry().origin_mm, iso.origin_mm);
  EXPECT_EQ(r.geometry().direction, iso.direction);
  EXPECT_THROW((void)isotropicGrid(in, 0.0), ParameterError);
}

TEST(Resample, OntoItsOwnGridIsTheIdentityForEveryInterpolation) {
  // Cubic B-spline is interpolating: prefilter then evaluate at the knots
  // gives the samples back (float32 IIR: tolerance 1e-4 relative).
  Geometry3D g = obliqueGrid();
  const Volume v = harmonia::test::randomVolume(g, 9, 0.0f, 100.0f);
  for (Interpolation m :
       {Interpolation::Nearest, Interpolation::Linear, Interpolation::CubicBSpline}) {
    const Volume r = resample(v, g, {m, 0.0f});
    double err = 0;
    for (std::size_t i = 0; i < v.voxelCount(); ++i) {
      err = std::max(err, static_cast<double>(std::abs(r.data()[i] - v.data()[i])));
    }
    EXPECT_LT(err, m == Interpolation::CubicBSpline ? 1e-2 : 1e-4) << toString(m);
  }
}

TEST(Resample, CubicBSplineReproducesACubicAwayFromTheBoundary) {
  // B-splines of degree 3 reproduce cubic polynomials; the mirror boundary
  // disturbs coefficients by |z|^d (z = sqrt(3) - 2) at d voxels from an
  // edge, so only points >= 10 voxels inside are checked (1e-5 relative there
  // from the boundary, 1e-6 from float32): tolerance 1e-4 relative to the range.
  Geometry3D g;
  g.size = {40, 40, 3};
  g.spacing_mm = {1.0, 1.0, 1.0};
  Volume v(g);
  auto f = [](double x, double y) { return 0.01 * x * x * x - 0.2 * x * y + 0.5 * y * y + 3 * x; };
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i) v.at(i, j, k) = static_cast<float>(f(i, j));
  Geometry3D out = g;
  out.size = {60, 60, 3};
  out.spacing_mm = {0.37, 0.41, 1.0};
  out.origin_mm = {3.3, 2.9, 0.0};
  const Volume r = resample(v, out, {Interpolation::CubicBSpline, 0.0f});
  double range = 0, err = 0;
  for (int j = 0; j < 60; ++j)
    for (int i = 0; i < 60; ++i) {
      const double x = 3.3 + 0.37 * i, y = 2.9 + 0.41 * j;
      if (x < 10 || y < 10 || x > 29 || y > 29) continue;
      range = std::max(range, std::abs(f(x, y)));
      err = std::max(err, std::abs(r.at(i, j, 1) - f(x, y)));
    }
  EXPECT_LT(err / range, 1e-4);
}

TEST(Resample, NearestPicksTheNearestVoxel) {
  Geometry3D g;
  g.size = {10, 4, 3};
  Volume v(g);
  for (int k = 0; k < 3; ++k)
    for (int j = 0; j < 4; ++j)
      for (int i = 0; i < 10; ++i) v.at(i, j, k) = static_cast<float>(i + 10 * j + 100 * k);
  Geometry3D out = g;
  out.size = {9, 4, 3};
  out.origin_mm = {0.3, 0.0, 0.0};  // output i at input x = i + 0.3 -> nearest i
  const Volume r = resample(v, out, {Interpolation::Nearest, -1.0f});
  for (int i = 0; i < 9; ++i) EXPECT_EQ(r.at(i, 2, 1), static_cast<float>(i + 20 + 100));
  out.origin_mm = {0.7, 0.0, 0.0};  // -> i + 1
  const Volume r2 = resample(v, out, {Interpolation::Nearest, -1.0f});
  for (int i = 0; i < 9; ++i) EXPECT_EQ(r2.at(i, 2, 1), static_cast<float>(i + 1 + 20 + 100));
}

TEST(Resample, MasksByNearestAndPartialVolume) {
  // Input 1 mm voxels, mask = i < 10. Output 3 mm voxels aligned with input
  // voxel boundaries: output voxel m covers input voxels 3m .. 3m+2.
  Geometry3D g;
  g.size = {30, 6, 6};
  MaskVolume m(g, 0);
  for (int k = 0; k < 6; ++k)
    for (int j = 0; j < 6; ++j)
      for (int i = 0; i < 10; ++i) m.at(i, j, k) = 255;  // any nonzero is inside
  Geometry3D out;
  out.size = {10, 2, 2};
  out.spacing_mm = {3, 3, 3};
  out.origin_mm = {1, 1, 1};  // centre of input voxels 0..2
  const MaskVolume pv = resampleMask(m, out, MaskInterpolation::PartialVolume);
  // Voxel 3 covers inputs 9, 10, 11: 1/3 inside -> outside. Voxels 0..2 are fully inside.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(pv.at(i, 1, 1), i < 3 ? 1 : 0) << i;
  // Shift by one input voxel: voxel 3 covers 8, 9, 10: 2/3 inside -> inside.
  out.origin_mm = {2, 1, 1};
  const MaskVolume pv2 = resampleMask(m, out, MaskInterpolation::PartialVolume);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(pv2.at(i, 1, 1), i < 3 ? 1 : 0) << i;
  // Nearest: the centre voxel decides (output 3 centred on input 11 -> outside).
  out.origin_mm = {1, 1, 1};
  const MaskVolume nn = resampleMask(m, out, MaskInterpolation::Nearest);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(nn.at(i, 1, 1), i < 4 ? (i * 3 + 1 < 10) : 0) << i;
  // A sphere keeps its volume within a few percent through partial volume.
  Geometry3D sg;
  sg.size = {40, 40, 40};
  sg.spacing_mm = {0.5, 0.5, 0.5};
  MaskVolume sphere(sg, 0);
  std::size_t inside = 0;
  for (int k = 0; k < 40; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i) {
        const double d = std::hypot(i - 19.5, j - 19.5, k - 19.5) * 0.5;
        if (d < 7.0) {
          sphere.at(i, j, k) = 1;
          ++inside;
        }
      }
  const MaskVolume coarse = resampleMask(sphere, isotropicGrid(sg, 1.3));
  std::size_t coarseInside = 0;
  for (auto x : coarse.voxels()) coarseInside += x;
  const double v0 = inside * 0.125, v1 = coarseInside * 1.3 * 1.3 * 1.3;
  EXPECT_NEAR(v1 / v0, 1.0, 0.08);
}

TEST(Resample, HonoursCancellationAndRejectsBadGrids) {
  Geometry3D g;
  g.size = {16, 16, 16};
  const Volume v(g, 1.0f);
  AtomicProgress progress;
  progress.requestCancel();
  EXPECT_THROW((void)resample(v, isotropicGrid(g, 0.5), {}, progress), Cancelled);
  Geometry3D bad = g;
  bad.spacing_mm = {1, 0, 1};
  EXPECT_THROW((void)resample(v, bad), ParameterError);
}
