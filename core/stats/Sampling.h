#pragma once
// Deterministic jittered systematic sampling of large arrays, and the sorted
// value sample that percentile windows read.
//
// The one sampler of Harmonia (display histograms, Histogram.h; window/level
// percentiles, sampleValues below): the values are split into runs of
// `runLength` consecutive ones, the runs into groups of `stride` consecutive
// runs, and one run per group is read, at a pseudo-random position in the
// group (a fixed hash of the group index: the same sample every time). Every
// value has the same chance 1 / stride of being read, so sampled fractions are
// unbiased, and the jitter keeps the sample from aliasing with rows or slices.
// Arrays of at most maxSamples values are read whole (stride 1).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/image/Volume.h"

namespace harmonia {

/// Which runs of an array of `count` values to read (see above).
class JitteredSampler {
 public:
  /// Reads at most about `maxSamples` values (>= runLength) in runs of `runLength` (>= 1).
  JitteredSampler(std::uint64_t count, std::uint64_t maxSamples, std::uint64_t runLength = 1);

  /// True when every value is read.
  [[nodiscard]] bool exact() const { return stride_ == 1; }
  /// Runs in each group; each value is read with probability 1 / stride().
  [[nodiscard]] std::uint64_t stride() const { return stride_; }
  /// Groups, one run read from each.
  [[nodiscard]] std::uint64_t groups() const { return groups_; }
  /// Index range [first, second) of the run read in group `group` (< groups()).
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> run(std::uint64_t group) const;
  /// Values read in all (at most about maxSamples).
  [[nodiscard]] std::uint64_t valuesRead() const;

 private:
  std::uint64_t count_ = 0;
  std::uint64_t runLength_ = 1;
  std::uint64_t runs_ = 0;
  std::uint64_t stride_ = 1;
  std::uint64_t groups_ = 0;
};

/// A sorted, deterministic subsample of a volume's finite values.
struct ValueSample {
  std::vector<float> sorted;  ///< ascending; empty when the volume has no finite value

  /// Value below which `percent` (0..100, clamped) of the sample lies: the
  /// type-7 quantile (Quantiles.h); 0 when the sample is empty.
  [[nodiscard]] double percentile(double percent) const;
  /// The inverse of percentile(): the percent (0..100) of the sample at or
  /// below `value`, linear between order statistics (0 below the smallest,
  /// 100 above the largest; 0 when empty).
  [[nodiscard]] double percentRank(double value) const;
  /// Smallest and largest sampled values (0 when empty).
  [[nodiscard]] double min() const { return sorted.empty() ? 0.0 : sorted.front(); }
  [[nodiscard]] double max() const { return sorted.empty() ? 0.0 : sorted.back(); }
  /// True when no finite value was sampled.
  [[nodiscard]] bool empty() const { return sorted.empty(); }
};

/// Default number of voxels sampleValues() reads (few enough to sort on the
/// GUI thread: docs/performance.md).
inline constexpr std::size_t kDefaultValueSamples = std::size_t{1} << 18;

/// Samples about `maxSamples` single voxels of `volume` with JitteredSampler,
/// skips non-finite values and sorts them: percentiles cheap enough for the
/// GUI thread even for a 100-million-voxel volume. Every voxel is read when
/// the volume has at most `maxSamples` voxels.
[[nodiscard]] ValueSample sampleValues(const Volume& volume,
                                       std::size_t maxSamples = kDefaultValueSamples);

}  // namespace harmonia
