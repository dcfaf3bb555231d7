// Edge method of measurePsf (see Resolution.h): the faces of a box-shaped object.

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/measure/GaussianFit.h"
#include "core/measure/ResolutionInternal.h"
#include "core/util/Error.h"

namespace harmonia::psf {
namespace {

// The edge fit's RMS residual near the edge may exceed the plateaus' (noise)
// by this factor plus this fraction of the contrast before the edge is called
// not planar (noise alone gives a ratio near 1; model error adds to it).
constexpr double kEdgeResidualRatio = 3.0;
constexpr double kEdgeResidualFloor = 0.01;
// ... and never more than this fraction of the contrast, whatever the plateaus.
constexpr double kEdgeResidualMax = 0.1;

struct FaceSample {
  int face = 0;         // index into the axis' faces
  double x = 0;         // coordinate along the normal (grid mm)
  double u = 0, v = 0;  // tangential coordinates relative to the face centre (mm)
  double value = 0;
};

struct Face {
  double boundary_mm = 0;  // nominal face position (between the last object voxel and the next)
  double inward = 1;       // +1: the object lies at larger x (low face), -1 (high face)
};

}  // namespace

PsfMeasurement measureEdge(const Volume& image, const PsfParams& params, Progress& progress) {
  PsfMeasurement m;
  m.method = PsfMethod::Edge;
  const Levels levels = estimateLevels(image);
  std::optional<Eigen::Vector3i> seed;
  if (params.centre_mm) {
    const Eigen::Vector3d ijk = worldToGridIndex(image, *params.centre_mm, "centre_mm");
    seed = ijk.array().round().cast<int>().matrix();
  }
  const Component object = findObject(image, levels.threshold, seed);
  const Eigen::Vector3d h = image.geometry().spacing_mm;
  const std::array<int, 3> n = {image.nx(), image.ny(), image.nz()};
  Eigen::Vector3d centre;
  for (int a = 0; a < 3; ++a) centre[a] = 0.5 * (object.lo[a] + object.hi[a]) * h[a];
  m.centre_mm = gridMmToWorld(image, centre);
  m.background = levels.background;
  m.foreground = levels.foreground;

  for (int a = 0; a < 3; ++a) {
    progress.throwIfCancelled();
    AxisResolution& axis = m.axes[a];
    const int b = (a + 1) % 3, c = (a + 2) % 3;
    const double extent = (object.hi[a] - object.lo[a] + 1) * h[a];
    if (object.hi[a] - object.lo[a] + 1 < 3) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the object is too thin along it for an edge (under 3 voxels)");
      continue;
    }
    // Half-width of the window along the normal: within the object, well short
    // of its middle; outside, up to the image border or the ROI radius.
    double window = std::min(0.45 * extent, std::max(8.0 * h[a], 20.0));
    if (params.roi_radius_mm > 0) window = std::min(window, params.roi_radius_mm);
    std::vector<Face> faces;
    if (object.lo[a] >= 2) faces.push_back({(object.lo[a] - 0.5) * h[a], 1.0});
    if (object.hi[a] <= n[a] - 3) faces.push_back({(object.hi[a] + 0.5) * h[a], -1.0});
    if (faces.empty()) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": both faces of the object touch the image border");
      continue;
    }
    // Central half of each face, away from the corners.
    auto centralRange = [&](int t) {
      const int len = object.hi[t] - object.lo[t] + 1;
      const int lo = object.lo[t] + len / 4, hi = object.hi[t] - len / 4;
      return std::array<int, 2>{lo, std::max(lo, hi)};
    };
    const auto rb = centralRange(b), rc = centralRange(c);
    const double ub = 0.5 * (rb[0] + rb[1]) * h[b], uc = 0.5 * (rc[0] + rc[1]) * h[c];
    // At most ~48 x 48 columns per face (a regular subset on large faces).
    const int strideB = (rb[1] - rb[0]) / 48 + 1, strideC = (rc[1] - rc[0]) / 48 + 1;
    std::vector<FaceSample> samples;
    for (int f = 0; f < static_cast<int>(faces.size()); ++f) {
      const int i0 =
          std::max(0, static_cast<int>(std::floor((faces[f].boundary_mm - window) / h[a])));
      const int i1 =
          std::min(n[a] - 1, static_cast<int>(std::ceil((faces[f].boundary_mm + window) / h[a])));
      for (int ia = i0; ia <= i1; ++ia) {
        for (int ib = rb[0]; ib <= rb[1]; ib += strideB) {
          for (int ic = rc[0]; ic <= rc[1]; ic += strideC) {
            std::array<int, 3> idx{};
            idx[a] = ia;
            idx[b] = ib;
            idx[c] = ic;
            samples.push_back(
                {f, ia * h[a], ib * h[b] - ub, ic * h[c] - uc, image.at(idx[0], idx[1], idx[2])});
          }
        }
      }
    }
    // Parameters: background, foreground, sigma, then per face: offset, tilt
    // along b, tilt along c (the slanted-edge part).
    const int nf = static_cast<int>(faces.size());
    if (samples.size() < 8 * (3 + 3 * static_cast<std::size_t>(nf))) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": too few voxels near the faces for an edge fit");
      continue;
    }
    Eigen::VectorXd p0(3 + 3 * nf), scale(3 + 3 * nf);
    p0 << levels.background, levels.foreground, 0.7 * h[a], Eigen::VectorXd::Zero(3 * nf);
    const double contrast = std::abs(levels.foreground - levels.background);
    scale << contrast, contrast, h[a], Eigen::VectorXd::Constant(3 * nf, 0.1);
    for (int f = 0; f < nf; ++f) scale[3 + 3 * f] = h[a];
    auto distanceInside = [&](const Eigen::VectorXd& p, const FaceSample& s) {
      const int o = 3 + 3 * s.face;
      const double plane = faces[s.face].boundary_mm + p[o] + p[o + 1] * s.u + p[o + 2] * s.v;
      return faces[s.face].inward * (s.x - plane);
    };
    const ResidualFunction residuals = [&](const Eigen::VectorXd& p, Eigen::VectorXd& r) {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, samples.size(), 4096), [&](const auto& range) {
            for (std::size_t i = range.begin(); i != range.end(); ++i) {
              const double e = sampledEdge(distanceInside(p, samples[i]), p[2], h[a]);
              r[static_cast<Eigen::Index>(i)] = p[0] + (p[1] - p[0]) * e - samples[i].value;
            }
          });
    };
    const LeastSquaresResult fit =
        levenbergMarquardt(residuals, static_cast<Eigen::Index>(samples.size()), p0, scale);
    const Eigen::VectorXd& p = fit.params;
    const double sigma = std::abs(p[2]);
    if (!fit.converged || !std::isfinite(sigma) || sigma > window) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the edge fit did not converge to a plausible width");
      continue;
    }
    setGaussianResult(axis, sigma, fit.stderr_params[2]);
    // A planar edge blurred by a Gaussian explains the samples near the edge
    // as well as it explains the flat plateaus on either side (both up to
    // noise); a curved object leaves systematic residuals near the edge only,
    // and the width it yields is wrong (a 28 mm ball reads 45% too wide).
    {
      Eigen::VectorXd r(static_cast<Eigen::Index>(samples.size()));
      residuals(p, r);
      double nearSum = 0, farSum = 0;
      std::size_t nearCount = 0, farCount = 0;
      for (std::size_t i = 0; i < samples.size(); ++i) {
        const double d = std::abs(distanceInside(p, samples[i]));
        const double r2 = r[static_cast<Eigen::Index>(i)] * r[static_cast<Eigen::Index>(i)];
        if (d < 2.0 * sigma + 0.5 * h[a]) {
          nearSum += r2;
          ++nearCount;
        } else if (d > 3.0 * sigma + h[a]) {
          farSum += r2;
          ++farCount;
        }
      }
      const double nearRms = nearCount ? std::sqrt(nearSum / nearCount) : 0.0;
      const double farRms = farCount ? std::sqrt(farSum / farCount) : 0.0;
      if (nearRms > kEdgeResidualRatio * farRms + kEdgeResidualFloor * contrast ||
          nearRms > kEdgeResidualMax * contrast) {
        m.warnings.push_back(
            std::string("axis ") + kAxisName[a] +
            ": the samples near the edge do not follow a blurred planar edge (RMS residual " +
            std::to_string(nearRms / contrast * 100.0).substr(0, 4) +
            "% of the contrast, against " + std::to_string(farRms / contrast * 100.0).substr(0, 4) +
            "% on the plateaus): is the object a box with flat faces? The FWHM is unreliable");
      }
    }
    // Curves: the oversampled ESF against the distance to the fitted faces.
    std::vector<double> xs, ys;
    for (const auto& s : samples) {
      xs.push_back(distanceInside(p, s));
      ys.push_back(s.value);
    }
    axis.esf = binCurve(xs, ys, params.bin_width_fraction * h[a]);
    axis.lsf = differentiate(axis.esf);
    axis.esf_fit = sampleCurve(-window, window, 401, [&](double x) {
      return p[0] + (p[1] - p[0]) * sampledEdge(x, sigma, h[a]);
    });
    axis.lsf_fit = sampleCurve(-window, window, 401, [&](double x) {
      return (p[1] - p[0]) * sampledGaussian(x, sigma, h[a]);
    });
    m.background = p[0];
    m.foreground = p[1];
    if (sigma < 0.25 * h[a]) {
      m.warnings.push_back(std::string("axis ") + kAxisName[a] +
                           ": the FWHM is well below the voxel size; it is poorly determined");
    }
    progress.report((a + 1) / 3.0);
  }
  if (!m.axes[0].measured && !m.axes[1].measured && !m.axes[2].measured) {
    throw InputError("no usable edge: the object's faces could not be measured on any axis");
  }
  return m;
}

}  // namespace harmonia::psf
