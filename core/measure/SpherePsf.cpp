// Sphere method of measurePsf (see Resolution.h): a uniform sphere blurred by
// a Gaussian PSF with per-axis sigma, averaged over each voxel's box.

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/measure/GaussianFit.h"
#include "core/measure/ResolutionInternal.h"
#include "core/util/Error.h"

namespace harmonia::psf {
namespace {

// Gauss-Legendre nodes and weights on [-1/2, 1/2] (weights sum to 1).
struct Quadrature {
  std::vector<double> nodes, weights;
};
Quadrature gaussLegendre(int n) {
  Quadrature q;
  if (n <= 1) return {{0.0}, {1.0}};
  for (int i = 1; i <= n; ++i) {
    double x = std::cos(std::numbers::pi * (i - 0.25) / (n + 0.5));
    double dp = 1;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = x;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (x * p1 - p0) / (x * x - 1);
      const double dx = p1 / dp;
      x -= dx;
      if (std::abs(dx) < 1e-15) break;
    }
    q.nodes.push_back(0.5 * x);
    q.weights.push_back(1.0 / ((1 - x * x) * dp * dp));  // 2/((1-x^2)P'^2), halved
  }
  return q;
}

}  // namespace

/// A ball of radius R (value 1 inside) convolved with an isotropic Gaussian of
/// sigma, at distance r from its centre (closed form):
/// Phi((R-r)/s) + Phi((R+r)/s) - 1 + (s/r) [phi((R+r)/s) - phi((R-r)/s)].
/// The last term is the surface's curvature: with K = s^2 it reads
/// (K / (s r)) [...], the edge moving inwards by K / r. For an anisotropic
/// Gaussian, s is the SD along the surface normal and K half the expected
/// squared tangential displacement given the normal one (see curvatureK).
double blurredBall(double r, double radius, double sigma, double curvature_k) {
  sigma = std::max(std::abs(sigma), 1e-9);
  const double a = (radius - r) / sigma, b = (radius + r) / sigma;
  const double curvature = curvature_k / sigma;
  if (b > 9.0) return normalCdf(a) - (curvature / r) * normalPdf(a);  // phi(b), Phi(-b) < 1e-18
  if (r < 1e-6 * sigma) {
    const double t = radius / sigma;
    return 2.0 * normalCdf(t) - 1.0 - 2.0 * t * normalPdf(t);
  }
  return normalCdfDifference(a, -b) + (curvature / r) * (normalPdf(b) - normalPdf(a));
}

/// The curvature coefficient K of a Gaussian with covariance diag(s2) at a
/// surface point with unit normal n, at distance u inside the surface (first
/// order in 1/r). The surface lies u_t^2 / (2 r) below its tangent plane, so the
/// blurred edge moves by E[|d_t|^2 | d_n = u] / (2 r), where d_n, d_t are the
/// normal and tangential parts of the Gaussian displacement:
/// E[|d_t|^2 | d_n = u] = tr S - s_n^2 - |c|^2 / s_n^2 + |c|^2 u^2 / s_n^4,
/// s_n^2 = n^T S n, c = the tangential part of S n. Isotropic: K = sigma^2.
double curvatureK(const Eigen::Vector3d& s2, const Eigen::Vector3d& n, double u) {
  const Eigen::Vector3d sn = s2.cwiseProduct(n);
  const double sn2 = std::max(n.dot(sn), 1e-18);
  const double c2 = std::max(sn.squaredNorm() - sn2 * sn2, 0.0);
  return 0.5 * std::max(s2.sum() - sn2 - c2 / sn2 + c2 * u * u / (sn2 * sn2), 0.0);
}

namespace {

struct SphereModel {
  Eigen::Vector3d h;
  std::array<Quadrature, 3> q;
  // Parameters: bg, fg, cx, cy, cz, sx, sy, sz, R.
  double value(const Eigen::VectorXd& p, const Eigen::Vector3d& x) const {
    const Eigen::Vector3d c(p[2], p[3], p[4]);
    const Eigen::Vector3d s2(p[5] * p[5], p[6] * p[6], p[7] * p[7]);
    const double radius = std::abs(p[8]);
    double sum = 0;
    for (std::size_t i = 0; i < q[0].nodes.size(); ++i) {
      for (std::size_t j = 0; j < q[1].nodes.size(); ++j) {
        for (std::size_t k = 0; k < q[2].nodes.size(); ++k) {
          const Eigen::Vector3d d(x[0] + q[0].nodes[i] * h[0] - c[0],
                                  x[1] + q[1].nodes[j] * h[1] - c[1],
                                  x[2] + q[2].nodes[k] * h[2] - c[2]);
          const double r2 = d.squaredNorm();
          // Local sigma along the surface normal n = d / |d|, and the curvature term.
          const double r = std::sqrt(r2);
          const Eigen::Vector3d n = r > 0 ? Eigen::Vector3d(d / r) : Eigen::Vector3d(0, 0, 1);
          const double sn2 = r > 0 ? n.cwiseProduct(n).dot(s2) : s2.mean();
          sum += q[0].weights[i] * q[1].weights[j] * q[2].weights[k] *
                 blurredBall(r, radius, std::sqrt(sn2), curvatureK(s2, n, radius - r));
        }
      }
    }
    return p[0] + (p[1] - p[0]) * sum;
  }
};

std::array<Quadrature, 3> quadratureFor(const Eigen::Vector3d& h, double sigma_min) {
  std::array<Quadrature, 3> q;
  for (int a = 0; a < 3; ++a) {
    const int n = std::clamp(static_cast<int>(std::ceil(1.2 * h[a] / sigma_min)) + 1, 2, 8);
    q[a] = gaussLegendre(n);
  }
  return q;
}

}  // namespace

