#include "core/features/Interpolation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace harmonia::features {

namespace {

// Samples of padding on each side of a line before the cubic B-spline
// prefilter. The prefilter's impulse response decays as |sqrt(3) - 2|^n, so
// 24 samples put the effect of the (artificial) line ends below 1e-13 of the
// signal: a box inside the image is interpolated as if the whole line had been
// prefiltered, and at the image ends the padding is the IBSI nearest-value
// padding (docs/05_Reference_data_sets.rst, "Notes on interpolation").
constexpr int kSplineMargin = 24;

int clampIndex(long long i, int n) {
  return static_cast<int>(std::clamp<long long>(i, 0, static_cast<long long>(n) - 1));
}

long long floorToLong(double t) { return static_cast<long long>(std::floor(t)); }

// Inclusive range of original indices that positions [tMin, tMax] need.
std::array<int, 2> neededRange(double tMin, double tMax, ImageInterpolation method, int n) {
  long long a = 0;
  long long b = 0;
  switch (method) {
    case ImageInterpolation::NearestNeighbour:
      a = floorToLong(tMin + 0.5);
      b = floorToLong(tMax + 0.5);
      break;
    case ImageInterpolation::Linear:
      a = floorToLong(tMin);
      b = floorToLong(tMax) + 1;
      break;
    case ImageInterpolation::TricubicSpline:
      a = floorToLong(tMin) - 1 - kSplineMargin;
      b = floorToLong(tMax) + 2 + kSplineMargin;
      break;
  }
  return {clampIndex(a, n), clampIndex(b, n)};
}

// Resamples one line `in` (n samples) at `positions` (continuous indices of
// the line; outside [0, n-1] the nearest sample is extended) into `out`.
void resampleLine(const double* in, int n, const std::vector<double>& positions,
                  ImageInterpolation method, double* out, std::vector<double>& scratch) {
  const int m = static_cast<int>(positions.size());
  switch (method) {
    case ImageInterpolation::NearestNeighbour:
      for (int q = 0; q < m; ++q) out[q] = in[clampIndex(floorToLong(positions[q] + 0.5), n)];
      return;
    case ImageInterpolation::Linear:
      for (int q = 0; q < m; ++q) {
        const double t = positions[q];
        const long long i = floorToLong(t);
        const double f = t - static_cast<double>(i);
        const double a = in[clampIndex(i, n)];
        const double b = in[clampIndex(i + 1, n)];
        out[q] = (1.0 - f) * a + f * b;
      }
      return;
    case ImageInterpolation::TricubicSpline: {
      const int len = n + 2 * kSplineMargin;
      scratch.resize(static_cast<std::size_t>(len));
      for (int p = 0; p < len; ++p) scratch[p] = in[clampIndex(p - kSplineMargin, n)];
      cubicBSplinePrefilter(scratch);
      for (int q = 0; q < m; ++q) {
        const double t = positions[q] + kSplineMargin;
        const long long i = floorToLong(t);
        const double f = t - static_cast<double>(i);
        const double g = 1.0 - f;
        // Cubic B-spline weights of coefficients i-1, i, i+1, i+2.
        const double w[4] = {g * g * g / 6.0, 2.0 / 3.0 - f * f + 0.5 * f * f * f,
                             2.0 / 3.0 - g * g + 0.5 * g * g * g, f * f * f / 6.0};
        double v = 0.0;
        for (int r = 0; r < 4; ++r) v += w[r] * scratch[clampIndex(i - 1 + r, len)];
        out[q] = v;
      }
      return;
    }
  }
}

}  // namespace

