#include "core/harmonize/LiveHistogram.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr std::uint64_t kRun = 16;  // voxels per run: one cache line of floats

// Deterministic hash of a group index to [0, stride).
std::uint64_t jitter(std::uint64_t group, std::uint64_t stride) {
  std::uint64_t x = group * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 29;
  return x % stride;
}

// Calls f(begin, end) for every sampled run, in parallel over groups.
template <typename F>
void forEachRun(std::uint64_t voxels, std::uint64_t stride, Progress& progress, const F& f) {
  const std::uint64_t runs = (voxels + kRun - 1) / kRun;
  const std::uint64_t groups = (runs + stride - 1) / stride;
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, groups, 4096),
                    [&](const tbb::blocked_range<std::uint64_t>& r) {
                      if (progress.cancelRequested()) return;
                      for (std::uint64_t g = r.begin(); g < r.end(); ++g) {
                        const std::uint64_t first = g * stride;
                        const std::uint64_t inGroup = std::min(stride, runs - first);
                        const std::uint64_t run =
                            first + (stride == 1 ? 0 : jitter(g, stride) % inGroup);
                        const std::uint64_t begin = run * kRun;
                        f(begin, std::min(voxels, begin + kRun));
                      }
                    });
  progress.throwIfCancelled();
}

}  // namespace

LiveHistogram liveHistogram(const Volume& volume, const MaskVolume* mask,
                            const LiveHistogramParams& params, Progress& progress) {
  if (params.bins < 1) throw ParameterError("liveHistogram: bins must be >= 1");
  if (params.max_samples < kRun) throw ParameterError("liveHistogram: max_samples too small");
  if (mask != nullptr && mask->geometry().size != volume.geometry().size) {
    throw InputError("mask size differs from the volume's");
  }
  const std::uint64_t n = volume.voxelCount();
  const std::uint64_t runs = (n + kRun - 1) / kRun;
  const std::uint64_t maxRuns = params.max_samples / kRun;
  const std::uint64_t stride = runs <= maxRuns ? 1 : (runs + maxRuns - 1) / maxRuns;
  const float* v = volume.data();
  const std::uint8_t* m = mask != nullptr ? mask->data() : nullptr;

  LiveHistogram live;
  Histogram& h = live.histogram;
  if (params.range) {
    h.min = params.range->first;
    h.max = params.range->second;
    if (!(h.max > h.min)) throw ParameterError("liveHistogram: range must have max > min");
  } else {
    struct MinMax {
      float lo = std::numeric_limits<float>::infinity();
      float hi = -std::numeric_limits<float>::infinity();
    };
    tbb::enumerable_thread_specific<MinMax> ranges;
    forEachRun(n, stride, progress, [&](std::uint64_t b, std::uint64_t e) {
      MinMax& mm = ranges.local();
      for (std::uint64_t i = b; i < e; ++i) {
        if ((m != nullptr && m[i] == 0) || !std::isfinite(v[i])) continue;
        mm.lo = std::min(mm.lo, v[i]);
        mm.hi = std::max(mm.hi, v[i]);
      }
    });
    MinMax all;
    for (const MinMax& mm : ranges) {
      all.lo = std::min(all.lo, mm.lo);
      all.hi = std::max(all.hi, mm.hi);
    }
    h.min = all.lo <= all.hi ? all.lo : 0.0;
    h.max = all.lo < all.hi ? all.hi : h.min + 1.0;
  }
  const int bins = params.bins;
  const double lo = h.min, hi = h.max, scale = bins / (hi - lo);
  tbb::enumerable_thread_specific<std::vector<std::uint64_t>> locals(
      [bins] { return std::vector<std::uint64_t>(bins, 0); });
  forEachRun(n, stride, progress, [&](std::uint64_t b, std::uint64_t e) {
    std::vector<std::uint64_t>& c = locals.local();
    for (std::uint64_t i = b; i < e; ++i) {
      if (m != nullptr && m[i] == 0) continue;
      const double x = v[i];
      if (!(x >= lo && x <= hi)) continue;
      ++c[std::min(bins - 1, static_cast<int>((x - lo) * scale))];
    }
  });
  h.counts.assign(bins, 0);
  for (const auto& c : locals) {
    for (int b = 0; b < bins; ++b) h.counts[b] += c[b];
  }
  for (auto c : h.counts) h.total += c;
  const std::uint64_t runsRead = (runs + stride - 1) / stride;
  live.exact = stride == 1;
  live.voxels_read = std::min(n, runsRead * kRun);
  live.count_scale = static_cast<double>(stride);
  live.bin_fraction_error =
      live.exact ? 0.0 : 1.96 * 0.5 / std::sqrt(static_cast<double>(runsRead));
  progress.report(1.0);
  return live;
}

}  // namespace harmonia
