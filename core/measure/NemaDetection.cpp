// Automatic detection of the six hot spheres of the NEMA NU 2 / IEC body
// phantom (see NemaRecovery.h for the method).

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/filter/GaussianFilter.h"
#include "core/measure/NemaRecovery.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using Vec3 = Eigen::Vector3d;
using Index = std::array<int, 3>;

struct Candidate {
  Index idx;
  Vec3 p;
  double peak = 0;
  double radius_mm = 0;  // equivalent radius of the half-maximum region
  double excess = 0;     // sum of (value - background) * voxel volume around it
};

double medianOf(std::vector<double> v) { return medianInPlace(v); }

/// Number of voxels 6-connected to seed with value >= threshold within
/// `radius` mm of it (index distances scaled by the spacing).
std::size_t regionSize(const Volume& v, const Index& seed, double threshold, double radius) {
  const Vec3 s = v.geometry().spacing_mm;
  Index ext;
  for (int a = 0; a < 3; ++a) ext[a] = static_cast<int>(std::ceil(radius / s[a]));
  const int bx = 2 * ext[0] + 1, by = 2 * ext[1] + 1, bz = 2 * ext[2] + 1;
  std::vector<char> seen(static_cast<std::size_t>(bx) * by * bz, 0);
  auto local = [&](const Index& d) {
    return static_cast<std::size_t>(d[0] + ext[0]) +
           static_cast<std::size_t>(bx) * (static_cast<std::size_t>(d[1] + ext[1]) +
                                           static_cast<std::size_t>(by) * (d[2] + ext[2]));
  };
  std::vector<Index> stack{{0, 0, 0}};
  seen[local({0, 0, 0})] = 1;
  std::size_t count = 0;
  static constexpr std::array<Index, 6> kSteps{
      {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};
  while (!stack.empty()) {
    const Index d = stack.back();
    stack.pop_back();
    ++count;
    for (const Index& st : kSteps) {
      const Index n{d[0] + st[0], d[1] + st[1], d[2] + st[2]};
      if (std::abs(n[0]) > ext[0] || std::abs(n[1]) > ext[1] || std::abs(n[2]) > ext[2]) continue;
      const Index q{seed[0] + n[0], seed[1] + n[1], seed[2] + n[2]};
      if (!v.geometry().contains(q[0], q[1], q[2])) continue;
      if (seen[local(n)]) continue;
      if (Vec3(n[0] * s[0], n[1] * s[1], n[2] * s[2]).norm() > radius) continue;
      if (v.at(q[0], q[1], q[2]) < threshold) continue;
      seen[local(n)] = 1;
      stack.push_back(n);
    }
  }
  return count;
}

/// Sum of (value - background) times `weightOf(p)` over voxels within r of c.
template <typename F>
void forBallVoxels(const Volume& v, const Vec3& c, double r, F&& f) {
  const Geometry3D& g = v.geometry();
  const Vec3 ijk = g.worldToIndex(c);
  Index lo, hi;
  for (int a = 0; a < 3; ++a) {
    lo[a] = std::max(0, static_cast<int>(std::floor(ijk[a] - r / g.spacing_mm[a])));
    hi[a] = std::min(g.size[a] - 1, static_cast<int>(std::ceil(ijk[a] + r / g.spacing_mm[a])));
  }
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        const Vec3 p = g.indexToWorld(Vec3(i, j, k));
        if ((p - c).squaredNorm() <= r * r) f(v.at(i, j, k), p);
      }
    }
  }
}

}  // namespace

