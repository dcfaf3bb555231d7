#include "core/harmonize/Resample.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <Eigen/LU>
#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <cmath>
#include <vector>

#include "core/harmonize/BSplinePrefilter.h"
#include "core/util/Error.h"
#include "core/util/Mirror.h"
#include "core/util/Simd.h"

namespace harmonia {
namespace {

constexpr double kInsideTolerance = 1e-6;  // voxels; absorbs rounding of the index map

bool insideAxis(double c, int n) {
  return c >= -0.5 - kInsideTolerance && c <= n - 0.5 + kInsideTolerance;
}

// Cubic B-spline weights for the taps at floor(c) - 1 .. floor(c) + 2, t = c - floor(c).
void cubicWeights(double t, double w[4]) {
  const double t2 = t * t, t3 = t2 * t;
  w[0] = (1.0 - t) * (1.0 - t) * (1.0 - t) / 6.0;
  w[1] = (4.0 - 6.0 * t2 + 3.0 * t3) / 6.0;
  w[2] = (1.0 + 3.0 * t + 3.0 * t2 - 3.0 * t3) / 6.0;
  w[3] = t3 / 6.0;
}

// Taps (input indices and weights) of one output coordinate along one axis.
struct Taps {
  int count = 0;
  int index[4] = {0, 0, 0, 0};
  double weight[4] = {0, 0, 0, 0};
};

Taps tapsAt(double c, int n, Interpolation interpolation) {
  Taps t;
  switch (interpolation) {
    case Interpolation::Nearest: {
      t.count = 1;
      t.index[0] = std::clamp(static_cast<int>(std::floor(c + 0.5)), 0, n - 1);
      t.weight[0] = 1.0;
      break;
    }
    case Interpolation::Linear: {
      const double cc = std::clamp(c, 0.0, static_cast<double>(n - 1));
      const int i0 = n > 1 ? std::min(static_cast<int>(std::floor(cc)), n - 2) : 0;
      const double f = cc - i0;
      t.count = 2;
      t.index[0] = i0;
      t.index[1] = std::min(i0 + 1, n - 1);
      t.weight[0] = 1.0 - f;
      t.weight[1] = f;
      break;
    }
    case Interpolation::CubicBSpline: {
      const double fl = std::floor(c);
      const int i0 = static_cast<int>(fl);
      t.count = 4;
      cubicWeights(c - fl, t.weight);
      for (int m = 0; m < 4; ++m) t.index[m] = mirrorIndex(i0 - 1 + m, n);
      break;
    }
  }
  return t;
}

// Per-axis table for the separable path.
struct AxisTable {
  std::vector<Taps> taps;
  std::vector<char> inside;
};

AxisTable axisTable(int nOut, double scale, double offset, int nIn, Interpolation interpolation) {
  AxisTable table;
  table.taps.resize(nOut);
  table.inside.resize(nOut);
  for (int o = 0; o < nOut; ++o) {
    const double c = scale * o + offset;
    table.inside[o] = insideAxis(c, nIn) ? 1 : 0;
    table.taps[o] = tapsAt(c, nIn, interpolation);
  }
  return table;
}

// out[i] = sum_r w[r] rows[r][i], i in [0, n).
HARMONIA_SIMD_CLONES
void weightedRowSum(const float* const* rows, const float* w, int m, float* __restrict out, int n) {
  const float* __restrict r0 = rows[0];
  const float w0 = w[0];
  for (int i = 0; i < n; ++i) out[i] = w0 * r0[i];
  for (int r = 1; r < m; ++r) {
    const float* __restrict rr = rows[r];
    const float wr = w[r];
    for (int i = 0; i < n; ++i) out[i] += wr * rr[i];
  }
}

// Linear interpolation along x out of a combined row.
HARMONIA_SIMD_CLONES
void interpolateRowLinear(const float* __restrict row, const int* __restrict i0,
                          const float* __restrict f, float* __restrict out, int n) {
  for (int i = 0; i < n; ++i) {
    const float a = row[i0[i]], b = row[i0[i] + 1];
    out[i] = a + f[i] * (b - a);
  }
}

// The separable path (axis-aligned grids): each input plane is interpolated
// along x, then y, onto the output's (x, y) grid once ("xy plane"), and each
// output plane is a weighted sum of the few xy planes its z taps name. Input
// planes are read once per chunk of output planes and every pass is a
// contiguous, vectorised loop; the xy planes a chunk needs next are cached.
class SeparableResampler {
 public:
  // The xy planes a chunk of output planes has computed, by input plane index.
  struct Cache {
    struct Slot {
      int z = -1;
      long used = 0;
      std::vector<float> data;
    };
    std::array<Slot, 5> slots;
    std::vector<float> x_rows;  // the needed input rows of one plane, interpolated along x
    long clock = 0;
  };

