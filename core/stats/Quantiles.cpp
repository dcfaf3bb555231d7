#include "core/stats/Quantiles.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/Error.h"
#include "core/util/Parallel.h"
#include "core/util/Simd.h"

namespace harmonia {
namespace {

constexpr int kSelectBins = 65536;

// Bin of v in [lo, hi] with `bins` bins, computed in float exactly as
// countBlock does (the same monotone function everywhere); callers check the range.
inline int binOf(float v, float lo, float scale, int bins) {
  return std::min(bins - 1, static_cast<int>((v - lo) * scale));
}

struct ScanAcc {
  std::uint64_t count = 0;
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  std::uint64_t non_integral = 0;
  std::uint64_t non_finite = 0;
};

// Branch-free so it vectorises: count, min, max and non-integers of the
// finite values where mask (nullptr: everywhere) is nonzero.
HARMONIA_SIMD_CLONES
void scanBlock(const float* v, const std::uint8_t* mask, std::size_t n, ScanAcc& acc) {
  float lo = acc.min, hi = acc.max;
  std::uint32_t count = 0, nonIntegral = 0, nonFinite = 0;
  constexpr float kMax = std::numeric_limits<float>::max();
  if (mask == nullptr) {
    for (std::size_t i = 0; i < n; ++i) {
      const float x = v[i];
      const bool ok = std::abs(x) <= kMax;  // finite: false for NaN and +-inf
      lo = ok && x < lo ? x : lo;
      hi = ok && x > hi ? x : hi;
      count += ok;
      nonIntegral += ok && x != std::trunc(x);
      nonFinite += !ok;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const float x = v[i];
      const bool inside = mask[i] != 0;
      const bool ok = inside && std::abs(x) <= kMax;
      lo = ok && x < lo ? x : lo;
      hi = ok && x > hi ? x : hi;
      count += ok;
      nonIntegral += ok && x != std::trunc(x);
      nonFinite += inside && !ok;
    }
  }
  acc.min = lo;
  acc.max = hi;
  acc.count += count;
  acc.non_integral += nonIntegral;
  acc.non_finite += nonFinite;
}

// Adds the bins of n values to counts[0..bins) (counts[bins] collects
// values outside [lo, hi] or outside the mask). Bin indices are computed
// branch-free in blocks (vectorised), then counted.
HARMONIA_SIMD_CLONES
void countBlock(const float* v, const std::uint8_t* mask, std::size_t n, float lo, float hi,
                float scale, int bins, std::uint32_t* counts) {
  constexpr std::size_t kChunk = 512;
  std::int32_t index[kChunk];
  for (std::size_t c0 = 0; c0 < n; c0 += kChunk) {
    const std::size_t m = std::min(kChunk, n - c0);
    const float* x = v + c0;
    for (std::size_t i = 0; i < m; ++i) {
      const bool ok = x[i] >= lo && x[i] <= hi && (mask == nullptr || mask[c0 + i] != 0);
      const float pos = ok ? (x[i] - lo) * scale : static_cast<float>(bins);
      const std::int32_t b = static_cast<std::int32_t>(pos);
      index[i] = ok && b >= bins ? bins - 1 : b;
    }
    for (std::size_t i = 0; i < m; ++i) ++counts[index[i]];
  }
}

}  // namespace

float binScale(double lo, double hi, int bins) {
  return static_cast<float>(bins / (static_cast<double>(static_cast<float>(hi)) -
                                    static_cast<double>(static_cast<float>(lo))));
}

ValueScan scanValues(std::span<const float> values, const std::uint8_t* mask, Progress& progress) {
  const ScanAcc acc = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, values.size(), kValuesPerTask), ScanAcc{},
      [&](const tbb::blocked_range<std::size_t>& r, ScanAcc a) {
        if (progress.cancelRequested()) return a;
        scanBlock(values.data() + r.begin(), mask != nullptr ? mask + r.begin() : nullptr, r.size(),
                  a);
        return a;
      },
      [](ScanAcc a, const ScanAcc& b) {
        a.count += b.count;
        a.min = std::min(a.min, b.min);
        a.max = std::max(a.max, b.max);
        a.non_integral += b.non_integral;
        a.non_finite += b.non_finite;
        return a;
      });
  progress.throwIfCancelled();
  ValueScan scan;
  scan.count = acc.count;
  scan.non_finite = acc.non_finite;
  scan.integral = acc.non_integral == 0;
  if (acc.count > 0) {
    scan.min = acc.min;
    scan.max = acc.max;
  }
  return scan;
}

