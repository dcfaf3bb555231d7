// The point method of measurePsf, on synthetic point-source scans (ResolutionTestSupport.h).

#include <gtest/gtest.h>

#include <cmath>

#include "ResolutionTestSupport.h"
#include "core/measure/Resolution.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using test::expectFwhm;

TEST(ResolutionPoint, ThickSlicePointSource) {
  const Eigen::Vector3d c(12.37, 11.93, 22.1);
  for (const Eigen::Vector3d& fwhm : {Eigen::Vector3d(2, 2, 4), Eigen::Vector3d(2, 2, 2.5)}) {
    const Volume scan = test::pointScan({32, 32, 16}, {0.8, 0.8, 3.0}, c, fwhm, 1000.0, 5.0);
    PsfParams params;
    params.method = PsfMethod::Point;
    const PsfMeasurement m = measurePsf(scan, params);
    expectFwhm(m, fwhm, 0.03);
    for (int a = 0; a < 3; ++a) EXPECT_NEAR(m.centre_mm[a], c[a], 0.05);
    EXPECT_NEAR(m.background, 5.0, 1e-3);
    std::printf("point, 0.8x0.8x3 mm: FWHM truth (%.2f %.2f %.2f) measured (%.4f %.4f %.4f) mm\n",
                fwhm[0], fwhm[1], fwhm[2], m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
  }
}

TEST(ResolutionPoint, NoisyPointSource) {
  const Eigen::Vector3d fwhm(3.0, 3.5, 5.0);
  const Eigen::Vector3d c(15.2, 16.7, 14.9);
  Volume scan = test::pointScan({32, 32, 16}, {1, 1, 2}, c, fwhm, 2000.0);
  // Peak = 2000 / ((2 pi)^1.5 sx sy sz) ~ 6.6; noise 0.1.
  test::addNoise(scan, 0.1, 42);
  PsfParams params;
  params.method = PsfMethod::Point;
  const PsfMeasurement m = measurePsf(scan, params);
  expectFwhm(m, fwhm, 0.03);
  std::printf("point, noisy: measured (%.4f %.4f %.4f) +- (%.4f %.4f %.4f) mm\n", m.axes[0].fwhm_mm,
              m.axes[1].fwhm_mm, m.axes[2].fwhm_mm, m.axes[0].fwhm_stderr_mm,
              m.axes[1].fwhm_stderr_mm, m.axes[2].fwhm_stderr_mm);
}

TEST(ResolutionPoint, WireAlongZ) {
  // A line source along z: the 2-D Gaussian across it; z is not measured.
  const Eigen::Vector3d fwhm(2.2, 2.8, 0);
  Volume scan = test::makeGrid({32, 32, 12}, {1, 1, 2});
  const double sx = fwhm[0] * test::kSigmaPerFwhm, sy = fwhm[1] * test::kSigmaPerFwhm;
  test::fill(scan, [&](const Eigen::Vector3d& x) {
    return 100.0 * test::boxedGaussian(x[0], 1, 15.4, sx) * test::boxedGaussian(x[1], 1, 16.2, sy);
  });
  PsfParams params;
  params.method = PsfMethod::Point;
  const PsfMeasurement m = measurePsf(scan, params);
  EXPECT_NEAR(m.axes[0].fwhm_mm / fwhm[0], 1.0, 0.03);
  EXPECT_NEAR(m.axes[1].fwhm_mm / fwhm[1], 1.0, 0.03);
  EXPECT_FALSE(m.axes[2].measured);
  EXPECT_EQ(m.fwhm_mm()[2], 0.0);
  EXPECT_FALSE(m.warnings.empty());
}

TEST(ResolutionPoint, BadInput) {
  PsfParams params;
  params.method = PsfMethod::Point;
  Volume noise = test::makeGrid({20, 20, 20}, {1, 1, 1});
  test::addNoise(noise, 1.0, 11);
  try {
    measurePsf(noise, params);
    FAIL() << "no error for noise only";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no point source"), std::string::npos) << e.what();
  }
  const Volume point = test::pointScan({20, 20, 20}, {1, 1, 1}, {10, 10, 10}, {2, 2, 2}, 100.0);
  params.centre_mm = Eigen::Vector3d(10, 10, -30);
  try {
    measurePsf(point, params);
    FAIL() << "no error for a centre outside";
  } catch (const ParameterError& e) {
    EXPECT_NE(std::string(e.what()).find("centre_mm"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace harmonia