std::vector<Eigen::Vector3d> detectNemaSpheres(const Volume& image,
                                               std::vector<std::string>& warnings,
                                               Progress& progress) {
  const Geometry3D& g = image.geometry();
  if (g.size[0] < 3 || g.size[1] < 3 || g.size[2] < 3) {
    throw InputError("measure nema: the image is too small to hold the phantom's spheres");
  }
  // Background estimate: the median of the voxels above 5% of the maximum
  // (the warm background dominates the phantom's volume).
  double vmax = -std::numeric_limits<double>::infinity();
  for (float v : image.voxels()) vmax = std::max(vmax, static_cast<double>(v));
  std::vector<double> warm;
  for (float v : image.voxels()) {
    if (v > 0.05 * vmax) warm.push_back(v);
  }
  if (!(vmax > 0) || warm.empty()) {
    throw InputError("measure nema: no hot spheres found (the image has no positive values)");
  }
  const double bg = medianOf(std::move(warm));

  GaussianParams smoothing;
  smoothing.sigma_mm = g.spacing_mm;
  SubProgress blurProgress(progress, 0.0, 0.2);
  const Volume smooth = gaussianBlur(image, smoothing, blurProgress);
  progress.throwIfCancelled();
  double smax = -std::numeric_limits<double>::infinity();
  for (float v : smooth.voxels()) smax = std::max(smax, static_cast<double>(v));
  if (!(smax > 1.05 * bg)) {
    throw InputError("measure nema: no hot spheres found (nothing stands above the background " +
                     std::to_string(bg) + ")");
  }
  const double threshold = bg + 0.2 * (smax - bg);

  std::vector<Candidate> maxima;
  for (int k = 1; k + 1 < g.size[2]; ++k) {
    for (int j = 1; j + 1 < g.size[1]; ++j) {
      for (int i = 1; i + 1 < g.size[0]; ++i) {
        const float v = smooth.at(i, j, k);
        if (v <= threshold) continue;
        bool isMax = true;
        for (int dk = -1; dk <= 1 && isMax; ++dk) {
          for (int dj = -1; dj <= 1 && isMax; ++dj) {
            for (int di = -1; di <= 1 && isMax; ++di) {
              if ((di || dj || dk) && smooth.at(i + di, j + dj, k + dk) > v) isMax = false;
            }
          }
        }
        if (isMax) maxima.push_back({{i, j, k}, g.indexToWorld(Vec3(i, j, k)), v});
      }
    }
  }
  std::sort(maxima.begin(), maxima.end(),
            [](const Candidate& a, const Candidate& b) { return a.peak > b.peak; });
  if (maxima.size() > 500) maxima.resize(500);

  // Strongest first; each kept maximum absorbs weaker ones inside its
  // half-maximum region (+5 mm): noise maxima on a large sphere's plateau.
  const double voxelVolume = g.spacing_mm.prod();
  std::vector<Candidate> kept;
  for (Candidate& c : maxima) {
    bool absorbed = false;
    for (const Candidate& k : kept) absorbed = absorbed || (c.p - k.p).norm() < k.radius_mm + 5.0;
    if (absorbed) continue;
    const std::size_t n = regionSize(smooth, c.idx, bg + 0.5 * (c.peak - bg), 25.0);
    c.radius_mm = std::cbrt(3.0 * n * voxelVolume / (4.0 * std::numbers::pi));
    kept.push_back(c);
  }
  progress.throwIfCancelled();
  if (kept.size() < 6) {
    throw InputError("measure nema: found " + std::to_string(kept.size()) +
                     " hot spheres, the NEMA/IEC body phantom has 6; give their centres");
  }
  for (Candidate& c : kept) {
    const double r = std::min(30.0, c.radius_mm + 10.0);
    double sum = 0;
    forBallVoxels(image, c.p, r, [&](float v, const Vec3&) { sum += v - bg; });
    c.excess = sum * voxelVolume;
  }
  std::sort(kept.begin(), kept.end(),
            [](const Candidate& a, const Candidate& b) { return a.excess > b.excess; });
  kept.resize(6);
  std::reverse(kept.begin(), kept.end());  // smallest excess = 10 mm sphere

  std::vector<Vec3> centres;
  for (std::size_t s = 0; s < 6; ++s) {
    const double a = 0.5 * kNemaSphereDiameters_mm[s];
    Vec3 c = kept[s].p;
    for (int iter = 0; iter < 4; ++iter) {
      Vec3 acc = Vec3::Zero();
      double wsum = 0;
      forBallVoxels(image, c, std::max(a, g.spacing_mm.maxCoeff()), [&](float v, const Vec3& p) {
        const double w = std::max(0.0, v - bg);
        acc += w * p;
        wsum += w;
      });
      if (wsum <= 0) break;
      c = acc / wsum;
    }
    centres.push_back(c);
  }

  // Plausibility of the layout: one transverse plane, a 57.2 mm ring, and the
  // ring's order of sizes (10, 13, 17, 22, 28, 37 next to each other).
  Vec3 ring = Vec3::Zero();
  for (const Vec3& c : centres) ring += c / 6.0;
  double zSpread = 0, radius = 0;
  for (const Vec3& c : centres) {
    zSpread = std::max(zSpread, std::abs(c[2] - ring[2]));
    radius += std::hypot(c[0] - ring[0], c[1] - ring[1]) / 6.0;
  }
  if (zSpread > 10.0) {
    warnings.push_back("the six spheres found are not in one transverse plane (z spread " +
                       std::to_string(zSpread) + " mm); check them or give their centres");
  }
  if (std::abs(radius - kNemaSphereRingRadius_mm) > 10.0) {
    warnings.push_back("the spheres found lie on a ring of radius " + std::to_string(radius) +
                       " mm, not the IEC phantom's 57.2 mm; check them or give their centres");
  }
  std::array<int, 6> order{0, 1, 2, 3, 4, 5};
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::atan2(centres[a][1] - ring[1], centres[a][0] - ring[0]) <
           std::atan2(centres[b][1] - ring[1], centres[b][0] - ring[0]);
  });
  const int step = (order[1] - order[0] + 6) % 6;
  bool ringOrder = step == 1 || step == 5;
  for (int i = 0; i < 6 && ringOrder; ++i) {
    ringOrder = (order[(i + 1) % 6] - order[i] + 6) % 6 == step;
  }
  if (!ringOrder) {
    warnings.push_back(
        "the sizes assigned to the spheres found do not follow the IEC ring's order; check "
        "them or give their centres");
  }
  return centres;
}

}  // namespace harmonia
