#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/stats/Histogram.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {
Volume randomVolume(unsigned seed) {
  Geometry3D g;
  g.size = {40, 30, 20};
  Volume v(g);
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(100.0f, 25.0f);
  for (float& x : v.voxels()) x = n(rng);
  return v;
}
}  // namespace

TEST(Histogram, CountsMatchBruteForceWithMask) {
  Volume v = randomVolume(1);
  MaskVolume m(v.geometry(), 0);
  for (std::size_t i = 0; i < m.voxelCount(); i += 3) m.data()[i] = 1;
  v.data()[3] = std::numeric_limits<float>::quiet_NaN();  // inside the mask, must be skipped
  HistogramParams p;
  p.bins = 50;
  p.range = std::make_pair(0.0, 200.0);
  const Histogram h = computeHistogram(v, &m, p);
  std::vector<std::uint64_t> ref(50, 0);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    const double x = v.data()[i];
    if (!m.data()[i] || !(x >= 0 && x <= 200)) continue;
    ++ref[std::min<std::size_t>(49, static_cast<std::size_t>(x / 4.0))];
    ++total;
  }
  EXPECT_EQ(h.counts, ref);
  EXPECT_EQ(h.total, total);
  EXPECT_DOUBLE_EQ(h.binWidth(), 4.0);
  EXPECT_DOUBLE_EQ(h.binCentre(0), 2.0);
}

TEST(Histogram, DefaultRangeIsFiniteMinMax) {
  Volume v = randomVolume(2);
  v.data()[0] = std::numeric_limits<float>::infinity();
  const Histogram h = computeHistogram(v, nullptr, HistogramParams{});
  EXPECT_EQ(h.total, v.voxelCount() - 1);
  EXPECT_EQ(h.counts.size(), 256u);
  EXPECT_GT(h.counts.front(), 0u);
  EXPECT_GT(h.counts.back(), 0u);
}

TEST(Histogram, ImageChannelsAreSeparate) {
  Image2D img(10, 10, 3, SampleType::UInt8);
  img.mat().setTo(cv::Scalar(10, 200, 30));
  HistogramParams p;
  p.bins = 256;
  p.range = std::make_pair(0.0, 256.0);
  EXPECT_EQ(computeHistogram(img, 1, p).counts[200], 100u);
  EXPECT_EQ(computeHistogram(img, 0, p).counts[10], 100u);
  EXPECT_THROW(computeHistogram(img, 3, p), ParameterError);
}

TEST(Histogram, MaskOfOtherSizeIsRefused) {
  const Volume v = randomVolume(4);
  Geometry3D g;
  g.size = {2, 2, 2};
  MaskVolume m(g, 1);
  EXPECT_THROW(computeHistogram(v, &m, HistogramParams{}), ParameterError);
}

TEST(Histogram, QuantileIsLinearWithinABin) {
  // Counts 1, 3, 0, 4 over [0, 8) in bins of 2: a fraction q of the 8 values
  // lies below the point where the cumulative count, spread evenly over each
  // bin, reaches 8 q.
  Histogram h;
  h.min = 0.0;
  h.max = 8.0;
  h.counts = {1, 3, 0, 4};
  h.total = 8;
  EXPECT_DOUBLE_EQ(histogramQuantile(h, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(histogramQuantile(h, 0.125), 2.0);             // the first bin's single value
  EXPECT_DOUBLE_EQ(histogramQuantile(h, 0.25), 2.0 + 2.0 / 3.0);  // 1 of bin 1's 3
  EXPECT_DOUBLE_EQ(histogramQuantile(h, 0.75), 7.0);              // 2 of the last bin's 4
  EXPECT_DOUBLE_EQ(histogramQuantile(h, 1.0), 8.0);
  EXPECT_DOUBLE_EQ(histogramQuantile(Histogram{}, 0.5), 0.0);  // empty: min
}
