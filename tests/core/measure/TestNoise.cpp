// Noise, NPS and uniformity against known truth built here: white noise of
// known variance (flat NPS at sigma^2 dx dy, integral sigma^2), a sinusoid of
// known frequency and power, and a linear ramp with known ROI means.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>

#include "core/measure/Noise.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

Volume makeVolume(int nx, int ny, int nz, const Eigen::Vector3d& spacing, float fill = 0.0f) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  g.spacing_mm = spacing;
  // Centre of the grid at the world origin.
  g.origin_mm =
      -0.5 * Eigen::Vector3d((nx - 1) * spacing[0], (ny - 1) * spacing[1], (nz - 1) * spacing[2]);
  return Volume(g, fill);
}

TEST(Noise, WhiteNoiseGivesFlatNpsAtVarianceTimesPixelArea) {
  const double sigma = 10.0, mean = 100.0;
  const Eigen::Vector3d spacing(0.8, 0.8, 2.0);
  Volume v = makeVolume(72, 72, 16, spacing);
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(mean, sigma);
  for (float& x : v.voxels()) x = static_cast<float>(noise(rng));

  NoiseParams p;
  p.half_size_mm = {24, 24, 12};
  p.uniformity = false;
  const NoiseMeasurement m = measureNoise(v, p);
  // Voxel centres at +-0.4, +-1.2, ... mm: 60 x 60 x 12 voxels in the ROI;
  // the sample SD is within ~0.4% of sigma.
  EXPECT_EQ(m.stats.voxels, 60u * 60u * 12u);
  EXPECT_NEAR(m.stats.mean, mean, 0.1);
  EXPECT_NEAR(m.stats.sd, sigma, 0.02 * sigma);
  EXPECT_NEAR(m.stats.cv, m.stats.sd / m.stats.mean, 1e-12);

  // Integral of the 2-D NPS = variance (Parseval), within a few %.
  EXPECT_NEAR(m.nps_integral, sigma * sigma, 0.03 * sigma * sigma);
  EXPECT_NEAR(m.nps_integral, m.stats.sd * m.stats.sd, 0.02 * sigma * sigma);

  // Flat at sigma^2 dx dy: the average over the rings within 3%, every ring
  // away from the lowest frequencies (few samples) within 20%.
  const double flat = sigma * sigma * spacing[0] * spacing[1];
  ASSERT_GT(m.nps.x.size(), 20u);
  double avg = 0;
  for (double y : m.nps.y) avg += y / static_cast<double>(m.nps.y.size());
  EXPECT_NEAR(avg, flat, 0.03 * flat);
  const double width = 1.0 / (60 * spacing[0]);
  for (std::size_t b = 0; b < m.nps.x.size(); ++b) {
    if (m.nps.x[b] < 4 * width) continue;
    EXPECT_NEAR(m.nps.y[b], flat, 0.2 * flat) << "ring at " << m.nps.x[b] << " /mm";
  }
  // Frequencies up to the Nyquist frequency 1 / (2 dx).
  EXPECT_LE(m.nps.x.back(), 0.5 / spacing[0] + width);
  EXPECT_GT(m.nps.x.back(), 0.5 / spacing[0] - 2 * width);
}

TEST(Noise, SinusoidPeaksAtItsFrequencyWithItsPower) {
  // 40 x 40 voxels of 1 mm: a cosine of 5 cycles across the ROI (0.125 /mm).
  const double amplitude = 3.0, f0 = 5.0 / 40.0;
  Volume v = makeVolume(40, 40, 4, {1.0, 1.0, 1.0});
  for (int k = 0; k < 4; ++k)
    for (int j = 0; j < 40; ++j)
      for (int i = 0; i < 40; ++i)
        v.at(i, j, k) =
            static_cast<float>(50.0 + amplitude * std::cos(2 * std::numbers::pi * f0 * i));
  NoiseParams p;
  p.half_size_mm = {20, 20, 2};
  p.uniformity = false;
  const NoiseMeasurement m = measureNoise(v, p);
  // Power A^2 / 2 (the plane fit takes out 0.4% of it: its linear part).
  EXPECT_NEAR(m.nps_integral, amplitude * amplitude / 2, 0.01 * amplitude * amplitude / 2);
  std::size_t peak = 0;
  for (std::size_t b = 1; b < m.nps.y.size(); ++b)
    if (m.nps.y[b] > m.nps.y[peak]) peak = b;
  EXPECT_NEAR(m.nps.x[peak], f0, 1.0 / 40.0);
}

