// Gaussian blur in the Fourier domain (core/filter/FourierGaussian.h), the
// Fourier kernel-matching method, per-axis standardization targets and the
// virtual scanner's OutputGridFourier PSF, against analytic results.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/filter/FourierGaussian.h"
#include "core/filter/GaussianFilter.h"
#include "core/harmonize/KernelMatching.h"
#include "core/harmonize/ResolutionStandardization.h"
#include "core/image/MetaDataKeys.h"
#include "core/phantom/DigitalPhantom.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

constexpr double kPi = std::numbers::pi;
const double kFwhmPerSigma = 2.0 * std::sqrt(2.0 * std::log(2.0));

Geometry3D grid(int nx, int ny, int nz, const Eigen::Vector3d& spacing) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  g.spacing_mm = spacing;
  return g;
}

double maxAbsDiff(const Volume& a, const Volume& b) {
  double m = 0.0;
  for (std::size_t v = 0; v < a.voxelCount(); ++v) {
    m = std::max(m, std::abs(static_cast<double>(a.data()[v]) - b.data()[v]));
  }
  return m;
}

Volume randomVolume(const Geometry3D& g, unsigned seed) {
  Volume v(g);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-100.0f, 100.0f);
  for (float& x : v.voxels()) x = u(rng);
  return v;
}

}  // namespace

// A sinusoid at a DFT frequency of the grid is an eigenfunction of the
// periodic blur: it is attenuated by exactly exp(-2 pi^2 sigma^2 f^2) per axis.
TEST(FourierGaussian, SinusoidOnTheGridIsAttenuatedByTheTransferFunction) {
  const Eigen::Vector3d spacing(0.7, 1.1, 1.9);
  const Geometry3D g = grid(30, 24, 16, spacing);
  const int mx = 4, my = 3, mz = 2;  // cycles over the field of view
  const double fx = mx / (g.size[0] * spacing.x()), fy = my / (g.size[1] * spacing.y()),
               fz = mz / (g.size[2] * spacing.z());
  Volume v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i)
        v.at(i, j, k) =
            static_cast<float>(3.0 + std::cos(2 * kPi * fx * i * spacing.x()) *
                                         std::sin(2 * kPi * fy * j * spacing.y() + 0.3) *
                                         std::cos(2 * kPi * fz * k * spacing.z()));
  const Eigen::Vector3d fwhm(1.5, 2.2, 3.1);
  const Volume out = gaussianBlurFourier(v, fwhm);
  const Eigen::Vector3d sigma = fwhm / kFwhmPerSigma;
  const double h = std::exp(-2 * kPi * kPi *
                            (sigma.x() * sigma.x() * fx * fx + sigma.y() * sigma.y() * fy * fy +
                             sigma.z() * sigma.z() * fz * fz));
  ASSERT_GT(h, 0.05);
  ASSERT_LT(h, 0.95);
  double worst = 0.0;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const double expected = 3.0 + h * std::cos(2 * kPi * fx * i * spacing.x()) *
                                          std::sin(2 * kPi * fy * j * spacing.y() + 0.3) *
                                          std::cos(2 * kPi * fz * k * spacing.z());
        worst = std::max(worst, std::abs(out.at(i, j, k) - expected));
      }
  EXPECT_LT(worst, 2e-6);  // float32 rounding of values near 4
  EXPECT_EQ(out.geometry().size, g.size);
}

// A Gaussian blob of sigma a, blurred with sigma b, is the Gaussian of sigma
// c = sqrt(a^2 + b^2) with peak (a / c) per axis (the blob is far from the
// faces, so its periodic copies and its aliasing are below 1e-20).
TEST(FourierGaussian, GaussianBlobBecomesTheWiderGaussian) {
  const Eigen::Vector3d spacing(1.0, 0.8, 1.5);
  const Geometry3D g = grid(48, 60, 40, spacing);
  const Eigen::Vector3d a(2.5, 2.0, 3.0);  // blob sigma, mm (>= 1.6 voxels)
  const Eigen::Vector3d centre(23.6, 24.3, 29.7);
  Volume v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d d = Eigen::Vector3d(i, j, k).cwiseProduct(spacing) - centre;
        v.at(i, j, k) = static_cast<float>(std::exp(-0.5 * d.cwiseQuotient(a).squaredNorm()));
      }
  const Eigen::Vector3d b(1.7, 2.4, 2.0);
  const Volume out = gaussianBlurFourier(v, b * kFwhmPerSigma);
  const Eigen::Vector3d c = (a.cwiseProduct(a) + b.cwiseProduct(b)).cwiseSqrt();
  const double peak = a.x() / c.x() * a.y() / c.y() * a.z() / c.z();
  double worst = 0.0;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const Eigen::Vector3d d = Eigen::Vector3d(i, j, k).cwiseProduct(spacing) - centre;
        const double expected = peak * std::exp(-0.5 * d.cwiseQuotient(c).squaredNorm());
        worst = std::max(worst, std::abs(out.at(i, j, k) - expected));
      }
  EXPECT_LT(worst, 1e-6);
}

