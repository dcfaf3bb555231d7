#include "core/features/MarchingCubes.h"

#include <algorithm>
#include <limits>

namespace harmonia::features {
namespace {

// Cube corner c has offset (c & 1, (c >> 1) & 1, (c >> 2) & 1).
// Cube edge e joins corners kEdgeCorners[e][0] < kEdgeCorners[e][1].
struct CubeTables {
  std::array<std::array<int, 2>, 12> edge_corners{};
  std::array<int, 12> edge_axis{};
  std::array<std::array<int, 8>, 8> edge_of{};
  /// For each configuration: triangles over cube edges, three per triangle.
  std::array<std::vector<int>, 256> triangles;
};

/// Midpoint of cube edge e in doubled corner units.
Eigen::Vector3d edgeMidpoint(const CubeTables& t, int e) {
  const int a = t.edge_corners[e][0], b = t.edge_corners[e][1];
  return Eigen::Vector3d((a & 1) + (b & 1), ((a >> 1) & 1) + ((b >> 1) & 1),
                         ((a >> 2) & 1) + ((b >> 2) & 1));
}

/// Triangulates a contour loop (a polygon, in general not planar) by the
/// triangulation of largest total area (dynamic programming over diagonals;
/// the area is additive over triangles; ties go to the first split), keeping
/// the loop's orientation. On the loops of 3 to 6 vertices that marching cubes
/// produces this is the triangulation of the classic case table (see
/// makeTables()).
void triangulateLoopMaxArea(const CubeTables& t, const std::vector<int>& loop,
                            std::vector<int>& out) {
  const int n = static_cast<int>(loop.size());
  if (n < 3) return;
  std::vector<Eigen::Vector3d> p;
  p.reserve(loop.size());
  for (int e : loop) p.push_back(edgeMidpoint(t, e));
  const auto cost = [&](int i, int k, int j) { return -(p[k] - p[i]).cross(p[j] - p[i]).norm(); };
  std::vector<double> best(static_cast<std::size_t>(n) * n, 0.0);
  std::vector<int> split(static_cast<std::size_t>(n) * n, -1);
  for (int len = 2; len < n; ++len) {
    for (int i = 0; i + len < n; ++i) {
      const int j = i + len;
      double b = std::numeric_limits<double>::infinity();
      for (int k = i + 1; k < j; ++k) {
        const double c = best[i * n + k] + best[k * n + j] + cost(i, k, j);
        if (c < b - 1e-12) {
          b = c;
          split[i * n + j] = k;
        }
      }
      best[i * n + j] = b;
    }
  }
  std::vector<std::pair<int, int>> stack{{0, n - 1}};
  while (!stack.empty()) {
    const auto [i, j] = stack.back();
    stack.pop_back();
    if (j - i < 2) continue;
    const int k = split[i * n + j];
    out.insert(out.end(), {loop[i], loop[k], loop[j]});
    stack.push_back({i, k});
    stack.push_back({k, j});
  }
}

/// Fan triangulation of a loop from the vertex on cube edge `apex`, keeping
/// the loop's orientation. False when the loop does not pass through `apex`.
bool triangulateLoopFan(std::vector<int> loop, int apex, std::vector<int>& out) {
  const auto it = std::find(loop.begin(), loop.end(), apex);
  if (it == loop.end()) return false;
  std::rotate(loop.begin(), it, loop.end());
  for (std::size_t k = 1; k + 1 < loop.size(); ++k) {
    out.insert(out.end(), {loop[0], loop[k], loop[k + 1]});
  }
  return true;
}

using Faces = std::array<std::array<int, 4>, 6>;

/// True when face f's inside corners are diagonal (an ambiguous face).
bool ambiguousFace(const std::array<int, 4>& f, int config) {
  const int b0 = (config >> f[0]) & 1, b1 = (config >> f[1]) & 1;
  const int b2 = (config >> f[2]) & 1, b3 = (config >> f[3]) & 1;
  return b0 == b2 && b1 == b3 && b0 != b1;
}

/// The 7-vertex loop arises in one class of configurations only (the
/// complement of Lorensen & Cline's case 6: five inside corners; outside, an
/// edge pair and a lone corner diagonal to it on an ambiguous face, joined
/// across that face). Its apex is the cube edge of the lone outside corner
/// that lies on no ambiguous face; -1 when there is none.
int sevenLoopApex(const CubeTables& t, const Faces& faces, int config) {
  for (int c = 0; c < 8; ++c) {
    if ((config >> c) & 1) continue;
    bool lone = true;
    for (int axis = 0; axis < 3; ++axis) lone = lone && ((config >> (c ^ (1 << axis))) & 1) != 0;
    if (!lone) continue;
    for (int axis = 0; axis < 3; ++axis) {
      // The edge along `axis` lies on the two faces perpendicular to the
      // other two axes.
      bool onAmbiguous = false;
      for (int other = 0; other < 3; ++other) {
        if (other != axis && ambiguousFace(faces[other * 2 + ((c >> other) & 1)], config)) {
          onAmbiguous = true;
        }
      }
      if (!onAmbiguous) return t.edge_of[c][c ^ (1 << axis)];
    }
  }
  return -1;
}

/// The rule of MarchingCubes.h: face pairing that separates diagonal inside
/// corners, then largest-area triangles per loop, and the fan for the
/// 7-vertex loop.
CubeTables makeTables() {
  CubeTables t;
  for (auto& row : t.edge_of) row.fill(-1);
  int e = 0;
  for (int a = 0; a < 8; ++a) {
    for (int axis = 0; axis < 3; ++axis) {
      if ((a >> axis) & 1) continue;
      const int b = a | (1 << axis);
      t.edge_corners[e] = {a, b};
      t.edge_axis[e] = axis;
      t.edge_of[a][b] = t.edge_of[b][a] = e;
      ++e;
    }
  }
  // Faces: corners with coordinate `axis` == side, counter-clockwise seen
  // from outside (around the outward normal).
  Faces faces{};
  for (int axis = 0; axis < 3; ++axis) {
    for (int side = 0; side < 2; ++side) {
      const int u = (axis + 1) % 3;
      const int v = (axis + 2) % 3;
      const std::array<std::array<int, 2>, 4> uv{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}};
      std::array<int, 4> corners{};
      for (int k = 0; k < 4; ++k) corners[k] = (side << axis) | (uv[k][0] << u) | (uv[k][1] << v);
      if (side == 0) std::reverse(corners.begin(), corners.end());
      faces[axis * 2 + side] = corners;
    }
  }
  for (int config = 0; config < 256; ++config) {
    std::array<int, 12> next{};
    next.fill(-1);
    for (const auto& f : faces) {
      std::array<int, 4> kind{};  // +1 entry (out->in), -1 exit (in->out), 0 none
      for (int k = 0; k < 4; ++k) {
        const bool a = (config >> f[k]) & 1;
        const bool b = (config >> f[(k + 1) % 4]) & 1;
        kind[k] = (!a && b) ? 1 : (a && !b) ? -1 : 0;
      }
      for (int k = 0; k < 4; ++k) {
        if (kind[k] != 1) continue;
        for (int s = 1; s < 4; ++s) {
          const int m = (k + s) % 4;
          if (kind[m] == -1) {
            next[t.edge_of[f[k]][f[(k + 1) % 4]]] = t.edge_of[f[m]][f[(m + 1) % 4]];
            break;
          }
        }
      }
    }
    std::array<bool, 12> used{};
    for (int start = 0; start < 12; ++start) {
      if (next[start] < 0 || used[start]) continue;
      std::vector<int> loop;
      int edge = start;
      do {
        used[edge] = true;
        loop.push_back(edge);
        edge = next[edge];
      } while (edge != start && edge >= 0);
      if (loop.size() == 7) {
        const int apex = sevenLoopApex(t, faces, config);
        if (apex >= 0 && triangulateLoopFan(loop, apex, t.triangles[config])) continue;
      }
      triangulateLoopMaxArea(t, loop, t.triangles[config]);
    }
  }
  return t;
}

const CubeTables& tables() {
  static const CubeTables t = makeTables();
  return t;
}

}  // namespace

