#pragma once
// Comparing two studies (A and B) voxel by voxel on a common grid.
//
// Contract:
//  - The common grid is A's grid (ComparisonGrid::A) or B's (ComparisonGrid::B);
//    the other study is resampled onto it with trilinear interpolation
//    (Resample.h), in physical coordinates. When the other study already lies
//    on that grid (within 1e-6 mm), its voxels are used as they are.
//  - Offset: B is moved by offset_b_mm before the comparison. The voxel of B
//    at world position p (B's own geometry) is compared with A at p +
//    offset_b_mm; so when an anatomical point lies at q_A in A and at q_B in
//    B, offset_b_mm = q_A - q_B lines them up. comparisonGrid() and the
//    report's grid are in A's world frame (for ComparisonGrid::B: B's grid
//    moved by the offset).
//  - Inside: a common-grid voxel whose centre falls outside the other study's
//    voxels (Resample's rule: continuous index outside [-0.5, n - 0.5] on some
//    axis, with Resample's tolerance of 1e-6 voxels) is not compared and is
//    counted in voxels_excluded.
//  - Region: an optional mask on the common grid (its geometry must be
//    comparisonGrid(), within 1e-4 mm); only its nonzero voxels are looked at.
//    Without one, every voxel of the common grid is.
//  - Compared voxels: inside the region, inside the other study, and finite
//    in both (a value interpolated from a NaN neighbour is NaN); the region's
//    voxels inside the other study where either value is NaN or infinite are
//    counted in voxels_nonfinite.
//  - Per-study statistics (a, b): without a region, each study's statistics
//    over all of its own voxels on its own grid (nothing resampled); with a
//    region, each study's values on the common grid at the region's voxels
//    where that study has data (for the grid's own study: every region voxel;
//    for the resampled one: the region voxels inside its extent), so N may
//    differ between a, b and voxels_compared. NaN/inf are skipped (core/stats/Summary.h).
//  - Over the compared voxels, with a_i and b_i the two values of voxel i and
//    N = voxels_compared: mean_diff = mean(b_i - a_i); rmse = sqrt(mean((b_i -
//    a_i)^2)); pearson = the sample correlation of (a_i, b_i) (NaN when either
//    is constant); wasserstein1 = the Wasserstein-1 distance between the
//    empirical distributions {a_i} and {b_i}, exactly mean |sorted(a)_i -
//    sorted(b)_i| (the counts are equal; Wasserstein.h). Sums are in double
//    precision and in a fixed order, so results do not depend on the number
//    of threads.
//  - Errors: InputError starting with "study A", "study B" or "region" (which
//    input is at fault) for an empty study, an empty region, no voxel
//    compared, or a study without a finite value where its statistics are
//    taken; ParameterError for a non-finite offset. Inputs are never changed.
//
// Cost: one resampling (parallel), a few parallel passes over the common grid
// and W1's binning (Wasserstein.h); memory beyond the inputs about 6 bytes per
// common-grid voxel (the resampled study and two masks) plus 8 per compared
// voxel (their values), and up to 8 more per compared voxel for the values W1
// gathers to sort (Wasserstein.h).

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>

#include "core/image/Volume.h"
#include "core/job/Progress.h"
#include "core/stats/Summary.h"

namespace harmonia {

/// Which study's grid the comparison is made on.
enum class ComparisonGrid { A, B };

/// "a" or "b".
const char* toString(ComparisonGrid grid);
/// Parses "a" or "b" (either case); nullopt for anything else.
std::optional<ComparisonGrid> parseComparisonGrid(const std::string& name);

/// Parameters of a two-study comparison.
struct VolumeComparisonParams {
  ComparisonGrid grid = ComparisonGrid::A;  ///< default: B is resampled onto A's grid
  /// Translation of B (mm, LPS world axes) before the comparison; default none.
  Eigen::Vector3d offset_b_mm = Eigen::Vector3d::Zero();
};

/// The result of compareVolumes (see the contract above).
struct VolumeComparison {
  ValueSummary a;  ///< study A (own grid without a region, else on the common grid)
  ValueSummary b;  ///< study B (likewise)
  bool statistics_on_own_grids = true;  ///< true when no region was given
  ComparisonGrid grid_study = ComparisonGrid::A;
  Geometry3D grid;                     ///< the common grid, in A's world frame
  std::uint64_t voxels_compared = 0;   ///< N of mean_diff, rmse, pearson, wasserstein1
  std::uint64_t voxels_excluded = 0;   ///< region voxels outside the other study's extent
  std::uint64_t voxels_nonfinite = 0;  ///< region voxels inside it with a NaN/inf value
  double mean_diff = 0.0;              ///< mean of B - A, in the studies' units
  double rmse = 0.0;                   ///< root mean square of B - A
  double pearson = 0.0;                ///< correlation of A and B; NaN when either is constant
  double wasserstein1 = 0.0;           ///< Wasserstein-1 distance, in the studies' units
};

/// The common grid of a comparison, in A's world frame: A's grid, or B's moved by the offset.
Geometry3D comparisonGrid(const Geometry3D& a, const Geometry3D& b,
                          const VolumeComparisonParams& params = {});

/// Compares study B with study A on a common grid inside `region` (nullptr:
/// the whole grid); see the contract above. Honours cancel (throws Cancelled).
VolumeComparison compareVolumes(const Volume& a, const Volume& b,
                                const MaskVolume* region = nullptr,
                                const VolumeComparisonParams& params = {},
                                Progress& progress = noProgress());

}  // namespace harmonia
