#include "core/features/Interpolation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace harmonia::features {

namespace {

// Samples of padding on each side of a line before the cubic B-spline
// prefilter. The prefilter's impulse response decays as |sqrt(3) - 2|^n, so
// 16 samples put the effect of the (artificial) line ends below 1e-9 of the
// signal (3e-6 HU at 3000 HU): a box inside the image is interpolated as if
// the whole line had been prefiltered, and at the image ends the padding is
// the IBSI nearest-value padding (docs/05_Reference_data_sets.rst, "Notes on interpolation").
constexpr int kSplineMargin = 16;
// Terms of the prefilter's causal initial sum (|z|^30 < 1e-17); below the
// padded length of any line (2 kSplineMargin + 1).
constexpr int kCausalHorizon = 30;

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

// Resamples along one axis, `rows` at a time: `in` holds n rows of `width`
// contiguous values (row p at in + p * width); row q of `out` is the axis
// interpolated at positions[q] (continuous row index; outside [0, n-1] the
// nearest row is extended). Working on whole rows keeps the y and z passes
// contiguous; the x pass is the case width 1.
void resampleRows(const double* in, int n, std::size_t width, const std::vector<double>& positions,
                  ImageInterpolation method, double* out, std::vector<double>& scratch) {
  const int m = static_cast<int>(positions.size());
  const auto row = [width](auto* base, long long p) {
    return base + static_cast<std::size_t>(p) * width;
  };
  switch (method) {
    case ImageInterpolation::NearestNeighbour:
      for (int q = 0; q < m; ++q) {
        const double* a = row(in, clampIndex(floorToLong(positions[q] + 0.5), n));
        std::copy(a, a + width, row(out, q));
      }
      return;
    case ImageInterpolation::Linear:
      for (int q = 0; q < m; ++q) {
        const double t = positions[q];
        const long long i = floorToLong(t);
        const double f = t - static_cast<double>(i);
        const double* a = row(in, clampIndex(i, n));
        const double* b = row(in, clampIndex(i + 1, n));
        double* o = row(out, q);
        for (std::size_t x = 0; x < width; ++x) o[x] = (1.0 - f) * a[x] + f * b[x];
      }
      return;
    case ImageInterpolation::TricubicSpline: {
      // Pad with the nearest rows, then the B-spline prefilter of
      // cubicBSplinePrefilter() row-wise (the padded length exceeds its
      // causal horizon, so the truncated initial sum is exact to 1e-17).
      const int len = n + 2 * kSplineMargin;
      // One extra row at the end holds the causal initial values.
      scratch.resize(static_cast<std::size_t>(len + 1) * width);
      double* c = scratch.data();
      for (int p = 0; p < len; ++p) {
        const double* a = row(in, clampIndex(p - kSplineMargin, n));
        double* o = row(c, p);
        for (std::size_t x = 0; x < width; ++x) o[x] = 6.0 * a[x];
      }
      const double z = std::sqrt(3.0) - 2.0;
      {
        double* c0 = row(c, len);
        std::fill(c0, c0 + width, 0.0);
        double zk = 1.0;
        for (int k = 0; k < kCausalHorizon; ++k, zk *= z) {
          const double* a = row(c, k);
          for (std::size_t x = 0; x < width; ++x) c0[x] += zk * a[x];
        }
        std::copy(c0, c0 + width, c);
      }
      for (int k = 1; k < len; ++k) {
        double* o = row(c, k);
        const double* prev = row(c, k - 1);
        for (std::size_t x = 0; x < width; ++x) o[x] += z * prev[x];
      }
      {
        double* o = row(c, len - 1);
        const double* prev = row(c, len - 2);
        for (std::size_t x = 0; x < width; ++x) o[x] = (z / (z * z - 1.0)) * (o[x] + z * prev[x]);
      }
      for (int k = len - 2; k >= 0; --k) {
        double* o = row(c, k);
        const double* next = row(c, k + 1);
        for (std::size_t x = 0; x < width; ++x) o[x] = z * (next[x] - o[x]);
      }
      for (int q = 0; q < m; ++q) {
        const double t = positions[q] + kSplineMargin;
        const long long i = floorToLong(t);
        const double f = t - static_cast<double>(i);
        const double g = 1.0 - f;
        // Cubic B-spline weights of coefficients i-1, i, i+1, i+2.
        const double w0 = g * g * g / 6.0;
        const double w1 = 2.0 / 3.0 - f * f + 0.5 * f * f * f;
        const double w2 = 2.0 / 3.0 - g * g + 0.5 * g * g * g;
        const double w3 = f * f * f / 6.0;
        const double* r0 = row(c, clampIndex(i - 1, len));
        const double* r1 = row(c, clampIndex(i, len));
        const double* r2 = row(c, clampIndex(i + 1, len));
        const double* r3 = row(c, clampIndex(i + 2, len));
        double* o = row(out, q);
        for (std::size_t x = 0; x < width; ++x) {
          o[x] = w0 * r0[x] + w1 * r1[x] + w2 * r2[x] + w3 * r3[x];
        }
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
  for (long long k = 1; k < n; ++k) {
    c[static_cast<std::size_t>(k)] += z * c[static_cast<std::size_t>(k - 1)];
  }
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
    const bool resample = settings.enabled && !(axis == 2 && settings.in_plane_only);
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
    for (int m = box.lo[a]; m < box.hi[a]; ++m) {
      positions[a].push_back(axes[a].position(m) - range[a][0]);
    }
  }
  const int nx = range[0][1] - range[0][0] + 1;
  const int ny = range[1][1] - range[1][0] + 1;
  const int nz = range[2][1] - range[2][0] + 1;
  const auto bx = static_cast<std::size_t>(box.size(0));
  const auto by = static_cast<std::size_t>(box.size(1));
  // x then y, slice by slice: xy holds nz slices of bx * by.
  std::vector<double> xy(bx * by * static_cast<std::size_t>(nz));
  std::vector<double> line(static_cast<std::size_t>(nx));
  std::vector<double> xRows(bx * static_cast<std::size_t>(ny));
  std::vector<double> scratch;
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      const T* in =
          src + static_cast<std::size_t>(range[0][0]) +
          static_cast<std::size_t>(srcSize[0]) *
              (static_cast<std::size_t>(range[1][0] + j) +
               static_cast<std::size_t>(srcSize[1]) * static_cast<std::size_t>(range[2][0] + k));
      for (int i = 0; i < nx; ++i) {
        if constexpr (std::is_same_v<T, std::uint8_t>) {
          line[static_cast<std::size_t>(i)] = in[i] != 0 ? 1.0 : 0.0;  // a mask: nonzero is inside
        } else {
          line[static_cast<std::size_t>(i)] = static_cast<double>(in[i]);
        }
      }
      resampleRows(line.data(), nx, 1, positions[0], methods[0],
                   xRows.data() + static_cast<std::size_t>(j) * bx, scratch);
    }
    resampleRows(xRows.data(), ny, bx, positions[1], methods[1],
                 xy.data() + static_cast<std::size_t>(k) * bx * by, scratch);
  }
  std::vector<double> out(box.count());
  resampleRows(xy.data(), nz, bx * by, positions[2], methods[2], out.data(), scratch);
  return out;
}

template std::vector<double> resampleBox<float>(const float*, const std::array<int, 3>&,
                                                const std::array<AxisMap, 3>&, const Box&,
                                                ImageInterpolation);
template std::vector<double> resampleBox<std::uint8_t>(const std::uint8_t*,
                                                       const std::array<int, 3>&,
                                                       const std::array<AxisMap, 3>&, const Box&,
                                                       ImageInterpolation);

}  // namespace harmonia::features