SurfaceMesh marchingCubes(const std::uint8_t* mask, const std::array<int, 3>& size) {
  SurfaceMesh mesh;
  const int nx = size[0], ny = size[1], nz = size[2];
  // Bounding box of the mask, so the work scales with the ROI.
  std::array<int, 3> lo{nx, ny, nz}, hi{-1, -1, -1};
  for (int k = 0; k < nz; ++k) {
    for (int j = 0; j < ny; ++j) {
      const std::uint8_t* row =
          mask + static_cast<std::size_t>(nx) * (j + static_cast<std::size_t>(ny) * k);
      for (int i = 0; i < nx; ++i) {
        if (row[i] != 0) {
          lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
          hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
        }
      }
    }
  }
  if (hi[0] < 0) return mesh;
  // Padded grid: one zero voxel on each side of the bounding box.
  const int px = hi[0] - lo[0] + 3, py = hi[1] - lo[1] + 3, pz = hi[2] - lo[2] + 3;
  const auto pidx = [&](int i, int j, int k) {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(px) *
               (static_cast<std::size_t>(j) + static_cast<std::size_t>(py) * k);
  };
  std::vector<std::uint8_t> padded(static_cast<std::size_t>(px) * py * pz, 0);
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        padded[pidx(i - lo[0] + 1, j - lo[1] + 1, k - lo[2] + 1)] =
            mask[static_cast<std::size_t>(i) +
                 static_cast<std::size_t>(nx) * (j + static_cast<std::size_t>(ny) * k)] != 0
                ? 1
                : 0;
      }
    }
  }
  // One vertex per grid edge: id = 3 * grid point + axis.
  std::vector<int> vertexOfEdge(padded.size() * 3, -1);
  const CubeTables& t = tables();
  std::array<std::size_t, 8> cornerOffset{};
  for (int c = 0; c < 8; ++c) cornerOffset[c] = pidx(c & 1, (c >> 1) & 1, (c >> 2) & 1);
  for (int k = 0; k + 1 < pz; ++k) {
    for (int j = 0; j + 1 < py; ++j) {
      for (int i = 0; i + 1 < px; ++i) {
        const std::size_t base = pidx(i, j, k);
        int config = 0;
        for (int c = 0; c < 8; ++c) config |= padded[base + cornerOffset[c]] << c;
        if (config == 0 || config == 255) continue;
        const std::vector<int>& tris = t.triangles[config];
        std::array<int, 3> tri{};
        for (std::size_t n = 0; n < tris.size(); ++n) {
          const int e = tris[n];
          const int a = t.edge_corners[e][0];
          const int axis = t.edge_axis[e];
          int& id = vertexOfEdge[3 * (base + cornerOffset[a]) + axis];
          if (id < 0) {
            id = static_cast<int>(mesh.vertices.size());
            Eigen::Vector3i p(2 * (i + (a & 1) - 1 + lo[0]), 2 * (j + ((a >> 1) & 1) - 1 + lo[1]),
                              2 * (k + ((a >> 2) & 1) - 1 + lo[2]));
            p[axis] += 1;
            mesh.vertices.push_back(p);
          }
          tri[n % 3] = id;
          if (n % 3 == 2) mesh.triangles.push_back(tri);
        }
      }
    }
  }
  return mesh;
}

