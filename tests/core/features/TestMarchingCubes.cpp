// The marching cubes mesh and the convex hull: closed, consistently oriented
// meshes on random masks, and analytic volumes and areas of voxel boxes.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <utility>

#include "core/features/ConvexHull.h"
#include "core/features/MarchingCubes.h"

using namespace harmonia::features;

namespace {

std::vector<std::uint8_t> randomMask(const std::array<int, 3>& size, double fill, unsigned seed) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution in(fill);
  std::vector<std::uint8_t> m(static_cast<std::size_t>(size[0]) * size[1] * size[2]);
  for (auto& v : m) v = in(rng) ? 1 : 0;
  return m;
}

/// Box of n0 x n1 x n2 voxels in a grid with one empty voxel around it.
std::vector<std::uint8_t> boxMask(const std::array<int, 3>& n, std::array<int, 3>& size) {
  size = {n[0] + 2, n[1] + 2, n[2] + 2};
  std::vector<std::uint8_t> m(static_cast<std::size_t>(size[0]) * size[1] * size[2], 0);
  for (int k = 1; k <= n[2]; ++k)
    for (int j = 1; j <= n[1]; ++j)
      for (int i = 1; i <= n[0]; ++i) m[i + size[0] * (j + size[1] * k)] = 1;
  return m;
}

}  // namespace

TEST(MarchingCubes, RandomMasksGiveClosedOutwardMeshes) {
  // Random masks hit every cube configuration, ambiguous faces included.
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const std::array<int, 3> size{9, 8, 7};
    const auto mask = randomMask(size, 0.2 + 0.03 * seed, seed);
    const SurfaceMesh mesh = marchingCubes(mask.data(), size);
    ASSERT_FALSE(mesh.triangles.empty());
    // IBSI "Mesh-based representation": in a closed, consistently oriented
    // mesh every edge a->b of a face is b->a in an adjacent face. (An edge
    // can have four faces where a loop crosses an ambiguous cube face twice;
    // they still pair up in opposite directions.)
    std::map<std::pair<int, int>, int> directed;
    for (const auto& t : mesh.triangles)
      for (int e = 0; e < 3; ++e) ++directed[{t[e], t[(e + 1) % 3]}];
    for (const auto& [edge, count] : directed) {
      const auto reverse = directed.find({edge.second, edge.first});
      ASSERT_NE(reverse, directed.end()) << "seed " << seed;
      ASSERT_EQ(reverse->second, count) << "seed " << seed;
    }
    // Outward normals: positive signed volume. Closed: the same volume from
    // tetrahedra on a far-away apex (signedMeshVolume uses a mesh vertex).
    const auto v = meshVerticesMm(mesh, Eigen::Vector3d(1.0, 1.0, 1.0));
    const double volume = signedMeshVolume(v, mesh.triangles);
    const Eigen::Vector3d apex(100.0, -50.0, 30.0);
    double fromApex = 0.0;
    for (const auto& t : mesh.triangles)
      fromApex += (v[t[0]] - apex).dot((v[t[1]] - apex).cross(v[t[2]] - apex)) / 6.0;
    EXPECT_GT(volume, 0.0) << "seed " << seed;
    EXPECT_NEAR(fromApex, volume, 1e-9 * volume) << "seed " << seed;
  }
}

TEST(MarchingCubes, OneVoxelIsAnOctahedron) {
  const std::array<int, 3> size{1, 1, 1};
  const std::uint8_t one = 1;
  const SurfaceMesh mesh = marchingCubes(&one, size);
  EXPECT_EQ(mesh.vertices.size(), 6u);
  EXPECT_EQ(mesh.triangles.size(), 8u);
  const Eigen::Vector3d s(0.7, 1.1, 2.5);
  const auto v = meshVerticesMm(mesh, s);
  // Octahedron with half-axes s/2: volume (4/3) prod(s/2), area 8 faces of
  // 0.5 |(a,0,0) x (0,b,0) ...| with a, b, c = s/2.
  const double a = s.x() / 2, b = s.y() / 2, c = s.z() / 2;
  EXPECT_NEAR(signedMeshVolume(v, mesh.triangles), 4.0 / 3.0 * a * b * c, 1e-12);
  EXPECT_NEAR(meshArea(v, mesh.triangles),
              8.0 * 0.5 * std::sqrt(a * a * b * b + b * b * c * c + c * c * a * a), 1e-12);
}

