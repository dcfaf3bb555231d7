#include "core/stats/Sampling.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Deterministic hash of a group index (splitmix64's finaliser).
std::uint64_t hashOf(std::uint64_t group) {
  std::uint64_t x = group * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 29;
  return x;
}

}  // namespace

JitteredSampler::JitteredSampler(std::uint64_t count, std::uint64_t maxSamples,
                                 std::uint64_t runLength)
    : count_(count), runLength_(runLength) {
  if (runLength < 1 || maxSamples < runLength) {
    throw ParameterError("sampling: need runLength >= 1 and maxSamples >= runLength");
  }
  runs_ = (count + runLength - 1) / runLength;
  const std::uint64_t maxRuns = maxSamples / runLength;
  stride_ = runs_ <= maxRuns ? 1 : (runs_ + maxRuns - 1) / maxRuns;
  groups_ = (runs_ + stride_ - 1) / stride_;
}

std::pair<std::uint64_t, std::uint64_t> JitteredSampler::run(std::uint64_t group) const {
  const std::uint64_t first = group * stride_;
  const std::uint64_t inGroup = std::min(stride_, runs_ - first);
  const std::uint64_t r = first + (stride_ == 1 ? 0 : hashOf(group) % stride_ % inGroup);
  const std::uint64_t begin = r * runLength_;
  return {begin, std::min(count_, begin + runLength_)};
}

std::uint64_t JitteredSampler::valuesRead() const { return std::min(count_, groups_ * runLength_); }

double ValueSample::percentile(double percent) const {
  return quantileOfSorted(std::span<const float>(sorted), percent / 100.0);
}

double ValueSample::percentRank(double value) const {
  if (sorted.empty() || std::isnan(value)) return 0.0;
  if (value <= static_cast<double>(sorted.front())) return 0.0;
  if (value >= static_cast<double>(sorted.back())) return 100.0;
  // First order statistic above value; interpolate between it and the one before.
  const auto it = std::upper_bound(sorted.begin(), sorted.end(), static_cast<float>(value));
  const auto hi = static_cast<std::size_t>(it - sorted.begin());
  const std::size_t lo = hi - 1;
  const double a = sorted[lo];
  const double b = sorted[hi];
  const double t = b > a ? (value - a) / (b - a) : 0.0;
  return 100.0 * (static_cast<double>(lo) + t) / static_cast<double>(sorted.size() - 1);
}

ValueSample sampleValues(const Volume& volume, std::size_t maxSamples) {
  ValueSample sample;
  const std::size_t n = volume.voxelCount();
  if (n == 0) return sample;
  const float* v = volume.data();
  const JitteredSampler sampler(n, std::max<std::size_t>(maxSamples, 1));
  sample.sorted.reserve(sampler.groups());
  for (std::uint64_t g = 0; g < sampler.groups(); ++g) {
    const std::size_t i = sampler.run(g).first;
    if (std::isfinite(v[i])) sample.sorted.push_back(v[i]);
  }
  std::sort(sample.sorted.begin(), sample.sorted.end());
  return sample;
}

}  // namespace harmonia
