#include "core/filter/GaussianFilter.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/util/Error.h"
#include "core/util/Mirror.h"
#include "core/util/Simd.h"

namespace harmonia {
namespace {

constexpr double kFwhmPerSigma = 2.3548200450309493;  // 2 sqrt(2 ln 2)

// Eight floats as one GCC vector: AVX in the x86-64-v3 clone, two SSE
// registers in the baseline. Loads and stores go through memcpy (unaligned).
typedef float Float8 __attribute__((vector_size(32)));
#define HARMONIA_LOAD8(dst, src) std::memcpy(&(dst), (src), sizeof(Float8))
#define HARMONIA_STORE8(dst, src) std::memcpy((dst), &(src), sizeof(Float8))

// out[i] = w[0] c[i] + sum_t w[t] (c[i - t s] + c[i + t s]) for i in [0, n),
// where c = p + r s: a symmetric 1-D convolution along a padded row whose
// samples are `s` floats apart (s = channels), 32 outputs per step in registers.
HARMONIA_SIMD_CLONES
void convolveRow(const float* p, float* out, int n, int s, const float* w, int r) {
  const float* centre = p + static_cast<std::ptrdiff_t>(r) * s;
  int i0 = 0;
  for (; i0 + 32 <= n; i0 += 32) {
    Float8 acc[4], x, y;
    for (int v = 0; v < 4; ++v) {
      HARMONIA_LOAD8(x, centre + i0 + 8 * v);
      acc[v] = w[0] * x;
    }
    for (int t = 1; t <= r; ++t) {
      const float* a = centre - static_cast<std::ptrdiff_t>(t) * s + i0;
      const float* b = centre + static_cast<std::ptrdiff_t>(t) * s + i0;
      const float wt = w[t];
      for (int v = 0; v < 4; ++v) {
        HARMONIA_LOAD8(x, a + 8 * v);
        HARMONIA_LOAD8(y, b + 8 * v);
        acc[v] += wt * (x + y);
      }
    }
    for (int v = 0; v < 4; ++v) HARMONIA_STORE8(out + i0 + 8 * v, acc[v]);
  }
  for (int i = i0; i < n; ++i) {
    float acc = w[0] * centre[i];
    for (int t = 1; t <= r; ++t) {
      acc += w[t] * (centre[i - static_cast<std::ptrdiff_t>(t) * s] +
                     centre[i + static_cast<std::ptrdiff_t>(t) * s]);
    }
    out[i] = acc;
  }
}

// out[i] = w[0] rows[r][i] + sum_t w[t] (rows[r - t][i] + rows[r + t][i]):
// the same symmetric convolution across 2r + 1 rows (the y and z passes).
HARMONIA_SIMD_CLONES
void combineRows(const float* const* rows, float* out, int n, const float* w, int r) {
  const float* centre = rows[r];
  int i0 = 0;
  for (; i0 + 32 <= n; i0 += 32) {
    Float8 acc[4], x, y;
    for (int v = 0; v < 4; ++v) {
      HARMONIA_LOAD8(x, centre + i0 + 8 * v);
      acc[v] = w[0] * x;
    }
    for (int t = 1; t <= r; ++t) {
      const float* a = rows[r - t] + i0;
      const float* b = rows[r + t] + i0;
      const float wt = w[t];
      for (int v = 0; v < 4; ++v) {
        HARMONIA_LOAD8(x, a + 8 * v);
        HARMONIA_LOAD8(y, b + 8 * v);
        acc[v] += wt * (x + y);
      }
    }
    for (int v = 0; v < 4; ++v) HARMONIA_STORE8(out + i0 + 8 * v, acc[v]);
  }
  for (; i0 + 8 <= n; i0 += 8) {
    Float8 acc, x, y;
    HARMONIA_LOAD8(x, centre + i0);
    acc = w[0] * x;
    for (int t = 1; t <= r; ++t) {
      HARMONIA_LOAD8(x, rows[r - t] + i0);
      HARMONIA_LOAD8(y, rows[r + t] + i0);
      acc += w[t] * (x + y);
    }
    HARMONIA_STORE8(out + i0, acc);
  }
  for (int i = i0; i < n; ++i) {
    float acc = w[0] * centre[i];
    for (int t = 1; t <= r; ++t) acc += w[t] * (rows[r - t][i] + rows[r + t][i]);
    out[i] = acc;
  }
}

#undef HARMONIA_LOAD8
#undef HARMONIA_STORE8

// Half of a symmetric kernel: h[0] is the centre tap, h[t] the taps at +-t.
std::vector<float> halfKernel(double sigmaVoxels, double truncate) {
  if (!(sigmaVoxels > 0.0)) return {1.0f};
  const std::vector<double> k = gaussianKernel(sigmaVoxels, truncate);
  const int r = static_cast<int>(k.size() / 2);
  std::vector<float> h(r + 1);
  for (int t = 0; t <= r; ++t) h[t] = static_cast<float>(k[r + t]);
  return h;
}

struct Tiling {
  int tile_x = 1;   // voxels along x per tile
  int tile_y = 1;   // rows per tile
  int chunk_z = 1;  // planes per tile
  int count_x = 1, count_y = 1, count_z = 1;
};

Tiling chooseTiling(const std::array<int, 3>& n, int c, const std::array<int, 3>& r) {
  // Keep a tile's working set (x-blurred rows plus the ring of xy-blurred
  // planes) within about 320 KB so it stays in a core's L2 cache.
  constexpr long kBudgetFloats = 80 * 1024;
  Tiling t;
  // Wide rows are split into tiles of a multiple of 32 voxels (so the SIMD
  // blocks of 32 floats cover a tile row exactly) of about 1024 floats.
  t.tile_x = static_cast<long>(n[0]) * c <= 2048 ? n[0] : std::max(32, 1024 / c / 32 * 32);
  t.count_x = (n[0] + t.tile_x - 1) / t.tile_x;
  const long rowFloats = static_cast<long>(t.tile_x) * c;
  const long ringRows = r[2] > 0 ? 2 * r[2] + 1 : 0;
  const long rowsFit = kBudgetFloats / rowFloats - 2 * r[1];
  const long tileY = rowsFit / (ringRows + 1);
  t.tile_y = static_cast<int>(std::clamp<long>(tileY, std::min(n[1], 8), n[1]));
  t.count_y = (n[1] + t.tile_y - 1) / t.tile_y;
  const int threads = tbb::this_task_arena::max_concurrency();
  const int xyTiles = t.count_x * t.count_y;
  t.count_z = 1;
  if (xyTiles < 4 * threads && n[2] > 1) {
    const int wanted = (4 * threads + xyTiles - 1) / xyTiles;
    const int minChunk = std::max(8, 4 * r[2]);
    t.count_z = std::clamp(n[2] / minChunk, 1, wanted);
  }
  t.chunk_z = (n[2] + t.count_z - 1) / t.count_z;
  t.count_z = (n[2] + t.chunk_z - 1) / t.chunk_z;
  return t;
}

}  // namespace

double fwhmToSigma(double fwhm) { return fwhm / kFwhmPerSigma; }
double sigmaToFwhm(double sigma) { return sigma * kFwhmPerSigma; }

int gaussianKernelRadius(double sigma_voxels, double truncate_sigmas) {
  return std::max(1, static_cast<int>(std::ceil(truncate_sigmas * sigma_voxels)));
}

std::vector<double> gaussianKernel(double sigma_voxels, double truncate_sigmas) {
  if (!(sigma_voxels > 0.0) || !std::isfinite(sigma_voxels)) {
    throw ParameterError("gaussianKernel: sigma must be finite and > 0");
  }
  const int radius = gaussianKernelRadius(sigma_voxels, truncate_sigmas);
  std::vector<double> k(2 * radius + 1);
  double sum = 0.0;
  for (int i = -radius; i <= radius; ++i) {
    k[i + radius] = std::exp(-0.5 * (static_cast<double>(i) * i) / (sigma_voxels * sigma_voxels));
    sum += k[i + radius];
  }
  for (double& v : k) v /= sum;
  return k;
}

void gaussianBlurVoxels(const float* input, float* output, const std::array<int, 3>& size,
                        int channels, const Eigen::Vector3d& sigma_voxels, double truncate_sigmas,
                        Progress& progress) {
  if (!(truncate_sigmas > 0.0) || !std::isfinite(truncate_sigmas)) {
    throw ParameterError("gaussianBlur: truncate_sigmas must be finite and > 0");
  }
  for (int a = 0; a < 3; ++a) {
    if (!(sigma_voxels[a] >= 0.0) || !std::isfinite(sigma_voxels[a])) {
      throw ParameterError("gaussianBlur: sigma must be finite and >= 0");
    }
  }
  if (channels < 1) throw ParameterError("gaussianBlur: channels must be >= 1");
  const std::array<int, 3> n = size;
  if (n[0] <= 0 || n[1] <= 0 || n[2] <= 0) return;
  const int c = channels;
  std::array<std::vector<float>, 3> half;
  std::array<int, 3> r{};
  for (int a = 0; a < 3; ++a) {
    half[a] = n[a] > 1 ? halfKernel(sigma_voxels[a], truncate_sigmas) : std::vector<float>{1.0f};
    r[a] = static_cast<int>(half[a].size()) - 1;
  }
  const Tiling tiling = chooseTiling(n, c, r);
  const std::size_t rowStride = static_cast<std::size_t>(n[0]) * c;
  const std::size_t planeStride = rowStride * n[1];
  const int ringSize = 2 * r[2] + 1;

  tbb::enumerable_thread_specific<std::vector<float>> scratch;
  std::atomic<long> planesDone{0};
  const long totalPlanes = static_cast<long>(n[2]) * tiling.count_x * tiling.count_y;
  const int tasks = tiling.count_x * tiling.count_y * tiling.count_z;

  tbb::parallel_for(
      tbb::blocked_range<int>(0, tasks, 1), [&](const tbb::blocked_range<int>& range) {
        for (int task = range.begin(); task < range.end(); ++task) {
          const int tx = task % tiling.count_x;
          const int ty = (task / tiling.count_x) % tiling.count_y;
          const int tz = task / (tiling.count_x * tiling.count_y);
          const int x0 = tx * tiling.tile_x, x1 = std::min(n[0], x0 + tiling.tile_x);
          const int y0 = ty * tiling.tile_y, y1 = std::min(n[1], y0 + tiling.tile_y);
          const int z0 = tz * tiling.chunk_z, z1 = std::min(n[2], z0 + tiling.chunk_z);
          const int w = (x1 - x0) * c;  // floats per tile row
          // Buffer rows are `pitch` floats apart: a multiple of 16 (64-byte
          // lines) plus 16, so the 2r + 1 rows a pass reads at once do not all
          // map to the same L1 cache sets (4 KiB aliasing).
          const std::size_t pitch = (static_cast<std::size_t>(w) + 15) / 16 * 16 + 16;
          const int rows = y1 - y0;
          const std::size_t paddedLen = static_cast<std::size_t>(x1 - x0 + 2 * r[0]) * c;
          const std::size_t xRowsLen =
              r[1] > 0 ? static_cast<std::size_t>(rows + 2 * r[1]) * pitch : 0;
          const std::size_t ringPlane = static_cast<std::size_t>(rows) * pitch + 16;
          const std::size_t ringLen = r[2] > 0 ? static_cast<std::size_t>(ringSize) * ringPlane : 0;
          std::vector<float>& buffer = scratch.local();
          buffer.resize(paddedLen + xRowsLen + ringLen);
          float* padded = buffer.data();
          float* xRows = padded + paddedLen;
          float* ring = xRows + xRowsLen;
          std::vector<const float*> taps(std::max(2 * r[1] + 1, ringSize));

          for (int kk = z0 - r[2]; kk < z1 + r[2]; ++kk) {
            if (progress.cancelRequested()) return;
            const int plane = mirrorIndex(kk, n[2]);
            const int slot = (kk - (z0 - r[2])) % ringSize;
            // Where the xy-blurred row y of this plane goes: straight to the
            // output when there is no z pass, else into the ring.
            auto xyRow = [&](int y) -> float* {
              if (r[2] == 0) return output + plane * planeStride + y * rowStride + x0 * c;
              return ring + static_cast<std::size_t>(slot) * ringPlane + (y - y0) * pitch;
            };
            // x pass over the rows the y pass needs (with a y halo when ry > 0).
            for (int yy = y0 - r[1]; yy < y1 + r[1]; ++yy) {
              const float* src = input + plane * planeStride + mirrorIndex(yy, n[1]) * rowStride;
              float* dst =
                  r[1] > 0 ? xRows + static_cast<std::size_t>(yy - (y0 - r[1])) * pitch : xyRow(yy);
              if (r[0] == 0) {
                std::memcpy(dst, src + static_cast<std::size_t>(x0) * c, sizeof(float) * w);
                continue;
              }
              const int lo = x0 - r[0], hi = x1 + r[0];
              if (lo >= 0 && hi <= n[0]) {  // interior tile: no padding needed
                convolveRow(src + static_cast<std::size_t>(lo) * c, dst, w, c, half[0].data(),
                            r[0]);
                continue;
              }
              const int inLo = std::max(lo, 0), inHi = std::min(hi, n[0]);
              for (int xx = lo; xx < inLo; ++xx) {
                std::memcpy(padded + static_cast<std::size_t>(xx - lo) * c,
                            src + static_cast<std::size_t>(mirrorIndex(xx, n[0])) * c,
                            sizeof(float) * c);
              }
              if (inHi > inLo) {
                std::memcpy(padded + static_cast<std::size_t>(inLo - lo) * c,
                            src + static_cast<std::size_t>(inLo) * c,
                            sizeof(float) * c * static_cast<std::size_t>(inHi - inLo));
              }
              for (int xx = std::max(inHi, inLo); xx < hi; ++xx) {
                std::memcpy(padded + static_cast<std::size_t>(xx - lo) * c,
                            src + static_cast<std::size_t>(mirrorIndex(xx, n[0])) * c,
                            sizeof(float) * c);
              }
              convolveRow(padded, dst, w, c, half[0].data(), r[0]);
            }
            // y pass.
            if (r[1] > 0) {
              for (int y = y0; y < y1; ++y) {
                for (int t = 0; t <= 2 * r[1]; ++t) {
                  taps[t] = xRows + static_cast<std::size_t>(y - y0 + t) * pitch;
                }
                combineRows(taps.data(), xyRow(y), w, half[1].data(), r[1]);
              }
            }
            // z pass, once the ring holds planes k - rz .. k + rz.
            if (r[2] > 0) {
              const int k = kk - r[2];
              if (k < z0) continue;
              for (int y = y0; y < y1; ++y) {
                for (int t = 0; t < ringSize; ++t) {
                  const int s = (k - r[2] + t - (z0 - r[2])) % ringSize;
                  taps[t] = ring + static_cast<std::size_t>(s) * ringPlane + (y - y0) * pitch;
                }
                combineRows(taps.data(), output + k * planeStride + y * rowStride + x0 * c, w,
                            half[2].data(), r[2]);
              }
            }
            if (kk >= z0 + r[2] || r[2] == 0) {
              const long done = planesDone.fetch_add(1, std::memory_order_relaxed) + 1;
              if ((done & 15) == 0) progress.report(static_cast<double>(done) / totalPlanes);
            }
          }
        }
      });
  progress.throwIfCancelled();
  progress.report(1.0);
}

Volume gaussianBlur(const Volume& input, const GaussianParams& params, Progress& progress) {
  const auto& g = input.geometry();
  Eigen::Vector3d sigmaVoxels;
  for (int a = 0; a < 3; ++a) {
    if (!(params.sigma_mm[a] >= 0.0) || !std::isfinite(params.sigma_mm[a])) {
      throw ParameterError("gaussianBlur: sigma_mm must be finite and >= 0");
    }
    sigmaVoxels[a] = params.sigma_mm[a] / g.spacing_mm[a];
  }
  if (!(params.truncate_sigmas > 0.0)) {
    throw ParameterError("gaussianBlur: truncate_sigmas must be > 0");
  }
  progress.throwIfCancelled();
  if (input.empty()) return input;
  Volume out(g, kUninitialized);
  gaussianBlurVoxels(input.data(), out.data(), g.size, 1, sigmaVoxels, params.truncate_sigmas,
                     progress);
  out.setUnits(input.units());
  out.metadata() = input.metadata();
  return out;
}

Image2D gaussianBlur(const Image2D& input, const GaussianParams2D& params, Progress& progress) {
  for (int a = 0; a < 2; ++a) {
    if (!(params.sigma_mm[a] >= 0.0) || !std::isfinite(params.sigma_mm[a])) {
      throw ParameterError("gaussianBlur: sigma_mm must be finite and >= 0");
    }
  }
  progress.throwIfCancelled();
  const int channels = std::max(1, input.channels());
  // Uninitialised float output (every pixel is written); wrap() shares it.
  Image2D out =
      Image2D::wrap(cv::Mat(input.height(), input.width(), CV_MAKETYPE(CV_32F, channels)));
  if (!input.empty()) {
    // Float32 continuous input is used in place; anything else is converted once.
    cv::Mat source = input.mat();
    if (source.depth() != CV_32F || !source.isContinuous()) {
      input.mat().convertTo(source, CV_MAKETYPE(CV_32F, channels));
      if (!source.isContinuous()) source = source.clone();
    }
    const Eigen::Vector3d sigmaVoxels(params.sigma_mm[0] / input.spacing_mm()[0],
                                      params.sigma_mm[1] / input.spacing_mm()[1], 0.0);
    gaussianBlurVoxels(source.ptr<float>(), out.mat().ptr<float>(),
                       {input.width(), input.height(), 1}, channels, sigmaVoxels,
                       params.truncate_sigmas, progress);
  }
  out.setSpacing(input.spacing_mm());
  out.setOrigin(input.origin_mm());
  out.setDirection(input.direction());
  out.metadata() = input.metadata();
  return out;
}

}  // namespace harmonia