std::vector<Eigen::Vector3d> meshVerticesMm(const SurfaceMesh& mesh,
                                            const Eigen::Vector3d& spacing_mm) {
  std::vector<Eigen::Vector3d> out;
  out.reserve(mesh.vertices.size());
  for (const Eigen::Vector3i& v : mesh.vertices) {
    out.push_back(v.cast<double>().cwiseProduct(spacing_mm) * 0.5);
  }
  return out;
}

double signedMeshVolume(const std::vector<Eigen::Vector3d>& vertices,
                        const std::vector<std::array<int, 3>>& triangles) {
  if (vertices.empty()) return 0.0;
  // Tetrahedra from a vertex of the mesh rather than the grid origin: the
  // same exact sum for a closed mesh, with less cancellation.
  const Eigen::Vector3d& o = vertices.front();
  double sum = 0.0;
  for (const auto& t : triangles) {
    sum += (vertices[t[0]] - o).dot((vertices[t[1]] - o).cross(vertices[t[2]] - o));
  }
  return sum / 6.0;
}

double meshArea(const std::vector<Eigen::Vector3d>& vertices,
                const std::vector<std::array<int, 3>>& triangles) {
  double sum = 0.0;
  for (const auto& t : triangles) {
    sum += (vertices[t[1]] - vertices[t[0]]).cross(vertices[t[2]] - vertices[t[0]]).norm();
  }
  return sum / 2.0;
}

}  // namespace harmonia::features
