#include "core/measure/Noise.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/image/RoiShapes.h"
#include "core/measure/InsertValues.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

struct Block {
  std::array<int, 3> lo{0, 0, 0}, hi{-1, -1, -1};  // inclusive
  [[nodiscard]] int n(int a) const { return hi[a] - lo[a] + 1; }
};

/// The index bounding box of the mask's voxels; `full` tells whether every
/// voxel of the box is in the mask (true for axis-aligned grids).
Block boundingBlock(const MaskVolume& mask, bool& full) {
  Block b;
  b.lo = {mask.nx(), mask.ny(), mask.nz()};
  std::size_t count = 0;
  for (int k = 0; k < mask.nz(); ++k) {
    for (int j = 0; j < mask.ny(); ++j) {
      for (int i = 0; i < mask.nx(); ++i) {
        if (!mask.at(i, j, k)) continue;
        ++count;
        const std::array<int, 3> p{i, j, k};
        for (int a = 0; a < 3; ++a) {
          b.lo[a] = std::min(b.lo[a], p[a]);
          b.hi[a] = std::max(b.hi[a], p[a]);
        }
      }
    }
  }
  full = count > 0 && count == static_cast<std::size_t>(b.n(0)) * b.n(1) * b.n(2);
  return b;
}

/// NPS of the block (see Noise.h); fills nps and nps_integral.
void noisePowerSpectrum(const Volume& image, const Block& b, NoiseMeasurement& out,
                        Progress& progress) {
  const int nx = b.n(0), ny = b.n(1), nz = b.n(2);
  const double dx = image.geometry().spacing_mm[0], dy = image.geometry().spacing_mm[1];
  cv::Mat slice(ny, nx, CV_64F), spectrum;
  std::vector<double> power(static_cast<std::size_t>(nx) * ny, 0.0);
  const double ci = 0.5 * (nx - 1), cj = 0.5 * (ny - 1);
  double sii = 0, sjj = 0;
  for (int i = 0; i < nx; ++i) sii += (i - ci) * (i - ci) * ny;
  for (int j = 0; j < ny; ++j) sjj += (j - cj) * (j - cj) * nx;
  for (int k = 0; k < nz; ++k) {
    progress.throwIfCancelled();
    double mean = 0, si = 0, sj = 0;
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const double v = image.at(b.lo[0] + i, b.lo[1] + j, b.lo[2] + k);
        mean += v;
        si += (i - ci) * v;
        sj += (j - cj) * v;
      }
    }
    mean /= static_cast<double>(nx) * ny;
    const double gi = si / sii, gj = sj / sjj;  // least-squares plane (orthogonal design)
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        slice.at<double>(j, i) =
            image.at(b.lo[0] + i, b.lo[1] + j, b.lo[2] + k) - mean - gi * (i - ci) - gj * (j - cj);
      }
    }
    cv::dft(slice, spectrum, cv::DFT_COMPLEX_OUTPUT);
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const auto c = spectrum.at<cv::Vec2d>(j, i);
        power[static_cast<std::size_t>(j) * nx + i] += c[0] * c[0] + c[1] * c[1];
      }
    }
    progress.report(0.2 + 0.6 * (k + 1) / nz);
  }
  const double norm = dx * dy / (static_cast<double>(nx) * ny) / nz;
  const double dfx = 1.0 / (nx * dx), dfy = 1.0 / (ny * dy);
  const double width = std::max(dfx, dfy);
  const double fmax = std::min(0.5 / dx, 0.5 / dy);
  const int bins = std::max(1, static_cast<int>(std::floor(fmax / width + 1e-9)));
  std::vector<double> sumF(bins + 1, 0.0), sumP(bins + 1, 0.0);
  std::vector<int> count(bins + 1, 0);
  double integral = 0;
  for (int j = 0; j < ny; ++j) {
    const double fy = (j <= ny / 2 ? j : j - ny) * dfy;
    for (int i = 0; i < nx; ++i) {
      const double fx = (i <= nx / 2 ? i : i - nx) * dfx;
      const double p = power[static_cast<std::size_t>(j) * nx + i] * norm;
      integral += p * dfx * dfy;
      if (i == 0 && j == 0) continue;  // the plane fit removed the mean
      const double f = std::hypot(fx, fy);
      const int bin = static_cast<int>(std::lround(f / width));
      if (bin > bins) continue;
      sumF[bin] += f;
      sumP[bin] += p;
      ++count[bin];
    }
  }
  out.nps_integral = integral;
  for (int bin = 0; bin <= bins; ++bin) {
    if (count[bin] == 0) continue;
    out.nps.x.push_back(sumF[bin] / count[bin]);
    out.nps.y.push_back(sumP[bin] / count[bin]);
  }
}