  SeparableResampler(const float* source, const std::array<int, 3>& n, const IndexMap& map,
                     Interpolation interpolation, float outside, Volume& out)
      : source_(source),
        n_(n),
        outside_(outside),
        out_(out),
        ox_(out.geometry().size[0]),
        oy_(out.geometry().size[1]),
        tx_(axisTable(ox_, map.linear(0, 0), map.offset[0], n[0], interpolation)),
        ty_(axisTable(oy_, map.linear(1, 1), map.offset[1], n[1], interpolation)),
        tz_(axisTable(out.geometry().size[2], map.linear(2, 2), map.offset[2], n[2],
                      interpolation)) {
    // Input rows the inside output rows need.
    for (int j = 0; j < oy_; ++j) {
      if (!ty_.inside[j]) continue;
      for (int q = 0; q < ty_.taps[j].count; ++q) {
        ylo_ = std::min(ylo_, ty_.taps[j].index[q]);
        yhi_ = std::max(yhi_, ty_.taps[j].index[q]);
      }
    }
    for (int i = 0; i < ox_; ++i) {
      if (!tx_.inside[i]) continue;
      if (firstIn_ < 0) firstIn_ = i;
      lastIn_ = i;
    }
    contiguous_ = firstIn_ >= 0;
    for (int i = std::max(firstIn_, 0); i <= lastIn_ && contiguous_; ++i) {
      contiguous_ = tx_.inside[i] != 0;
    }
    linearX_ = interpolation == Interpolation::Linear && n[0] >= 2 && contiguous_;
    if (linearX_) {
      linI0_.resize(ox_);
      linF_.resize(ox_);
      for (int i = firstIn_; i <= lastIn_; ++i) {
        linI0_[i] = tx_.taps[i].index[0];  // taps are i0 and i0 + 1 (see tapsAt)
        linF_[i] = static_cast<float>(tx_.taps[i].weight[1]);
      }
    }
  }

  // Writes output plane k.
  void outputPlane(int k, Cache& cache) const {
    const std::size_t plane = static_cast<std::size_t>(ox_) * oy_;
    float* dst = out_.data() + plane * static_cast<std::size_t>(k);
    if (!tz_.inside[k] || firstIn_ < 0 || ylo_ > yhi_) {
      std::fill_n(dst, plane, outside_);
      return;
    }
    const Taps& t = tz_.taps[k];
    std::array<const float*, 4> planes{};
    std::array<float, 4> weights{};
    int m = 0;
    for (int p = 0; p < t.count; ++p) {
      if (t.weight[p] == 0.0) continue;
      planes[m] = xyPlane(t.index[p], cache);
      weights[m++] = static_cast<float>(t.weight[p]);
    }
    if (m == 0) {
      planes[m] = xyPlane(t.index[0], cache);
      weights[m++] = 0.0f;
    }
    weightedRowSum(planes.data(), weights.data(), m, dst, static_cast<int>(plane));
    // Voxels outside the input along x or y.
    for (int j = 0; j < oy_; ++j) {
      float* row = dst + static_cast<std::size_t>(j) * ox_;
      if (!ty_.inside[j]) {
        std::fill_n(row, ox_, outside_);
      } else if (contiguous_) {
        std::fill_n(row, firstIn_, outside_);
        std::fill(row + lastIn_ + 1, row + ox_, outside_);
      } else {
        for (int i = 0; i < ox_; ++i) {
          if (!tx_.inside[i]) row[i] = outside_;
        }
      }
    }
  }

 private:
  // Input plane z interpolated onto the output's x and y (cached).
  const float* xyPlane(int z, Cache& cache) const {
    Cache::Slot* slot = nullptr;
    for (auto& s : cache.slots) {
      if (s.z == z) {
        s.used = ++cache.clock;
        return s.data.data();
      }
    }
    for (auto& s : cache.slots) {
      if (!slot || s.used < slot->used) slot = &s;
    }
    slot->z = z;
    slot->used = ++cache.clock;
    slot->data.resize(static_cast<std::size_t>(ox_) * oy_);
    fillXyPlane(z, cache.x_rows, slot->data.data());
    return slot->data.data();
  }