void cubicBSplinePrefilter(std::vector<double>& c) {
  // Unser, Aldroubi & Eden (1993); Thevenaz, Blu & Unser (2000): gain 6, one
  // causal and one anti-causal first-order recursion with pole z, mirror
  // (whole-sample symmetric) boundaries.
  const auto n = static_cast<long long>(c.size());
  if (n < 2) return;
  const double z = std::sqrt(3.0) - 2.0;
  for (double& v : c) v *= 6.0;
  // Causal initial value: sum of z^k c[k] over the mirrored signal.
  constexpr long long kHorizon = 30;  // |z|^30 < 1e-17
  double c0 = 0.0;
  if (n > kHorizon) {
    double zk = 1.0;
    for (long long k = 0; k < kHorizon; ++k, zk *= z) c0 += zk * c[static_cast<std::size_t>(k)];
  } else {
    const double zn = std::pow(z, static_cast<double>(n - 1));
    const double iz = 1.0 / z;
    double z1 = z;
    double z2 = zn * zn * iz;
    c0 = c[0] + zn * c[static_cast<std::size_t>(n - 1)];
    for (long long k = 1; k < n - 1; ++k) {
      c0 += (z1 + z2) * c[static_cast<std::size_t>(k)];
      z1 *= z;
      z2 *= iz;
    }
    c0 /= 1.0 - zn * zn;
  }
  c[0] = c0;
  for (long long k = 1; k < n; ++k)
    c[static_cast<std::size_t>(k)] += z * c[static_cast<std::size_t>(k - 1)];
  const auto last = static_cast<std::size_t>(n - 1);
  c[last] = (z / (z * z - 1.0)) * (c[last] + z * c[last - 1]);
  for (long long k = n - 2; k >= 0; --k) {
    const auto i = static_cast<std::size_t>(k);
    c[i] = z * (c[i + 1] - c[i]);
  }
}

AxisMap ibsiAxis(int originalSize, double originalSpacing, double newSpacing) {
  AxisMap a;
  // IBSI docs/03_Image_processing.rst, "Interpolation grid dimensions":
  // n_b = ceil(n_a s_a / s_b). A relative slack of 1e-9 keeps an exact
  // multiple (60 slices of 3 mm at 2 mm: 90) from becoming 91 by rounding.
  const double fractional = originalSize * originalSpacing / newSpacing;
  a.size = std::max(1, static_cast<int>(std::ceil(fractional - 1e-9 * std::max(1.0, fractional))));
  a.step = newSpacing / originalSpacing;
  // "Interpolation grid position": x_b,g = (n_a - 1 - s_b,g (n_b - 1)) / 2.
  a.start = 0.5 * (originalSize - 1 - a.step * (a.size - 1));
  return a;
}

InterpolationGrid ibsiGrid(const Geometry3D& original, const InterpolationSettings& settings) {
  InterpolationGrid g;
  g.geometry = original;
  for (int axis = 0; axis < 3; ++axis) {
    AxisMap& a = g.axes[static_cast<std::size_t>(axis)];
    const bool resample = settings.enabled && !(axis == 2 && settings.inPlaneOnly);
    if (resample) {
      a = ibsiAxis(original.size[static_cast<std::size_t>(axis)], original.spacing_mm[axis],
                   settings.spacing_mm[axis]);
      g.geometry.spacing_mm[axis] = settings.spacing_mm[axis];
    } else {
      a.size = original.size[static_cast<std::size_t>(axis)];
    }
    g.geometry.size[static_cast<std::size_t>(axis)] = a.size;
  }
  // The new origin is the world position of the first new grid point; the
  // axes keep their directions.
  g.geometry.origin_mm =
      original.indexToWorld(Eigen::Vector3d(g.axes[0].start, g.axes[1].start, g.axes[2].start));
  return g;
}