/// Distance (mm) from the ROI centre to the object's edge along +-i and +-j,
/// the smallest of the four. The edge: the first voxel whose value differs
/// from the centre mean by more than max(6 SD, half the |mean|); the image
/// border when there is none.
double distanceToEdge(const Volume& image, const Eigen::Vector3d& centre, const ValueSummary& s) {
  const Eigen::Vector3d c = image.geometry().worldToIndex(centre);
  const int ic = static_cast<int>(std::lround(c[0])), jc = static_cast<int>(std::lround(c[1])),
            kc = static_cast<int>(std::lround(c[2]));
  if (!image.geometry().contains(ic, jc, kc)) return 0;
  const double limit = std::max(6.0 * s.sd, 0.5 * std::abs(s.mean));
  double best = 1e300;
  const std::array<std::array<int, 2>, 4> dirs{{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}};
  for (const auto& d : dirs) {
    int i = ic, j = jc, steps = 0;
    while (true) {
      const int ni = i + d[0], nj = j + d[1];
      if (!image.geometry().contains(ni, nj, kc)) break;
      i = ni;
      j = nj;
      ++steps;
      const double v = image.at(i, j, kc);
      if (!std::isfinite(v) || std::abs(v - s.mean) > limit) break;
    }
    const double step = d[0] != 0 ? image.geometry().spacing_mm[0] : image.geometry().spacing_mm[1];
    best = std::min(best, steps * step);
  }
  return best;
}

}  // namespace

NoiseMeasurement measureNoise(const Volume& image, const NoiseParams& params, Progress& progress) {
  if (image.empty()) throw InputError("measure noise: the image is empty");
  if (!(params.half_size_mm.array() > 0).all() || !params.half_size_mm.allFinite()) {
    throw ParameterError("measure noise: half_size_mm must be positive on every axis");
  }
  if (!params.centre_mm.allFinite()) throw ParameterError("measure noise: centre_mm not finite");
  if (params.uniformity_offset_mm < 0 || !std::isfinite(params.uniformity_offset_mm)) {
    throw ParameterError("measure noise: uniformity_offset_mm must be >= 0 (0: automatic)");
  }
  NoiseMeasurement out;
  const MaskVolume roi = boxMask(image.geometry(), params.centre_mm, params.half_size_mm);
  out.stats = regionStatistics(image, roi, "noise ROI");
  if (out.stats.count < 2) throw InputError("noise ROI: holds fewer than 2 voxels");
  progress.report(0.2);

  bool full = false;
  const Block block = boundingBlock(roi, full);
  if (!full) {
    out.warnings.push_back("NPS left out: the ROI is not a voxel block (oblique grid)");
  } else if (block.n(0) < 4 || block.n(1) < 4) {
    out.warnings.push_back("NPS left out: the ROI is narrower than 4 voxels in-plane");
  } else {
    noisePowerSpectrum(image, block, out, progress);
  }
  progress.report(0.8);

  if (params.uniformity) {
    double offset = params.uniformity_offset_mm;
    const double h = std::max(params.half_size_mm[0], params.half_size_mm[1]);
    if (offset == 0) {
      offset = distanceToEdge(image, params.centre_mm, out.stats) - h - 10.0;
    }
    if (offset < 2 * h) {
      out.warnings.push_back(
          "uniformity left out: the object is too small for four peripheral ROIs of this size "
          "that do not overlap the centre ROI (offset " +
          std::to_string(offset) + " mm < " + std::to_string(2 * h) + " mm)");
    } else {
      try {
        UniformityResult u;
        u.centre_mean = out.stats.mean;
        u.offset_mm = offset;
        const std::array<Eigen::Vector3d, 4> shifts{
            Eigen::Vector3d(offset, 0, 0), Eigen::Vector3d(-offset, 0, 0),
            Eigen::Vector3d(0, offset, 0), Eigen::Vector3d(0, -offset, 0)};
        double lo = u.centre_mean, hi = u.centre_mean;
        for (const auto& s : shifts) {
          const double mean = boxStatistics(image, params.centre_mm + s, params.half_size_mm,
                                            "peripheral uniformity ROI")
                                  .mean;
          u.peripheral_means.push_back(mean);
          u.max_abs_deviation = std::max(u.max_abs_deviation, std::abs(mean - u.centre_mean));
          lo = std::min(lo, mean);
          hi = std::max(hi, mean);
        }
        if (lo > 0) {
          u.integral_uniformity_percent = 100.0 * (hi - lo) / (hi + lo);
        } else {
          out.warnings.push_back(
              "integral uniformity needs positive means (e.g. CT in HU): use max_abs_deviation");
        }
        out.uniformity = u;
      } catch (const InputError& e) {
        out.warnings.push_back(std::string("uniformity left out: ") + e.what());
      }
    }
  }
  progress.report(1.0);
  return out;
}

}  // namespace harmonia