// G(a) then G(b) is G(sqrt(a^2 + b^2)): in float64 to ~1e-12, and through the
// float32 Volume API at float rounding. The sampled spatial kernel is not.
TEST(FourierGaussian, CompositionIsExact) {
  const Geometry3D g = grid(32, 28, 20, Eigen::Vector3d(0.9, 1.0, 2.0));
  const Volume v = randomVolume(g, 5);
  const Eigen::Vector3d fa(1.2, 2.0, 2.5), fb(2.1, 0.0, 3.3);
  const Eigen::Vector3d fc = (fa.cwiseProduct(fa) + fb.cwiseProduct(fb)).cwiseSqrt();

  std::vector<double> twice(v.voxels().begin(), v.voxels().end());
  std::vector<double> once = twice;
  gaussianBlurFourierInPlace(twice, g, fa);
  gaussianBlurFourierInPlace(twice, g, fb);
  gaussianBlurFourierInPlace(once, g, fc);
  double scale = 0.0, diff = 0.0;
  for (std::size_t n = 0; n < once.size(); ++n) {
    scale = std::max(scale, std::abs(once[n]));
    diff = std::max(diff, std::abs(once[n] - twice[n]));
  }
  EXPECT_LT(diff / scale, 1e-12);

  const Volume viaFloat = gaussianBlurFourier(gaussianBlurFourier(v, fa), fb);
  const Volume direct = gaussianBlurFourier(v, fc);
  EXPECT_LT(maxAbsDiff(viaFloat, direct) / scale, 1e-6);

  // The spatial path: sampled, truncated kernels do not compose exactly.
  auto spatial = [](const Volume& in, const Eigen::Vector3d& fwhm) {
    GaussianParams p;
    p.sigma_mm = fwhm / kFwhmPerSigma;
    return gaussianBlur(in, p);
  };
  const Volume s2 = spatial(spatial(v, fa), fb);
  const Volume s1 = spatial(v, fc);
  EXPECT_GT(maxAbsDiff(s2, s1) / scale, 1e-4);
}

TEST(FourierGaussian, ConstantStaysAndZeroFwhmIsIdentity) {
  const Geometry3D g = grid(16, 12, 9, Eigen::Vector3d(1, 1, 1));
  Volume c(g, 42.5f);
  const Volume out = gaussianBlurFourier(c, Eigen::Vector3d(3, 4, 5));
  EXPECT_LT(maxAbsDiff(out, c), 1e-5);
  const Volume r = randomVolume(g, 9);
  EXPECT_EQ(maxAbsDiff(gaussianBlurFourier(r, Eigen::Vector3d::Zero()), r), 0.0);
  EXPECT_THROW(gaussianBlurFourier(r, Eigen::Vector3d(1, -1, 1)), ParameterError);
  EXPECT_THROW(gaussianBlurFourier(r, Eigen::Vector3d(1, NAN, 1)), ParameterError);
}

