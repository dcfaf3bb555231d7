#include "core/phantom/PhysicsPhantoms.h"

#include <tbb/parallel_for.h>

#include <Eigen/Geometry>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <numbers>

#include "core/image/MetaDataKeys.h"
#include "core/util/Error.h"

namespace harmonia {

using Eigen::Vector3d;

namespace {

/// Fraction of a fine voxel of size h inside an object at signed distance d
/// (negative inside): linear over one voxel around the surface.
double coverage(double d, double h) { return std::clamp(0.5 - d / h, 0.0, 1.0); }

Geometry3D fineGrid(const Vector3d& fov_mm, double spacing_mm, const char* who) {
  if (!(spacing_mm > 0.0) || (fov_mm.array() <= 0.0).any()) {
    throw ParameterError(std::string(who) + ": field of view and fine spacing must be positive");
  }
  Geometry3D g;
  for (int a = 0; a < 3; ++a) {
    g.size[a] = std::max(1, static_cast<int>(std::lround(fov_mm[a] / spacing_mm)));
    g.spacing_mm[a] = spacing_mm;
    g.origin_mm[a] = -0.5 * (g.size[a] - 1) * spacing_mm;
  }
  return g;
}

Volume sample(const Geometry3D& g, const std::function<double(const Vector3d&)>& value,
              Progress& progress) {
  Volume out(g);
  std::atomic<int> done{0};
  tbb::parallel_for(0, g.size[2], [&](int k) {
    if (progress.cancelRequested()) return;
    for (int j = 0; j < g.size[1]; ++j) {
      float* row = out.slice(k) + static_cast<std::size_t>(j) * g.size[0];
      for (int i = 0; i < g.size[0]; ++i) {
        row[i] = static_cast<float>(value(g.indexToWorld(Vector3d(i, j, k))));
      }
    }
    progress.report(static_cast<double>(++done) / g.size[2]);
  });
  progress.throwIfCancelled();
  return out;
}

}  // namespace

Volume makeEdgePhantom(const EdgePhantomParams& p, Progress& progress) {
  if (!(p.cube_side_mm > 0.0) || !(p.sphere_diameter_mm > 0.0)) {
    throw ParameterError("makeEdgePhantom: cube_side_mm and sphere_diameter_mm must be positive");
  }
  const Geometry3D g = fineGrid(p.fov_mm, p.fine_spacing_mm, "makeEdgePhantom");
  const double t = p.tilt_deg * std::numbers::pi / 180.0;
  // World -> cube frame: the inverse of rotations about z, x and y by the tilt.
  const Eigen::Matrix3d toCube =
      (Eigen::AngleAxisd(t, Vector3d::UnitZ()) * Eigen::AngleAxisd(t, Vector3d::UnitX()) *
       Eigen::AngleAxisd(t, Vector3d::UnitY()))
          .toRotationMatrix()
          .transpose();
  const double half = 0.5 * p.cube_side_mm;
  const double r = 0.5 * p.sphere_diameter_mm;
  const double h = p.fine_spacing_mm;
  const double contrast = p.object_value - p.background_value;
  Volume out = sample(
      g,
      [&](const Vector3d& x) {
        const Vector3d q = toCube * (x - p.cube_centre_mm);
        // Signed distance to the cube (exact outside, max-norm inside).
        const Vector3d d = q.cwiseAbs() - Vector3d::Constant(half);
        const double outside = d.cwiseMax(0.0).norm();
        const double cube = outside > 0.0 ? outside : d.maxCoeff();
        const double sphere = (x - p.sphere_centre_mm).norm() - r;
        const double f = std::max(coverage(cube, h), coverage(sphere, h));
        return p.background_value + contrast * f;
      },
      progress);
  out.setUnits("HU");
  out.metadata()[metakey::kModality] = "phantom";
  out.metadata()[metakey::kDescription] = "Harmonia edge phantom (ground truth)";
  return out;
}

Vector3d nemaPhantomSphereCentre(const NemaPhantomParams& p, int index) {
  const double a = index * std::numbers::pi / 3.0;
  return {p.ring_radius_mm * std::cos(a), p.ring_radius_mm * std::sin(a), p.sphere_plane_z_mm};
}

Volume makeNemaPhantom(const NemaPhantomParams& p, Progress& progress) {
  if (!(p.cylinder_radius_mm > 0.0) || !(p.activity_ratio > 0.0)) {
    throw ParameterError("makeNemaPhantom: cylinder_radius_mm and activity_ratio must be positive");
  }
  const Geometry3D g = fineGrid(p.fov_mm, p.fine_spacing_mm, "makeNemaPhantom");
  std::array<Vector3d, 6> centres;
  for (int s = 0; s < 6; ++s) centres[static_cast<std::size_t>(s)] = nemaPhantomSphereCentre(p, s);
  const double h = p.fine_spacing_mm;
  const double bg = p.background_activity;
  const double hot = p.activity_ratio * bg;
  Volume out = sample(
      g,
      [&](const Vector3d& x) {
        const double body = coverage(std::hypot(x.x(), x.y()) - p.cylinder_radius_mm, h);
        double sphere = 0.0;
        for (std::size_t s = 0; s < 6; ++s) {
          const double d = (x - centres[s]).norm() - 0.5 * kNemaPhantomSphereDiameters_mm[s];
          sphere = std::max(sphere, coverage(d, h));
        }
        return body * ((1.0 - sphere) * bg + sphere * hot);
      },
      progress);
  out.setUnits("Bq/ml");
  out.metadata()[metakey::kModality] = "phantom";
  out.metadata()[metakey::kDescription] = "Harmonia NEMA IEC body-like phantom (ground truth)";
  return out;
}

}  // namespace harmonia
