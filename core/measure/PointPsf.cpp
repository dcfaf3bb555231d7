// Point (or wire) method of measurePsf (see Resolution.h): a 3-D Gaussian with
// per-axis sigma, averaged over each voxel's box, fitted around the peak.

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/measure/GaussianFit.h"
#include "core/measure/ResolutionInternal.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia::psf {
namespace {

struct Peak {
  double box_mean = -std::numeric_limits<double>::infinity();
  std::array<int, 3> at{0, 0, 0};
};

// The voxel whose 3x3x3 neighbourhood mean is largest (robust to noise), by
// separable 3-tap means along x, y, then z.
Peak findPeak(const Volume& image) {
  const int nx = image.nx(), ny = image.ny(), nz = image.nz();
  const std::size_t nxy = static_cast<std::size_t>(nx) * ny;
  std::vector<float> ax(image.voxelCount()), axy(image.voxelCount());
  auto mean3 = [](const float* p, std::ptrdiff_t stride, int at, int n) {
    double sum = p[0];
    int count = 1;
    if (at > 0) sum += p[-stride], ++count;
    if (at + 1 < n) sum += p[stride], ++count;
    return static_cast<float>(sum / count);
  };
  tbb::parallel_for(0, nz, [&](int k) {
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const std::size_t q = image.index(i, j, k);
        ax[q] = mean3(image.data() + q, 1, i, nx);
      }
    }
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const std::size_t q = image.index(i, j, k);
        axy[q] = mean3(ax.data() + q, nx, j, ny);
      }
    }
  });
  return tbb::parallel_reduce(
      tbb::blocked_range<int>(0, nz), Peak{},
      [&](const tbb::blocked_range<int>& range, Peak best) {
        for (int k = range.begin(); k != range.end(); ++k) {
          for (int j = 0; j < ny; ++j) {
            for (int i = 0; i < nx; ++i) {
              const std::size_t q = image.index(i, j, k);
              const double m = mean3(axy.data() + q, static_cast<std::ptrdiff_t>(nxy), k, nz);
              if (m > best.box_mean) best = {m, {i, j, k}};
            }
          }
        }
        return best;
      },
      [](const Peak& a, const Peak& b) { return b.box_mean > a.box_mean ? b : a; });
}

}  // namespace

