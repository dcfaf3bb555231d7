#include "core/compare/Wasserstein.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr int kMaxBins = 65536;
constexpr std::size_t kLeaf = std::size_t{1} << 18;  // values per histogram leaf

// One bin: per sample (0: a, 1: b) its count and value sum; the extremes of both.
struct Bin {
  std::int64_t count[2] = {0, 0};
  double sum[2] = {0.0, 0.0};
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
};
using Histogram = std::vector<Bin>;

// A monotone (non-decreasing) bin index, so equal values share a bin and
// every value of a bin is <= every value of the bins after it.
inline int binOf(float v, float lo, float scale, int bins) {
  return std::min(bins - 1, static_cast<int>((v - lo) * scale));
}

// A bin where F_a - F_b may change sign, and its (count) value just before the bin.
struct Pending {
  int bin = 0;
  std::int64_t before = 0;
};

// Area of |D| over one bin from its sorted values: D starts at `before` at
// `start` and steps +1 at each a value, -1 at each b value.
double binArea(const std::vector<float>& as, const std::vector<float>& bs, std::int64_t before,
               float start) {
  double area = 0.0, x0 = start;
  std::int64_t d = before;
  std::size_t i = 0, j = 0;
  while (i < as.size() || j < bs.size()) {
    const float x = j >= bs.size() || (i < as.size() && as[i] <= bs[j]) ? as[i] : bs[j];
    area += static_cast<double>(std::abs(d)) * (static_cast<double>(x) - x0);
    for (; i < as.size() && as[i] == x; ++i) ++d;
    for (; j < bs.size() && bs[j] == x; ++j) --d;
    x0 = x;
  }
  return area;
}

// The exact W1 by sorting both samples (in place).
double sortedDistance(std::span<float> a, std::span<float> b, Progress& progress) {
  tbb::parallel_sort(a.begin(), a.end());
  progress.throwIfCancelled();
  tbb::parallel_sort(b.begin(), b.end());
  progress.throwIfCancelled();
  const double sum = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, a.size(), kLeaf), 0.0,
      [&](const tbb::blocked_range<std::size_t>& r, double acc) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          acc += std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i]));
        }
        return acc;
      },
      [](double x, double y) { return x + y; });
  return sum / static_cast<double>(a.size());
}

}  // namespace

double wasserstein1(std::span<float> a, std::span<float> b, Progress& progress) {
  if (a.empty() || a.size() != b.size()) {
    throw ParameterError("wasserstein1: the samples must be non-empty and of equal size");
  }
  const std::size_t n = a.size();
  const ValueScan sa = scanValues(a, nullptr, progress), sb = scanValues(b, nullptr, progress);
  if (sa.count != n || sb.count != n) {
    throw ParameterError("wasserstein1: the samples must hold finite values only");
  }
  const float lo = static_cast<float>(std::min(sa.min, sb.min));
  const float hi = static_cast<float>(std::max(sa.max, sb.max));
  if (lo == hi) return 0.0;
  // About 8 values per bin for small samples (so bins are rarely all
  // ambiguous), at most kMaxBins.
  const int bins = static_cast<int>(std::clamp<std::size_t>(n / 4, 1, kMaxBins));
  const float scale = binScale(lo, hi, bins);

  // Histogram of both samples: index i < n is a[i], else b[i - n].
  const Histogram h = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, 2 * n, kLeaf), Histogram{},
      [&](const tbb::blocked_range<std::size_t>& r, Histogram acc) {
        if (progress.cancelRequested()) return acc;
        if (acc.empty()) acc.resize(bins);
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          const int side = i < n ? 0 : 1;
          const float v = side == 0 ? a[i] : b[i - n];
          Bin& x = acc[binOf(v, lo, scale, bins)];
          ++x.count[side];
          x.sum[side] += v;
          x.min = std::min(x.min, v);
          x.max = std::max(x.max, v);
        }
        return acc;
      },
      [](Histogram x, const Histogram& y) {
        if (x.empty()) return y;
        for (std::size_t k = 0; k < y.size() && k < x.size(); ++k) {
          for (int s = 0; s < 2; ++s) {
            x[k].count[s] += y[k].count[s];
            x[k].sum[s] += y[k].sum[s];
          }
          x[k].min = std::min(x[k].min, y[k].min);
          x[k].max = std::max(x[k].max, y[k].max);
        }
        return x;
      });
  progress.throwIfCancelled();
  progress.report(0.4);

  // Sweep the bins in order with D = (#a <= x) - (#b <= x).
  double area = 0.0;
  std::int64_t d = 0;
  float previousMax = lo;
  std::vector<Pending> pending;
  std::uint64_t pendingValues = 0;
  for (int k = 0; k < bins; ++k) {
    const Bin& x = h[k];
    const std::int64_t na = x.count[0], nb = x.count[1];
    if (na + nb == 0) continue;
    area += static_cast<double>(std::abs(d)) *
            (static_cast<double>(x.min) - static_cast<double>(previousMax));
    if (x.max > x.min) {
      const double top = x.max;
      // Integral of D over [min, max] when D keeps its sign there.
      const double signedArea = static_cast<double>(d) * (top - x.min) +
                                (static_cast<double>(na) * top - x.sum[0]) -
                                (static_cast<double>(nb) * top - x.sum[1]);
      if (d - nb >= 0) {
        area += signedArea;
      } else if (d + na <= 0) {
        area -= signedArea;
      } else {
        pending.push_back({k, d});
        pendingValues += static_cast<std::uint64_t>(na + nb);
      }
    }
    d += na - nb;
    previousMax = x.max;
  }
  if (pending.empty()) return area / static_cast<double>(n);
  if (pendingValues > n) {
    // Nearly identical samples; the same values in the same order (a study
    // compared with itself) need no sort.
    if (std::equal(a.begin(), a.end(), b.begin())) return 0.0;
    return sortedDistance(a, b, progress);
  }

  // Gather and sort the values of the bins where D may change sign.
  std::vector<int> slotOfBin(bins, -1);
  for (std::size_t s = 0; s < pending.size(); ++s) slotOfBin[pending[s].bin] = static_cast<int>(s);
  const std::size_t slots = pending.size();
  tbb::enumerable_thread_specific<std::vector<std::vector<float>>> gathered(
      [slots] { return std::vector<std::vector<float>>(2 * slots); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, 2 * n, kLeaf),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      if (progress.cancelRequested()) return;
                      auto& mine = gathered.local();
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        const std::size_t side = i < n ? 0 : 1;
                        const float v = side == 0 ? a[i] : b[i - n];
                        const int s = slotOfBin[binOf(v, lo, scale, bins)];
                        if (s >= 0) mine[2 * static_cast<std::size_t>(s) + side].push_back(v);
                      }
                    });
  progress.throwIfCancelled();
  std::vector<std::vector<float>> values(2 * slots);
  for (auto& mine : gathered) {
    for (std::size_t s = 0; s < 2 * slots; ++s) {
      values[s].insert(values[s].end(), mine[s].begin(), mine[s].end());
    }
  }
  std::vector<double> slotArea(slots, 0.0);
  tbb::parallel_for(std::size_t{0}, slots, [&](std::size_t s) {
    std::vector<float>& as = values[2 * s];
    std::vector<float>& bs = values[2 * s + 1];
    std::sort(as.begin(), as.end());
    std::sort(bs.begin(), bs.end());
    slotArea[s] = binArea(as, bs, pending[s].before, h[pending[s].bin].min);
  });
  for (double x : slotArea) area += x;
  progress.report(1.0);
  return area / static_cast<double>(n);
}

}  // namespace harmonia
