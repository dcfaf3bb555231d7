// The cubic B-spline prefilter (core/harmonize/BSplinePrefilter.h) against
// its definition: the cubic B-spline with the coefficients it returns passes
// through the samples, (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k] along each axis
// with mirror boundaries (c[-1] = c[1], c[n] = c[n-2]), evaluated here by
// brute force.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/harmonize/BSplinePrefilter.h"

using namespace harmonia;

namespace {

Volume makeVolume(int nx, int ny, int nz) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  return Volume(g);
}

// The B-spline with coefficients c at the grid points: the separable
// (1, 4, 1) / 6 filter along the three axes, mirrored at the edges.
Volume interpolateAtSamples(const Volume& c) {
  const int n[3] = {c.nx(), c.ny(), c.nz()};
  const auto mirror = [](int k, int size) {
    if (size == 1) return 0;
    if (k < 0) return -k;
    if (k >= size) return 2 * size - 2 - k;
    return k;
  };
  Volume out = makeVolume(n[0], n[1], n[2]);
  for (int k = 0; k < n[2]; ++k) {
    for (int j = 0; j < n[1]; ++j) {
      for (int i = 0; i < n[0]; ++i) {
        double sum = 0.0;
        for (int dk = -1; dk <= 1; ++dk) {
          for (int dj = -1; dj <= 1; ++dj) {
            for (int di = -1; di <= 1; ++di) {
              const double w =
                  (di == 0 ? 4.0 : 1.0) * (dj == 0 ? 4.0 : 1.0) * (dk == 0 ? 4.0 : 1.0) / 216.0;
              sum += w * c.at(mirror(i + di, n[0]), mirror(j + dj, n[1]), mirror(k + dk, n[2]));
            }
          }
        }
        out.at(i, j, k) = static_cast<float>(sum);
      }
    }
  }
  return out;
}

}  // namespace

TEST(BSplinePrefilter, ConstantStaysConstant) {
  // (1 + 4 + 1) / 6 = 1: a constant is its own coefficient.
  Volume v = makeVolume(9, 4, 3);
  for (float& x : v.voxels()) x = 2.5f;
  bsplinePrefilter(v, noProgress());
  for (const float x : v.voxels()) EXPECT_NEAR(x, 2.5f, 1e-5f);
}

TEST(BSplinePrefilter, SplineThroughTheSamples) {
  // Long (x: 70 > the recursion's truncation horizon of 16) and short axes.
  for (const auto& [nx, ny, nz] : {std::array<int, 3>{70, 5, 4}, std::array<int, 3>{3, 2, 7}}) {
    Volume s = makeVolume(nx, ny, nz);
    for (int k = 0; k < nz; ++k) {
      for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
          s.at(i, j, k) = static_cast<float>(std::sin(0.7 * i) + 0.3 * j * j - 0.5 * k + (i % 3));
        }
      }
    }
    Volume c = s;
    bsplinePrefilter(c, noProgress());
    const Volume back = interpolateAtSamples(c);
    double worst = 0.0;
    for (std::size_t q = 0; q < s.voxelCount(); ++q) {
      worst = std::max(worst, std::abs(double(back.voxels()[q]) - s.voxels()[q]));
    }
    EXPECT_LT(worst, 2e-4) << nx << "x" << ny << "x" << nz;
    // The coefficients are not the samples (the prefilter did something).
    double moved = 0.0;
    for (std::size_t q = 0; q < s.voxelCount(); ++q) {
      moved = std::max(moved, std::abs(double(c.voxels()[q]) - s.voxels()[q]));
    }
    EXPECT_GT(moved, 0.1);
  }
}
