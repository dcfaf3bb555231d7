#include "core/measure/NemaRecovery.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>

#include "core/filter/GaussianFilter.h"
#include "core/stats/Quantiles.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using Vec3 = Eigen::Vector3d;
using Index = std::array<int, 3>;

/// World position of voxel centres without a matrix product per voxel.
struct WorldMap {
  Vec3 o, ax, ay, az;
  explicit WorldMap(const Geometry3D& g)
      : o(g.origin_mm),
        ax(g.direction.col(0) * g.spacing_mm[0]),
        ay(g.direction.col(1) * g.spacing_mm[1]),
        az(g.direction.col(2) * g.spacing_mm[2]) {}
  [[nodiscard]] Vec3 operator()(int i, int j, int k) const { return o + i * ax + j * ay + k * az; }
};

/// Inclusive index box around a world ball (direction assumed orthonormal).
struct IndexBox {
  Index lo{0, 0, 0}, hi{-1, -1, -1};
  [[nodiscard]] bool empty() const { return lo[0] > hi[0] || lo[1] > hi[1] || lo[2] > hi[2]; }
};

IndexBox ballBox(const Geometry3D& g, const Vec3& c, double r) {
  const Vec3 ijk = g.worldToIndex(c);
  IndexBox b;
  for (int a = 0; a < 3; ++a) {
    const double ext = r / g.spacing_mm[a];
    b.lo[a] = std::max(0, static_cast<int>(std::floor(ijk[a] - ext)));
    b.hi[a] = std::min(g.size[a] - 1, static_cast<int>(std::ceil(ijk[a] + ext)));
  }
  return b;
}

template <typename F>
void forBall(const Volume& image, const WorldMap& wm, const Vec3& c, double r, F&& f) {
  const IndexBox b = ballBox(image.geometry(), c, r);
  if (b.empty()) return;
  for (int k = b.lo[2]; k <= b.hi[2]; ++k) {
    for (int j = b.lo[1]; j <= b.hi[1]; ++j) {
      for (int i = b.lo[0]; i <= b.hi[0]; ++i) {
        const Vec3 p = wm(i, j, k);
        if ((p - c).squaredNorm() <= r * r) f(i, j, k, p);
      }
    }
  }
}

/// The 1 cm^3 sphere as voxel offsets weighted by the fraction of each voxel
/// inside it (6^3 sub-samples for voxels crossing its surface).
struct PeakKernel {
  std::vector<Index> offsets;
  std::vector<double> weights;
};

PeakKernel peakKernel(const Geometry3D& g) {
  PeakKernel kernel;
  const Vec3 s = g.spacing_mm;
  const double r = kPeakSphereRadius_mm, halfDiag = 0.5 * s.norm();
  const int n = 6;
  Index ext;
  for (int a = 0; a < 3; ++a) ext[a] = static_cast<int>(std::ceil((r + 0.5 * s[a]) / s[a]));
  for (int dk = -ext[2]; dk <= ext[2]; ++dk) {
    for (int dj = -ext[1]; dj <= ext[1]; ++dj) {
      for (int di = -ext[0]; di <= ext[0]; ++di) {
        const Vec3 c(di * s[0], dj * s[1], dk * s[2]);
        const double d = c.norm();
        if (d - halfDiag > r) continue;
        double w = 1.0;
        if (d + halfDiag > r) {
          int inside = 0;
          for (int a = 0; a < n; ++a) {
            for (int b = 0; b < n; ++b) {
              for (int e = 0; e < n; ++e) {
                const Vec3 p = c + Vec3(((a + 0.5) / n - 0.5) * s[0], ((b + 0.5) / n - 0.5) * s[1],
                                        ((e + 0.5) / n - 0.5) * s[2]);
                inside += p.squaredNorm() <= r * r;
              }
            }
          }
          w = static_cast<double>(inside) / (n * n * n);
        }
        if (w > 0) {
          kernel.offsets.push_back({di, dj, dk});
          kernel.weights.push_back(w);
        }
      }
    }
  }
  return kernel;
}

