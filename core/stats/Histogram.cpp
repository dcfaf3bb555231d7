#include "core/stats/Histogram.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr std::size_t kGrain = 1 << 16;

struct MinMax {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
};

// Values are read through an accessor so volumes and strided image channels
// share one implementation.
template <typename Get>
MinMax finiteRange(std::size_t n, const std::uint8_t* mask, const Get& get) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, kGrain), MinMax{},
      [&](const tbb::blocked_range<std::size_t>& r, MinMax acc) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          if (mask != nullptr && mask[i] == 0) continue;
          const double v = get(i);
          if (!std::isfinite(v)) continue;
          acc.min = std::min(acc.min, v);
          acc.max = std::max(acc.max, v);
        }
        return acc;
      },
      [](MinMax a, const MinMax& b) {
        a.min = std::min(a.min, b.min);
        a.max = std::max(a.max, b.max);
        return a;
      });
}

template <typename Get>
Histogram histogram(std::size_t n, const std::uint8_t* mask, const HistogramParams& params,
                    Progress& progress, const Get& get) {
  if (params.bins < 1) throw ParameterError("computeHistogram: bins must be >= 1");
  Histogram h;
  if (params.range) {
    h.min = params.range->first;
    h.max = params.range->second;
    if (!(h.max > h.min)) throw ParameterError("computeHistogram: range must have max > min");
  } else {
    const MinMax mm = finiteRange(n, mask, get);
    if (mm.min > mm.max) {  // nothing finite
      h.min = 0.0;
      h.max = 1.0;
    } else {
      h.min = mm.min;
      h.max = mm.max > mm.min ? mm.max : mm.min + 1.0;
    }
  }
  progress.throwIfCancelled();
  const std::size_t bins = static_cast<std::size_t>(params.bins);
  const double scale = bins / (h.max - h.min);
  const double lo = h.min;
  const double hi = h.max;
  using Counts = std::vector<std::uint64_t>;
  h.counts = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, kGrain), Counts(bins, 0),
      [&](const tbb::blocked_range<std::size_t>& r, Counts acc) {
        if (progress.cancelRequested()) return acc;
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          if (mask != nullptr && mask[i] == 0) continue;
          const double v = get(i);
          if (!(v >= lo && v <= hi)) continue;  // also skips NaN
          const std::size_t b = std::min(bins - 1, static_cast<std::size_t>((v - lo) * scale));
          ++acc[b];
        }
        return acc;
      },
      [](Counts a, const Counts& b) {
        for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
        return a;
      });
  progress.throwIfCancelled();
  for (auto c : h.counts) h.total += c;
  progress.report(1.0);
  return h;
}

struct Moments {
  std::uint64_t count = 0;
  std::uint64_t nonFinite = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double mean = 0.0;
  double m2 = 0.0;  // sum of squared deviations (Chan et al. parallel update)
};

Moments merge(const Moments& a, const Moments& b) {
  if (a.count == 0) return Moments{b.count, a.nonFinite + b.nonFinite, b.min, b.max, b.mean, b.m2};
  if (b.count == 0) return Moments{a.count, a.nonFinite + b.nonFinite, a.min, a.max, a.mean, a.m2};
  Moments m;
  m.count = a.count + b.count;
  m.nonFinite = a.nonFinite + b.nonFinite;
  m.min = std::min(a.min, b.min);
  m.max = std::max(a.max, b.max);
  const double delta = b.mean - a.mean;
  m.mean = a.mean + delta * static_cast<double>(b.count) / m.count;
  m.m2 = a.m2 + b.m2 + delta * delta * static_cast<double>(a.count) * b.count / m.count;
  return m;
}

template <typename Get>
ValueStats stats(std::size_t n, const std::uint8_t* mask, const Get& get) {
  const Moments m = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, kGrain), Moments{},
      [&](const tbb::blocked_range<std::size_t>& r, Moments acc) {
        Moments local;
        for (std::size_t i = r.begin(); i < r.end(); ++i) {
          if (mask != nullptr && mask[i] == 0) continue;
          const double v = get(i);
          if (!std::isfinite(v)) {
            ++local.nonFinite;
            continue;
          }
          ++local.count;
          local.min = std::min(local.min, v);
          local.max = std::max(local.max, v);
          const double delta = v - local.mean;
          local.mean += delta / local.count;
          local.m2 += delta * (v - local.mean);
        }
        return merge(acc, local);
      },
      merge);
  ValueStats s;
  s.count = m.count;
  s.nonFinite = m.nonFinite;
  if (m.count > 0) {
    s.min = m.min;
    s.max = m.max;
    s.mean = m.mean;
    s.stddev = std::sqrt(m.m2 / m.count);
  }
  return s;
}

void checkMask(const Volume& volume, const MaskVolume* mask) {
  if (mask != nullptr && mask->geometry().size != volume.geometry().size) {
    throw ParameterError("mask and volume sizes differ");
  }
}

template <typename F>
decltype(auto) withChannel(const Image2D& image, int channel, F&& f) {
  if (channel < 0 || channel >= image.channels()) throw ParameterError("channel out of range");
  const cv::Mat& m = image.mat();
  const int c = image.channels();
  const std::size_t w = static_cast<std::size_t>(image.width());
  const std::size_t n = w * image.height();
  switch (image.sampleType()) {
    case SampleType::UInt16:
      return f(n, [&m, c, w, channel](std::size_t i) {
        return static_cast<double>(
            m.ptr<std::uint16_t>(static_cast<int>(i / w))[(i % w) * c + channel]);
      });
    case SampleType::Float32:
      return f(n, [&m, c, w, channel](std::size_t i) {
        return static_cast<double>(m.ptr<float>(static_cast<int>(i / w))[(i % w) * c + channel]);
      });
    case SampleType::UInt8:
      break;
  }
  return f(n, [&m, c, w, channel](std::size_t i) {
    return static_cast<double>(m.ptr<std::uint8_t>(static_cast<int>(i / w))[(i % w) * c + channel]);
  });
}

}  // namespace

Histogram computeHistogram(const Volume& volume, const MaskVolume* mask,
                           const HistogramParams& params, Progress& progress) {
  checkMask(volume, mask);
  const float* data = volume.data();
  return histogram(volume.voxelCount(), mask != nullptr ? mask->data() : nullptr, params, progress,
                   [data](std::size_t i) { return static_cast<double>(data[i]); });
}

Histogram computeHistogram(const Image2D& image, int channel, const HistogramParams& params,
                           Progress& progress) {
  return withChannel(image, channel, [&](std::size_t n, const auto& get) {
    return histogram(n, nullptr, params, progress, get);
  });
}

ValueStats computeStats(const Volume& volume, const MaskVolume* mask) {
  checkMask(volume, mask);
  const float* data = volume.data();
  return stats(volume.voxelCount(), mask != nullptr ? mask->data() : nullptr,
               [data](std::size_t i) { return static_cast<double>(data[i]); });
}

ValueStats computeStats(const Image2D& image, int channel) {
  return withChannel(image, channel,
                     [&](std::size_t n, const auto& get) { return stats(n, nullptr, get); });
}

}  // namespace harmonia
