#include "core/features/SpatialAutocorrelation.h"

#include <cmath>
#include <complex>

#include <opencv2/core.hpp>

namespace harmonia::features {
namespace {

using Complex = std::complex<double>;

/// In-place 3-D DFT of a px * py * pz complex grid (x fastest): 2-D DFTs of
/// the z slices, then 1-D DFTs along z, a y-plane of lines at a time.
void dft3(std::vector<Complex>& data, int px, int py, int pz, bool inverse) {
  const int flags = inverse ? cv::DFT_INVERSE : 0;
  const std::size_t slice = static_cast<std::size_t>(px) * py;
  for (int z = 0; z < pz; ++z) {
    cv::Mat m(py, px, CV_64FC2, data.data() + slice * z);
    cv::dft(m, m, flags);
  }
  if (pz == 1) return;
  cv::Mat lines(px, pz, CV_64FC2);
  for (int y = 0; y < py; ++y) {
    for (int x = 0; x < px; ++x) {
      Complex* line = lines.ptr<Complex>(x);
      const Complex* src = data.data() + static_cast<std::size_t>(px) * y + x;
      for (int z = 0; z < pz; ++z) line[z] = src[slice * z];
    }
    cv::dft(lines, lines, flags | cv::DFT_ROWS);
    for (int x = 0; x < px; ++x) {
      const Complex* line = lines.ptr<Complex>(x);
      Complex* dst = data.data() + static_cast<std::size_t>(px) * y + x;
      for (int z = 0; z < pz; ++z) dst[slice * z] = line[z];
    }
  }
}

}  // namespace

SpatialAutocorrelation spatialAutocorrelation(const std::vector<double>& values,
                                              const std::vector<std::uint8_t>& mask,
                                              const std::array<int, 3>& size,
                                              const Eigen::Vector3d& spacing_mm) {
  SpatialAutocorrelation out;
  const int nx = size[0], ny = size[1], nz = size[2];
  const auto idx = [&](int i, int j, int k) {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(nx) *
               (static_cast<std::size_t>(j) + static_cast<std::size_t>(ny) * k);
  };
  // Bounding box of the mask, the mean and the count.
  std::array<int, 3> lo{nx, ny, nz}, hi{-1, -1, -1};
  double sum = 0.0;
  std::size_t count = 0;
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        if (mask[idx(i, j, k)] != 0) {
          lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
          hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
          sum += values[idx(i, j, k)];
          ++count;
        }
      }
    }
  }
  if (count < 2) return out;
  const double mu = sum / static_cast<double>(count);
  const std::array<int, 3> n{hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1};
  // Linear convolution over offsets -(n-1)..(n-1) without wrap-around needs
  // a period of at least 2n - 1 per axis.
  std::array<int, 3> p{};
  for (int a = 0; a < 3; ++a) p[a] = n[a] == 1 ? 1 : cv::getOptimalDFTSize(2 * n[a] - 1);
  const std::size_t total = static_cast<std::size_t>(p[0]) * p[1] * p[2];
  const auto pidx = [&](int i, int j, int k) {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(p[0]) *
               (static_cast<std::size_t>(j) + static_cast<std::size_t>(p[1]) * k);
  };
  // Kernel: w = 1 / distance (mm), w(0) = 0, at wrapped offsets.
  std::vector<Complex> kernel(total, Complex(0.0, 0.0));
  for (int dz = -(n[2] - 1); dz <= n[2] - 1; ++dz) {
    for (int dy = -(n[1] - 1); dy <= n[1] - 1; ++dy) {
      for (int dx = -(n[0] - 1); dx <= n[0] - 1; ++dx) {
        if (dx == 0 && dy == 0 && dz == 0) continue;
        const double d =
            std::sqrt(std::pow(dx * spacing_mm.x(), 2) + std::pow(dy * spacing_mm.y(), 2) +
                      std::pow(dz * spacing_mm.z(), 2));
        kernel[pidx((dx + p[0]) % p[0], (dy + p[1]) % p[1], (dz + p[2]) % p[2])] = 1.0 / d;
      }
    }
  }
  dft3(kernel, p[0], p[1], p[2], false);
  // The kernel is real and even: keep the real part of its transform only
  // (memory: 16 bytes per padded voxel for the data, 8 for the kernel).
  std::vector<double> kernelHat(total);
  for (std::size_t q = 0; q < total; ++q) kernelHat[q] = kernel[q].real();
  std::vector<Complex>().swap(kernel);
  // One complex signal carries both: real part y, imaginary part m. The
  // kernel is real and even, so its transform is real and the two
  // convolutions stay in their own parts.
  std::vector<Complex> data(total, Complex(0.0, 0.0));
  double sumY2 = 0.0;
  for (int k = 0; k < n[2]; ++k) {
    for (int j = 0; j < n[1]; ++j) {
      for (int i = 0; i < n[0]; ++i) {
        const std::size_t g = idx(i + lo[0], j + lo[1], k + lo[2]);
        if (mask[g] == 0) continue;
        const double y = values[g] - mu;
        data[pidx(i, j, k)] = Complex(y, 1.0);
        sumY2 += y * y;
      }
    }
  }
  dft3(data, p[0], p[1], p[2], false);
  for (std::size_t q = 0; q < total; ++q) data[q] *= kernelHat[q];
  dft3(data, p[0], p[1], p[2], true);
  const double scale = 1.0 / static_cast<double>(total);
  double yKy = 0.0, mKm = 0.0, y2Km = 0.0;
  for (int k = 0; k < n[2]; ++k) {
    for (int j = 0; j < n[1]; ++j) {
      for (int i = 0; i < n[0]; ++i) {
        const std::size_t g = idx(i + lo[0], j + lo[1], k + lo[2]);
        if (mask[g] == 0) continue;
        const double y = values[g] - mu;
        const Complex c = data[pidx(i, j, k)] * scale;
        yKy += y * c.real();
        mKm += c.imag();
        y2Km += y * y * c.imag();
      }
    }
  }
  if (!(sumY2 > 0.0) || !(mKm > 0.0)) return out;
  const double nv = static_cast<double>(count);
  out.moran_i = nv / mKm * yKy / sumY2;
  out.geary_c = (nv - 1.0) / (2.0 * mKm) * (2.0 * y2Km - 2.0 * yKy) / sumY2;
  out.defined = true;
  return out;
}

}  // namespace harmonia::features
