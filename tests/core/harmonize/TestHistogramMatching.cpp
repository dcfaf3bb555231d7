// Histogram matching against the exact sort-based definition: bitwise-exact
// for integer data, within the documented bound for float data, quantiles of
// the result, masks, landmarks (single target and population standard),
// colour images, errors and cancellation. Also the exact quantiles it uses.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "HarmonizeTestSupport.h"
#include "core/harmonize/HistogramMatching.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

using namespace harmonia;
using harmonia::test::exactHistogramMatch;
using harmonia::test::ExactTargetQuantile;
using harmonia::test::sortedMasked;
using harmonia::test::sortedQuantile;

namespace {

Geometry3D grid(int nx, int ny, int nz) {
  Geometry3D g;
  g.size = {nx, ny, nz};
  return g;
}

// A skewed float distribution (gamma) with a second mode, like tissue classes.
Volume mixtureVolume(const Geometry3D& g, std::uint32_t seed, double shift, double scale) {
  Volume v(g);
  std::mt19937 rng(seed);
  std::gamma_distribution<float> gamma(2.0f, 30.0f);
  std::normal_distribution<float> normal(400.0f, 25.0f);
  std::bernoulli_distribution pick(0.3);
  for (float& x : v.voxels()) {
    x = static_cast<float>(shift + scale * (pick(rng) ? normal(rng) : gamma(rng)));
  }
  return v;
}

MaskVolume sphereMask(const Geometry3D& g, double radius) {
  MaskVolume m(g, 0);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const double d = std::hypot(i - 0.5 * (g.size[0] - 1), j - 0.5 * (g.size[1] - 1),
                                    k - 0.5 * (g.size[2] - 1));
        m.at(i, j, k) = d <= radius ? 1 : 0;
      }
  return m;
}

}  // namespace

TEST(Quantiles, ExactType7QuantilesWithMaskAndTies) {
  Volume v = mixtureVolume(grid(50, 40, 30), 1, 0, 1);
  for (std::size_t i = 0; i < v.voxelCount(); i += 7) v.data()[i] = 123.0f;  // heavy ties
  v.data()[5] = std::nanf("");
  const MaskVolume m = sphereMask(v.geometry(), 15);
  const std::vector<double> ps = {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.999, 1.0};
  const std::vector<double> q = sampleQuantiles(v.voxels(), m.data(), ps);
  const std::vector<float> sorted = sortedMasked(v.voxels(), m.data());
  for (std::size_t i = 0; i < ps.size(); ++i) {
    EXPECT_DOUBLE_EQ(q[i], sortedQuantile(sorted, ps[i])) << ps[i];  // exact, not estimated
  }
  const MaskVolume empty(v.geometry(), 0);
  EXPECT_THROW((void)sampleQuantiles(v.voxels(), empty.data(), ps), InputError);
}

TEST(HistogramMatching, IntegerDataIsExact) {
  // Integer-valued floats (as read from 16-bit files): one bin per integer,
  // identical to the sort-based map. Tolerance: 4 ulp (same float64 formula).
  const Geometry3D g = grid(40, 30, 20);
  Volume src(g), tgt(g);
  std::mt19937 rng(3);
  std::binomial_distribution<int> a(300, 0.3), b(2000, 0.6);
  for (float& x : src.voxels()) x = static_cast<float>(a(rng) - 50);
  for (float& x : tgt.voxels()) x = static_cast<float>(b(rng));
  const MaskVolume sm = sphereMask(g, 12), tm = sphereMask(g, 9);
  const HistogramMatchResult r = matchHistogram(src, tgt, &sm, &tm);
  EXPECT_TRUE(r.report.exact);
  EXPECT_EQ(r.report.quantile_error_bound, 0.0);
  const std::vector<float> ref =
      exactHistogramMatch(src.voxels(), sm.data(), tgt.voxels(), tm.data());
  for (std::size_t i = 0; i < ref.size(); ++i) ASSERT_FLOAT_EQ(r.image.data()[i], ref[i]) << i;
}

