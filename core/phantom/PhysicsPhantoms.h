#pragma once
// Ground-truth objects for measuring a scanner (the Phantom workspace's
// generator): an edge phantom (a slightly rotated cube, for the slanted-edge
// PSF, plus a sphere for the sphere method) and a NEMA NU 2 / IEC body-like
// phantom (six hot spheres in a warm cylinder). Sampled like makePhantom: on
// an isotropic fine grid centred on the world origin, to be imaged by
// scanPhantom. Boundaries are partial-volume weighted over one fine voxel
// (linear in the signed distance), so the truth has no staircase.

#include <Eigen/Core>
#include <array>

#include "core/image/Volume.h"
#include "core/job/Progress.h"

namespace harmonia {

/// The edge phantom: a cube of `object_value` in a uniform `background_value`
/// box, rotated by small angles so that its faces are slanted against every
/// grid axis (oversampled edge-spread functions), and a sphere beside it.
struct EdgePhantomParams {
  Eigen::Vector3d fov_mm{160.0, 100.0, 80.0};  ///< field of view, centred on the origin
  double fine_spacing_mm = 0.5;                ///< sampling of the ground truth
  double background_value = 0.0;
  double object_value = 1000.0;
  double cube_side_mm = 40.0;
  Eigen::Vector3d cube_centre_mm{-30.0, 0.0, 0.0};
  double tilt_deg = 5.0;  ///< rotation of the cube about z, then about x and y
  double sphere_diameter_mm = 24.0;
  Eigen::Vector3d sphere_centre_mm{40.0, 0.0, 0.0};
};

/// Samples the edge phantom. Throws ParameterError for non-positive sizes.
Volume makeEdgePhantom(const EdgePhantomParams& params, Progress& progress = noProgress());

/// A NEMA NU 2 / IEC body-like phantom: a cylinder (axis z) of background
/// activity holding six spheres of `activity_ratio` x background, of inner
/// diameters 10, 13, 17, 22, 28 and 37 mm (NEMA NU 2-2018, section 7.1, the
/// IEC 61675-1 body phantom), centred on a circle of 114.4 mm diameter in the
/// plane z = sphere_plane_z_mm, at 60 degree steps in diameter order. A
/// simplification: a circular cylinder instead of the D-shaped body, no lung
/// insert, sphere walls of no thickness.
struct NemaPhantomParams {
  Eigen::Vector3d fov_mm{200.0, 200.0, 60.0};
  double fine_spacing_mm = 0.5;
  double cylinder_radius_mm = 95.0;
  double background_activity = 1.0;
  double activity_ratio = 4.0;
  double ring_radius_mm = 57.2;
  double sphere_plane_z_mm = 0.0;
};

/// The sphere diameters (mm) of the NEMA NU 2 / IEC body phantom, in order.
inline constexpr std::array<double, 6> kNemaPhantomSphereDiameters_mm{10, 13, 17, 22, 28, 37};

/// Centre (world mm) of sphere `index` (0: 10 mm ... 5: 37 mm) of the NEMA phantom.
Eigen::Vector3d nemaPhantomSphereCentre(const NemaPhantomParams& params, int index);

/// Samples the NEMA-like phantom. Throws ParameterError for non-positive sizes.
Volume makeNemaPhantom(const NemaPhantomParams& params, Progress& progress = noProgress());

}  // namespace harmonia