  void fillXyPlane(int z, std::vector<float>& xRows, float* xy) const {
    const std::size_t inPlane = static_cast<std::size_t>(n_[0]) * n_[1];
    const float* src = source_ + inPlane * static_cast<std::size_t>(z);
    xRows.resize(static_cast<std::size_t>(yhi_ - ylo_ + 1) * ox_);
    // Along x: every needed input row.
    for (int y = ylo_; y <= yhi_; ++y) {
      const float* in = src + static_cast<std::size_t>(y) * n_[0];
      float* xr = xRows.data() + static_cast<std::size_t>(y - ylo_) * ox_;
      if (linearX_) {
        interpolateRowLinear(in, linI0_.data() + firstIn_, linF_.data() + firstIn_, xr + firstIn_,
                             lastIn_ - firstIn_ + 1);
        continue;
      }
      for (int i = 0; i < ox_; ++i) {
        if (!tx_.inside[i]) continue;
        const Taps& tap = tx_.taps[i];
        float acc = 0.0f;
        for (int q = 0; q < tap.count; ++q) {
          acc += static_cast<float>(tap.weight[q]) * in[tap.index[q]];
        }
        xr[i] = acc;
      }
    }
    // Along y: every inside output row from its taps' x-interpolated rows.
    std::array<const float*, 4> rows{};
    std::array<float, 4> weights{};
    for (int j = 0; j < oy_; ++j) {
      if (!ty_.inside[j]) continue;
      const Taps& tap = ty_.taps[j];
      int m = 0;
      for (int q = 0; q < tap.count; ++q) {
        if (tap.weight[q] == 0.0 && !(q + 1 == tap.count && m == 0)) continue;
        rows[m] = xRows.data() + static_cast<std::size_t>(tap.index[q] - ylo_) * ox_;
        weights[m++] = static_cast<float>(tap.weight[q]);
      }
      float* dst = xy + static_cast<std::size_t>(j) * ox_;
      if (contiguous_) {
        std::array<const float*, 4> shifted{};
        for (int q = 0; q < m; ++q) shifted[q] = rows[q] + firstIn_;
        weightedRowSum(shifted.data(), weights.data(), m, dst + firstIn_, lastIn_ - firstIn_ + 1);
      } else {
        weightedRowSum(rows.data(), weights.data(), m, dst, ox_);
      }
    }
  }

  const float* source_;
  std::array<int, 3> n_;
  float outside_;
  Volume& out_;
  int ox_, oy_;
  AxisTable tx_, ty_, tz_;
  int ylo_ = INT_MAX, yhi_ = INT_MIN;
  int firstIn_ = -1, lastIn_ = -1;
  bool contiguous_ = false;
  bool linearX_ = false;
  std::vector<int> linI0_;
  std::vector<float> linF_;
};

// General (oblique) per-voxel evaluation at continuous index c, assumed inside.
template <typename T>
double sampleAt(const T* data, const std::array<int, 3>& n, const Eigen::Vector3d& c,
                Interpolation interpolation) {
  const std::size_t nx = n[0], plane = nx * n[1];
  const Taps tx = tapsAt(c[0], n[0], interpolation);
  const Taps ty = tapsAt(c[1], n[1], interpolation);
  const Taps tz = tapsAt(c[2], n[2], interpolation);
  double acc = 0.0;
  for (int a = 0; a < tz.count; ++a) {
    if (tz.weight[a] == 0.0) continue;
    for (int b = 0; b < ty.count; ++b) {
      if (ty.weight[b] == 0.0) continue;
      const T* row = data + tz.index[a] * plane + ty.index[b] * nx;
      double rowSum = 0.0;
      for (int m = 0; m < tx.count; ++m) rowSum += tx.weight[m] * row[tx.index[m]];
      acc += tz.weight[a] * ty.weight[b] * rowSum;
    }
  }
  return acc;
}

bool isSeparable(const Eigen::Matrix3d& m) {
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) {
      if (r != c && std::abs(m(r, c)) > 1e-9) return false;
    }
  }
  return true;
}

void checkGrid(const Geometry3D& g, const char* what) {
  for (int a = 0; a < 3; ++a) {
    if (g.size[a] < 1) throw ParameterError(std::string(what) + " grid is empty");
    if (!(g.spacing_mm[a] > 0.0) || !std::isfinite(g.spacing_mm[a])) {
      throw ParameterError(std::string(what) + " grid spacing must be > 0 mm");
    }
  }
  if (std::abs(g.direction.determinant()) < 1e-6) {
    throw ParameterError(std::string(what) + " grid direction matrix is singular");
  }
}

