#include <Eigen/Core>

#include "core/phantom/PhysicsPhantoms.h"
#include "ui/model/PhantomSession.h"

// The Phantom workspace's defaults per phantom kind: the two virtual scanners,
// and the ROIs and inserts placed on the generated phantom's known objects.

namespace harmonia {

std::array<ScannerParams, 2> PhantomSession::defaultScanners(PhantomKind kind) {
  ScannerParams a;
  a.name = "A";
  a.psf_fwhm_mm = {2.0, 2.0, 3.0};
  a.spacing_mm = {1.0, 1.0, 2.0};
  a.slice_thickness_mm = 2.0;
  ScannerParams b;
  b.name = "B";
  b.psf_fwhm_mm = {4.0, 4.0, 5.0};
  b.spacing_mm = {1.5, 1.5, 3.0};
  b.slice_thickness_mm = 3.0;
  b.noise_seed = 2;
  switch (kind) {
    case PhantomKind::Edge:  // object 1000 on 0: a CT-like contrast
      a.noise_sigma = 8.0;
      b.noise_sigma = 5.0;
      b.gain_alpha = 1.02;
      b.offset_beta = -10.0;
      break;
    case PhantomKind::Nema:  // PET: background 1, no gain or offset (recovery is a ratio)
      a.psf_fwhm_mm = {4.0, 4.0, 4.0};
      a.spacing_mm = {2.0, 2.0, 2.0};
      a.slice_thickness_mm = 2.0;
      a.noise_sigma = 0.05;
      b.psf_fwhm_mm = {7.0, 7.0, 7.0};
      b.spacing_mm = {4.0, 4.0, 4.0};
      b.slice_thickness_mm = 4.0;
      b.noise_sigma = 0.03;
      break;
    case PhantomKind::Texture:
      a.noise_sigma = 5.0;
      b.noise_sigma = 3.0;
      b.gain_alpha = 1.1;
      b.offset_beta = 20.0;
      break;
  }
  return {a, b};
}

void PhantomSession::setDefaultRois() {
  psf_ = PsfParams{};
  noise_ = NoiseParams{};
  nema_ = NemaParams{};
  inserts_.clear();
  switch (kind_) {
    case PhantomKind::Edge: {
      // The phantom holds two objects: point the measurement at the cube.
      const EdgePhantomParams e = edgePhantomParams(fineSpacing_);
      inserts_ = {{"cube", e.cube_centre_mm, 8.0, e.object_value},
                  {"sphere", e.sphere_centre_mm, 6.0, e.object_value},
                  {"background", Eigen::Vector3d(0.0, 35.0, 0.0), 8.0, e.background_value}};
      psf_.method = PsfMethod::Edge;
      psf_.centre_mm = e.cube_centre_mm;
      noise_.centre_mm = e.cube_centre_mm;
      noise_.half_size_mm = {10.0, 10.0, 8.0};
      break;
    }
    case PhantomKind::Nema: {
      psf_.method = PsfMethod::Sphere;
      const NemaPhantomParams n = nemaPhantomParams(fineSpacing_);
      psf_.centre_mm = nemaPhantomSphereCentre(n, 5);
      psf_.sphere_diameter_mm = kNemaPhantomSphereDiameters_mm[5];
      noise_.centre_mm = {0.0, 0.0, 0.0};
      noise_.half_size_mm = {15.0, 15.0, 10.0};
      nema_.activity_ratio = n.activity_ratio;
      nema_.background_activity = n.background_activity;
      // PET values: the background and the two largest spheres' cores (activity ratio).
      inserts_ = {{"background", Eigen::Vector3d(0.0, 0.0, 0.0), 10.0, n.background_activity},
                  {"sphere 37 mm", nemaPhantomSphereCentre(n, 5), 8.0,
                   n.activity_ratio * n.background_activity},
                  {"sphere 28 mm", nemaPhantomSphereCentre(n, 4), 5.0,
                   n.activity_ratio * n.background_activity}};
      break;
    }
    case PhantomKind::Texture: {
      psf_.method = PsfMethod::Sphere;
      noise_.half_size_mm = {10.0, 10.0, 5.0};
      // The materials of makePhantom's body (core/phantom/DigitalPhantom.cpp, which places
      // them as fractions of the body's semi-axes, 0.44 / 0.34 / 0.45 x the field of view);
      // the texture on them averages out over an insert.
      const Eigen::Vector3d body =
          PhantomParams{}.fov_mm.cwiseProduct(Eigen::Vector3d(0.44, 0.34, 0.45));
      inserts_ = {{"soft tissue", Eigen::Vector3d(0.0, -0.1 * body.y(), 0.0), 7.0, 40.0},
                  {"fat", Eigen::Vector3d(-0.45 * body.x(), -0.15 * body.y(), 0.0), 9.0, -100.0},
                  {"lung", Eigen::Vector3d(0.0, 0.5 * body.y(), 0.0), 8.0, -750.0},
                  {"bone", Eigen::Vector3d(0.42 * body.x(), -0.25 * body.y(), 0.0), 8.0, 700.0}};
      break;
    }
  }
}

}  // namespace harmonia
