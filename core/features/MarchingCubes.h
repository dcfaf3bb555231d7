#pragma once
// Marching cubes on a binary mask (IBSI 1, docs/04_Image_features.rst,
// "Mesh-based representation"): the surface is drawn half-way between voxel
// centres (iso level 0.5 on a 0/1 mask), on the mask padded with zeros, so
// every vertex lies at the midpoint of a grid edge. Vertices are kept in
// doubled voxel-index units (integers, exact); the caller scales them to mm.
//
// The triangulation of each of the 256 cube configurations is generated, not
// tabulated: on each cube face the contour pairs each out->in crossing with
// the next in->out crossing counter-clockwise (seen from outside the cube),
// which separates diagonal inside corners on ambiguous faces; each contour
// loop (a polygon, in general not planar) is triangulated so that the
// enclosed volume is largest. These two choices reproduce the IBSI reference
// volumes and areas of the digital phantom and of the CT phantom (the other
// choices put volume or sphericity outside the IBSI tolerances). Both cubes
// that share a face make the same choice, so the mesh is closed, every edge is
// shared by two faces in opposite directions, and normals point outwards.

#include <array>
#include <cstdint>
#include <vector>

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace harmonia::features {

struct SurfaceMesh {
  /// Vertex positions in doubled voxel-index units: 2 * (i, j, k) of the
  /// mask's grid (so a vertex between voxels 3 and 4 along i has x = 7).
  std::vector<Eigen::Vector3i> vertices;
  /// Triangles (vertex indices), counter-clockwise seen from outside.
  std::vector<std::array<int, 3>> triangles;
};

/// The closed surface of the voxels where mask != 0; `size` = nx, ny, nz,
/// i fastest. Empty when the mask is empty.
SurfaceMesh marchingCubes(const std::uint8_t* mask, const std::array<int, 3>& size);

/// Vertices in mm: doubled index units times spacing / 2.
std::vector<Eigen::Vector3d> meshVerticesMm(const SurfaceMesh& mesh,
                                            const Eigen::Vector3d& spacing_mm);

/// Signed volume (sum of a . (b x c) / 6, IBSI "Volume") and area (sum of
/// |ab x ac| / 2, IBSI "Surface area") of triangles over `vertices`.
double signedMeshVolume(const std::vector<Eigen::Vector3d>& vertices,
                        const std::vector<std::array<int, 3>>& triangles);
double meshArea(const std::vector<Eigen::Vector3d>& vertices,
                const std::vector<std::array<int, 3>>& triangles);

}  // namespace harmonia::features
