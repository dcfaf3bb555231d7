#include "core/features/ConvexHull.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <unordered_map>

namespace harmonia::features {
namespace {

using I64 = std::int64_t;

/// (b - a) x (c - a) . (d - a), exact.
I64 orient(const Eigen::Vector3i& a, const Eigen::Vector3i& b, const Eigen::Vector3i& c,
           const Eigen::Vector3i& d) {
  const I64 bx = b.x() - a.x(), by = b.y() - a.y(), bz = b.z() - a.z();
  const I64 cx = c.x() - a.x(), cy = c.y() - a.y(), cz = c.z() - a.z();
  const I64 dx = d.x() - a.x(), dy = d.y() - a.y(), dz = d.z() - a.z();
  return dx * (by * cz - bz * cy) + dy * (bz * cx - bx * cz) + dz * (bx * cy - by * cx);
}

std::uint64_t edgeKey(int u, int v) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(u)) << 32) |
         static_cast<std::uint32_t>(v);
}

std::uint64_t lineKey(int a, int b) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) |
         static_cast<std::uint32_t>(b);
}

/// Indices of the points that are the lowest or highest on their line along
/// each of the three axes: a hull vertex must be (otherwise it lies strictly
/// between two points), so the others cannot be vertices.
std::vector<int> axisExtremeCandidates(const std::vector<Eigen::Vector3i>& p) {
  const int n = static_cast<int>(p.size());
  std::vector<std::uint8_t> keep(p.size(), 1);
  for (int axis = 0; axis < 3; ++axis) {
    const int u = (axis + 1) % 3, v = (axis + 2) % 3;
    std::unordered_map<std::uint64_t, std::pair<int, int>> ext;  // min, max point
    ext.reserve(p.size());
    for (int n0 = 0; n0 < n; ++n0) {
      auto [it, inserted] = ext.try_emplace(lineKey(p[n0][u], p[n0][v]), n0, n0);
      if (inserted) continue;
      if (p[n0][axis] < p[it->second.first][axis]) it->second.first = n0;
      if (p[n0][axis] > p[it->second.second][axis]) it->second.second = n0;
    }
    std::vector<std::uint8_t> extreme(p.size(), 0);
    for (const auto& [key, mm] : ext) extreme[mm.first] = extreme[mm.second] = 1;
    for (int n0 = 0; n0 < n; ++n0) keep[n0] &= extreme[n0];
  }
  std::vector<int> out;
  for (int n0 = 0; n0 < n; ++n0) {
    if (keep[n0]) out.push_back(n0);
  }
  return out;
}

}  // namespace

ConvexHull convexHull(const std::vector<Eigen::Vector3i>& points) {
  ConvexHull hull;
  std::vector<int> cand = axisExtremeCandidates(points);
  if (cand.size() < 4) return hull;
  const auto& P = points;
  // Initial tetrahedron: extreme x, farthest from it, farthest from that
  // line, farthest from that plane.
  const int a = *std::min_element(cand.begin(), cand.end(),
                                  [&](int l, int r) { return P[l].x() < P[r].x(); });
  const auto dist2 = [&](int l, int r) { return (P[l] - P[r]).cast<I64>().squaredNorm(); };
  const int b = *std::max_element(cand.begin(), cand.end(),
                                  [&](int l, int r) { return dist2(a, l) < dist2(a, r); });
  const auto lineDist = [&](int q) {
    return (P[b] - P[a]).cast<I64>().cross((P[q] - P[a]).cast<I64>()).squaredNorm();
  };
  const int c = *std::max_element(cand.begin(), cand.end(),
                                  [&](int l, int r) { return lineDist(l) < lineDist(r); });
  if (lineDist(c) == 0) return hull;
  const int d = *std::max_element(cand.begin(), cand.end(), [&](int l, int r) {
    return std::abs(orient(P[a], P[b], P[c], P[l])) < std::abs(orient(P[a], P[b], P[c], P[r]));
  });
  if (orient(P[a], P[b], P[c], P[d]) == 0) return hull;

  struct Face {
    std::array<int, 3> v;
    bool alive = true;
  };
  std::vector<Face> faces;
  std::unordered_map<std::uint64_t, int> faceOfEdge;  // directed edge -> face
  const auto addFace = [&](int u, int v, int w) {
    const int id = static_cast<int>(faces.size());
    faces.push_back({{u, v, w}, true});
    faceOfEdge[edgeKey(u, v)] = id;
    faceOfEdge[edgeKey(v, w)] = id;
    faceOfEdge[edgeKey(w, u)] = id;
  };
  // Outward: the opposite vertex lies below each face.
  const auto addOutward = [&](int u, int v, int w, int opposite) {
    if (orient(P[u], P[v], P[w], P[opposite]) < 0) {
      addFace(u, v, w);
    } else {
      addFace(u, w, v);
    }
  };
  addOutward(a, b, c, d);
  addOutward(a, b, d, c);
  addOutward(a, c, d, b);
  addOutward(b, c, d, a);

  // Farthest points first make the hull large early; a fixed order keeps the
  // result deterministic.
  Eigen::Vector3d centre = Eigen::Vector3d::Zero();
  for (int q : cand) centre += P[q].cast<double>();
  centre /= static_cast<double>(cand.size());
  std::sort(cand.begin(), cand.end(), [&](int l, int r) {
    const double dl = (P[l].cast<double>() - centre).squaredNorm();
    const double dr = (P[r].cast<double>() - centre).squaredNorm();
    return dl != dr ? dl > dr : l < r;
  });

  std::vector<int> alive{0, 1, 2, 3};
  std::vector<std::uint8_t> visible;
  std::vector<int> visibleFaces;
  std::vector<std::array<int, 2>> horizon;
  for (int q : cand) {
    if (q == a || q == b || q == c || q == d) continue;
    visibleFaces.clear();
    for (int f : alive) {
      const auto& v = faces[f].v;
      if (orient(P[v[0]], P[v[1]], P[v[2]], P[q]) > 0) visibleFaces.push_back(f);
    }
    if (visibleFaces.empty()) continue;
    visible.assign(faces.size(), 0);
    for (int f : visibleFaces) visible[f] = 1;
    horizon.clear();
    for (int f : visibleFaces) {
      const auto& v = faces[f].v;
      for (int e = 0; e < 3; ++e) {
        const int u = v[e], w = v[(e + 1) % 3];
        const auto it = faceOfEdge.find(edgeKey(w, u));
        if (it == faceOfEdge.end() || !visible[it->second]) horizon.push_back({u, w});
      }
    }
    for (int f : visibleFaces) {
      faces[f].alive = false;
      const auto& v = faces[f].v;
      for (int e = 0; e < 3; ++e) faceOfEdge.erase(edgeKey(v[e], v[(e + 1) % 3]));
    }
    for (const auto& h : horizon) addFace(h[0], h[1], q);
    alive.erase(std::remove_if(alive.begin(), alive.end(), [&](int f) { return !faces[f].alive; }),
                alive.end());
    for (std::size_t f = faces.size() - horizon.size(); f < faces.size(); ++f) {
      alive.push_back(static_cast<int>(f));
    }
  }
  std::vector<std::uint8_t> isVertex(points.size(), 0);
  for (int f : alive) {
    hull.triangles.push_back(faces[f].v);
    for (int v : faces[f].v) isVertex[v] = 1;
  }
  for (std::size_t n = 0; n < points.size(); ++n) {
    if (isVertex[n]) hull.vertices.push_back(static_cast<int>(n));
  }
  return hull;
}

}  // namespace harmonia::features
