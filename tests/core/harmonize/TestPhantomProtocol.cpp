// The phantom protocol in miniature: one textured object "scanned" by two
// virtual scanners with different Gaussian PSFs (FWHM a and b per axis) and
// different gain and offset; both are blurred to max(a, b) and z-scored in the
// same ROI, and must then agree to floating-point precision.
//
// Why the claim is honest and what the tolerance covers:
//  - Same grid, no noise: only blur, gain and offset differ, all of which
//    harmonization undoes (noise and resampling would not be undone exactly).
//  - Gaussians compose (sigma^2 adds) exactly in the continuum; the sampled,
//    truncated, normalised kernels we use compose only approximately:
//      * truncation at 6 sigma discards 2e-9 of each kernel's mass;
//      * sampling aliases the kernel's spectrum; for sigma >= 1.1 voxels (all
//        kernels here, checked below) the composition error is ~1e-6 of the
//        signal at the highest frequencies, and the object is band-limited
//        (white noise pre-smoothed with sigma 1 voxel, plus smooth shapes) so
//        its content there is small;
//      * the mirror boundary commutes with symmetric kernels, so edges are exact.
//  - What remains is float32 rounding (~1e-7 relative) of blurs and of the
//    z-score, amplified by |x - mean| / sd <= ~5: tolerance 1e-5 of max |z|.
// A control checks that without kernel matching the two differ by > 1e-2.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "core/filter/GaussianFilter.h"
#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/ZScore.h"

using namespace harmonia;

namespace {

constexpr double kTruncate = 6.0;

Volume texturedObject(const Geometry3D& g) {
  Volume noise(g);
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> u(-300.0f, 300.0f);
  for (float& x : noise.voxels()) x = u(rng);
  GaussianParams smooth;
  smooth.sigma_mm = g.spacing_mm;  // 1 voxel on every axis
  smooth.truncate_sigmas = kTruncate;
  Volume f = gaussianBlur(noise, smooth);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        const double r = (p - Eigen::Vector3d(20, 18, 22)).norm();
        f.at(i, j, k) += static_cast<float>(800.0 / (1.0 + std::exp((r - 9.0) / 1.5)) +
                                            150.0 * std::sin(0.2 * p.x()) * std::cos(0.15 * p.z()));
      }
  return f;
}

Volume scan(const Volume& f, const Eigen::Vector3d& fwhm_mm, float alpha, float beta) {
  GaussianParams psf;
  for (int a = 0; a < 3; ++a) psf.sigma_mm[a] = fwhmToSigma(fwhm_mm[a]);
  psf.truncate_sigmas = kTruncate;
  Volume v = gaussianBlur(f, psf);
  for (float& x : v.voxels()) x = alpha * x + beta;
  return v;
}

double minSigmaVoxels(const Eigen::Vector3d& fwhm_mm, const Eigen::Vector3d& spacing) {
  double m = 1e9;
  for (int a = 0; a < 3; ++a) {
    if (fwhm_mm[a] > 0) m = std::min(m, fwhmToSigma(fwhm_mm[a]) / spacing[a]);
  }
  return m;
}

}  // namespace

TEST(PhantomProtocol, TwoScannersAgreeAfterKernelMatchingAndZScore) {
  Geometry3D g;
  g.size = {40, 36, 30};
  g.spacing_mm = {1.0, 1.0, 1.5};
  const Volume f = texturedObject(g);
  const Eigen::Vector3d a(2.6, 3.0, 6.0), b(4.0, 4.5, 4.0);  // A sharper in-plane, B along z
  const Eigen::Vector3d target = a.cwiseMax(b);
  const Volume scanA = scan(f, a, 1.3f, -20.0f);
  const Volume scanB = scan(f, b, 0.7f, 55.0f);

  KernelMatchParams toA{a, target, kTruncate}, toB{b, target, kTruncate};
  // Every kernel involved is >= 1.1 voxels wide (see the header comment).
  for (const Eigen::Vector3d& fw : {a, b, extraFwhm_mm(a, target), extraFwhm_mm(b, target)}) {
    EXPECT_GE(minSigmaVoxels(fw, g.spacing_mm), 1.1);
  }
  const Volume harmonA = matchKernel(scanA, toA);
  const Volume harmonB = matchKernel(scanB, toB);

  MaskVolume roi(g, 0);
  for (int k = 8; k < 22; ++k)
    for (int j = 6; j < 30; ++j)
      for (int i = 10; i < 32; ++i) roi.at(i, j, k) = 1;
  const ZScoreResult zA = zscore(harmonA, roi), zB = zscore(harmonB, roi);

  double maxZ = 0, maxDiff = 0;
  for (std::size_t i = 0; i < f.voxelCount(); ++i) {
    maxZ = std::max(maxZ, static_cast<double>(std::abs(zA.image.data()[i])));
    maxDiff =
        std::max(maxDiff, static_cast<double>(std::abs(zA.image.data()[i] - zB.image.data()[i])));
  }
  EXPECT_LT(maxDiff / maxZ, 1e-5) << "max |zA - zB| = " << maxDiff << ", max |z| = " << maxZ;
  // The removed gains are in the ratio of the scanners' gains.
  EXPECT_NEAR(zA.report.alpha_removed / zB.report.alpha_removed, 1.3 / 0.7, 1e-4);

  // Control: z-scoring alone (no kernel matching) leaves a visible difference.
  const ZScoreResult rawA = zscore(scanA, roi), rawB = zscore(scanB, roi);
  double rawDiff = 0;
  for (std::size_t i = 0; i < f.voxelCount(); ++i) {
    rawDiff = std::max(rawDiff,
                       static_cast<double>(std::abs(rawA.image.data()[i] - rawB.image.data()[i])));
  }
  EXPECT_GT(rawDiff / maxZ, 1e-2);
  std::printf(
      "phantom protocol: max |zA - zB| / max |z| = %.3g harmonized, %.3g without kernel "
      "matching\n",
      maxDiff / maxZ, rawDiff / maxZ);
}
