// The edge method of measurePsf and the MTF of a line-spread function, on
// synthetic cube scans built in ResolutionTestSupport.h from exact formulas.

#include <gtest/gtest.h>
#include <algorithm>

#include <Eigen/Geometry>
#include <cmath>

#include "ResolutionTestSupport.h"
#include "core/measure/Resolution.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using test::boxScan;
using test::expectFwhm;

TEST(ResolutionMtf, GaussianLsfMatchesItsAnalyticTransferFunction) {
  const double sigma = 1.3;
  Curve lsf;
  for (int i = -800; i <= 800; ++i) {
    const double x = i * 0.01;  // +-8 sigma, fine
    lsf.x.push_back(x);
    lsf.y.push_back(std::exp(-0.5 * x * x / (sigma * sigma)));
  }
  const Curve mtf = mtfFromLsf(lsf, 1.0, 101);
  ASSERT_EQ(mtf.x.size(), 101u);
  for (std::size_t i = 0; i < mtf.x.size(); ++i) {
    const double f = mtf.x[i];
    EXPECT_NEAR(mtf.y[i], std::exp(-2 * M_PI * M_PI * sigma * sigma * f * f), 1e-6) << f;
  }
  // MTF(f) = 1/2 and 1/10: f = sqrt(ln 2 / 2) / (pi sigma), sqrt(ln 10 / 2) / (pi sigma).
  const double mtf50 = std::sqrt(std::log(2.0) / 2) / (M_PI * sigma);
  const double mtf10 = std::sqrt(std::log(10.0) / 2) / (M_PI * sigma);
  EXPECT_NEAR(mtfCrossing(mtf, 0.5) / mtf50, 1.0, 2e-3);
  EXPECT_NEAR(mtfCrossing(mtf, 0.1) / mtf10, 1.0, 2e-3);
  // A shifted LSF has the same modulus.
  Curve shifted = lsf;
  for (double& x : shifted.x) x += 3.7;
  const Curve mtf2 = mtfFromLsf(shifted, 1.0, 101);
  for (std::size_t i = 0; i < mtf.x.size(); ++i) EXPECT_NEAR(mtf2.y[i], mtf.y[i], 1e-9);
  EXPECT_THROW(mtfFromLsf(Curve{{0.0}, {1.0}}, 1.0), ParameterError);
}