template <typename T>
std::vector<double> resampleBox(const T* src, const std::array<int, 3>& srcSize,
                                const std::array<AxisMap, 3>& axes, const Box& box,
                                ImageInterpolation method) {
  if (box.empty()) return {};
  std::array<ImageInterpolation, 3> methods{};
  std::array<std::array<int, 2>, 3> range{};
  std::array<std::vector<double>, 3> positions;
  for (std::size_t a = 0; a < 3; ++a) {
    methods[a] = axes[a].identity(srcSize[a]) ? ImageInterpolation::NearestNeighbour : method;
    const double t0 = axes[a].position(box.lo[a]);
    const double t1 = axes[a].position(box.hi[a] - 1);
    range[a] = neededRange(std::min(t0, t1), std::max(t0, t1), methods[a], srcSize[a]);
    for (int m = box.lo[a]; m < box.hi[a]; ++m)
      positions[a].push_back(axes[a].position(m) - range[a][0]);
  }
  // The block of original voxels the box needs, in double.
  std::array<int, 3> n{range[0][1] - range[0][0] + 1, range[1][1] - range[1][0] + 1,
                       range[2][1] - range[2][0] + 1};
  std::vector<double> cur(static_cast<std::size_t>(n[0]) * n[1] * n[2]);
  {
    std::size_t q = 0;
    for (int k = range[2][0]; k <= range[2][1]; ++k)
      for (int j = range[1][0]; j <= range[1][1]; ++j) {
        const T* row = src + static_cast<std::size_t>(range[0][0]) +
                       static_cast<std::size_t>(srcSize[0]) *
                           (static_cast<std::size_t>(j) +
                            static_cast<std::size_t>(srcSize[1]) * static_cast<std::size_t>(k));
        for (int i = 0; i < n[0]; ++i) {
          if constexpr (std::is_same_v<T, std::uint8_t>)
            cur[q++] = row[i] != 0 ? 1.0 : 0.0;  // a mask: nonzero is inside
          else
            cur[q++] = static_cast<double>(row[i]);
        }
      }
  }
  std::vector<double> next;
  std::vector<double> lineIn;
  std::vector<double> lineOut;
  std::vector<double> scratch;
  for (std::size_t a = 0; a < 3; ++a) {
    const int outLen = box.size(static_cast<int>(a));
    std::array<int, 3> outSize = n;
    outSize[a] = outLen;
    next.assign(static_cast<std::size_t>(outSize[0]) * outSize[1] * outSize[2], 0.0);
    // Strides of axis a in the input and output blocks.
    const std::size_t inStride =
        a == 0 ? 1
               : (a == 1 ? static_cast<std::size_t>(n[0]) : static_cast<std::size_t>(n[0]) * n[1]);
    const std::size_t outStride =
        a == 0 ? 1
               : (a == 1 ? static_cast<std::size_t>(outSize[0])
                         : static_cast<std::size_t>(outSize[0]) * outSize[1]);
    const int len = n[a];
    lineIn.resize(static_cast<std::size_t>(len));
    lineOut.resize(static_cast<std::size_t>(outLen));
    // The two other axes, iterated in order.
    const std::size_t b = a == 0 ? 1 : 0;
    const std::size_t c = a == 2 ? 1 : 2;
    for (int v = 0; v < n[c]; ++v)
      for (int u = 0; u < n[b]; ++u) {
        std::array<int, 3> idx{0, 0, 0};
        idx[b] = u;
        idx[c] = v;
        const std::size_t inBase =
            static_cast<std::size_t>(idx[0]) +
            static_cast<std::size_t>(n[0]) *
                (static_cast<std::size_t>(idx[1]) + static_cast<std::size_t>(n[1]) * idx[2]);
        const std::size_t outBase =
            static_cast<std::size_t>(idx[0]) +
            static_cast<std::size_t>(outSize[0]) *
                (static_cast<std::size_t>(idx[1]) + static_cast<std::size_t>(outSize[1]) * idx[2]);
        const double* in = cur.data() + inBase;
        if (inStride != 1) {
          for (int p = 0; p < len; ++p) lineIn[static_cast<std::size_t>(p)] = in[p * inStride];
          in = lineIn.data();
        }
        double* out = outStride == 1 ? next.data() + outBase : lineOut.data();
        resampleLine(in, len, positions[a], methods[a], out, scratch);
        if (outStride != 1)
          for (int p = 0; p < outLen; ++p)
            next[outBase + p * outStride] = lineOut[static_cast<std::size_t>(p)];
      }
    cur.swap(next);
    n = outSize;
  }
  return cur;
}

template std::vector<double> resampleBox<float>(const float*, const std::array<int, 3>&,
                                                const std::array<AxisMap, 3>&, const Box&,
                                                ImageInterpolation);
template std::vector<double> resampleBox<std::uint8_t>(const std::uint8_t*,
                                                       const std::array<int, 3>&,
                                                       const std::array<AxisMap, 3>&, const Box&,
                                                       ImageInterpolation);

}  // namespace harmonia::features
