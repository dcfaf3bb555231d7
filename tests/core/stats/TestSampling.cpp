// Sampled (live display) histograms: exact when small, within the stated
// error when large; the sampler reads every value once when nothing is skipped.

#include <gtest/gtest.h>

#include <cmath>

#include "core/stats/Histogram.h"
#include "core/stats/Sampling.h"
#include "core/util/Error.h"

using namespace harmonia;

namespace {

Volume texture(const Geometry3D& g) {
  Volume v(g);
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        v.at(i, j, k) =
            static_cast<float>(100 * std::sin(0.05 * i) * std::cos(0.03 * j) +
                               20 * std::sin(0.3 * k + i) + 5 * ((i * 7 + j * 13) % 11));
      }
  return v;
}

}  // namespace

TEST(SampledHistogram, SmallVolumesAreCountedExactly) {
  Geometry3D g;
  g.size = {40, 30, 20};
  const Volume v = texture(g);
  MaskVolume m(g, 0);
  for (std::size_t i = 0; i < m.voxelCount(); i += 3) m.data()[i] = 1;
  HistogramParams p;
  p.bins = 64;
  p.range = {{-150.0, 200.0}};
  p.max_samples = kLiveHistogramSamples;
  const Histogram live = computeHistogram(v, &m, p);
  EXPECT_TRUE(live.exact);
  EXPECT_EQ(live.bin_fraction_error, 0.0);
  EXPECT_EQ(live.values_read, v.voxelCount());
  // Brute force.
  std::vector<std::uint64_t> ref(64, 0);
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    const double x = v.data()[i];
    if (m.data()[i] == 0 || !(x >= -150.0 && x <= 200.0)) continue;
    ++ref[std::min<std::size_t>(63, static_cast<std::size_t>((x + 150.0) * 64.0 / 350.0))];
  }
  EXPECT_EQ(live.counts, ref);
}

TEST(SampledHistogram, SampledFractionsAreWithinTheStatedError) {
  // 4.2 M voxels read through 2^16 samples: every bin's fraction must be
  // within bin_fraction_error (a 95 % bound for one bin, conservative because
  // p (1 - p) <= 1/4 and a run counts as one observation) of the exact one.
  Geometry3D g;
  g.size = {256, 128, 128};
  const Volume v = texture(g);
  HistogramParams p;
  p.bins = 128;
  p.range = {{-150.0, 200.0}};
  p.max_samples = 1 << 16;
  const Histogram live = computeHistogram(v, nullptr, p);
  EXPECT_FALSE(live.exact);
  EXPECT_EQ(live.values_read, 4096u * 16u);  // 4096 runs of 16, one in 64
  EXPECT_NEAR(live.bin_fraction_error, 0.98 / std::sqrt(4096.0), 1e-12);
  // Every sampled count stands for 64 voxels.
  for (std::uint64_t c : live.counts) EXPECT_EQ(c % 64, 0u);
  HistogramParams hp = p;
  hp.max_samples = 0;
  const Histogram ref = computeHistogram(v, nullptr, hp);
  ASSERT_TRUE(ref.exact);
  double worst = 0;
  for (int b = 0; b < 128; ++b) {
    const double exact = static_cast<double>(ref.counts[b]) / ref.total;
    const double sampled = static_cast<double>(live.counts[b]) / live.total;
    worst = std::max(worst, std::abs(exact - sampled));
  }
  EXPECT_LT(worst, live.bin_fraction_error);
  EXPECT_NEAR(static_cast<double>(live.total), static_cast<double>(ref.total), 0.02 * ref.total);
  // Without a range, the range comes from the samples.
  p.range.reset();
  const Histogram autoRange = computeHistogram(v, nullptr, p);
  EXPECT_LT(autoRange.min, autoRange.max);
  EXPECT_GE(autoRange.min, ref.min);
  AtomicProgress cancelled;
  cancelled.requestCancel();
  EXPECT_THROW((void)computeHistogram(v, nullptr, p, cancelled), Cancelled);
  p.max_samples = 8;  // less than one run
  EXPECT_THROW((void)computeHistogram(v, nullptr, p), ParameterError);
}

TEST(JitteredSampler, EveryValueIsInExactlyOneGroupAndEachRunInItsGroup) {
  // 1000 values, at most 96 in runs of 4: 250 runs, stride ceil(250 / 24) =
  // 11, 23 groups; each group's run lies inside the group (the last group is
  // short), and the reads are the same twice.
  const JitteredSampler s(1000, 96, 4);
  EXPECT_FALSE(s.exact());
  EXPECT_EQ(s.stride(), 11u);
  EXPECT_EQ(s.groups(), 23u);
  EXPECT_EQ(s.valuesRead(), 92u);
  std::uint64_t previousEnd = 0;
  for (std::uint64_t g = 0; g < s.groups(); ++g) {
    const auto [begin, end] = s.run(g);
    EXPECT_EQ(begin % 4, 0u);
    EXPECT_GE(begin, g * 11 * 4);
    EXPECT_LE(end, std::min<std::uint64_t>(1000, (g + 1) * 11 * 4));
    EXPECT_GE(begin, previousEnd);
    EXPECT_EQ(s.run(g), std::make_pair(begin, end));
    previousEnd = end;
  }
  // Small arrays are read whole, in order.
  const JitteredSampler whole(10, 16, 4);
  EXPECT_TRUE(whole.exact());
  EXPECT_EQ(whole.groups(), 3u);
  EXPECT_EQ(whole.run(2), std::make_pair(std::uint64_t{8}, std::uint64_t{10}));
  EXPECT_THROW(JitteredSampler(10, 2, 4), ParameterError);
}