PsfMeasurement measurePoint(const Volume& image, const PsfParams& params, Progress& progress) {
  PsfMeasurement m;
  m.method = PsfMethod::Point;
  const Eigen::Vector3d h = image.geometry().spacing_mm;
  const std::array<int, 3> n = {image.nx(), image.ny(), image.nz()};
  // Background and noise: median and MAD of the whole image.
  // (on a regular subsample of at most ~2 million voxels)
  std::vector<float> all;
  const std::size_t stride = std::max<std::size_t>(1, image.voxelCount() / (1u << 21));
  for (std::size_t i = 0; i < image.voxelCount(); i += stride) all.push_back(image.data()[i]);
  const double background = medianInPlace(all);
  for (auto& v : all) v = static_cast<float>(std::abs(v - background));
  const double noise = 1.4826 * medianInPlace(all);
  all = {};
  std::array<int, 3> peak{};
  if (params.centre_mm) {
    const Eigen::Vector3d ijk = worldToGridIndex(image, *params.centre_mm, "centre_mm");
    for (int a = 0; a < 3; ++a) {
      peak[a] = std::clamp(static_cast<int>(std::lround(ijk[a])), 0, n[a] - 1);
    }
  } else {
    const Peak p = findPeak(image);
    peak = p.at;
    if (!(p.box_mean - background > 6.0 * noise / std::sqrt(27.0)) || !(p.box_mean > background)) {
      throw InputError(
          "no point source found: the brightest spot does not stand out of the "
          "background noise");
    }
  }
  progress.report(0.2);
  const double peakValue = image.at(peak[0], peak[1], peak[2]);
  const double amplitude0 = peakValue - background;
  if (!(std::abs(amplitude0) > 0)) {
    throw InputError("no point source found at the centre: its value equals the background");
  }
  // First guesses: the half-maximum width along each axis through the peak; a
  // run reaching the analysis region's border on both sides is a wire.
  const double radius =
      params.roi_radius_mm > 0 ? params.roi_radius_mm : std::max(15.0, 5.0 * h.maxCoeff());
  std::array<int, 3> lo{}, hi{};
  Eigen::Vector3d sigma0;
  std::array<bool, 3> wire{false, false, false};
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(0, peak[a] - static_cast<int>(std::ceil(radius / h[a])));
    hi[a] = std::min(n[a] - 1, peak[a] + static_cast<int>(std::ceil(radius / h[a])));
    auto valueAt = [&](int t) {
      std::array<int, 3> idx = peak;
      idx[a] = t;
      return image.at(idx[0], idx[1], idx[2]) - background;
    };
    int down = peak[a], up = peak[a];
    while (down > lo[a] && valueAt(down - 1) > 0.5 * amplitude0) --down;
    while (up < hi[a] && valueAt(up + 1) > 0.5 * amplitude0) ++up;
    wire[a] = down == lo[a] && up == hi[a] && hi[a] - lo[a] >= 6;
    sigma0[a] = std::max((up - down + 1) * h[a], h[a]) / kFwhmPerSigma;
  }
  // An axis of fewer than 3 slices (a 2-D image) cannot be measured: like a wire's.
  std::array<bool, 3> flat{false, false, false};
  for (int a = 0; a < 3; ++a) flat[a] = n[a] < 3;
  if (wire[0] + wire[1] + wire[2] > 1) {
    throw InputError(
        "no point or wire source found: the bright region spans the analysis "
        "region along more than one axis");
  }
  std::array<bool, 3> constant{};
  for (int a = 0; a < 3; ++a) constant[a] = wire[a] || flat[a];

  std::vector<Eigen::Vector3d> xs;
  std::vector<double> values;
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        xs.emplace_back(i * h[0], j * h[1], k * h[2]);
        values.push_back(image.at(i, j, k));
      }
    }
  }
  // Parameters: bg, integral A (units x mm^3, or x mm^2 for a wire), centre, sigma.
  const Eigen::Vector3d centre0(peak[0] * h[0], peak[1] * h[1], peak[2] * h[2]);
  double integral0 = amplitude0;
  for (int a = 0; a < 3; ++a) {
    if (!constant[a]) {
      integral0 *= std::sqrt(2 * std::numbers::pi) * std::max(sigma0[a], 0.5 * h[a]);
    }
  }
  Eigen::VectorXd p0(8), scale(8);
  p0 << background, integral0, centre0, sigma0;
  scale << std::max(std::abs(amplitude0), 1e-12), std::abs(integral0), h, h;
  auto model = [&](const Eigen::VectorXd& p, const Eigen::Vector3d& x) {
    double f = p[1];
    for (int a = 0; a < 3; ++a) {
      if (!constant[a]) f *= sampledGaussian(x[a] - p[2 + a], p[5 + a], h[a]);
    }
    return p[0] + f;
  };
  const auto count = static_cast<Eigen::Index>(xs.size());
  const ResidualFunction residuals = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count, 1024), [&](const auto& range) {
      for (Eigen::Index i = range.begin(); i != range.end(); ++i) {
        const auto s = static_cast<std::size_t>(i);
        r[i] = model(p, xs[s]) - values[s];
      }
    });
  };
  const LeastSquaresResult fit = levenbergMarquardt(residuals, count, p0, scale);
  const Eigen::VectorXd& p = fit.params;
  if (!fit.converged || !p.allFinite()) {
    throw InputError("the point-source fit did not converge");
  }
  progress.report(0.9);
  const Eigen::Vector3d c = p.segment<3>(2);
  m.centre_mm = gridMmToWorld(image, c);
  m.background = p[0];
  double peakModel = p[1];
  for (int a = 0; a < 3; ++a) {
    if (!constant[a]) peakModel *= normalPdf(0) / std::abs(p[5 + a]);
  }
  m.foreground = p[0] + peakModel;
  for (int a = 0; a < 3; ++a) {
    AxisResolution& axis = m.axes[a];
    if (wire[a]) {
      m.warnings.push_back(std::string("a wire along ") + kAxisName[a] + ": axis " + kAxisName[a] +
                           " is not measured");
      continue;
    }
    if (flat[a]) {
      m.warnings.push_back(std::string("the image has fewer than 3 slices along ") + kAxisName[a] +
                           ": not measured");
      continue;
    }
    const double sigma = std::abs(p[5 + a]);
    if (!(sigma < radius)) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the point fit gave an implausible width");
      continue;
    }
    setGaussianResult(axis, sigma, fit.stderr_params[5 + a]);
    // The profile along the axis through the voxel nearest the fitted centre.
    std::array<int, 3> at{};
    for (int b = 0; b < 3; ++b) {
      at[b] = std::clamp(static_cast<int>(std::lround(c[b] / h[b])), lo[b], hi[b]);
    }
    Eigen::Vector3d line(at[0] * h[0], at[1] * h[1], at[2] * h[2]);
    for (int t = lo[a]; t <= hi[a]; ++t) {
      std::array<int, 3> idx = at;
      idx[a] = t;
      axis.esf.x.push_back(t * h[a] - c[a]);
      axis.esf.y.push_back(image.at(idx[0], idx[1], idx[2]));
    }
    axis.lsf = axis.esf;
    axis.esf_fit = sampleCurve(lo[a] * h[a] - c[a], hi[a] * h[a] - c[a], 401, [&](double x) {
      Eigen::Vector3d q = line;
      q[a] = c[a] + x;
      return model(p, q);
    });
    axis.lsf_fit = axis.esf_fit;
    if (sigma < 0.25 * h[a]) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the FWHM is well below the voxel size; it is poorly determined");
    }
  }
  progress.report(1.0);
  return m;
}

}  // namespace harmonia::psf