TEST(MarchingCubes, VoxelBoxHasAnalyticVolumeAndArea) {
  const std::array<int, 3> n{5, 3, 4};
  std::array<int, 3> size{};
  const auto mask = boxMask(n, size);
  const SurfaceMesh mesh = marchingCubes(mask.data(), size);
  const Eigen::Vector3d s(0.8, 1.3, 2.0);
  const auto v = meshVerticesMm(mesh, s);
  // The mesh is the box of voxel faces with every edge chamfered at half a
  // voxel and every corner cut by a triangle through the three half-voxel
  // points (derived by hand from the cube configurations).
  const double n0 = n[0], n1 = n[1], n2 = n[2];
  const double volume =
      s.prod() * (n0 * n1 * n2 - ((n0 - 1) + (n1 - 1) + (n2 - 1)) / 2.0 - 5.0 / 6.0);
  const double sx = s.x(), sy = s.y(), sz = s.z();
  const double area =
      2 * ((n1 - 1) * (n2 - 1) * sy * sz + (n0 - 1) * (n2 - 1) * sx * sz +
           (n0 - 1) * (n1 - 1) * sx * sy) +
      4 * ((n0 - 1) * sx * 0.5 * std::hypot(sy, sz) + (n1 - 1) * sy * 0.5 * std::hypot(sx, sz) +
           (n2 - 1) * sz * 0.5 * std::hypot(sx, sy)) +
      8 * 0.125 * std::sqrt(sx * sx * sy * sy + sy * sy * sz * sz + sz * sz * sx * sx);
  EXPECT_NEAR(signedMeshVolume(v, mesh.triangles), volume, 1e-9 * volume);
  EXPECT_NEAR(meshArea(v, mesh.triangles), area, 1e-9 * area);
  // The box mesh is convex: its hull has the same volume and area.
  const ConvexHull hull = convexHull(mesh.vertices);
  EXPECT_NEAR(signedMeshVolume(v, hull.triangles), volume, 1e-9 * volume);
  EXPECT_NEAR(meshArea(v, hull.triangles), area, 1e-9 * area);
}

TEST(ConvexHull, MatchesBruteForceFacetsOnRandomPoints) {
  // Points on a small integer lattice: many coplanar and collinear points.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> coord(-4, 4);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<Eigen::Vector3i> pts;
    for (int n = 0; n < 60; ++n) pts.emplace_back(coord(rng), coord(rng), coord(rng));
    std::sort(pts.begin(), pts.end(), [](const auto& l, const auto& r) {
      return std::lexicographical_compare(l.data(), l.data() + 3, r.data(), r.data() + 3);
    });
    pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
    const ConvexHull hull = convexHull(pts);
    ASSERT_FALSE(hull.triangles.empty());
    // Every point lies on or below every hull face (brute force).
    for (const auto& t : hull.triangles) {
      const Eigen::Vector3d a = pts[t[0]].cast<double>(), b = pts[t[1]].cast<double>(),
                            c = pts[t[2]].cast<double>();
      const Eigen::Vector3d normal = (b - a).cross(c - a);
      ASSERT_GT(normal.norm(), 0.0);
      for (const auto& p : pts) ASSERT_LE(normal.dot(p.cast<double>() - a), 1e-9);
    }
    // Every extreme point (a strict maximiser of some direction) is a hull
    // vertex: check the 26 lattice directions' unique maximisers.
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          if (dx == 0 && dy == 0 && dz == 0) continue;
          const Eigen::Vector3d d(dx + 0.01 * dy, dy + 0.001 * dz, dz + 0.0001 * dx);
          int best = 0;
          for (int n = 1; n < static_cast<int>(pts.size()); ++n)
            if (pts[n].cast<double>().dot(d) > pts[best].cast<double>().dot(d)) best = n;
          EXPECT_NE(std::find(hull.vertices.begin(), hull.vertices.end(), best),
                    hull.vertices.end());
        }
  }
}