TEST(FourierKernelMatching, FourierMethodBlursByTheExtraFwhm) {
  const Geometry3D g = grid(20, 18, 14, Eigen::Vector3d(0.8, 0.8, 2.0));
  const Volume v = randomVolume(g, 3);
  KernelMatchParams p;
  p.from_fwhm_mm = Eigen::Vector3d(1.0, 2.0, 3.0);
  p.to_fwhm_mm = Eigen::Vector3d(3.0, 2.0, 5.0);
  p.method = KernelMethod::Fourier;
  const Volume out = matchKernel(v, p);
  const Volume expected = gaussianBlurFourier(v, Eigen::Vector3d(std::sqrt(8.0), 0.0, 4.0));
  EXPECT_EQ(maxAbsDiff(out, expected), 0.0);
  EXPECT_EQ(parseKernelMethod("fourier"), KernelMethod::Fourier);
  EXPECT_EQ(parseKernelMethod("spatial"), KernelMethod::Spatial);
  EXPECT_FALSE(parseKernelMethod("gauss").has_value());
  p.to_fwhm_mm.x() = 0.5;  // sharper than the source: refused whatever the method
  EXPECT_THROW(matchKernel(v, p), ParameterError);
}

TEST(FourierKernelMatching, PerAxisTargetIsTheWorstPerAxis) {
  const std::vector<Geometry3D> grids{grid(10, 10, 5, Eigen::Vector3d(1, 1, 2)),
                                      grid(8, 8, 4, Eigen::Vector3d(1.25, 1.25, 2.5))};
  const std::vector<Eigen::Vector3d> fwhm{Eigen::Vector3d(1.0, 3.0, 4.0),
                                          Eigen::Vector3d(2.0, 1.5, 5.0)};
  StandardizationParams iso;
  const StandardizationPlan a = planStandardization(grids, fwhm, iso);
  EXPECT_DOUBLE_EQ(a.target_fwhm_mm, 5.0);
  EXPECT_TRUE(a.target_fwhm_per_axis_mm.isApprox(Eigen::Vector3d(5, 5, 5)));
  StandardizationParams per;
  per.per_axis_target = true;
  const StandardizationPlan b = planStandardization(grids, fwhm, per);
  EXPECT_TRUE(b.target_fwhm_per_axis_mm.isApprox(Eigen::Vector3d(2.0, 3.0, 5.0)));
  EXPECT_NEAR(b.extra_fwhm_mm[0].x(), std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(b.extra_fwhm_mm[1].y(), std::sqrt(9.0 - 2.25), 1e-12);
  EXPECT_NEAR(b.extra_fwhm_mm[0].z(), 3.0, 1e-12);
  per.min_target_fwhm_mm = Eigen::Vector3d(0.0, 0.0, 6.0);
  const StandardizationPlan c = planStandardization(grids, fwhm, per);
  EXPECT_TRUE(c.target_fwhm_per_axis_mm.isApprox(Eigen::Vector3d(2.0, 3.0, 6.0)));
}

// OutputGridFourier: the scanner's blur composes exactly with Fourier kernel
// matching, so a sharp scan blurred by the difference equals the blurry scan.
TEST(FourierKernelMatching, OutputGridFourierScannerComposesWithMatching) {
  // A truth made here: random values on a fine grid.
  const Geometry3D fine = grid(64, 48, 32, Eigen::Vector3d(0.5, 0.5, 0.5));
  const Volume truth = randomVolume(fine, 17);
  ScannerParams sharp;
  sharp.psf_model = PsfModel::OutputGridFourier;
  sharp.psf_fwhm_mm = Eigen::Vector3d(1.5, 1.0, 2.0);
  sharp.spacing_mm = Eigen::Vector3d(1.0, 1.0, 2.0);
  sharp.slice_thickness_mm = 2.0;
  ScannerParams blurry = sharp;
  blurry.psf_fwhm_mm = Eigen::Vector3d(2.5, 3.0, 2.0);
  blurry.gain_alpha = 0.5;
  blurry.offset_beta = 10.0;
  const Volume a = scanPhantom(truth, sharp);
  const Volume b = scanPhantom(truth, blurry);
  KernelMatchParams p;
  p.from_fwhm_mm = sharp.psf_fwhm_mm;
  p.to_fwhm_mm = blurry.psf_fwhm_mm;
  p.method = KernelMethod::Fourier;
  Volume matched = matchKernel(a, p);
  for (float& x : matched.voxels()) x = 0.5f * x + 10.0f;
  EXPECT_LT(maxAbsDiff(matched, b), 1e-4);  // values ~ +-100: float rounding
  EXPECT_EQ(b.metadata().at(metakey::kPsfModel), "output_grid_fourier");
  // The default model leaves the metadata as it was.
  EXPECT_EQ(scanPhantom(truth, ScannerParams{}).metadata().count(metakey::kPsfModel), 0u);
}
