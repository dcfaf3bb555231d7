#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/image/MetaDataKeys.h"
#include "core/phantom/DigitalPhantom.h"
#include "core/stats/Histogram.h"

using namespace harmonia;

namespace {

PhantomParams smallPhantom() {
  PhantomParams p;
  p.fov_mm = {96, 96, 32};
  p.fine_spacing_mm = 1.0;
  return p;
}

// Mean and standard deviation in a box of half-size r (voxels) around world point c.
std::pair<double, double> boxStats(const Volume& v, const Eigen::Vector3d& c, int r) {
  const Eigen::Vector3d q = v.geometry().worldToIndex(c);
  double s = 0, ss = 0;
  int n = 0;
  for (int k = -r; k <= r; ++k)
    for (int j = -r; j <= r; ++j)
      for (int i = -r; i <= r; ++i) {
        const int a = std::lround(q.x()) + i, b = std::lround(q.y()) + j,
                  cc = std::lround(q.z()) + k;
        if (!v.geometry().contains(a, b, cc)) continue;
        const double x = v.at(a, b, cc);
        s += x;
        ss += x * x;
        ++n;
      }
  const double mean = s / n;
  return {mean, std::sqrt(std::max(0.0, ss / n - mean * mean))};
}

}  // namespace

TEST(DigitalPhantom, HasAirBodyAndInsertsWithTexture) {
  const Volume truth = makePhantom(smallPhantom());
  EXPECT_EQ(truth.geometry().size, (std::array<int, 3>{96, 96, 32}));
  EXPECT_EQ(truth.units(), "HU");
  EXPECT_FLOAT_EQ(truth.at(0, 0, 0), -1000.0f);  // corner: air
  // Body centre: soft tissue 40 HU with texture of amplitude <= 40.
  const auto [mean, sd] = boxStats(truth, {0, 0, 0}, 4);
  EXPECT_NEAR(mean, 40.0, 25.0);
  EXPECT_GT(sd, 3.0) << "texture expected";
  // Bone insert at (0.42 * 0.44 * fov_x, -0.25 * 0.34 * fov_y, 0).
  const auto [bone, boneSd] = boxStats(truth, {0.42 * 0.44 * 96, -0.25 * 0.34 * 96, 0}, 1);
  EXPECT_NEAR(bone, 700.0, 45.0);
}

TEST(DigitalPhantom, ScannerAppliesGainOffsetGridAndNoise) {
  const Volume truth = makePhantom(smallPhantom());
  ScannerParams s;
  s.gain_alpha = 1.5;
  s.offset_beta = 100.0;
  s.psf_fwhm_mm = {2, 2, 3};
  s.spacing_mm = {2.0, 2.0, 4.0};
  s.slice_thickness_mm = 4.0;
  s.noise_sigma = 10.0;
  const Volume scan = scanPhantom(truth, s);
  EXPECT_EQ(scan.geometry().size, (std::array<int, 3>{48, 48, 8}));
  EXPECT_NEAR(scan.geometry().spacing_mm.z(), 4.0, 1e-12);
  // Grid centred like the truth.
  const Eigen::Vector3d centre = scan.geometry().indexToWorld({23.5, 23.5, 3.5});
  EXPECT_LT(centre.norm(), 1e-9);
  // Air corner: alpha * -1000 + beta, with noise sigma 10 measured over a box.
  const auto [air, airSd] = boxStats(scan, scan.geometry().indexToWorld({3, 3, 3}), 2);
  EXPECT_NEAR(air, 1.5 * -1000 + 100, 5.0);
  EXPECT_NEAR(airSd, 10.0, 2.5);
  EXPECT_EQ(scan.metadata().at(metakey::kGainAlpha), "1.5");
}

TEST(DigitalPhantom, WiderPsfSmoothsTexture) {
  // Mean absolute neighbour difference over soft tissue at least 8 mm from any
  // insert (so blurred edges do not count) measures the fine texture.
  const Volume truth = makePhantom(smallPhantom());
  ScannerParams sharp;
  sharp.psf_fwhm_mm = {1, 1, 1};
  sharp.spacing_mm = {1, 1, 1};
  sharp.slice_thickness_mm = 1;
  ScannerParams blurry = sharp;
  blurry.psf_fwhm_mm = {6, 6, 6};
  auto roughness = [&](const Volume& v) {
    double sum = 0;
    int n = 0;
    const int k = v.nz() / 2;
    for (int j = 0; j < v.ny(); ++j)
      for (int i = 0; i + 1 < v.nx(); ++i) {
        bool interior = true;
        for (int b = -8; b <= 8 && interior; ++b)
          for (int a = -8; a <= 8 && interior; ++a) {
            const int x = std::clamp(i + a, 0, v.nx() - 1), y = std::clamp(j + b, 0, v.ny() - 1);
            const float t = truth.at(x, y, k);
            interior = t > -60 && t < 140;
          }
        if (!interior) continue;
        sum += std::abs(v.at(i + 1, j, k) - v.at(i, j, k));
        ++n;
      }
    return sum / n;
  };
  const double sharpRoughness = roughness(scanPhantom(truth, sharp));
  const double blurryRoughness = roughness(scanPhantom(truth, blurry));
  EXPECT_GT(sharpRoughness, 2.0);
  EXPECT_LT(blurryRoughness, 0.5 * sharpRoughness);
}

TEST(DigitalPhantom, CancelLeavesNoOutput) {
  AtomicProgress progress;
  progress.requestCancel();
  EXPECT_THROW(makePhantom(smallPhantom(), progress), Cancelled);
}