TEST(ResolutionEdge, CubeWithIsotropicVoxelsAndAnisotropicPsf) {
  const Eigen::Vector3d fwhm(2.0, 2.6, 3.2);
  const Volume scan = boxScan({40, 40, 40}, {1, 1, 1}, {9.3, 10.1, 8.8}, {29.6, 28.7, 30.2}, fwhm);
  const PsfMeasurement m = measurePsf(scan, PsfParams{});
  expectFwhm(m, fwhm, 0.03);
  EXPECT_NEAR(m.background, 0.0, 1e-3);
  EXPECT_NEAR(m.foreground, 1.0, 1e-3);
  // The world centre of the cube (origin 0, identity direction), within a voxel.
  EXPECT_NEAR(m.centre_mm[0], 0.5 * (9.3 + 29.6), 1.0);
  // MTF50 / MTF10 of the true Gaussian PSF.
  for (int a = 0; a < 3; ++a) {
    const double s = fwhm[a] * test::kSigmaPerFwhm;
    EXPECT_NEAR(m.axes[a].mtf50_per_mm / (std::sqrt(std::log(2.0) / 2) / (M_PI * s)), 1, 0.03);
    EXPECT_NEAR(m.axes[a].mtf10_per_mm / (std::sqrt(std::log(10.0) / 2) / (M_PI * s)), 1, 0.03);
    EXPECT_FALSE(m.axes[a].esf.x.empty());
    EXPECT_FALSE(m.axes[a].lsf.x.empty());
    EXPECT_EQ(m.axes[a].esf_fit.x.size(), m.axes[a].esf_fit.y.size());
    EXPECT_NEAR(m.axes[a].mtf.y.front(), 1.0, 1e-12);
  }
  std::printf("edge, 1 mm voxels: FWHM truth (%.2f %.2f %.2f) measured (%.4f %.4f %.4f) mm\n",
              fwhm[0], fwhm[1], fwhm[2], m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
}

TEST(ResolutionEdge, ThickSlicesLargerThanTheFwhm) {
  // 0.8 x 0.8 x 3 mm voxels; FWHM 2 x 2 x 2.5 mm: the slice is thicker than the
  // FWHM, so only the sampled (voxel-averaged) model recovers it.
  for (const Eigen::Vector3d& fwhm : {Eigen::Vector3d(2, 2, 2.5), Eigen::Vector3d(2, 2, 4)}) {
    const Volume scan = boxScan({48, 48, 20}, {0.8, 0.8, 3.0}, {9.13, 8.77, 13.9},
                                {29.41, 28.95, 45.2}, fwhm, 100.0, 1100.0);
    const PsfMeasurement m = measurePsf(scan, PsfParams{});
    expectFwhm(m, fwhm, 0.03);
    std::printf("edge, 0.8x0.8x3 mm: FWHM truth (%.2f %.2f %.2f) measured (%.4f %.4f %.4f) mm\n",
                fwhm[0], fwhm[1], fwhm[2], m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm);
  }
}

TEST(ResolutionEdge, NoisyThickSliceScan) {
  const Eigen::Vector3d fwhm(2, 2, 4);
  Volume scan =
      boxScan({48, 48, 20}, {0.8, 0.8, 3.0}, {9.13, 8.77, 13.9}, {29.41, 28.95, 45.2}, fwhm);
  test::addNoise(scan, 0.03, 1234);  // contrast 1, SNR 33
  const PsfMeasurement m = measurePsf(scan, PsfParams{});
  expectFwhm(m, fwhm, 0.03);
  for (int a = 0; a < 3; ++a) {
    EXPECT_GT(m.axes[a].fwhm_stderr_mm, 0.0);
    EXPECT_LT(m.axes[a].fwhm_stderr_mm, 0.05 * fwhm[a]);
  }
  std::printf("edge, noisy: measured (%.4f %.4f %.4f) +- (%.4f %.4f %.4f) mm\n", m.axes[0].fwhm_mm,
              m.axes[1].fwhm_mm, m.axes[2].fwhm_mm, m.axes[0].fwhm_stderr_mm,
              m.axes[1].fwhm_stderr_mm, m.axes[2].fwhm_stderr_mm);
}

TEST(ResolutionEdge, ABallIsNotAnEdgeAndSaysSo) {
  // The edge method fitted to a ball: the flat-face model leaves residuals far
  // above the noise, and the measurement must say that its FWHM is unreliable.
  const Volume ball =
      test::ballScan({48, 48, 48}, {1.0, 1.0, 1.0}, {23.5, 23.5, 23.5}, 14.0, 2.0, {2, 2, 2});
  const PsfMeasurement m = measurePsf(ball, PsfParams{});
  const bool warned = std::any_of(m.warnings.begin(), m.warnings.end(), [](const std::string& w) {
    return w.find("do not follow a blurred planar edge") != std::string::npos;
  });
  EXPECT_TRUE(warned) << m.axes[0].fwhm_mm << " " << m.axes[1].fwhm_mm << " " << m.axes[2].fwhm_mm;
  // A true edge plus noise (the noisy test above) stays under the threshold.
  Volume box =
      boxScan({48, 48, 20}, {0.8, 0.8, 3.0}, {9.13, 8.77, 13.9}, {29.41, 28.95, 45.2}, {2, 2, 4});
  test::addNoise(box, 0.03, 1234);
  for (const std::string& w : measurePsf(box, PsfParams{}).warnings) {
    EXPECT_EQ(w.find("planar edge"), std::string::npos) << w;
  }
}

TEST(ResolutionEdge, SlantedCubeOversamplesTheEsf) {
  // A cube rotated by a few degrees (the slanted-edge set-up). With an
  // isotropic Gaussian the blur of a box factorises along its own orthonormal
  // axes n_k, so the blurred cube is a product of erf differences in n_k . x;
  // each voxel is averaged over its box by a 6^3 midpoint rule.
  const double fwhm = 2.5, s = fwhm * test::kSigmaPerFwhm;
  const double az = 4.0 * M_PI / 180, ax = 3.0 * M_PI / 180;
  const Eigen::Matrix3d rot = (Eigen::AngleAxisd(az, Eigen::Vector3d::UnitZ()) *
                               Eigen::AngleAxisd(ax, Eigen::Vector3d::UnitX()))
                                  .toRotationMatrix();
  const Eigen::Vector3d c(20.2, 19.7, 20.4);
  const double half = 10.3;
  Volume scan = test::makeGrid({40, 40, 40}, {1, 1, 1});
  test::fill(scan, [&](const Eigen::Vector3d& x) {
    double sum = 0;
    for (int q = 0; q < 216; ++q) {
      const Eigen::Vector3d d((q % 6 + 0.5) / 6 - 0.5, ((q / 6) % 6 + 0.5) / 6 - 0.5,
                              (q / 36 + 0.5) / 6 - 0.5);
      const Eigen::Vector3d u = rot.transpose() * (x + d - c);  // cube coordinates
      double f = 1;
      for (int a = 0; a < 3; ++a) f *= test::Phi((half - u[a]) / s) - test::Phi((-half - u[a]) / s);
      sum += f;
    }
    return sum / 216;
  });
  const PsfMeasurement m = measurePsf(scan, PsfParams{});
  expectFwhm(m, Eigen::Vector3d::Constant(fwhm), 0.03);
  // The tilt spreads the voxel centres over the distance to the face: the ESF
  // has many more bins than the ~20 voxel layers of the window.
  for (int a = 0; a < 3; ++a) EXPECT_GT(m.axes[a].esf.x.size(), 60u) << a;
  std::printf("edge, slanted cube: FWHM truth %.2f measured (%.4f %.4f %.4f) mm, ESF bins %zu\n",
              fwhm, m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm,
              m.axes[0].esf.x.size());
}

TEST(ResolutionEdge, TwoDimensionalImage) {
  // One slice: the square's edges in x and y are measured, z is not.
  const Eigen::Vector3d fwhm(2.2, 2.9, 1.0);
  const Volume scan = boxScan({40, 40, 1}, {0.7, 0.7, 2}, {7.1, 6.6, -50}, {20.3, 19.9, 50}, fwhm);
  const PsfMeasurement m = measurePsf(scan, PsfParams{});
  for (int a = 0; a < 2; ++a) EXPECT_NEAR(m.axes[a].fwhm_mm / fwhm[a], 1.0, 0.03) << a;
  EXPECT_FALSE(m.axes[2].measured);
  EXPECT_FALSE(m.warnings.empty());
}

TEST(ResolutionEdge, DarkObjectAndGivenCentre) {
  // A cube darker than its surroundings (an air block in water); the centre given.
  const Eigen::Vector3d fwhm(2.4, 2.4, 2.4);
  const Volume scan =
      boxScan({40, 40, 40}, {1, 1, 1}, {9.3, 10.1, 8.8}, {29.6, 28.7, 30.2}, fwhm, 0.0, -1000.0);
  PsfParams params;
  params.centre_mm = Eigen::Vector3d(19, 19, 19);
  const PsfMeasurement m = measurePsf(scan, params);
  expectFwhm(m, fwhm, 0.03);
}

TEST(ResolutionEdge, BadInputIsReportedClearly) {
  Volume uniform = test::makeGrid({16, 16, 16}, {1, 1, 1});
  for (float& v : uniform.voxels()) v = 5.0f;
  try {
    measurePsf(uniform, PsfParams{});
    FAIL() << "no error for a uniform image";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("uniform"), std::string::npos) << e.what();
  }
  Volume nan = boxScan({24, 24, 24}, {1, 1, 1}, {6, 6, 6}, {17, 17, 17}, {2, 2, 2});
  nan.at(3, 4, 5) = std::nanf("");
  try {
    measurePsf(nan, PsfParams{});
    FAIL() << "no error for NaN";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << e.what();
  }
  // A half-space filling one side of the image: no object away from the border.
  const Volume half =
      boxScan({24, 24, 24}, {1, 1, 1}, {-100, -100, -100}, {11.3, 100, 100}, {2, 2, 2});
  EXPECT_THROW(measurePsf(half, PsfParams{}), InputError);
  // Pure noise: no object.
  Volume noise = test::makeGrid({24, 24, 24}, {1, 1, 1});
  test::addNoise(noise, 1.0, 7);
  EXPECT_THROW(measurePsf(noise, PsfParams{}), InputError);
  // Parameters.
  const Volume cube = boxScan({24, 24, 24}, {1, 1, 1}, {6, 6, 6}, {17, 17, 17}, {2, 2, 2});
  PsfParams outside;
  outside.centre_mm = Eigen::Vector3d(100, 5, 5);
  EXPECT_THROW(measurePsf(cube, outside), ParameterError);
  PsfParams bins;
  bins.bin_width_fraction = 0;
  EXPECT_THROW(measurePsf(cube, bins), ParameterError);
  EXPECT_THROW(psfMethodFromName("slit"), ParameterError);
  EXPECT_EQ(psfMethodFromName(psfMethodName(PsfMethod::Sphere)), PsfMethod::Sphere);
}

}  // namespace
}  // namespace harmonia