TEST(HistogramMatching, FloatDataStaysWithinTheDocumentedBound) {
  // Every voxel: Q_t(F_s(x) - delta) - w_t <= T(x) <= Q_t(F_s(x) + delta) + w_t,
  // delta and w_t as reported, plus 1e-5 relative for float32 rounding.
  const Geometry3D g = grid(64, 48, 40);
  const Volume src = mixtureVolume(g, 4, -20.0, 1.7);
  const Volume tgt = mixtureVolume(g, 5, 100.0, 0.6);
  const MaskVolume sm = sphereMask(g, 20), tm = sphereMask(g, 18);
  const HistogramMatchResult r = matchHistogram(src, tgt, &sm, &tm);
  ASSERT_FALSE(r.report.exact);
  EXPECT_EQ(r.report.bins, 65536);
  const double delta = r.report.quantile_error_bound, wt = r.report.value_error_bound;
  EXPECT_GT(delta, 0.0);
  EXPECT_LT(delta, 2e-3);  // spread data: a few values per bin
  const std::vector<float> s = sortedMasked(src.voxels(), sm.data());
  const std::vector<float> t = sortedMasked(tgt.voxels(), tm.data());
  const ExactTargetQuantile q(t);
  const double slack = 1e-5 * std::max(std::abs(t.front()), std::abs(t.back()));
  const std::vector<float> exact =
      exactHistogramMatch(src.voxels(), sm.data(), tgt.voxels(), tm.data());
  double maxError = 0;
  std::vector<double> errors;
  for (std::size_t i = 0; i < src.voxelCount(); ++i) {
    const float x = src.data()[i];
    const double p =
        static_cast<double>(std::upper_bound(s.begin(), s.end(), x) - s.begin()) / s.size();
    const double got = r.image.data()[i];
    ASSERT_GE(got, q(p - delta) - wt - slack) << i;
    ASSERT_LE(got, q(p + delta) + wt + slack) << i;
    maxError = std::max(maxError, std::abs(got - exact[i]));
    errors.push_back(std::abs(got - exact[i]));
  }
  std::sort(errors.begin(), errors.end());
  std::printf("float matching |error|: median %.3g, 99%% %.3g, max %.3g (target range %.3g)\n",
              errors[errors.size() / 2], errors[errors.size() * 99 / 100], maxError,
              t.back() - t.front());
  // In values: tiny for the bulk of the data. The largest errors sit in the
  // sparse tails, where a quantile step of delta spans a gap between isolated
  // target values (measured here: median 6e-6, 99th percentile 2e-4, max 1.5e-2
  // of the target's range); the bound above covers those.
  const double range = t.back() - t.front();
  EXPECT_LT(errors[errors.size() / 2], 1e-4 * range);
  EXPECT_LT(errors[errors.size() * 99 / 100], 1e-3 * range);
}

TEST(HistogramMatching, ResultReproducesTheTargetQuantiles) {
  // Unmasked: the matched image's percentiles are the target's, within the
  // bound (delta plus 2 / N for the discreteness of ranks, plus one bin).
  const Geometry3D g = grid(60, 50, 30);
  const Volume src = mixtureVolume(g, 6, 10.0, 2.0);
  const Volume tgt = mixtureVolume(g, 7, -300.0, 0.5);
  const HistogramMatchResult r = matchHistogram(src, tgt, nullptr, nullptr);
  const std::vector<float> out = sortedMasked(r.image.voxels(), nullptr);
  const std::vector<float> t = sortedMasked(tgt.voxels(), nullptr);
  const double d = r.report.quantile_error_bound + 2.0 / t.size();
  const double w = r.report.value_error_bound + 1e-5 * 500;
  for (double p = 0.01; p < 1.0; p += 0.01) {
    const double got = sortedQuantile(out, p);
    EXPECT_GE(got, sortedQuantile(t, p - d) - w) << p;
    EXPECT_LE(got, sortedQuantile(t, p + d) + w) << p;
  }
}