/// Voxels 6-connected to `seed` with value >= threshold, within `radius` of `centre`.
std::vector<Index> floodFill(const Volume& image, const WorldMap& wm, const Index& seed,
                             double threshold, const Vec3& centre, double radius) {
  const IndexBox b = ballBox(image.geometry(), centre, radius);
  std::vector<Index> region;
  if (b.empty()) return region;
  const int bx = b.hi[0] - b.lo[0] + 1, by = b.hi[1] - b.lo[1] + 1, bz = b.hi[2] - b.lo[2] + 1;
  std::vector<char> seen(static_cast<std::size_t>(bx) * by * bz, 0);
  auto local = [&](const Index& p) {
    return static_cast<std::size_t>(p[0] - b.lo[0]) +
           static_cast<std::size_t>(bx) *
               (static_cast<std::size_t>(p[1] - b.lo[1]) +
                static_cast<std::size_t>(by) * static_cast<std::size_t>(p[2] - b.lo[2]));
  };
  auto accept = [&](const Index& p) {
    for (int a = 0; a < 3; ++a) {
      if (p[a] < b.lo[a] || p[a] > b.hi[a]) return false;
    }
    if (seen[local(p)]) return false;
    if (image.at(p[0], p[1], p[2]) < threshold) return false;
    return (wm(p[0], p[1], p[2]) - centre).squaredNorm() <= radius * radius;
  };
  if (!accept(seed)) return region;
  std::vector<Index> stack{seed};
  seen[local(seed)] = 1;
  static constexpr std::array<Index, 6> kSteps{
      {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}}};
  while (!stack.empty()) {
    const Index p = stack.back();
    stack.pop_back();
    region.push_back(p);
    for (const Index& d : kSteps) {
      const Index q{p[0] + d[0], p[1] + d[1], p[2] + d[2]};
      if (accept(q)) {
        seen[local(q)] = 1;
        stack.push_back(q);
      }
    }
  }
  return region;
}

/// RCmax, RCmean (A50) and RCpeak of one sphere (see NemaRecovery.h).
NemaSphere measureSphere(const Volume& image, const PeakKernel& kernel, const Vec3& centre,
                         double diameter, double background, double trueActivity) {
  const WorldMap wm(image.geometry());
  const double a = 0.5 * diameter;
  NemaSphere s;
  s.diameter_mm = diameter;
  s.centre_mm = centre;
  double best = -std::numeric_limits<double>::infinity();
  Index bestIdx{-1, -1, -1};
  std::vector<Index> inside;
  forBall(image, wm, centre, a, [&](int i, int j, int k, const Vec3&) {
    inside.push_back({i, j, k});
    const double v = image.at(i, j, k);
    if (v > best) {
      best = v;
      bestIdx = {i, j, k};
    }
  });
  if (inside.empty()) {  // a sphere smaller than a voxel: its nearest voxel
    const Vec3 ijk = image.geometry().worldToIndex(centre);
    Index p;
    for (int d = 0; d < 3; ++d) {
      p[d] = std::clamp(static_cast<int>(std::lround(ijk[d])), 0, image.geometry().size[d] - 1);
    }
    inside.push_back(p);
    bestIdx = p;
    best = image.at(p[0], p[1], p[2]);
  }
  s.max = best;

  const double threshold = background + 0.5 * (best - background);
  const std::vector<Index> voi = floodFill(image, wm, bestIdx, threshold, centre, a + 10.0);
  double sum = 0;
  for (const Index& p : voi) sum += image.at(p[0], p[1], p[2]);
  s.mean_voxels = voi.size();
  s.mean = voi.empty() ? best : sum / static_cast<double>(voi.size());

  const auto& size = image.geometry().size;
  double bestPeak = -std::numeric_limits<double>::infinity();
  Index peakIdx = bestIdx;
  for (const Index& q : inside) {
    double acc = 0, wsum = 0;
    for (std::size_t o = 0; o < kernel.offsets.size(); ++o) {
      const int i = q[0] + kernel.offsets[o][0], j = q[1] + kernel.offsets[o][1],
                k = q[2] + kernel.offsets[o][2];
      if (i < 0 || j < 0 || k < 0 || i >= size[0] || j >= size[1] || k >= size[2]) continue;
      acc += kernel.weights[o] * image.at(i, j, k);
      wsum += kernel.weights[o];
    }
    const double m = acc / wsum;
    if (m > bestPeak) {
      bestPeak = m;
      peakIdx = q;
    }
  }
  s.peak = bestPeak;
  s.peak_centre_mm = wm(peakIdx[0], peakIdx[1], peakIdx[2]);
  s.rc_max = s.max / trueActivity;
  s.rc_mean = s.mean / trueActivity;
  s.rc_peak = s.peak / trueActivity;
  return s;
}

