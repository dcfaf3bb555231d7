#include "core/harmonize/BSplinePrefilter.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/util/Simd.h"

namespace harmonia {
namespace {

// B-spline prefilter (cubic, pole sqrt(3) - 2, mirror boundary) of `lines`
// independent signals of length n: sample s of line l is at
// data[l * lineStride + s * sampleStride]; the `width` contiguous lines
// starting at data are processed together (vectorised across them).
constexpr double kPole = -0.2679491924311228;  // sqrt(3) - 2

HARMONIA_SIMD_CLONES
void prefilterBlock(float* data, int n, std::size_t sampleStride, int width) {
  if (n < 2) return;
  const float z = static_cast<float>(kPole);
  const float gain = static_cast<float>((1.0 - kPole) * (1.0 - 1.0 / kPole));  // 6
  std::vector<double> init(width, 0.0);
  // Causal initialisation, mirror boundary, truncated where z^k < 1e-9.
  const int horizon = std::min(n, static_cast<int>(std::ceil(std::log(1e-9) / std::log(-kPole))));
  double zk = 1.0;
  for (int k = 0; k < horizon; ++k) {
    const float* row = data + k * sampleStride;
    for (int l = 0; l < width; ++l) init[l] += zk * row[l];
    zk *= kPole;
  }
  if (horizon == n) {
    // Short line: the exact mirror sum, z^k s(k) + z^(2n-2-k) s(k) terms.
    std::fill(init.begin(), init.end(), 0.0);
    const double zn1 = std::pow(kPole, n - 1);
    double zp = 1.0, zq = zn1 * zn1;  // z^k, z^(2n-2-k)
    for (int k = 0; k < n; ++k) {
      const float* row = data + k * sampleStride;
      const double coef = (k == 0 || k == n - 1) ? zp : zp + zq;
      for (int l = 0; l < width; ++l) init[l] += coef * row[l];
      zp *= kPole;
      zq /= kPole;
    }
    const double norm = 1.0 / (1.0 - zn1 * zn1 * 1.0);
    // sum_{k} z^k s_k + sum_{k=1}^{n-2} z^{2n-2-k} s_k, divided by 1 - z^(2n-2)
    for (int l = 0; l < width; ++l) init[l] *= norm;
  }
  float* first = data;
  for (int l = 0; l < width; ++l) first[l] = gain * static_cast<float>(init[l]);
  for (int k = 1; k < n; ++k) {
    float* __restrict row = data + k * sampleStride;
    const float* __restrict prev = data + (k - 1) * sampleStride;
    for (int l = 0; l < width; ++l) row[l] = gain * row[l] + z * prev[l];
  }
  // Anti-causal initialisation: c-(n-1) = z / (z^2 - 1) (c+(n-1) + z c+(n-2)).
  const float zc = static_cast<float>(kPole / (kPole * kPole - 1.0));
  {
    float* __restrict last = data + (n - 1) * sampleStride;
    const float* __restrict before = data + (n - 2) * sampleStride;
    for (int l = 0; l < width; ++l) last[l] = zc * (last[l] + z * before[l]);
  }
  for (int k = n - 2; k >= 0; --k) {
    float* __restrict row = data + k * sampleStride;
    const float* __restrict next = data + (k + 1) * sampleStride;
    for (int l = 0; l < width; ++l) row[l] = z * (next[l] - row[l]);
  }
}

}  // namespace

void bsplinePrefilter(Volume& v, Progress& progress) {
  const int nx = v.nx(), ny = v.ny(), nz = v.nz();
  const std::size_t plane = static_cast<std::size_t>(nx) * ny;
  float* data = v.data();
  // x: lines are rows; transpose blocks of 64 rows so the recursion runs across them.
  tbb::parallel_for(0, nz, [&](int k) {
    if (progress.cancelRequested()) return;
    std::vector<float> block(static_cast<std::size_t>(nx) * 64);
    for (int j0 = 0; j0 < ny; j0 += 64) {
      const int width = std::min(64, ny - j0);
      for (int jj = 0; jj < width; ++jj) {
        const float* row = data + k * plane + static_cast<std::size_t>(j0 + jj) * nx;
        for (int i = 0; i < nx; ++i) block[static_cast<std::size_t>(i) * width + jj] = row[i];
      }
      prefilterBlock(block.data(), nx, width, width);
      for (int jj = 0; jj < width; ++jj) {
        float* row = data + k * plane + static_cast<std::size_t>(j0 + jj) * nx;
        for (int i = 0; i < nx; ++i) row[i] = block[static_cast<std::size_t>(i) * width + jj];
      }
    }
  });
  progress.throwIfCancelled();
  // y: within each plane, rows are samples; x runs across lines.
  tbb::parallel_for(0, nz, [&](int k) {
    if (progress.cancelRequested()) return;
    prefilterBlock(data + k * plane, ny, nx, nx);
  });
  progress.throwIfCancelled();
  // z: planes are samples; blocks of x-y positions run across lines.
  constexpr int kWidth = 1024;
  const int blocks = static_cast<int>((plane + kWidth - 1) / kWidth);
  tbb::parallel_for(0, blocks, [&](int b) {
    if (progress.cancelRequested()) return;
    const std::size_t start = static_cast<std::size_t>(b) * kWidth;
    const int width = static_cast<int>(std::min<std::size_t>(kWidth, plane - start));
    prefilterBlock(data + start, nz, plane, width);
  });
  progress.throwIfCancelled();
}

}  // namespace harmonia