TEST(HistogramMatching, MaskedCdfsIgnoreVoxelsOutsideTheMasks) {
  // Changing voxels outside the masks (wild values) changes nothing inside.
  const Geometry3D g = grid(40, 40, 20);
  Volume src = mixtureVolume(g, 8, 0.0, 1.0);
  Volume tgt = mixtureVolume(g, 9, 50.0, 3.0);
  const MaskVolume sm = sphereMask(g, 14), tm = sphereMask(g, 11);
  const HistogramMatchResult before = matchHistogram(src, tgt, &sm, &tm);
  for (std::size_t i = 0; i < src.voxelCount(); ++i) {
    if (sm.data()[i] == 0) src.data()[i] = 1e6f + static_cast<float>(i);
    if (tm.data()[i] == 0) tgt.data()[i] = -1e6f;
  }
  const HistogramMatchResult after = matchHistogram(src, tgt, &sm, &tm);
  for (std::size_t i = 0; i < src.voxelCount(); ++i) {
    if (sm.data()[i] != 0) {
      ASSERT_EQ(after.image.data()[i], before.image.data()[i]) << i;
    }
  }
  // ...and voxels outside the source mask, above its range, map to the target mask's max.
  const std::vector<float> t = sortedMasked(tgt.voxels(), tm.data());
  EXPECT_FLOAT_EQ(after.image.data()[0], t.back());
}

TEST(HistogramMatching, ConstantImagesAndEmptyMasksGiveClearErrors) {
  const Geometry3D g = grid(10, 10, 10);
  const Volume constant(g, 5.0f);
  const Volume varied = mixtureVolume(g, 10, 0, 1);
  const MaskVolume empty(g, 0);
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] {
              (void)matchHistogram(constant, varied, nullptr, nullptr);
            }).find("source image is constant"),
            std::string::npos);
  EXPECT_NE(message([&] {
              (void)matchHistogram(varied, constant, nullptr, nullptr);
            }).find("target image is constant"),
            std::string::npos);
  EXPECT_NE(message([&] {
              (void)matchHistogram(varied, varied, &empty, nullptr);
            }).find("source mask has no voxels inside"),
            std::string::npos);
  EXPECT_NE(message([&] {
              (void)matchHistogram(varied, varied, nullptr, &empty);
            }).find("target mask has no voxels inside"),
            std::string::npos);
  const MaskVolume wrong(grid(5, 5, 5), 1);
  EXPECT_THROW((void)matchHistogram(varied, varied, &wrong, nullptr), InputError);
  HistogramMatchParams landmarks;
  landmarks.method = HistogramMatchMethod::Landmarks;
  EXPECT_THROW((void)matchHistogram(constant, varied, nullptr, nullptr, landmarks), InputError);
}

TEST(HistogramMatching, LandmarksUndoAnAffineChangeAndUseExactPercentiles) {
  // source = 2.5 * target - 40 voxel by voxel: its landmarks are the target's
  // under the same affine map, so the piecewise-linear map is that map's
  // inverse and gives the target back (float32 rounding: 1e-4 relative).
  const Geometry3D g = grid(30, 30, 30);
  const Volume tgt = mixtureVolume(g, 11, 0.0, 1.0);
  Volume src(g);
  for (std::size_t i = 0; i < src.voxelCount(); ++i) src.data()[i] = 2.5f * tgt.data()[i] - 40.0f;
  HistogramMatchParams p;
  p.method = HistogramMatchMethod::Landmarks;
  const HistogramMatchResult r = matchHistogram(src, tgt, nullptr, nullptr, p);
  ASSERT_EQ(r.report.target_landmarks.size(), 11u);
  const std::vector<float> t = sortedMasked(tgt.voxels(), nullptr);
  for (std::size_t i = 0; i < 11; ++i) {
    EXPECT_DOUBLE_EQ(r.report.target_landmarks[i],
                     sortedQuantile(t, p.landmark_percentiles[i] / 100.0));
  }
  for (std::size_t i = 0; i < src.voxelCount(); ++i) {
    ASSERT_NEAR(r.image.data()[i], tgt.data()[i], 1e-4 * 600) << i;
  }
}