std::vector<NemaSphere> measureAll(const Volume& image, const std::vector<Vec3>& centres,
                                   double background, double trueActivity) {
  const PeakKernel kernel = peakKernel(image.geometry());
  std::vector<NemaSphere> spheres;
  for (std::size_t i = 0; i < 6; ++i) {
    spheres.push_back(measureSphere(image, kernel, centres[i], kNemaSphereDiameters_mm[i],
                                    background, trueActivity));
  }
  return spheres;
}

double median(std::vector<double> v) { return medianInPlace(v); }

/// Background VOI statistics (see NemaRecovery.h).
ValueSummary measureBackground(const Volume& image, const std::vector<Vec3>& centres) {
  const WorldMap wm(image.geometry());
  Vec3 ring = Vec3::Zero();
  for (const Vec3& c : centres) ring += c / 6.0;
  const double rOuter = kNemaSphereRingRadius_mm + 35.0, rInner = 30.0, halfZ = 20.0;
  std::vector<double> values;
  forBall(image, wm, ring, std::hypot(rOuter, halfZ), [&](int i, int j, int k, const Vec3& p) {
    const Vec3 d = p - ring;
    const double rxy = std::hypot(d[0], d[1]);
    if (std::abs(d[2]) > halfZ || rxy > rOuter || rxy < rInner) return;
    for (std::size_t s = 0; s < 6; ++s) {
      const double keep = 0.5 * kNemaSphereDiameters_mm[s] + 15.0;
      if ((p - centres[s]).squaredNorm() < keep * keep) return;
    }
    values.push_back(image.at(i, j, k));
  });
  const double med = median(values);
  std::vector<double> kept;
  for (double v : values) {
    if (med <= 0 || v >= 0.5 * med) kept.push_back(v);
  }
  if (kept.size() < 50) {
    throw InputError("measure nema: no background region around the spheres (" +
                     std::to_string(kept.size()) + " voxels); is this the IEC body phantom?");
  }
  const std::vector<float> keptValues(kept.begin(), kept.end());
  return summarizeValues(std::span<const float>(keptValues), nullptr);
}

}  // namespace

