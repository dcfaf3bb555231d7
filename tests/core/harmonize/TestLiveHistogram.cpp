// Live histograms: exact when small, sampled within the stated error when large.

#include <gtest/gtest.h>

#include <cmath>

#include "HarmonizeTestSupport.h"
#include "core/harmonize/LiveHistogram.h"
#include "core/stats/Histogram.h"
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

TEST(LiveHistogram, SmallVolumesAreCountedExactly) {
  Geometry3D g;
  g.size = {40, 30, 20};
  const Volume v = texture(g);
  MaskVolume m(g, 0);
  for (std::size_t i = 0; i < m.voxelCount(); i += 3) m.data()[i] = 1;
  LiveHistogramParams p;
  p.bins = 64;
  p.range = {{-150.0, 200.0}};
  const LiveHistogram live = liveHistogram(v, &m, p);
  EXPECT_TRUE(live.exact);
  EXPECT_EQ(live.bin_fraction_error, 0.0);
  HistogramParams hp;
  hp.bins = 64;
  hp.range = p.range;
  const Histogram ref = computeHistogram(v, &m, hp);
  EXPECT_EQ(live.histogram.counts, ref.counts);
  EXPECT_EQ(live.histogram.total, ref.total);
}

TEST(LiveHistogram, SampledFractionsAreWithinTheStatedError) {
  // 4.2 M voxels read through 2^16 samples: every bin's fraction must be
  // within bin_fraction_error (a 95 % bound for one bin, conservative because
  // p (1 - p) <= 1/4 and a run counts as one observation) of the exact one.
  Geometry3D g;
  g.size = {256, 128, 128};
  const Volume v = texture(g);
  LiveHistogramParams p;
  p.bins = 128;
  p.range = {{-150.0, 200.0}};
  p.max_samples = 1 << 16;
  const LiveHistogram live = liveHistogram(v, nullptr, p);
  EXPECT_FALSE(live.exact);
  EXPECT_EQ(live.count_scale, 64.0);
  EXPECT_NEAR(live.bin_fraction_error, 0.98 / std::sqrt(4096.0), 1e-12);
  HistogramParams hp;
  hp.bins = 128;
  hp.range = p.range;
  const Histogram ref = computeHistogram(v, nullptr, hp);
  double worst = 0;
  for (int b = 0; b < 128; ++b) {
    const double exact = static_cast<double>(ref.counts[b]) / ref.total;
    const double sampled = static_cast<double>(live.histogram.counts[b]) / live.histogram.total;
    worst = std::max(worst, std::abs(exact - sampled));
  }
  EXPECT_LT(worst, live.bin_fraction_error);
  EXPECT_NEAR(live.histogram.total * live.count_scale, static_cast<double>(ref.total),
              0.02 * ref.total);
  // Without a range, the range comes from the samples.
  p.range.reset();
  const LiveHistogram auto_range = liveHistogram(v, nullptr, p);
  EXPECT_LT(auto_range.histogram.min, auto_range.histogram.max);
  AtomicProgress cancelled;
  cancelled.requestCancel();
  EXPECT_THROW((void)liveHistogram(v, nullptr, p, cancelled), Cancelled);
}