// Fills `out` (target grid) from `source` data: separable fast path or general path.
void resampleData(const float* source, const std::array<int, 3>& n, const IndexMap& map,
                  Interpolation interpolation, float outside, Volume& out, Progress& progress) {
  const Geometry3D& tg = out.geometry();
  const int ox = tg.size[0], oy = tg.size[1], oz = tg.size[2];
  std::atomic<int> planesDone{0};
  auto reportPlane = [&] {
    const int done = ++planesDone;
    if ((done & 7) == 0) progress.report(static_cast<double>(done) / oz);
  };
  if (isSeparable(map.linear)) {
    SeparableResampler r(source, n, map, interpolation, outside, out);
    // Few large chunks: each chunk recomputes the one or two input planes it
    // shares with its neighbour, so chunks should be long.
    const int chunks = std::max(1, 2 * tbb::this_task_arena::max_concurrency());
    const int grain = std::max(1, (oz + chunks - 1) / chunks);
    tbb::parallel_for(
        tbb::blocked_range<int>(0, oz, grain),
        [&](const tbb::blocked_range<int>& range) {
          SeparableResampler::Cache cache;
          for (int k = range.begin(); k < range.end(); ++k) {
            if (progress.cancelRequested()) return;
            r.outputPlane(k, cache);
            reportPlane();
          }
        },
        tbb::simple_partitioner());
  } else {
    tbb::parallel_for(tbb::blocked_range<int>(0, oz, 1), [&](const tbb::blocked_range<int>& range) {
      for (int k = range.begin(); k < range.end(); ++k) {
        if (progress.cancelRequested()) return;
        for (int j = 0; j < oy; ++j) {
          const Eigen::Vector3d start = map.linear * Eigen::Vector3d(0, j, k) + map.offset;
          const Eigen::Vector3d step = map.linear.col(0);
          float* dst = out.data() + out.index(0, j, k);
          for (int i = 0; i < ox; ++i) {
            const Eigen::Vector3d c = start + i * step;
            const bool inside =
                insideAxis(c[0], n[0]) && insideAxis(c[1], n[1]) && insideAxis(c[2], n[2]);
            dst[i] = inside ? static_cast<float>(sampleAt(source, n, c, interpolation)) : outside;
          }
        }
        reportPlane();
      }
    });
  }
  progress.throwIfCancelled();
}

}  // namespace

const char* toString(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::Nearest:
      return "nearest";
    case Interpolation::Linear:
      return "linear";
    case Interpolation::CubicBSpline:
      return "cubic";
  }
  return "linear";
}

std::optional<Interpolation> parseInterpolation(const std::string& name) {
  if (name == "nearest") return Interpolation::Nearest;
  if (name == "linear") return Interpolation::Linear;
  if (name == "cubic" || name == "bspline") return Interpolation::CubicBSpline;
  return std::nullopt;
}

Geometry3D isotropicGrid(const Geometry3D& grid, double spacing_mm) {
  if (!(spacing_mm > 0.0) || !std::isfinite(spacing_mm)) {
    throw ParameterError("isotropic spacing must be > 0 mm");
  }
  Geometry3D g;
  const Eigen::Vector3d extent = grid.extent_mm();
  for (int a = 0; a < 3; ++a) {
    g.size[a] = std::max(1, static_cast<int>(std::lround(extent[a] / spacing_mm)));
    g.spacing_mm[a] = spacing_mm;
  }
  g.direction = grid.direction;
  const Eigen::Vector3d centre = grid.indexToWorld(
      0.5 * Eigen::Vector3d(grid.size[0] - 1, grid.size[1] - 1, grid.size[2] - 1));
  g.origin_mm =
      centre - g.direction * (0.5 * spacing_mm *
                              Eigen::Vector3d(g.size[0] - 1, g.size[1] - 1, g.size[2] - 1));
  return g;
}

IndexMap indexMap(const Geometry3D& source, const Geometry3D& target) {
  const Eigen::Matrix3d toSource =
      source.spacing_mm.cwiseInverse().asDiagonal() * source.direction.inverse();
  IndexMap map;
  map.linear = toSource * target.direction * target.spacing_mm.asDiagonal();
  map.offset = toSource * (target.origin_mm - source.origin_mm);
  return map;
}

Volume resample(const Volume& input, const Geometry3D& target, const ResampleParams& params,
                Progress& progress) {
  if (input.empty()) throw ParameterError("resample: empty input volume");
  checkGrid(target, "target");
  Volume out(target, kUninitialized);
  resampleInto(input, out, params, progress);
  return out;
}

