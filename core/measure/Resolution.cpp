#include "core/measure/Resolution.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numbers>

#include "core/measure/GaussianFit.h"
#include "core/measure/ResolutionInternal.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {

Eigen::Vector3d PsfMeasurement::fwhm_mm() const {
  return {axes[0].measured ? axes[0].fwhm_mm : 0.0, axes[1].measured ? axes[1].fwhm_mm : 0.0,
          axes[2].measured ? axes[2].fwhm_mm : 0.0};
}

std::string psfMethodName(PsfMethod method) {
  switch (method) {
    case PsfMethod::Edge:
      return "edge";
    case PsfMethod::Sphere:
      return "sphere";
    case PsfMethod::Point:
      return "point";
  }
  return "edge";
}

PsfMethod psfMethodFromName(const std::string& name) {
  if (name == "edge") return PsfMethod::Edge;
  if (name == "sphere") return PsfMethod::Sphere;
  if (name == "point") return PsfMethod::Point;
  throw ParameterError("method: unknown PSF method '" + name + "' (edge, sphere or point)");
}

Curve mtfFromLsf(const Curve& lsf, double max_frequency_per_mm, int count) {
  if (lsf.x.size() != lsf.y.size() || lsf.x.size() < 2) {
    throw ParameterError("lsf: needs at least two samples with x and y of equal length");
  }
  if (!(max_frequency_per_mm > 0) || count < 2) {
    throw ParameterError("max_frequency_per_mm: must be > 0 (and count >= 2)");
  }
  // Trapezoidal weights for possibly uneven x.
  const std::size_t n = lsf.x.size();
  std::vector<double> w(n, 0.0);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double dx = lsf.x[i + 1] - lsf.x[i];
    w[i] += 0.5 * dx;
    w[i + 1] += 0.5 * dx;
  }
  double area = 0;
  for (std::size_t i = 0; i < n; ++i) area += w[i] * lsf.y[i];
  if (!(std::abs(area) > 0) || !std::isfinite(area)) {
    throw InputError("the line-spread function has zero area: no MTF");
  }
  Curve mtf;
  for (int k = 0; k < count; ++k) {
    const double f = max_frequency_per_mm * k / (count - 1);
    double re = 0, im = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double phase = 2.0 * std::numbers::pi * f * lsf.x[i];
      re += w[i] * lsf.y[i] * std::cos(phase);
      im -= w[i] * lsf.y[i] * std::sin(phase);
    }
    mtf.x.push_back(f);
    mtf.y.push_back(std::hypot(re, im) / std::abs(area));
  }
  return mtf;
}

double mtfCrossing(const Curve& mtf, double level) {
  for (std::size_t i = 0; i + 1 < mtf.y.size(); ++i) {
    if (mtf.y[i] >= level && mtf.y[i + 1] < level) {
      const double t = (mtf.y[i] - level) / (mtf.y[i] - mtf.y[i + 1]);
      return mtf.x[i] + t * (mtf.x[i + 1] - mtf.x[i]);
    }
  }
  return 0.0;
}

PsfMeasurement measurePsf(const Volume& image, const PsfParams& params, Progress& progress) {
  if (!(params.bin_width_fraction > 0) || params.bin_width_fraction > 1) {
    throw ParameterError("bin_width_fraction: must be in (0, 1], got " +
                         std::to_string(params.bin_width_fraction));
  }
  if (!(params.roi_radius_mm >= 0) || !std::isfinite(params.roi_radius_mm)) {
    throw ParameterError("roi_radius_mm: must be >= 0 (0: automatic)");
  }
  if (params.sphere_diameter_mm &&
      (!(*params.sphere_diameter_mm > 0) || !std::isfinite(*params.sphere_diameter_mm))) {
    throw ParameterError("sphere_diameter_mm: must be > 0");
  }
  psf::checkImage(image);
  if (params.centre_mm) psf::worldToGridIndex(image, *params.centre_mm, "centre_mm");
  switch (params.method) {
    case PsfMethod::Edge:
      return psf::measureEdge(image, params, progress);
    case PsfMethod::Sphere:
      return psf::measureSphere(image, params, progress);
    case PsfMethod::Point:
      return psf::measurePoint(image, params, progress);
  }
  throw ParameterError("method: unknown PSF method");
}

