#include "core/filter/FourierGaussian.h"

#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <cmath>
#include <numbers>
#include <opencv2/core.hpp>
#include <vector>

#include "core/filter/GaussianFilter.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Multiplies a row of cv::dft's packed real spectrum ("CCS": Re0, Re1, Im1,
// Re2, Im2, ..., and Re(n/2) last when n is even) by the real, even transfer
// function h (indexed by frequency bin 0 .. n/2).
void applyTransfer(double* row, int n, const std::vector<double>& h) {
  row[0] *= h[0];
  for (int e = 1; e < n; ++e) row[e] *= h[static_cast<std::size_t>((e + 1) / 2)];
}

// Blurs every line of `data` (nx * ny * nz, x fastest) along `axis`.
void blurAxis(std::vector<double>& data, const std::array<int, 3>& size, int axis,
              const std::vector<double>& h, Progress& progress, double begin, double end) {
  const int nx = size[0], ny = size[1], nz = size[2];
  const int n = size[static_cast<std::size_t>(axis)];
  const std::size_t sx = 1, sy = static_cast<std::size_t>(nx),
                    sz = static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny);
  // One task per plane that holds whole lines: z slices for x and y, y planes for z.
  const int planes = axis == 2 ? ny : nz;
  const int lines = axis == 0 ? ny : nx;  // lines per plane
  const std::size_t step = axis == 0 ? sx : (axis == 1 ? sy : sz);
  std::atomic<int> done{0};
  tbb::parallel_for(0, planes, [&](int p) {
    if (progress.cancelRequested()) return;
    cv::Mat m(lines, n, CV_64FC1);
    auto start = [&](int line) -> std::size_t {
      if (axis == 0) return static_cast<std::size_t>(p) * sz + static_cast<std::size_t>(line) * sy;
      if (axis == 1) return static_cast<std::size_t>(p) * sz + static_cast<std::size_t>(line);
      return static_cast<std::size_t>(p) * sy + static_cast<std::size_t>(line);
    };
    for (int l = 0; l < lines; ++l) {
      double* row = m.ptr<double>(l);
      const double* src = data.data() + start(l);
      for (int t = 0; t < n; ++t) row[t] = src[static_cast<std::size_t>(t) * step];
    }
    cv::dft(m, m, cv::DFT_ROWS);
    for (int l = 0; l < lines; ++l) applyTransfer(m.ptr<double>(l), n, h);
    cv::dft(m, m, cv::DFT_ROWS | cv::DFT_INVERSE | cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
    for (int l = 0; l < lines; ++l) {
      const double* row = m.ptr<double>(l);
      double* dst = data.data() + start(l);
      for (int t = 0; t < n; ++t) dst[static_cast<std::size_t>(t) * step] = row[t];
    }
    progress.report(begin + (end - begin) * static_cast<double>(++done) / planes);
  });
  progress.throwIfCancelled();
}

}  // namespace

double gaussianTransfer(double sigma_mm, int k, int n, double spacing_mm) {
  const int kk = std::min(k, n - k);
  const double f = static_cast<double>(kk) / (static_cast<double>(n) * spacing_mm);
  return std::exp(-2.0 * std::numbers::pi * std::numbers::pi * sigma_mm * sigma_mm * f * f);
}

void gaussianBlurFourierInPlace(std::vector<double>& data, const Geometry3D& g,
                                const Eigen::Vector3d& fwhm_mm, Progress& progress) {
  for (int a = 0; a < 3; ++a) {
    if (!std::isfinite(fwhm_mm[a]) || fwhm_mm[a] < 0.0) {
      throw ParameterError("gaussianBlurFourier: FWHM must be finite and >= 0 mm (axis " +
                           std::string(1, "xyz"[a]) + ")");
    }
  }
  if (data.size() != g.voxelCount()) {
    throw ParameterError("gaussianBlurFourier: buffer size differs from the grid's voxel count");
  }
  const std::array<int, 3> size{g.size[0], g.size[1], g.size[2]};
  std::vector<int> axes;
  for (int a = 0; a < 3; ++a) {
    if (fwhm_mm[a] > 0.0 && size[static_cast<std::size_t>(a)] > 1) axes.push_back(a);
  }
  for (std::size_t s = 0; s < axes.size(); ++s) {
    const int a = axes[s];
    const int n = size[static_cast<std::size_t>(a)];
    const double sigma = fwhmToSigma(fwhm_mm[a]);
    std::vector<double> h(static_cast<std::size_t>(n / 2 + 1));
    for (int k = 0; k <= n / 2; ++k) {
      h[static_cast<std::size_t>(k)] = gaussianTransfer(sigma, k, n, g.spacing_mm[a]);
    }
    blurAxis(data, size, a, h, progress, static_cast<double>(s) / axes.size(),
             static_cast<double>(s + 1) / axes.size());
  }
  progress.report(1.0);
}

Volume gaussianBlurFourier(const Volume& input, const Eigen::Vector3d& fwhm_mm,
                           Progress& progress) {
  const std::size_t count = input.voxelCount();
  std::vector<double> data(count);
  const float* src = input.data();
  for (std::size_t v = 0; v < count; ++v) data[v] = src[v];
  gaussianBlurFourierInPlace(data, input.geometry(), fwhm_mm, progress);
  Volume out = input;
  float* dst = out.data();
  for (std::size_t v = 0; v < count; ++v) dst[v] = static_cast<float>(data[v]);
  return out;
}

}  // namespace harmonia
