#include "core/compare/VolumeComparison.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <vector>

#include "core/compare/Wasserstein.h"
#include "core/harmonize/Resample.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Resample.h's inside rule and its tolerance (voxels), which absorbs the rounding of the index map.
constexpr double kInsideTolerance = 1e-6;
// Grids closer than this (mm) are the same grid: the other study is used without resampling.
constexpr double kSameGridTolerance_mm = 1e-6;
constexpr std::size_t kVoxelsPerTask = 1 << 15;

bool insideAxis(double c, int n) {
  return c >= -0.5 - kInsideTolerance && c <= n - 0.5 + kInsideTolerance;
}

const char* studyName(ComparisonGrid g) { return g == ComparisonGrid::A ? "study A" : "study B"; }

Geometry3D moved(Geometry3D g, const Eigen::Vector3d& by_mm) {
  g.origin_mm += by_mm;
  return g;
}

// Counts of one common-grid plane.
struct PlaneCounts {
  std::uint64_t region = 0;
  std::uint64_t compared = 0;
  std::uint64_t excluded = 0;
  std::uint64_t nonfinite = 0;
};

// Sums over the compared values, in double.
struct Sums {
  double a = 0.0, b = 0.0, diff = 0.0;               // first pass
  double aa = 0.0, bb = 0.0, ab = 0.0, diff2 = 0.0;  // second pass
};

// Sum over [0, n) of f(i) in a fixed order of blocks (thread-count independent).
template <typename F>
Sums deterministicSum(std::size_t n, F f) {
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, n, kVoxelsPerTask), Sums{},
      [&](const tbb::blocked_range<std::size_t>& r, Sums s) {
        for (std::size_t i = r.begin(); i < r.end(); ++i) f(i, s);
        return s;
      },
      [](Sums x, const Sums& y) {
        x.a += y.a;
        x.b += y.b;
        x.diff += y.diff;
        x.aa += y.aa;
        x.bb += y.bb;
        x.ab += y.ab;
        x.diff2 += y.diff2;
        return x;
      });
}

// Rethrows an InputError from a study's statistics with the study named first.
ValueSummary statisticsOf(const char* study, const char* where, std::span<const float> values,
                          const std::uint8_t* mask, Progress& progress) {
  try {
    return summarizeValues(values, mask, SummaryDetail::Quantiles, progress);
  } catch (const InputError&) {
    throw InputError(std::string(study) + " has no finite value " + where);
  }
}

}  // namespace

const char* toString(ComparisonGrid grid) { return grid == ComparisonGrid::A ? "a" : "b"; }

std::optional<ComparisonGrid> parseComparisonGrid(const std::string& name) {
  if (name.size() != 1) return std::nullopt;
  const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  if (c == 'a') return ComparisonGrid::A;
  if (c == 'b') return ComparisonGrid::B;
  return std::nullopt;
}

Geometry3D comparisonGrid(const Geometry3D& a, const Geometry3D& b,
                          const VolumeComparisonParams& params) {
  return params.grid == ComparisonGrid::A ? a : moved(b, params.offset_b_mm);
}