void resampleInto(const Volume& input, Volume& output, const ResampleParams& params,
                  Progress& progress) {
  if (input.empty()) throw ParameterError("resample: empty input volume");
  if (output.empty()) throw ParameterError("resample: empty output grid");
  if (input.data() == output.data()) throw ParameterError("resample: output is the input");
  checkGrid(input.geometry(), "input");
  checkGrid(output.geometry(), "target");
  progress.throwIfCancelled();
  const IndexMap map = indexMap(input.geometry(), output.geometry());
  if (params.interpolation == Interpolation::CubicBSpline) {
    Volume coefficients = input;
    SubProgress prefilterProgress(progress, 0.0, 0.3);
    bsplinePrefilter(coefficients, prefilterProgress);
    SubProgress evalProgress(progress, 0.3, 1.0);
    resampleData(coefficients.data(), input.geometry().size, map, params.interpolation,
                 params.outside_value, output, evalProgress);
  } else {
    resampleData(input.data(), input.geometry().size, map, params.interpolation,
                 params.outside_value, output, progress);
  }
  output.setUnits(input.units());
  output.metadata() = input.metadata();
  progress.report(1.0);
}

MaskVolume resampleMask(const MaskVolume& mask, const Geometry3D& target,
                        MaskInterpolation interpolation, Progress& progress) {
  if (mask.empty()) throw ParameterError("resampleMask: empty mask");
  checkGrid(mask.geometry(), "mask");
  checkGrid(target, "target");
  progress.throwIfCancelled();
  const IndexMap map = indexMap(mask.geometry(), target);
  const std::array<int, 3> n = mask.geometry().size;
  // Sub-samples per output axis for the partial-volume estimate.
  int sub[3] = {1, 1, 1};
  if (interpolation == MaskInterpolation::PartialVolume) {
    const double finest = mask.geometry().spacing_mm.minCoeff();
    for (int a = 0; a < 3; ++a) {
      sub[a] = std::clamp(static_cast<int>(std::ceil(target.spacing_mm[a] / finest - 1e-9)), 1, 4);
    }
  }
  // Work on a 0/1 indicator so interpolated values are coverage fractions.
  std::vector<std::uint8_t> indicator(mask.voxelCount());
  std::transform(mask.data(), mask.data() + mask.voxelCount(), indicator.begin(),
                 [](std::uint8_t v) { return static_cast<std::uint8_t>(v != 0); });
  const std::uint8_t* data = indicator.data();
  MaskVolume out(target, kUninitialized);
  std::atomic<int> planesDone{0};
  tbb::parallel_for(
      tbb::blocked_range<int>(0, target.size[2], 1), [&](const tbb::blocked_range<int>& range) {
        std::vector<float> indicatorRow;
        for (int k = range.begin(); k < range.end(); ++k) {
          if (progress.cancelRequested()) return;
          for (int j = 0; j < target.size[1]; ++j) {
            std::uint8_t* dst = out.data() + out.index(0, j, k);
            for (int i = 0; i < target.size[0]; ++i) {
              if (interpolation == MaskInterpolation::Nearest) {
                const Eigen::Vector3d c = map.linear * Eigen::Vector3d(i, j, k) + map.offset;
                const bool inside =
                    insideAxis(c[0], n[0]) && insideAxis(c[1], n[1]) && insideAxis(c[2], n[2]);
                dst[i] = inside && sampleAt(data, n, c, Interpolation::Nearest) != 0.0 ? 1 : 0;
                continue;
              }
              double covered = 0.0;
              for (int sk = 0; sk < sub[2]; ++sk) {
                for (int sj = 0; sj < sub[1]; ++sj) {
                  for (int si = 0; si < sub[0]; ++si) {
                    const Eigen::Vector3d o(i + (si + 0.5) / sub[0] - 0.5,
                                            j + (sj + 0.5) / sub[1] - 0.5,
                                            k + (sk + 0.5) / sub[2] - 0.5);
                    const Eigen::Vector3d c = map.linear * o + map.offset;
                    if (!insideAxis(c[0], n[0]) || !insideAxis(c[1], n[1]) ||
                        !insideAxis(c[2], n[2])) {
                      continue;
                    }
                    covered += sampleAt(data, n, c, Interpolation::Linear);
                  }
                }
              }
              dst[i] = covered / (sub[0] * sub[1] * sub[2]) >= 0.5 - 1e-9 ? 1 : 0;
            }
          }
          const int done = ++planesDone;
          if ((done & 7) == 0) progress.report(static_cast<double>(done) / target.size[2]);
        }
      });
  progress.throwIfCancelled();
  progress.report(1.0);
  return out;
}

}  // namespace harmonia