namespace {

/// The post-filter scan for every spec (see NemaRecovery.h).
void suggestFilters(const Volume& image, const std::vector<Vec3>& centres, double background,
                    double trueActivity, double maxFwhm, std::vector<EarlVerdict>& verdicts,
                    const std::vector<const EarlSpec*>& specs, Progress& progress) {
  // Crop the image around the spheres: the blur (<= 15 mm FWHM, sigma 6.4 mm,
  // kernel 4 sigma) and the VOIs (sphere + 10 mm) stay inside a 55 mm margin.
  IndexBox crop;
  crop.lo = image.geometry().size;
  crop.hi = {0, 0, 0};
  for (std::size_t s = 0; s < 6; ++s) {
    const IndexBox b =
        ballBox(image.geometry(), centres[s], 0.5 * kNemaSphereDiameters_mm[s] + 55.0);
    for (int a = 0; a < 3; ++a) {
      crop.lo[a] = std::min(crop.lo[a], b.lo[a]);
      crop.hi[a] = std::max(crop.hi[a], b.hi[a]);
    }
  }
  Geometry3D g = image.geometry();
  for (int a = 0; a < 3; ++a) g.size[a] = crop.hi[a] - crop.lo[a] + 1;
  g.origin_mm = image.geometry().indexToWorld(Vec3(crop.lo[0], crop.lo[1], crop.lo[2]));
  Volume cropped(g, kUninitialized);
  for (int k = 0; k < g.size[2]; ++k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        cropped.at(i, j, k) = image.at(crop.lo[0] + i, crop.lo[1] + j, crop.lo[2] + k);
      }
    }
  }

  std::map<int, std::vector<NemaSphere>> cache;  // key: FWHM in 0.1 mm
  auto at = [&](int tenths) -> const std::vector<NemaSphere>& {
    auto it = cache.find(tenths);
    if (it != cache.end()) return it->second;
    progress.throwIfCancelled();
    const double fwhm = tenths / 10.0;
    std::vector<NemaSphere> spheres;
    if (tenths == 0) {
      spheres = measureAll(cropped, centres, background, trueActivity);
    } else {
      GaussianParams p;
      p.sigma_mm = Vec3::Constant(fwhmToSigma(fwhm));
      spheres = measureAll(gaussianBlur(cropped, p), centres, background, trueActivity);
    }
    return cache.emplace(tenths, std::move(spheres)).first->second;
  };
  const int maxTenths = static_cast<int>(std::floor(maxFwhm * 10 + 1e-9));
  for (int t = 0; t <= maxTenths; t += 5) {
    at(t);
    progress.report(0.5 + 0.25 * t / std::max(1, maxTenths));
  }
  for (std::size_t v = 0; v < specs.size(); ++v) {
    const EarlSpec& spec = *specs[v];
    int firstPass = -1, lastPass = -1, bestCoarse = 0;
    double bestCoarseScore = 1e300;
    for (int t = 0; t <= maxTenths; t += 5) {
      const auto& sp = at(t);
      if (checkEarl(spec, sp).pass) {
        if (firstPass < 0) firstPass = t;
        lastPass = t;
      }
      const double score = earlBandScore(spec, sp);
      if (score < bestCoarseScore) {
        bestCoarseScore = score;
        bestCoarse = t;
      }
    }
    // 0.1 mm steps around the first and last passing coarse step (the edges
    // of the passing range) and around the coarse step nearest the band
    // centre (where the best is; the score varies smoothly with the FWHM).
    int centreCoarse = bestCoarse;
    double centreScore = 1e300;
    for (int t = std::max(firstPass, 0); firstPass >= 0 && t <= lastPass; t += 5) {
      const double score = earlBandScore(spec, at(t));
      if (checkEarl(spec, at(t)).pass && score < centreScore) {
        centreScore = score;
        centreCoarse = t;
      }
    }
    std::vector<int> fine;
    for (int anchor : {firstPass, lastPass, centreCoarse}) {
      if (anchor < 0) continue;
      for (int t = std::max(0, anchor - 5); t <= std::min(maxTenths, anchor + 5); ++t) {
        fine.push_back(t);
      }
    }
    std::sort(fine.begin(), fine.end());
    fine.erase(std::unique(fine.begin(), fine.end()), fine.end());
    std::optional<int> best, minPass, maxPass;
    double bestScore = 1e300;
    for (int t : fine) at(t);
    for (const auto& [t, sp] : cache) {  // every FWHM evaluated, coarse and fine
      if (!checkEarl(spec, sp).pass) continue;
      if (!minPass || t < *minPass) minPass = t;
      if (!maxPass || t > *maxPass) maxPass = t;
      const double score = earlBandScore(spec, sp);
      if (score < bestScore) {
        bestScore = score;
        best = t;
      }
    }
    if (best) {
      verdicts[v].suggested_filter_fwhm_mm = *best / 10.0;
      verdicts[v].passing_min_fwhm_mm = *minPass / 10.0;
      verdicts[v].passing_max_fwhm_mm = *maxPass / 10.0;
    }
    progress.report(0.75 + 0.25 * static_cast<double>(v + 1) / specs.size());
  }
}

}  // namespace

