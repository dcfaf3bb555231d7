#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/filter/GaussianFilter.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

// Float64 brute-force 3-D convolution with the same truncated, normalised
// kernel and the same mirror boundary: the reference for the separable code.
std::vector<double> kernel1d(double sigmaVox, double truncate) {
  const int r = std::max(1, static_cast<int>(std::ceil(truncate * sigmaVox)));
  std::vector<double> k(2 * r + 1);
  double s = 0;
  for (int i = -r; i <= r; ++i) s += k[i + r] = std::exp(-0.5 * i * i / (sigmaVox * sigmaVox));
  for (double& x : k) x /= s;
  return k;
}

int reflect(int i, int n) {
  if (n == 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

std::vector<double> bruteForce(const Volume& v, const GaussianParams& p) {
  const auto& g = v.geometry();
  std::vector<double> kx = kernel1d(p.sigma_mm[0] / g.spacing_mm[0], p.truncate_sigmas);
  std::vector<double> ky = kernel1d(p.sigma_mm[1] / g.spacing_mm[1], p.truncate_sigmas);
  std::vector<double> kz = kernel1d(p.sigma_mm[2] / g.spacing_mm[2], p.truncate_sigmas);
  const int rx = kx.size() / 2, ry = ky.size() / 2, rz = kz.size() / 2;
  std::vector<double> out(v.voxelCount());
  for (int k = 0; k < v.nz(); ++k)
    for (int j = 0; j < v.ny(); ++j)
      for (int i = 0; i < v.nx(); ++i) {
        double acc = 0;
        for (int c = -rz; c <= rz; ++c)
          for (int b = -ry; b <= ry; ++b)
            for (int a = -rx; a <= rx; ++a)
              acc += kx[a + rx] * ky[b + ry] * kz[c + rz] *
                     v.at(reflect(i + a, v.nx()), reflect(j + b, v.ny()), reflect(k + c, v.nz()));
        out[v.index(i, j, k)] = acc;
      }
  return out;
}

}  // namespace

TEST(GaussianFilter, MatchesFloat64BruteForceOnAnisotropicGrid) {
  Geometry3D g;
  g.size = {17, 13, 9};
  g.spacing_mm = {0.7, 1.0, 2.5};
  Volume v(g);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-100.0f, 300.0f);
  for (float& x : v.voxels()) x = u(rng);
  GaussianParams p;
  p.sigma_mm = {1.1, 1.9, 3.0};
  p.truncate_sigmas = 3.0;
  const Volume out = gaussianBlur(v, p);
  const std::vector<double> ref = bruteForce(v, p);
  double maxRel = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    maxRel = std::max(maxRel, std::abs(out.data()[i] - ref[i]) / 300.0);
  }
  // float32 accumulation over <= 3 passes of <= 25 taps: well under 1e-5 of full scale.
  EXPECT_LT(maxRel, 1e-5);
  EXPECT_TRUE(out.geometry().sameGrid(v.geometry()));
}

TEST(GaussianFilter, ImpulseResponseHasPredictedFwhm) {
  Geometry3D g;
  g.size = {81, 1, 1};
  g.spacing_mm = {0.25, 1, 1};
  Volume v(g, 0.0f);
  v.at(40, 0, 0) = 1.0f;
  GaussianParams p;
  p.sigma_mm = {fwhmToSigma(3.0), 0, 0};
  const Volume out = gaussianBlur(v, p);
  // Half-maximum crossing by linear interpolation on each side.
  const double peak = out.at(40, 0, 0);
  int i = 40;
  while (out.at(i, 0, 0) > peak / 2) ++i;
  const double a = out.at(i - 1, 0, 0), b = out.at(i, 0, 0);
  const double halfWidthVox = (i - 1 - 40) + (a - peak / 2) / (a - b);
  EXPECT_NEAR(2 * halfWidthVox * 0.25, 3.0, 0.02);  // sampled Gaussian at 12 samples per FWHM
}

TEST(GaussianFilter, ConstantStaysConstantAndZeroSigmaIsIdentity) {
  Geometry3D g;
  g.size = {5, 6, 7};
  Volume v(g, 42.0f);
  GaussianParams p;
  p.sigma_mm = {2, 2, 2};
  const Volume blurred = gaussianBlur(v, p);
  for (float x : blurred.voxels()) EXPECT_NEAR(x, 42.0f, 1e-4);
  v.at(1, 2, 3) = 5.0f;
  p.sigma_mm = {0, 0, 0};
  EXPECT_EQ(gaussianBlur(v, p).at(1, 2, 3), 5.0f);
  p.sigma_mm = {-1, 0, 0};
  EXPECT_THROW(gaussianBlur(v, p), ParameterError);
}

TEST(GaussianFilter, HonoursCancellation) {
  Geometry3D g;
  g.size = {32, 32, 32};
  Volume v(g, 1.0f);
  AtomicProgress progress;
  progress.requestCancel();
  EXPECT_THROW(gaussianBlur(v, GaussianParams{}, progress), Cancelled);
}