std::vector<std::uint64_t> countBins(std::span<const float> values, const std::uint8_t* mask,
                                     int bins, double lo, double hi, Progress& progress) {
  if (bins < 1) throw ParameterError("countBins: bins must be >= 1");
  if (!(hi > lo)) throw ParameterError("countBins: the range must have hi > lo");
  // Per-thread 32-bit counts (a 65,536-bin table then fits in L2), flushed
  // into 64-bit totals before 2^31 values have been counted, merged at the end.
  const float flo = static_cast<float>(lo), fhi = static_cast<float>(hi);
  const float scale = binScale(lo, hi, bins);
  struct Local {
    std::vector<std::uint32_t> counts;
    std::vector<std::uint64_t> totals;
    std::uint64_t since_flush = 0;
  };
  tbb::enumerable_thread_specific<Local> locals([bins] {
    return Local{std::vector<std::uint32_t>(bins + 1, 0), std::vector<std::uint64_t>(), 0};
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, values.size(), kValuesPerTask),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      if (progress.cancelRequested()) return;
                      Local& local = locals.local();
                      if (local.since_flush + r.size() >= (std::uint64_t{1} << 31)) {
                        local.totals.resize(bins, 0);
                        for (int b = 0; b < bins; ++b) {
                          local.totals[b] += local.counts[b];
                          local.counts[b] = 0;
                        }
                        local.since_flush = 0;
                      }
                      local.since_flush += r.size();
                      countBlock(values.data() + r.begin(),
                                 mask != nullptr ? mask + r.begin() : nullptr, r.size(), flo, fhi,
                                 scale, bins, local.counts.data());
                    });
  progress.throwIfCancelled();
  std::vector<std::uint64_t> counts(bins, 0);
  for (const Local& local : locals) {
    for (int b = 0; b < bins; ++b) counts[b] += local.counts[b];
    for (std::size_t b = 0; b < local.totals.size(); ++b) counts[b] += local.totals[b];
  }
  return counts;
}

std::vector<double> sampleQuantiles(std::span<const float> values, const std::uint8_t* mask,
                                    std::span<const double> probabilities, Progress& progress) {
  for (double p : probabilities) {
    if (!(p >= 0.0 && p <= 1.0)) throw ParameterError("quantile probabilities must be in [0, 1]");
  }
  const ValueScan scan = scanValues(values, mask, progress);
  if (scan.count == 0) throw InputError("no finite values inside the mask");
  std::vector<double> result(probabilities.size(), scan.min);
  if (scan.max == scan.min) return result;
  // Ranks needed: floor(h) and floor(h) + 1 for each probability.
  const std::uint64_t n = scan.count;
  std::vector<std::uint64_t> ranks;
  for (double p : probabilities) {
    const double h = (static_cast<double>(n) - 1.0) * p;
    const auto k = static_cast<std::uint64_t>(std::floor(h));
    ranks.push_back(k);
    ranks.push_back(std::min(k + 1, n - 1));
  }
  const std::vector<std::uint64_t> counts =
      countBins(values, mask, kSelectBins, scan.min, scan.max, progress);
  // Bin holding each rank, and that bin's first rank.
  std::vector<std::uint64_t> before(kSelectBins + 1, 0);
  for (int b = 0; b < kSelectBins; ++b) before[b + 1] = before[b] + counts[b];
  std::vector<int> rankBin(ranks.size());
  std::vector<int> wanted;
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    rankBin[r] = static_cast<int>(std::upper_bound(before.begin(), before.end(), ranks[r]) -
                                  before.begin()) -
                 1;
    wanted.push_back(rankBin[r]);
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<int> slotOfBin(kSelectBins, -1);
  for (std::size_t s = 0; s < wanted.size(); ++s) slotOfBin[wanted[s]] = static_cast<int>(s);
  // Gather the values of the wanted bins (few: ~N / 65,536 each for spread data).
  const float scale = binScale(scan.min, scan.max, kSelectBins);
  const float flo = static_cast<float>(scan.min), fhi = static_cast<float>(scan.max);
  tbb::enumerable_thread_specific<std::vector<std::vector<float>>> gathered(
      [&] { return std::vector<std::vector<float>>(wanted.size()); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, values.size(), kValuesPerTask),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      if (progress.cancelRequested()) return;
                      auto& mine = gathered.local();
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        if (mask != nullptr && mask[i] == 0) continue;
                        const float v = values[i];
                        if (!(v >= flo && v <= fhi)) continue;
                        const int s = slotOfBin[binOf(v, flo, scale, kSelectBins)];
                        if (s >= 0) mine[s].push_back(v);
                      }
                    });
  progress.throwIfCancelled();
  std::vector<std::vector<float>> binValues(wanted.size());
  for (auto& mine : gathered) {
    for (std::size_t s = 0; s < wanted.size(); ++s) {
      binValues[s].insert(binValues[s].end(), mine[s].begin(), mine[s].end());
    }
  }
  std::vector<double> rankValue(ranks.size());
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    std::vector<float>& bucket = binValues[slotOfBin[rankBin[r]]];
    const std::size_t local = ranks[r] - before[rankBin[r]];
    std::nth_element(bucket.begin(), bucket.begin() + static_cast<std::ptrdiff_t>(local),
                     bucket.end());
    rankValue[r] = bucket[local];
  }
  for (std::size_t q = 0; q < probabilities.size(); ++q) {
    const double h = (static_cast<double>(n) - 1.0) * probabilities[q];
    const double frac = h - std::floor(h);
    const double lo = rankValue[2 * q], hi = rankValue[2 * q + 1];
    result[q] = lo + frac * (hi - lo);
  }
  progress.report(1.0);
  return result;
}

}  // namespace harmonia