Volume ramp(double slopePerMm) {
  // A cylinder of radius 80 mm (1 mm voxels), value 100 + slope * x inside, 0 outside.
  Volume v = makeVolume(201, 201, 5, {1.0, 1.0, 2.0});
  const Geometry3D& g = v.geometry();
  for (int k = 0; k < 5; ++k)
    for (int j = 0; j < 201; ++j)
      for (int i = 0; i < 201; ++i) {
        const Eigen::Vector3d p = g.indexToWorld(Eigen::Vector3d(i, j, k));
        if (std::hypot(p[0], p[1]) <= 80.0)
          v.at(i, j, k) = static_cast<float>(100.0 + slopePerMm * p[0]);
      }
  return v;
}

TEST(Noise, UniformityOfARampWithAGivenOffset) {
  const Volume v = ramp(0.125);  // +-5 at +-40 mm
  NoiseParams p;
  p.half_size_mm = {10, 10, 2};
  p.uniformity_offset_mm = 40;
  const NoiseMeasurement m = measureNoise(v, p);
  ASSERT_TRUE(m.uniformity.has_value());
  const UniformityResult& u = *m.uniformity;
  EXPECT_NEAR(u.centre_mean, 100.0, 1e-4);
  ASSERT_EQ(u.peripheral_means.size(), 4u);
  EXPECT_NEAR(u.peripheral_means[0], 105.0, 1e-4);  // +x
  EXPECT_NEAR(u.peripheral_means[1], 95.0, 1e-4);   // -x
  EXPECT_NEAR(u.peripheral_means[2], 100.0, 1e-4);  // +y
  EXPECT_NEAR(u.peripheral_means[3], 100.0, 1e-4);  // -y
  EXPECT_NEAR(u.max_abs_deviation, 5.0, 1e-4);
  EXPECT_NEAR(u.integral_uniformity_percent, 100.0 * 10.0 / 200.0, 1e-4);
}

TEST(Noise, AutomaticUniformityOffsetFollowsTheObjectEdge) {
  const Volume v = ramp(0.0);
  NoiseParams p;
  p.half_size_mm = {10, 10, 2};
  const NoiseMeasurement m = measureNoise(v, p);
  ASSERT_TRUE(m.uniformity.has_value());
  // Edge at 80 mm (first voxel outside: 81 mm), minus half size 10, minus margin 10.
  EXPECT_NEAR(m.uniformity->offset_mm, 60.0, 1.5);
  EXPECT_NEAR(m.uniformity->integral_uniformity_percent, 0.0, 1e-6);
}

TEST(Noise, BadInputGivesClearErrors) {
  Volume v = makeVolume(32, 32, 8, {1, 1, 1}, 10.0f);
  NoiseParams p;
  p.half_size_mm = {5, 5, 2};
  p.centre_mm = {500, 0, 0};
  EXPECT_THROW(measureNoise(v, p), InputError);  // ROI outside
  p.centre_mm = {0, 0, 0};
  p.half_size_mm = {0, 5, 2};
  EXPECT_THROW(measureNoise(v, p), ParameterError);
  p.half_size_mm = {5, 5, 2};
  v.at(16, 16, 4) = std::numeric_limits<float>::quiet_NaN();
  try {
    measureNoise(v, p);
    FAIL() << "NaN accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace harmonia
