// The sphere method of measurePsf, on synthetic ball scans (ResolutionTestSupport.h).

#include <gtest/gtest.h>

#include <cmath>

#include "ResolutionTestSupport.h"
#include "core/measure/Resolution.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

TEST(ResolutionSphereTruth, ClosedFormMatchesTheRadialIntegral) {
  // The test's blurred-ball formula against the radial convolution integral
  // (1/r) int_0^R t [g(r - t) - g(r + t)] dt by the midpoint rule.
  const double R = 10, s = 1.3;
  for (double r : {0.0, 0.5, 5.0, 9.0, 10.0, 11.2, 14.0}) {
    double integral = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
      const double t = (i + 0.5) * R / n;
      auto g = [&](double x) { return std::exp(-x * x / (2 * s * s)) / (s * std::sqrt(2 * M_PI)); };
      integral += (r > 0 ? t * (g(r - t) - g(r + t)) / r : 2 * t * t * g(t) / (s * s)) * R / n;
    }
    EXPECT_NEAR(test::blurredBallValue(r, R, s), integral, 1e-7) << r;
  }
}

TEST(ResolutionSphere, KnownDiameterThickSlices) {
  // 0.8 x 0.8 x 3 mm voxels, FWHM 2.5 mm: the slice is thicker than the FWHM.
  const double fwhm = 2.5;
  const Eigen::Vector3d c(18.3, 17.9, 21.7);
  const Volume scan = test::ballScan({46, 46, 14}, {0.8, 0.8, 3.0}, c, 10.0, fwhm, {4, 4, 12});
  PsfParams params;
  params.method = PsfMethod::Sphere;
  params.sphere_diameter_mm = 20.0;
  const PsfMeasurement m = measurePsf(scan, params);
  for (int a = 0; a < 3; ++a) {
    ASSERT_TRUE(m.axes[a].measured);
    EXPECT_NEAR(m.axes[a].fwhm_mm / fwhm, 1.0, 0.03) << "axis " << a << ": " << m.axes[a].fwhm_mm;
    EXPECT_NEAR(m.centre_mm[a], c[a], 0.05) << a;
    EXPECT_FALSE(m.axes[a].esf.x.empty());
  }
  std::printf("sphere, 0.8x0.8x3 mm: FWHM truth %.2f measured (%.4f %.4f %.4f) mm\n", fwhm,
              m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
}

TEST(ResolutionSphere, FittedDiameterWithNoise) {
  const double fwhm = 2.5;
  const Eigen::Vector3d c(16.1, 15.7, 16.4);
  Volume scan = test::ballScan({32, 32, 32}, {1, 1, 1}, c, 8.0, fwhm, {5, 5, 5}, 10.0, 60.0);
  test::addNoise(scan, 1.0, 99);  // contrast 50, SNR 50
  PsfParams params;
  params.method = PsfMethod::Sphere;
  const PsfMeasurement m = measurePsf(scan, params);
  for (int a = 0; a < 3; ++a) {
    ASSERT_TRUE(m.axes[a].measured);
    EXPECT_NEAR(m.axes[a].fwhm_mm / fwhm, 1.0, 0.03) << "axis " << a << ": " << m.axes[a].fwhm_mm;
  }
  EXPECT_NEAR(m.background, 10.0, 0.2);
  EXPECT_NEAR(m.foreground, 60.0, 0.5);
  std::printf("sphere, 1 mm, noisy, diameter fitted: measured (%.4f %.4f %.4f) mm\n",
              m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
}

TEST(ResolutionSphereTruth, AnisotropicGeneratorAgreesWithTheIsotropicClosedForm) {
  // With equal FWHM on every axis the chord-sum generator must reproduce the
  // closed-form generator (two independent computations of the same scan).
  const Eigen::Vector3d c(10.3, 9.8, 10.6);
  const Volume a = test::ballScan({22, 22, 8}, {1, 1, 3}, c, 6.0, 2.5, {6, 6, 18});
  const Volume b = test::anisotropicBallScan({22, 22, 8}, {1, 1, 3}, c, 6.0, {2.5, 2.5, 2.5});
  double worst = 0;
  for (std::size_t i = 0; i < a.voxelCount(); ++i) {
    worst = std::max(worst, std::abs(double(a.data()[i]) - b.data()[i]));
  }
  EXPECT_LT(worst, 2e-3);
}

TEST(ResolutionSphere, AnisotropicPsfThickSlices) {
  // FWHM 2 x 2 x 4 mm on 0.8 x 0.8 x 3 mm voxels, known diameter 20 mm.
  const Eigen::Vector3d fwhm(2, 2, 4);
  const Eigen::Vector3d c(18.3, 17.9, 21.7);
  const Volume scan = test::anisotropicBallScan({46, 46, 14}, {0.8, 0.8, 3.0}, c, 10.0, fwhm);
  PsfParams params;
  params.method = PsfMethod::Sphere;
  params.sphere_diameter_mm = 20.0;
  const PsfMeasurement m = measurePsf(scan, params);
  for (int a = 0; a < 3; ++a) {
    ASSERT_TRUE(m.axes[a].measured);
    EXPECT_NEAR(m.axes[a].fwhm_mm / fwhm[a], 1.0, 0.03)
        << "axis " << a << ": " << m.axes[a].fwhm_mm;
    EXPECT_NEAR(m.centre_mm[a], c[a], 0.1) << a;
  }
  std::printf("sphere, 0.8x0.8x3 mm: FWHM truth (2.00 2.00 4.00) measured (%.4f %.4f %.4f) mm\n",
              m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
}

TEST(ResolutionSphere, BadInput) {
  Volume noise = test::makeGrid({20, 20, 20}, {1, 1, 1});
  test::addNoise(noise, 1.0, 3);
  PsfParams params;
  params.method = PsfMethod::Sphere;
  EXPECT_THROW(measurePsf(noise, params), InputError);
  params.sphere_diameter_mm = -3;
  EXPECT_THROW(measurePsf(noise, params), ParameterError);
}

}  // namespace
}  // namespace harmonia