VolumeComparison compareVolumes(const Volume& a, const Volume& b, const MaskVolume* region,
                                const VolumeComparisonParams& params, Progress& progress) {
  if (!params.offset_b_mm.allFinite()) {
    throw ParameterError("compareVolumes: the offset of B must be finite");
  }
  if (a.empty()) throw InputError("study A is empty");
  if (b.empty()) throw InputError("study B is empty");
  const bool onA = params.grid == ComparisonGrid::A;
  const Volume& own = onA ? a : b;    // the study whose grid is the common grid
  const Volume& other = onA ? b : a;  // the study resampled onto it
  const Geometry3D grid = comparisonGrid(a.geometry(), b.geometry(), params);
  // The common grid's voxel centres in the other study's own world frame.
  const Geometry3D gridInOther =
      onA ? moved(a.geometry(), -params.offset_b_mm) : moved(b.geometry(), params.offset_b_mm);
  if (region != nullptr && !region->geometry().sameGrid(grid)) {
    throw InputError(std::string("region: the mask is not on the comparison grid (") +
                     (onA ? "A's grid" : "B's grid moved by the offset") + ")");
  }

  // The other study on the common grid (its own voxels when already there).
  const bool sameGrid = gridInOther.sameGrid(other.geometry(), kSameGridTolerance_mm);
  Volume resampled;
  if (!sameGrid) {
    ResampleParams rp;
    rp.interpolation = Interpolation::Linear;
    rp.outside_value = std::numeric_limits<float>::quiet_NaN();
    SubProgress resampleProgress(progress, 0.0, 0.3);
    resampled = resample(other, gridInOther, rp, resampleProgress);
  }
  const float* ownValues = own.data();
  const float* otherValues = sameGrid ? other.data() : resampled.data();
  const float* aValues = onA ? ownValues : otherValues;
  const float* bValues = onA ? otherValues : ownValues;
  const IndexMap map = indexMap(other.geometry(), gridInOther);
  const std::array<int, 3> otherSize = other.geometry().size;

  // Pass 1, per plane: classify every region voxel (outside the other study,
  // NaN/inf in either, compared) into two masks and counts.
  const int nx = grid.size[0], ny = grid.size[1], nz = grid.size[2];
  const std::size_t plane = static_cast<std::size_t>(nx) * ny;
  const std::size_t total = grid.voxelCount();
  MaskVolume compared(grid, kUninitialized);
  MaskVolume otherRegion;  // region voxels inside the other study (with a region only)
  if (region != nullptr) otherRegion = MaskVolume(grid, kUninitialized);
  std::vector<PlaneCounts> counts(nz);
  tbb::parallel_for(tbb::blocked_range<int>(0, nz, 1), [&](const tbb::blocked_range<int>& r) {
    for (int k = r.begin(); k < r.end(); ++k) {
      if (progress.cancelRequested()) return;
      PlaneCounts c;
      for (int j = 0; j < ny; ++j) {
        const std::size_t row =
            plane * static_cast<std::size_t>(k) + static_cast<std::size_t>(j) * nx;
        const Eigen::Vector3d start = map.linear * Eigen::Vector3d(0, j, k) + map.offset;
        const Eigen::Vector3d step = map.linear.col(0);
        for (int i = 0; i < nx; ++i) {
          const std::size_t v = row + static_cast<std::size_t>(i);
          compared.data()[v] = 0;
          if (region != nullptr) otherRegion.data()[v] = 0;
          if (region != nullptr && region->data()[v] == 0) continue;
          ++c.region;
          bool inside = sameGrid;
          if (!inside) {
            const Eigen::Vector3d p = start + i * step;
            inside = insideAxis(p[0], otherSize[0]) && insideAxis(p[1], otherSize[1]) &&
                     insideAxis(p[2], otherSize[2]);
          }
          if (!inside) {
            ++c.excluded;
            continue;
          }
          if (region != nullptr) otherRegion.data()[v] = 1;
          if (std::isfinite(aValues[v]) && std::isfinite(bValues[v])) {
            compared.data()[v] = 1;
            ++c.compared;
          } else {
            ++c.nonfinite;
          }
        }
      }
      counts[k] = c;
    }
  });
  progress.throwIfCancelled();
  progress.report(0.4);

  VolumeComparison out;
  out.grid = grid;
  out.grid_study = params.grid;
  out.statistics_on_own_grids = region == nullptr;
  std::uint64_t regionCount = 0;
  std::vector<std::uint64_t> planeStart(nz + 1, 0);
  for (int k = 0; k < nz; ++k) {
    regionCount += counts[k].region;
    out.voxels_compared += counts[k].compared;
    out.voxels_excluded += counts[k].excluded;
    out.voxels_nonfinite += counts[k].nonfinite;
    planeStart[k + 1] = planeStart[k] + counts[k].compared;
  }
  if (regionCount == 0) throw InputError("region: the mask holds no voxel");
  if (out.voxels_compared == 0) {
    throw InputError(std::string(studyName(onA ? ComparisonGrid::B : ComparisonGrid::A)) +
                     " has no voxel to compare with " + studyName(params.grid) +
                     (region != nullptr ? " inside the region" : "") + ": " +
                     std::to_string(out.voxels_excluded) + " lie outside its extent, " +
                     std::to_string(out.voxels_nonfinite) + " hold NaN or infinite values");
  }

  // Pass 2: the compared values, in grid order.
  const std::size_t n = out.voxels_compared;
  std::vector<float> av(n), bv(n);
  tbb::parallel_for(0, nz, [&](int k) {
    if (progress.cancelRequested()) return;
    std::size_t o = planeStart[k];
    const std::size_t begin = plane * static_cast<std::size_t>(k), end = begin + plane;
    for (std::size_t v = begin; v < end; ++v) {
      if (compared.data()[v] == 0) continue;
      av[o] = aValues[v];
      bv[o] = bValues[v];
      ++o;
    }
  });
  progress.throwIfCancelled();

  // Means, then centred sums (two passes, for accuracy).
  const double count = static_cast<double>(n);
  const Sums first = deterministicSum(n, [&](std::size_t i, Sums& s) {
    const double x = av[i], y = bv[i];
    s.a += x;
    s.b += y;
    s.diff += y - x;
  });
  const double meanA = first.a / count, meanB = first.b / count;
  const Sums second = deterministicSum(n, [&](std::size_t i, Sums& s) {
    const double x = av[i] - meanA, y = bv[i] - meanB, d = static_cast<double>(bv[i]) - av[i];
    s.aa += x * x;
    s.bb += y * y;
    s.ab += x * y;
    s.diff2 += d * d;
  });
  out.mean_diff = first.diff / count;
  out.rmse = std::sqrt(second.diff2 / count);
  out.pearson = second.aa > 0.0 && second.bb > 0.0 ? second.ab / std::sqrt(second.aa * second.bb)
                                                   : std::numeric_limits<double>::quiet_NaN();
  progress.throwIfCancelled();
  progress.report(0.5);

  // Wasserstein-1 between the two empirical distributions (equal sizes).
  SubProgress w1Progress(progress, 0.5, 0.7);
  out.wasserstein1 = wasserstein1(av, bv, w1Progress);
  std::vector<float>().swap(av);
  std::vector<float>().swap(bv);
  progress.report(0.7);

  // Per-study statistics.
  SubProgress aProgress(progress, 0.7, 0.85), bProgress(progress, 0.85, 1.0);
  if (region == nullptr) {
    out.a =
        statisticsOf("study A", "(every voxel is NaN or infinite)", a.voxels(), nullptr, aProgress);
    out.b =
        statisticsOf("study B", "(every voxel is NaN or infinite)", b.voxels(), nullptr, bProgress);
  } else {
    const std::span<const float> ownSpan(ownValues, total), otherSpan(otherValues, total);
    ValueSummary ownStats = statisticsOf(studyName(params.grid), "inside the region", ownSpan,
                                         region->data(), onA ? aProgress : bProgress);
    ValueSummary otherStats =
        statisticsOf(studyName(onA ? ComparisonGrid::B : ComparisonGrid::A), "inside the region",
                     otherSpan, otherRegion.data(), onA ? bProgress : aProgress);
    out.a = onA ? ownStats : otherStats;
    out.b = onA ? otherStats : ownStats;
  }
  progress.report(1.0);
  return out;
}

}  // namespace harmonia
