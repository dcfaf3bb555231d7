#include "core/stats/Histogram.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/stats/Sampling.h"
#include "core/util/Error.h"
#include "core/util/Parallel.h"

namespace harmonia {
namespace {

constexpr std::uint64_t kRun = 16;  // voxels per sampled run: one cache line of floats

// Calls f(begin, end) on blocks of the values to read, in parallel: every
// value (sampler null) or the sampler's runs.
template <typename F>
void forEachBlock(std::size_t n, const JitteredSampler* sampler, Progress& progress, const F& f) {
  if (sampler == nullptr) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kValuesPerTask),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        if (!progress.cancelRequested()) f(r.begin(), r.end());
                      });
  } else {
    tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, sampler->groups(), 4096),
                      [&](const tbb::blocked_range<std::uint64_t>& r) {
                        if (progress.cancelRequested()) return;
                        for (std::uint64_t g = r.begin(); g < r.end(); ++g) {
                          const auto [begin, end] = sampler->run(g);
                          f(begin, end);
                        }
                      });
  }
  progress.throwIfCancelled();
}

// Values are read through an accessor so volumes and strided image channels
// share one implementation.
template <typename Get>
Histogram histogram(std::size_t n, const std::uint8_t* mask, const HistogramParams& params,
                    const JitteredSampler* sampler, Progress& progress, const Get& get) {
  if (params.bins < 1) throw ParameterError("computeHistogram: bins must be >= 1");
  Histogram h;
  if (params.range) {
    h.min = params.range->first;
    h.max = params.range->second;
    if (!(h.max > h.min)) throw ParameterError("computeHistogram: range must have max > min");
  } else {
    struct MinMax {
      double min = std::numeric_limits<double>::infinity();
      double max = -std::numeric_limits<double>::infinity();
    };
    tbb::enumerable_thread_specific<MinMax> ranges;
    forEachBlock(n, sampler, progress, [&](std::size_t begin, std::size_t end) {
      MinMax& acc = ranges.local();
      for (std::size_t i = begin; i < end; ++i) {
        if (mask != nullptr && mask[i] == 0) continue;
        const double v = get(i);
        if (!std::isfinite(v)) continue;
        acc.min = std::min(acc.min, v);
        acc.max = std::max(acc.max, v);
      }
    });
    MinMax mm;
    for (const MinMax& r : ranges) {
      mm.min = std::min(mm.min, r.min);
      mm.max = std::max(mm.max, r.max);
    }
    if (mm.min > mm.max) {  // nothing finite
      h.min = 0.0;
      h.max = 1.0;
    } else {
      h.min = mm.min;
      h.max = mm.max > mm.min ? mm.max : mm.min + 1.0;
    }
  }
  const std::size_t bins = static_cast<std::size_t>(params.bins);
  const double scale = bins / (h.max - h.min);
  const double lo = h.min;
  const double hi = h.max;
  tbb::enumerable_thread_specific<std::vector<std::uint64_t>> locals(
      [bins] { return std::vector<std::uint64_t>(bins, 0); });
  forEachBlock(n, sampler, progress, [&](std::size_t begin, std::size_t end) {
    std::vector<std::uint64_t>& acc = locals.local();
    for (std::size_t i = begin; i < end; ++i) {
      if (mask != nullptr && mask[i] == 0) continue;
      const double v = get(i);
      if (!(v >= lo && v <= hi)) continue;  // also skips NaN
      ++acc[std::min(bins - 1, static_cast<std::size_t>((v - lo) * scale))];
    }
  });
  const std::uint64_t weight = sampler != nullptr ? sampler->stride() : 1;
  h.counts.assign(bins, 0);
  for (const auto& c : locals) {
    for (std::size_t b = 0; b < bins; ++b) h.counts[b] += c[b] * weight;
  }
  for (auto c : h.counts) h.total += c;
  h.exact = weight == 1;
  h.values_read = sampler != nullptr ? sampler->valuesRead() : n;
  h.bin_fraction_error =
      h.exact ? 0.0 : 1.96 * 0.5 / std::sqrt(static_cast<double>(sampler->groups()));
  progress.report(1.0);
  return h;
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
  if (params.max_samples != 0 && params.max_samples < kRun) {
    throw ParameterError("computeHistogram: maxSamples must be 0 or >= 16");
  }
  std::optional<JitteredSampler> sampler;
  if (params.max_samples != 0) {
    sampler.emplace(volume.voxelCount(), params.max_samples, kRun);
    if (sampler->exact()) sampler.reset();
  }
  const float* data = volume.data();
  return histogram(volume.voxelCount(), mask != nullptr ? mask->data() : nullptr, params,
                   sampler ? &*sampler : nullptr, progress,
                   [data](std::size_t i) { return static_cast<double>(data[i]); });
}

Histogram computeHistogram(const Image2D& image, int channel, const HistogramParams& params,
                           Progress& progress) {
  return withChannel(image, channel, [&](std::size_t n, const auto& get) {
    return histogram(n, nullptr, params, nullptr, progress, get);
  });
}

double histogramQuantile(const Histogram& h, double q) {
  if (h.total == 0 || h.counts.empty()) return h.min;
  const double target = q * static_cast<double>(h.total);
  double cumulative = 0.0;
  for (std::size_t b = 0; b < h.counts.size(); ++b) {
    const double c = static_cast<double>(h.counts[b]);
    if (c > 0.0 && cumulative + c >= target) {
      return h.min + (static_cast<double>(b) + (target - cumulative) / c) * h.binWidth();
    }
    cumulative += c;
  }
  return h.max;
}

}  // namespace harmonia