TEST(HistogramMatching, LandmarksToALearnedPopulationStandard) {
  const Geometry3D g = grid(30, 30, 20);
  const Volume a = mixtureVolume(g, 12, 0.0, 1.0);
  const Volume b = mixtureVolume(g, 13, 200.0, 3.0);
  const Volume* images[] = {&a, &b};
  const MaskVolume* masks[] = {nullptr, nullptr};
  const LandmarkStandard standard = learnLandmarkStandard(images, masks, 0.0, 100.0);
  EXPECT_NEAR(standard.values.front(), 0.0, 1e-9);
  EXPECT_NEAR(standard.values.back(), 100.0, 1e-9);
  for (std::size_t i = 1; i < standard.values.size(); ++i) {
    EXPECT_GT(standard.values[i], standard.values[i - 1]);
  }
  // After matching, each image's landmarks sit on the standard's, up to the
  // type-7 interpolation between the two order statistics around a landmark,
  // which the map bends between (its slope changes there): 0.05 on 0..100.
  for (const Volume* v : images) {
    const HistogramMatchResult r = matchLandmarks(*v, nullptr, standard);
    const LandmarkStandard got = imageLandmarks(r.image, nullptr);
    for (std::size_t i = 0; i < standard.values.size(); ++i) {
      EXPECT_NEAR(got.values[i], standard.values[i], 0.05);
    }
  }
}

TEST(HistogramMatching, ColourImagesAreMatchedPerChannel) {
  Image2D src(64, 48, 3, SampleType::UInt8), tgt(50, 40, 3, SampleType::UInt8);
  std::mt19937 rng(14);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64 * 3; ++x) src.mat().ptr<std::uint8_t>(y)[x] = rng() % (60 + x % 3 * 60);
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 50 * 3; ++x) tgt.mat().ptr<std::uint8_t>(y)[x] = 100 + rng() % 120;
  const HistogramMatchResult2D r = matchHistogram(src, tgt, nullptr, nullptr);
  ASSERT_EQ(r.reports.size(), 3u);
  ASSERT_EQ(r.image.sampleType(), SampleType::Float32);
  for (int c = 0; c < 3; ++c) {
    EXPECT_TRUE(r.reports[c].exact);
    std::vector<float> s, t;
    for (int y = 0; y < 48; ++y)
      for (int x = 0; x < 64; ++x) s.push_back(static_cast<float>(src.sample(x, y, c)));
    for (int y = 0; y < 40; ++y)
      for (int x = 0; x < 50; ++x) t.push_back(static_cast<float>(tgt.sample(x, y, c)));
    const std::vector<float> ref = exactHistogramMatch(s, nullptr, t, nullptr);
    for (int y = 0; y < 48; ++y)
      for (int x = 0; x < 64; ++x) {
        ASSERT_FLOAT_EQ(static_cast<float>(r.image.sample(x, y, c)), ref[y * 64 + x]);
      }
  }
  const Image2D gray(64, 48, 1, SampleType::UInt8);
  EXPECT_THROW((void)matchHistogram(src, gray, nullptr, nullptr), InputError);
}

TEST(HistogramMatching, HonoursCancellation) {
  const Geometry3D g = grid(20, 20, 20);
  const Volume v = mixtureVolume(g, 15, 0, 1);
  AtomicProgress progress;
  progress.requestCancel();
  EXPECT_THROW((void)matchHistogram(v, v, nullptr, nullptr, {}, progress), Cancelled);
}
