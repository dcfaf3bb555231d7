#include "core/filter/GaussianFilter.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/util/Error.h"

namespace harmonia {
namespace {

constexpr double kFwhmPerSigma = 2.3548200450309493;  // 2 sqrt(2 ln 2)

std::vector<float> makeKernel(double sigmaVoxels, double truncate) {
  const int radius = std::max(1, static_cast<int>(std::ceil(truncate * sigmaVoxels)));
  std::vector<double> k(2 * radius + 1);
  double sum = 0.0;
  for (int i = -radius; i <= radius; ++i) {
    k[i + radius] = std::exp(-0.5 * (i * i) / (sigmaVoxels * sigmaVoxels));
    sum += k[i + radius];
  }
  std::vector<float> out(k.size());
  for (std::size_t i = 0; i < k.size(); ++i) out[i] = static_cast<float>(k[i] / sum);
  return out;
}

// Mirror index about the edge voxel centres ("reflect101": -1 -> 1, n -> n-2).
int mirror(int i, int n) {
  if (n == 1) return 0;
  const int period = 2 * (n - 1);
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - i;
}

// Convolves along axis `axis` of a volume with extents n[0..2]; strides are
// the element distances between neighbours along each axis. The line loop is
// arranged so the innermost loop runs over contiguous x for vectorisation.
void convolveAxis(const float* in, float* out, const std::array<int, 3>& n, int axis,
                  const std::vector<float>& kernel, Progress& progress, std::atomic<int>& linesDone,
                  int totalLines) {
  const int radius = static_cast<int>(kernel.size() / 2);
  const std::size_t nx = n[0];
  const std::size_t sliceSize = nx * n[1];
  tbb::parallel_for(0, n[2], [&](int k) {
    if (progress.cancelRequested()) return;
    std::vector<float> padded;
    std::vector<int> src(n[axis] + 2 * radius);
    for (int t = 0; t < static_cast<int>(src.size()); ++t) src[t] = mirror(t - radius, n[axis]);
    if (axis == 0) {
      padded.resize(nx + 2 * radius);
      for (int j = 0; j < n[1]; ++j) {
        const float* row = in + k * sliceSize + j * nx;
        float* dst = out + k * sliceSize + j * nx;
        for (std::size_t t = 0; t < padded.size(); ++t) padded[t] = row[src[t]];
        for (std::size_t i = 0; i < nx; ++i) {
          float acc = 0.0f;
          for (int t = 0; t <= 2 * radius; ++t) acc += kernel[t] * padded[i + t];
          dst[i] = acc;
        }
      }
    } else if (axis == 1) {
      for (int j = 0; j < n[1]; ++j) {
        float* dst = out + k * sliceSize + j * nx;
        std::fill_n(dst, nx, 0.0f);
        for (int t = 0; t <= 2 * radius; ++t) {
          const float w = kernel[t];
          const float* row = in + k * sliceSize + static_cast<std::size_t>(src[j + t]) * nx;
          for (std::size_t i = 0; i < nx; ++i) dst[i] += w * row[i];
        }
      }
    } else {
      float* dst = out + k * sliceSize;
      std::fill_n(dst, sliceSize, 0.0f);
      for (int t = 0; t <= 2 * radius; ++t) {
        const float w = kernel[t];
        const float* plane = in + static_cast<std::size_t>(src[k + t]) * sliceSize;
        for (std::size_t i = 0; i < sliceSize; ++i) dst[i] += w * plane[i];
      }
    }
    const int done = ++linesDone;
    progress.report(static_cast<double>(done) / totalLines);
  });
  progress.throwIfCancelled();
}

}  // namespace

double fwhmToSigma(double fwhm) { return fwhm / kFwhmPerSigma; }
double sigmaToFwhm(double sigma) { return sigma * kFwhmPerSigma; }

Volume gaussianBlur(const Volume& input, const GaussianParams& params, Progress& progress) {
  if (!(params.truncate_sigmas > 0.0))
    throw ParameterError("gaussianBlur: truncate_sigmas must be > 0");
  for (int a = 0; a < 3; ++a) {
    if (!(params.sigma_mm[a] >= 0.0) || !std::isfinite(params.sigma_mm[a])) {
      throw ParameterError("gaussianBlur: sigma_mm must be finite and >= 0");
    }
  }
  Volume current = input;
  if (input.empty()) return current;
  const auto& g = input.geometry();
  std::vector<int> axes;
  for (int a = 0; a < 3; ++a) {
    if (params.sigma_mm[a] > 0.0 && g.size[a] > 1) axes.push_back(a);
  }
  Volume scratch(g);
  std::atomic<int> done{0};
  const int total = static_cast<int>(axes.size()) * g.size[2];
  for (int axis : axes) {
    const double sigmaVoxels = params.sigma_mm[axis] / g.spacing_mm[axis];
    convolveAxis(current.data(), scratch.data(), g.size, axis,
                 makeKernel(sigmaVoxels, params.truncate_sigmas), progress, done, total);
    std::swap(current, scratch);
  }
  current.setUnits(input.units());
  current.metadata() = input.metadata();
  return current;
}

}  // namespace harmonia
