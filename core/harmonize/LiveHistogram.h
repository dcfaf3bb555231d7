#pragma once
// Histograms for live display (before/after overlays while a user drags a
// slider), fast enough for 100 M-voxel volumes: <= 100 ms in a worker.
//
// Small volumes (<= max_samples voxels) are counted exactly. Larger ones are
// sampled: the voxels are split into runs of 16 (one 64-byte cache line of
// floats, so sampling also cuts memory traffic), the runs into groups of
// `stride` consecutive runs, and one run per group is read, at a pseudo-random
// position in the group (jittered systematic sampling: every voxel has the
// same chance 1 / stride of being read, so each bin's expected fraction is
// exact). Error: counting each sampled run as one observation (conservative:
// the 16 voxels of a run are at worst identical), the sampled fraction of
// voxels in any bin differs from the true fraction by at most
//     bin_fraction_error = 1.96 * 0.5 / sqrt(runs read)
// with 95 % confidence (~1e-3 at the default 2^24 samples). Multiply the
// counts by `count_scale` to estimate the full volume's counts.

#include <cstdint>
#include <optional>
#include <utility>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/stats/Histogram.h"

namespace harmonia {

/// Parameters of a live histogram.
struct LiveHistogramParams {
  int bins = 256;  ///< equal-width bins
  /// Value range; absent: the finite min and max of the sampled masked voxels.
  /// Give the same range to the before and after histograms of an overlay.
  std::optional<std::pair<double, double>> range;
  std::uint64_t max_samples = std::uint64_t{1} << 24;  ///< voxels read at most (about)
};

/// A possibly sampled histogram.
struct LiveHistogram {
  Histogram histogram;              ///< counts of the sampled voxels inside the mask
  bool exact = true;                ///< every voxel was counted
  std::uint64_t voxels_read = 0;    ///< voxels read (inside or outside the mask)
  double count_scale = 1.0;         ///< full-volume count estimate = count * count_scale
  double bin_fraction_error = 0.0;  ///< 95 % bound on a bin's fraction error (0 when exact)
};

/// Histogram of `volume` inside `mask` (same size; nullptr: all voxels), for display.
LiveHistogram liveHistogram(const Volume& volume, const MaskVolume* mask,
                            const LiveHistogramParams& params = {},
                            Progress& progress = noProgress());

}  // namespace harmonia