NemaResult measureNema(const Volume& image, const NemaParams& params, Progress& progress) {
  if (image.empty()) throw InputError("measure nema: the image is empty");
  std::size_t bad = 0;
  for (float v : image.voxels()) bad += !std::isfinite(v);
  if (bad > 0) {
    throw InputError("measure nema: the image has " + std::to_string(bad) +
                     " non-finite voxels (NaN or infinite)");
  }
  NemaResult result;
  if (params.activity_ratio) {
    const double r = *params.activity_ratio;
    if (!std::isfinite(r) || r <= 1.0) {
      throw ParameterError("measure nema: activity_ratio (sphere : background) must be > 1, got " +
                           std::to_string(r));
    }
    result.activity_ratio = r;
  } else {
    result.activity_ratio = 4.0;
    result.warnings.push_back(
        "no activity ratio given: assumed 4 (NEMA NU 2); EARL fills the spheres at 10:1");
  }
  if (params.background_activity &&
      (!std::isfinite(*params.background_activity) || *params.background_activity <= 0)) {
    throw ParameterError("measure nema: background_activity must be a positive number");
  }
  if (!(params.max_filter_fwhm_mm >= 0) || params.max_filter_fwhm_mm > 50) {
    throw ParameterError("measure nema: max_filter_fwhm_mm must be in [0, 50]");
  }
  std::vector<Vec3> centres = params.sphere_centres_mm;
  if (!centres.empty() && centres.size() != 6) {
    throw ParameterError("measure nema: give 6 sphere centres (10, 13, 17, 22, 28, 37 mm), got " +
                         std::to_string(centres.size()));
  }
  for (std::size_t s = 0; s < centres.size(); ++s) {
    const Vec3 ijk = image.geometry().worldToIndex(centres[s]);
    bool in = centres[s].allFinite();
    for (int a = 0; a < 3 && in; ++a) in = ijk[a] > -0.5 && ijk[a] < image.geometry().size[a] - 0.5;
    if (!in) {
      throw InputError("measure nema: the centre of the " +
                       std::to_string(static_cast<int>(kNemaSphereDiameters_mm[s])) +
                       " mm sphere lies outside the image");
    }
  }
  if (centres.empty()) {
    SubProgress detectProgress(progress, 0.0, 0.3);
    centres = detectNemaSpheres(image, result.warnings, detectProgress);
    result.detected = true;
  }
  progress.report(0.3);
  result.background = measureBackground(image, centres);
  const double background = params.background_activity.value_or(result.background.mean);
  if (!(background > 0)) {
    throw InputError("measure nema: the measured background mean is not positive (" +
                     std::to_string(background) + "); give the background activity");
  }
  result.true_sphere_activity = result.activity_ratio * background;
  result.spheres = measureAll(image, centres, background, result.true_sphere_activity);
  for (const NemaSphere& s : result.spheres) {
    if (s.max <= background) {
      result.warnings.push_back("the " + std::to_string(static_cast<int>(s.diameter_mm)) +
                                " mm sphere shows no uptake above the background");
    }
  }
  progress.report(0.5);
  const std::vector<const EarlSpec*> specs{&earl1(), &earl2()};
  for (const EarlSpec* spec : specs) {
    result.verdicts.push_back(checkEarl(*spec, result.spheres));
    if (!spec->verified) {
      result.warnings.push_back(
          spec->name + " band values are not verified against their source (" + spec->source + ")");
    }
  }
  if (params.suggest_filter) {
    suggestFilters(image, centres, background, result.true_sphere_activity,
                   params.max_filter_fwhm_mm, result.verdicts, specs, progress);
  }
  progress.report(1.0);
  return result;
}

}  // namespace harmonia
