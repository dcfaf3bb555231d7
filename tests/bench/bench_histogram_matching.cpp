// Histogram matching of 78.6 M float32 voxels (512x512x300): Harmonia's O(N)
// fine-histogram quantile mapping against an exact sort-based implementation
// of the same definition (parallel sort of the source voxels with their
// indices, tbb::parallel_sort, same thread count), measured in the same run;
// prints the error of ours against the exact result and the bound ours
// reports. For scale: scikit-image's match_histograms took 22.5 s on this
// size on the reference machine.
//
// Also times the sampled display histogram (computeHistogram with
// kLiveHistogramSamples, core/stats/Histogram.h) of a 105 M-voxel volume
// inside a mask, the <= 100 ms budget of the issue, against the exact one.

#include <algorithm>
#include <cstdio>
#include <vector>

#include "../core/harmonize/HarmonizeTestSupport.h"
#include "BenchSupport.h"
#include "core/harmonize/HistogramMatching.h"
#include "core/stats/Histogram.h"

using namespace harmonia;

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
  Geometry3D g;
  g.size = {512, 512, 300};
  const Volume source = bench::texturedVolume(g);
  Volume target(g, kUninitialized);
  // A different distribution: a nonlinear (gamma-like) transform of shifted texture.
  tbb::parallel_for(0, g.size[2], [&](int k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const std::size_t idx = target.index(i, j, k);
        const float u = source.data()[target.index((i + 37) % 512, j, k)] / 1000.0f;
        target.data()[idx] = 50.0f + 900.0f * u * u + 30.0f * bench::hashUnit(idx + 99);
      }
    }
  });
  bench::printHeader("Histogram matching, 512x512x300 = 78.6 M float32 voxels, full quantile map",
                     threads);
  HistogramMatchResult ours;
  const double tOurs =
      bench::bestOf(repeats, [&] { ours = matchHistogram(source, target, nullptr, nullptr); });
  std::vector<float> exact;
  const double tExact = bench::bestOf(1, [&] {
    exact = test::exactHistogramMatch(source.voxels(), nullptr, target.voxels(), nullptr);
  });
  std::vector<double> errors(exact.size());
  for (std::size_t i = 0; i < exact.size(); ++i) {
    errors[i] = std::abs(static_cast<double>(ours.image.data()[i]) - exact[i]);
  }
  std::sort(errors.begin(), errors.end());
  std::printf("  bins %d; reported bound: quantile %.3g, value %.3g\n", ours.report.bins,
              ours.report.quantile_error_bound, ours.report.value_error_bound);
  std::printf("  |ours - exact|: median %.3g, 99.9%% %.3g, max %.3g (target range ~950)\n",
              errors[errors.size() / 2], errors[errors.size() * 999 / 1000], errors.back());
  bench::printResult("harmonia matchHistogram", tOurs, "exact sort-based (parallel sort)", tExact);

  // Live histogram of a 105 M-voxel volume inside a mask of half the voxels.
  Geometry3D big;
  big.size = {512, 512, 400};
  const Volume large = bench::texturedVolume(big);
  MaskVolume mask(big, kUninitialized);
  tbb::parallel_for(0, big.size[2], [&](int k) {
    std::uint8_t* m = mask.data() + mask.index(0, 0, k);
    for (std::size_t i = 0; i < static_cast<std::size_t>(512) * 512; ++i) m[i] = (i / 512) % 2;
  });
  HistogramParams lp;
  lp.range = {{0.0, 1000.0}};
  lp.max_samples = kLiveHistogramSamples;
  Histogram live;
  const double tLive = bench::bestOf(repeats, [&] { live = computeHistogram(large, &mask, lp); });
  lp.max_samples = 0;
  Histogram full;
  const double tFull = bench::bestOf(repeats, [&] { full = computeHistogram(large, &mask, lp); });
  std::printf(
      "Live histogram, 512x512x400 = 105 M voxels, masked, 256 bins: %.1f ms (budget 100 ms); "
      "%s, %llu voxels read, bin fraction error <= %.2g (95 %%); exact histogram %.1f ms "
      "(ratio %.2f)\n",
      1e3 * tLive, live.exact ? "exact" : "sampled",
      static_cast<unsigned long long>(live.values_read), live.bin_fraction_error, 1e3 * tFull,
      tLive / tFull);
  return 0;
}