PsfMeasurement measureSphere(const Volume& image, const PsfParams& params, Progress& progress) {
  PsfMeasurement m;
  m.method = PsfMethod::Sphere;
  const Levels levels = estimateLevels(image);
  std::optional<Eigen::Vector3i> seed;
  Eigen::Vector3d centre;
  const Eigen::Vector3d h = image.geometry().spacing_mm;
  if (params.centre_mm) {
    const Eigen::Vector3d ijk = worldToGridIndex(image, *params.centre_mm, "centre_mm");
    seed = ijk.array().round().cast<int>().matrix();
  }
  const Component object = findObject(image, levels.threshold, seed);
  centre =
      params.centre_mm
          ? Eigen::Vector3d(worldToGridIndex(image, *params.centre_mm, "centre_mm").cwiseProduct(h))
          : object.centroid_mm;
  const double contrast = levels.foreground - levels.background;
  const double hmax = h.maxCoeff();
  // Radius: the known one, else from the object's volume (partial voxels counted).
  double radius0 = 0;
  if (params.sphere_diameter_mm) {
    radius0 = 0.5 * *params.sphere_diameter_mm;
  } else {
    double volume = 0;
    for (int k = std::max(0, object.lo[2] - 3); k <= std::min(image.nz() - 1, object.hi[2] + 3);
         ++k) {
      for (int j = std::max(0, object.lo[1] - 3); j <= std::min(image.ny() - 1, object.hi[1] + 3);
           ++j) {
        for (int i = std::max(0, object.lo[0] - 3); i <= std::min(image.nx() - 1, object.hi[0] + 3);
             ++i) {
          volume += std::clamp((image.at(i, j, k) - levels.background) / contrast, 0.0, 1.0);
        }
      }
    }
    volume *= h.prod();
    radius0 = std::cbrt(3.0 * volume / (4.0 * std::numbers::pi));
  }
  if (radius0 < 1.5 * h.minCoeff()) {
    throw InputError("the sphere is too small for the voxel size (radius " +
                     std::to_string(radius0) + " mm)");
  }
  // Voxels of a shell around the surface.
  const double shell = std::max(2.0 * hmax, 4.0);
  const double rIn = std::max(0.0, radius0 - shell);
  double rOut = radius0 + shell;
  if (params.roi_radius_mm > 0) rOut = std::min(rOut, params.roi_radius_mm);
  if (rOut <= radius0) {
    throw ParameterError("roi_radius_mm: must exceed the sphere's radius (" +
                         std::to_string(radius0) + " mm)");
  }
  std::vector<Eigen::Vector3d> xs;
  std::vector<double> values;
  std::array<int, 3> lo{}, hi{};
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(0, static_cast<int>(std::floor((centre[a] - rOut) / h[a])));
    hi[a] = std::min(image.geometry().size[a] - 1,
                     static_cast<int>(std::ceil((centre[a] + rOut) / h[a])));
  }
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        const Eigen::Vector3d x(i * h[0], j * h[1], k * h[2]);
        const double r = (x - centre).norm();
        if (r < rIn || r > rOut) continue;
        xs.push_back(x);
        values.push_back(image.at(i, j, k));
      }
    }
  }
  if (xs.size() < 100) {
    throw InputError("too few voxels around the sphere's surface (" + std::to_string(xs.size()) +
                     ") for a sphere fit");
  }
  const bool fitRadius = !params.sphere_diameter_mm;
  Eigen::VectorXd p(9), scale(9);
  // Start sigma: over a voxel (the quadrature is set for it, then refined).
  p << levels.background, levels.foreground, centre, 1.25 * h.cwiseMax(0.5 * hmax), radius0;
  scale << std::abs(contrast), std::abs(contrast), h, h, radius0;
  SphereModel model{h, {}};
  const auto count = static_cast<Eigen::Index>(xs.size());
  // The free parameters: all but R when the diameter is known.
  const int nFree = fitRadius ? 9 : 8;
  auto full = [&](const Eigen::VectorXd& free) {
    Eigen::VectorXd all = p;
    all.head(nFree) = free;
    return all;
  };
  // The shape part (the model with bg 0, fg 1) is kept for the last geometry:
  // the Jacobian's bg and fg columns then cost no model evaluation.
  Eigen::VectorXd shape(count), lastGeometry;
  const ResidualFunction residuals = [&](const Eigen::VectorXd& free, Eigen::VectorXd& r) {
    Eigen::VectorXd all = full(free);
    const Eigen::VectorXd geometry = all.tail(7);
    if (lastGeometry.size() != 7 || geometry != lastGeometry) {
      all[0] = 0;
      all[1] = 1;
      tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count, 256), [&](const auto& range) {
        for (Eigen::Index i = range.begin(); i != range.end(); ++i) {
          shape[i] = model.value(all, xs[static_cast<std::size_t>(i)]);
        }
      });
      lastGeometry = geometry;
    }
    for (Eigen::Index i = 0; i < count; ++i) {
      r[i] = free[0] + (free[1] - free[0]) * shape[i] - values[static_cast<std::size_t>(i)];
    }
  };
  LeastSquaresResult fit;
  // Two passes: the quadrature is refined for the fitted sigma.
  for (int pass = 0; pass < 2; ++pass) {
    progress.throwIfCancelled();
    const double sigmaMin = std::max(p.segment<3>(5).cwiseAbs().minCoeff(), 0.05 * hmax);
    const auto q = quadratureFor(h, sigmaMin);
    if (pass == 1 && q[0].nodes.size() == model.q[0].nodes.size() &&
        q[1].nodes.size() == model.q[1].nodes.size() &&
        q[2].nodes.size() == model.q[2].nodes.size()) {
      break;
    }
    model.q = q;
    lastGeometry.resize(0);
    fit = levenbergMarquardt(residuals, count, p.head(nFree), scale.head(nFree));
    p.head(nFree) = fit.params;
    progress.report(0.4 * (pass + 1));
  }
  if (!fit.converged || !p.allFinite()) {
    throw InputError("the sphere fit did not converge (is there a uniform sphere in the image?)");
  }
  const Eigen::Vector3d c = p.segment<3>(2);
  const double radius = std::abs(p[8]);
  m.centre_mm = gridMmToWorld(image, c);
  m.background = p[0];
  m.foreground = p[1];
  if (fitRadius) {
    m.warnings.push_back("sphere diameter fitted: " + std::to_string(2 * radius) + " mm");
  }
  {
    // The anisotropic model is first order in the curvature: on synthetic
    // scans its error grows from ~2% (FWHM 2x2x4 mm, 20 mm sphere) to ~5%
    // (2x3x5 mm); say so when the PSF is that anisotropic for the sphere's size.
    const Eigen::Vector3d s = p.segment<3>(5).cwiseAbs();
    if (s.maxCoeff() > 1.6 * s.minCoeff() && s.maxCoeff() > 0.15 * radius) {
      m.warnings.push_back(
          "the PSF is strongly anisotropic for this sphere's size: the sphere model is "
          "approximate there (a few %); an edge or a point source measures it exactly");
    }
  }
  for (int a = 0; a < 3; ++a) {
    AxisResolution& axis = m.axes[a];
    const double sigma = std::abs(p[5 + a]);
    if (!(sigma < shell)) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the sphere fit gave an implausible width");
      continue;
    }
    setGaussianResult(axis, sigma, fit.stderr_params[5 + a]);
    // Radial profile in a cone of 25 degrees around the axis (both directions).
    std::vector<double> rs, vs;
    const double cosCone = std::cos(25.0 * std::numbers::pi / 180.0);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const Eigen::Vector3d d = xs[i] - c;
      const double r = d.norm();
      if (r > 0 && std::abs(d[a]) >= cosCone * r) {
        rs.push_back(r);
        vs.push_back(values[i]);
      }
    }
    axis.esf = binCurve(rs, vs, params.bin_width_fraction * h[a]);
    axis.lsf = differentiate(axis.esf, -1.0);
    axis.esf_fit = sampleCurve(rIn, rOut, 201, [&](double r) {
      Eigen::Vector3d x = c;
      x[a] += r;
      return model.value(p, x);
    });
    axis.lsf_fit = differentiate(axis.esf_fit, -1.0);
    if (sigma < 0.25 * h[a]) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the FWHM is well below the voxel size; it is poorly determined");
    }
  }
  if (!m.axes[0].measured && !m.axes[1].measured && !m.axes[2].measured) {
    throw InputError("the sphere fit gave no plausible width on any axis");
  }
  progress.report(1.0);
  return m;
}

}  // namespace harmonia::psf