namespace psf {

void checkImage(const Volume& image) {
  if (image.empty()) throw InputError("the image is empty");
  for (int a = 0; a < 3; ++a) {
    const double h = image.geometry().spacing_mm[a];
    if (!(h > 0) || !std::isfinite(h)) throw InputError("the image has a non-positive spacing");
  }
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  std::size_t bad = 0;
  for (float v : image.voxels()) {
    if (!std::isfinite(v)) {
      ++bad;
      continue;
    }
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (bad) {
    throw InputError("the image has " + std::to_string(bad) +
                     " NaN/inf voxels: a PSF cannot be measured on it");
  }
  if (!(hi > lo)) throw InputError("the image is uniform: no object to measure a PSF on");
}

namespace {
double median(std::vector<float>& v) { return medianInPlace(v); }
}  // namespace

Levels estimateLevels(const Volume& image) {
  // Otsu's threshold on a 512-bin histogram.
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  for (float v : image.voxels()) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  constexpr int kBins = 512;
  std::vector<double> hist(kBins, 0.0);
  const double width = (static_cast<double>(hi) - lo) / kBins;
  for (float v : image.voxels()) {
    hist[std::min(kBins - 1, static_cast<int>((v - lo) / width))] += 1;
  }
  const double total = static_cast<double>(image.voxelCount());
  double sumAll = 0;
  for (int b = 0; b < kBins; ++b) sumAll += b * hist[b];
  double w0 = 0, sum0 = 0, best = -1;
  int cut = kBins / 2;
  for (int b = 0; b < kBins - 1; ++b) {
    w0 += hist[b];
    sum0 += b * hist[b];
    const double w1 = total - w0;
    if (w0 <= 0 || w1 <= 0) continue;
    const double m0 = sum0 / w0, m1 = (sumAll - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      cut = b;
    }
  }
  double threshold = lo + (cut + 1) * width;
  Levels levels;
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<float> below, above;
    // Medians of a regular subsample of at most ~2 million voxels.
    const std::size_t stride = std::max<std::size_t>(1, image.voxelCount() / (1u << 21));
    for (std::size_t i = 0; i < image.voxelCount(); i += stride) {
      const float v = image.data()[i];
      (v < threshold ? below : above).push_back(v);
    }
    levels.background = median(below);
    levels.foreground = median(above);
    // The class with more voxels is the background (the object is smaller).
    std::vector<float>& back = below.size() < above.size() ? above : below;
    if (below.size() < above.size()) std::swap(levels.background, levels.foreground);
    threshold = 0.5 * (levels.background + levels.foreground);
    if (pass == 1) {
      for (float& v : back) v = static_cast<float>(std::abs(v - levels.background));
      levels.noise = 1.4826 * median(back);
    }
  }
  levels.threshold = threshold;
  if (!(std::abs(levels.foreground - levels.background) > 5.0 * levels.noise)) {
    throw InputError(
        "no object found: the image has no two levels that stand out of its noise "
        "(background " +
        std::to_string(levels.background) + ", brighter class " +
        std::to_string(levels.foreground) + ", noise SD " + std::to_string(levels.noise) + ")");
  }
  return levels;
}

Component findObject(const Volume& image, double threshold,
                     const std::optional<Eigen::Vector3i>& seed) {
  const int nx = image.nx(), ny = image.ny(), nz = image.nz();
  const Eigen::Vector3d h = image.geometry().spacing_mm;
  std::vector<std::int32_t> label(image.voxelCount(), 0);
  for (int side = 0; side < 2; ++side) {
    const bool bright = side == 0;
    std::fill(label.begin(), label.end(), 0);
    auto inside = [&](std::size_t idx) {
      const float v = image.data()[idx];
      return bright ? v > threshold : v < threshold;
    };
    std::optional<Component> best;
    std::int32_t next = 0;
    std::deque<std::array<int, 3>> queue;
    for (int k = 0; k < nz; ++k) {
      for (int j = 0; j < ny; ++j) {
        for (int i = 0; i < nx; ++i) {
          const std::size_t start = image.index(i, j, k);
          if (label[start] || !inside(start)) continue;
          Component c;
          c.bright = bright;
          c.lo = {i, j, k};
          c.hi = {i, j, k};
          Eigen::Vector3d sum(0, 0, 0);
          bool border = false, hasSeed = false;
          label[start] = ++next;
          queue.push_back({i, j, k});
          while (!queue.empty()) {
            const auto p = queue.front();
            queue.pop_front();
            ++c.voxels;
            sum += Eigen::Vector3d(p[0], p[1], p[2]);
            if (seed && p[0] == (*seed)[0] && p[1] == (*seed)[1] && p[2] == (*seed)[2]) {
              hasSeed = true;
            }
            for (int a = 0; a < 3; ++a) {
              c.lo[a] = std::min(c.lo[a], p[a]);
              c.hi[a] = std::max(c.hi[a], p[a]);
            }
            // (an axis of a single slice, as in a 2-D image, has no border to touch)
            if ((nx > 1 && (p[0] == 0 || p[0] == nx - 1)) ||
                (ny > 1 && (p[1] == 0 || p[1] == ny - 1)) ||
                (nz > 1 && (p[2] == 0 || p[2] == nz - 1))) {
              border = true;
            }
            static constexpr int kOff[6][3] = {{1, 0, 0},  {-1, 0, 0}, {0, 1, 0},
                                               {0, -1, 0}, {0, 0, 1},  {0, 0, -1}};
            for (const auto& o : kOff) {
              const int a = p[0] + o[0], b = p[1] + o[1], cc = p[2] + o[2];
              if (a < 0 || b < 0 || cc < 0 || a >= nx || b >= ny || cc >= nz) continue;
              const std::size_t q = image.index(a, b, cc);
              if (label[q] || !inside(q)) continue;
              label[q] = next;
              queue.push_back({a, b, cc});
            }
          }
          c.centroid_mm = (sum / static_cast<double>(c.voxels)).cwiseProduct(h);
          if (seed) {
            // A dark region holding the seed must not be the background around the image.
            if (hasSeed && (bright || !border)) return c;
            continue;
          }
          if (border) continue;
          if (!best || c.voxels > best->voxels) best = c;
        }
      }
    }
    if (!seed && best && best->voxels >= 8) return *best;
  }
  if (seed) {
    throw InputError("no object found at the given centre (the voxel there is at the threshold " +
                     std::to_string(threshold) + ")");
  }
  throw InputError("no object found: no region above (or below) the threshold " +
                   std::to_string(threshold) + " lies inside the image away from its border");
}

Eigen::Vector3d worldToGridIndex(const Volume& image, const Eigen::Vector3d& world_mm,
                                 const char* what) {
  Eigen::Vector3d ijk = image.geometry().worldToIndex(world_mm);
  for (int a = 0; a < 3; ++a) {
    if (!std::isfinite(ijk[a]) || ijk[a] < -0.5 || ijk[a] > image.geometry().size[a] - 0.5) {
      throw ParameterError(std::string(what) + ": the point (" + std::to_string(world_mm[0]) +
                           ", " + std::to_string(world_mm[1]) + ", " + std::to_string(world_mm[2]) +
                           ") mm is outside the image");
    }
  }
  return ijk;
}

Eigen::Vector3d gridMmToWorld(const Volume& image, const Eigen::Vector3d& grid_mm) {
  return image.geometry().indexToWorld(grid_mm.cwiseQuotient(image.geometry().spacing_mm));
}

Curve binCurve(const std::vector<double>& x, const std::vector<double>& y, double width) {
  Curve c;
  if (x.empty()) return c;
  const double x0 = *std::min_element(x.begin(), x.end());
  const double x1 = *std::max_element(x.begin(), x.end());
  const std::size_t bins = static_cast<std::size_t>((x1 - x0) / width) + 1;
  std::vector<double> sx(bins, 0), sy(bins, 0), n(bins, 0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto b = std::min(bins - 1, static_cast<std::size_t>((x[i] - x0) / width));
    sx[b] += x[i];
    sy[b] += y[i];
    n[b] += 1;
  }
  for (std::size_t b = 0; b < bins; ++b) {
    if (n[b] == 0) continue;
    c.x.push_back(sx[b] / n[b]);
    c.y.push_back(sy[b] / n[b]);
  }
  return c;
}

Curve differentiate(const Curve& c, double sign) {
  Curve d;
  for (std::size_t i = 0; i + 1 < c.x.size(); ++i) {
    const double dx = c.x[i + 1] - c.x[i];
    if (!(dx > 0)) continue;
    d.x.push_back(0.5 * (c.x[i] + c.x[i + 1]));
    d.y.push_back(sign * (c.y[i + 1] - c.y[i]) / dx);
  }
  return d;
}

void setGaussianResult(AxisResolution& axis, double sigma_mm, double sigma_stderr_mm) {
  sigma_mm = std::abs(sigma_mm);
  axis.measured = true;
  axis.fwhm_mm = kFwhmPerSigma * sigma_mm;
  axis.fwhm_stderr_mm = kFwhmPerSigma * sigma_stderr_mm;
  // The PSF's LSF on +-8 sigma, then its MTF up to where a Gaussian MTF is 1e-3.
  const Curve lsf = sampleCurve(-8 * sigma_mm, 8 * sigma_mm, 801,
                                [&](double x) { return normalPdf(x / sigma_mm) / sigma_mm; });
  const double fmax = std::sqrt(std::log(1000.0) / 2.0) / (std::numbers::pi * sigma_mm);
  axis.mtf = mtfFromLsf(lsf, fmax, 200);
  axis.mtf50_per_mm = mtfCrossing(axis.mtf, 0.5);
  axis.mtf10_per_mm = mtfCrossing(axis.mtf, 0.1);
}

}  // namespace psf
}  // namespace harmonia
