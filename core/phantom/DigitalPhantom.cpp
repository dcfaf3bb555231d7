#include "core/phantom/DigitalPhantom.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numbers>
#include <random>

#include "core/filter/FourierGaussian.h"
#include "core/filter/GaussianFilter.h"
#include "core/image/MetaDataKeys.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

using Eigen::Vector3d;

// Hash-based lattice noise: deterministic, needs no storage, any seed.
float latticeValue(std::uint32_t seed, int i, int j, int k) {
  std::uint32_t h = seed * 0x9E3779B1u;
  h ^= static_cast<std::uint32_t>(i) * 0x85EBCA77u;
  h = (h << 13) | (h >> 19);
  h ^= static_cast<std::uint32_t>(j) * 0xC2B2AE3Du;
  h = (h << 11) | (h >> 21);
  h ^= static_cast<std::uint32_t>(k) * 0x27D4EB2Fu;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  return static_cast<float>(h & 0xFFFFFF) / static_cast<float>(0xFFFFFF) * 2.0f - 1.0f;
}

float smoothNoise(std::uint32_t seed, const Vector3d& p, double cell_mm) {
  const Vector3d q = p / cell_mm;
  const int i = static_cast<int>(std::floor(q.x()));
  const int j = static_cast<int>(std::floor(q.y()));
  const int k = static_cast<int>(std::floor(q.z()));
  auto smooth = [](double t) { return t * t * (3.0 - 2.0 * t); };
  const double fx = smooth(q.x() - i);
  const double fy = smooth(q.y() - j);
  const double fz = smooth(q.z() - k);
  double acc = 0.0;
  for (int c = 0; c < 8; ++c) {
    const int di = c & 1;
    const int dj = (c >> 1) & 1;
    const int dk = (c >> 2) & 1;
    const double w = (di ? fx : 1 - fx) * (dj ? fy : 1 - fy) * (dk ? fz : 1 - fz);
    acc += w * latticeValue(seed, i + di, j + dj, k + dk);
  }
  return static_cast<float>(acc);
}

bool inEllipsoid(const Vector3d& p, const Vector3d& centre, const Vector3d& semi) {
  return (p - centre).cwiseQuotient(semi).squaredNorm() <= 1.0;
}

bool inCylinderZ(const Vector3d& p, double cx, double cy, double r, double halfLength) {
  const double dx = p.x() - cx;
  const double dy = p.y() - cy;
  return dx * dx + dy * dy <= r * r && std::abs(p.z()) <= halfLength;
}

// The object, in HU-like units (air -1000, soft tissue 40).
float phantomValue(const Vector3d& p, const PhantomParams& params, const Vector3d& body) {
  if (!inEllipsoid(p, Vector3d::Zero(), body)) return -1000.0f;
  const double half = body.z() * 0.8;
  float v = 40.0f;
  if (inCylinderZ(p, -0.45 * body.x(), -0.15 * body.y(), 0.2 * body.x(), half)) v = -100.0f;  // fat
  if (inCylinderZ(p, 0.0, 0.5 * body.y(), 0.17 * body.x(), half)) v = -750.0f;  // lung
  if (inEllipsoid(p, Vector3d(0.42 * body.x(), -0.25 * body.y(), 0.0),
                  Vector3d::Constant(0.17 * body.x()))) {
    v = 700.0f;  // bone
  }
  if (inEllipsoid(p, Vector3d(0.35 * body.x(), 0.4 * body.y(), 0.15 * body.z()),
                  Vector3d::Constant(6.0))) {
    v = 200.0f;  // contrast-filled sphere
  }
  // Resolution inserts: spheres of 2, 3, 4 and 5 mm radius in a row.
  for (int s = 0; s < 4; ++s) {
    const double r = 2.0 + s;
    const Vector3d c(-0.3 * body.x() + s * 14.0, -0.65 * body.y(), 0.0);
    if (inEllipsoid(p, c, Vector3d::Constant(r))) v = 300.0f;
  }
  if (v < -500.0f) return v;  // no texture in lung-like air
  // Fine texture: a sinusoidal pattern plus band-limited random texture.
  const double a = params.texture_amplitude;
  const double sinus = std::sin(2 * std::numbers::pi * p.x() / 7.0) *
                       std::sin(2 * std::numbers::pi * p.y() / 9.0) *
                       std::cos(2 * std::numbers::pi * p.z() / 11.0);
  const double random =
      smoothNoise(params.seed, p, 3.0) + 0.5 * smoothNoise(params.seed + 1, p, 1.5);
  return v + static_cast<float>(a * (0.4 * sinus + 0.6 * random));
}

}  // namespace

Volume makePhantom(const PhantomParams& params, Progress& progress) {
  if (!(params.fine_spacing_mm > 0.0) || (params.fov_mm.array() <= 0.0).any()) {
    throw ParameterError("makePhantom: field of view and spacing must be positive");
  }
  Geometry3D g;
  for (int a = 0; a < 3; ++a) {
    g.size[a] =
        std::max(1, static_cast<int>(std::lround(params.fov_mm[a] / params.fine_spacing_mm)));
    g.spacing_mm[a] = params.fine_spacing_mm;
    g.origin_mm[a] = -0.5 * (g.size[a] - 1) * params.fine_spacing_mm;
  }
  Volume truth(g);
  const Vector3d body = params.fov_mm.cwiseProduct(Vector3d(0.44, 0.34, 0.45));
  std::atomic<int> done{0};
  tbb::parallel_for(0, g.size[2], [&](int k) {
    if (progress.cancelRequested()) return;
    for (int j = 0; j < g.size[1]; ++j) {
      float* row = truth.slice(k) + static_cast<std::size_t>(j) * g.size[0];
      for (int i = 0; i < g.size[0]; ++i) {
        row[i] = phantomValue(g.indexToWorld(Vector3d(i, j, k)), params, body);
      }
    }
    progress.report(static_cast<double>(++done) / g.size[2]);
  });
  progress.throwIfCancelled();
  truth.setUnits("HU");
  truth.metadata()[metakey::kModality] = "phantom";
  truth.metadata()[metakey::kDescription] = "Harmonia digital phantom (ground truth)";
  return truth;
}

namespace {

// Trilinear sample of `v` at continuous index q, clamped to the grid.
float trilinear(const Volume& v, const Vector3d& q) {
  const auto& n = v.geometry().size;
  double c[3];
  int i0[3];
  double f[3];
  for (int a = 0; a < 3; ++a) {
    c[a] = std::clamp(q[a], 0.0, static_cast<double>(n[a] - 1));
    i0[a] = std::min(static_cast<int>(c[a]), std::max(n[a] - 2, 0));
    f[a] = n[a] > 1 ? c[a] - i0[a] : 0.0;
  }
  auto at = [&](int di, int dj, int dk) {
    return v.at(std::min(i0[0] + di, n[0] - 1), std::min(i0[1] + dj, n[1] - 1),
                std::min(i0[2] + dk, n[2] - 1));
  };
  const double c00 = at(0, 0, 0) * (1 - f[0]) + at(1, 0, 0) * f[0];
  const double c10 = at(0, 1, 0) * (1 - f[0]) + at(1, 1, 0) * f[0];
  const double c01 = at(0, 0, 1) * (1 - f[0]) + at(1, 0, 1) * f[0];
  const double c11 = at(0, 1, 1) * (1 - f[0]) + at(1, 1, 1) * f[0];
  const double c0 = c00 * (1 - f[1]) + c10 * f[1];
  const double c1 = c01 * (1 - f[1]) + c11 * f[1];
  return static_cast<float>(c0 * (1 - f[2]) + c1 * f[2]);
}

}  // namespace

const char* toString(PsfModel model) {
  return model == PsfModel::OutputGridFourier ? "output_grid_fourier" : "fine_grid_spatial";
}

std::optional<PsfModel> parsePsfModel(const std::string& name) {
  if (name == "fine_grid_spatial") return PsfModel::FineGridSpatial;
  if (name == "output_grid_fourier") return PsfModel::OutputGridFourier;
  return std::nullopt;
}

namespace {

// The scanner's output grid: the same field of view as the truth, centred likewise.
Geometry3D outputGrid(const Geometry3D& tg, const ScannerParams& scanner) {
  Geometry3D g;
  const Vector3d fov = tg.extent_mm();
  for (int a = 0; a < 3; ++a) {
    g.size[a] = std::max(1, static_cast<int>(std::lround(fov[a] / scanner.spacing_mm[a])));
    g.spacing_mm[a] = scanner.spacing_mm[a];
  }
  g.direction = tg.direction;
  const Vector3d centre =
      tg.indexToWorld(0.5 * Vector3d(tg.size[0] - 1, tg.size[1] - 1, tg.size[2] - 1));
  g.origin_mm =
      centre -
      g.direction *
          (0.5 * Vector3d(g.size[0] - 1, g.size[1] - 1, g.size[2] - 1)).cwiseProduct(g.spacing_mm);
  return g;
}

// The mean of `source` over each voxel's extent of `g` (pixel size in-plane,
// slice thickness along z), sampled at the source's spacing; float64.
std::vector<double> voxelAverages(const Volume& source, const Geometry3D& g,
                                  const ScannerParams& scanner, Progress& progress) {
  const Geometry3D& tg = source.geometry();
  const Vector3d extent(scanner.spacing_mm.x(), scanner.spacing_mm.y(), scanner.slice_thickness_mm);
  int sub[3];
  for (int a = 0; a < 3; ++a) {
    sub[a] = std::max(1, static_cast<int>(std::lround(extent[a] / tg.spacing_mm[a])));
  }
  std::vector<double> means(g.voxelCount());
  std::atomic<int> done{0};
  tbb::parallel_for(0, g.size[2], [&](int k) {
    if (progress.cancelRequested()) return;
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const Vector3d c = g.indexToWorld(Vector3d(i, j, k));
        double acc = 0.0;
        for (int sk = 0; sk < sub[2]; ++sk) {
          for (int sj = 0; sj < sub[1]; ++sj) {
            for (int si = 0; si < sub[0]; ++si) {
              const Vector3d local((si + 0.5) / sub[0] - 0.5, (sj + 0.5) / sub[1] - 0.5,
                                   (sk + 0.5) / sub[2] - 0.5);
              const Vector3d p = c + g.direction * local.cwiseProduct(extent);
              acc += trilinear(source, tg.worldToIndex(p));
            }
          }
        }
        means[static_cast<std::size_t>(i) +
              static_cast<std::size_t>(g.size[0]) *
                  (static_cast<std::size_t>(j) + static_cast<std::size_t>(g.size[1]) * k)] =
            acc / (sub[0] * sub[1] * sub[2]);
      }
    }
    progress.report(static_cast<double>(++done) / g.size[2]);
  });
  progress.throwIfCancelled();
  return means;
}

}  // namespace

Volume scanPhantom(const Volume& truth, const ScannerParams& scanner, Progress& progress) {
  if ((scanner.spacing_mm.array() <= 0.0).any() || !(scanner.slice_thickness_mm > 0.0) ||
      (scanner.psf_fwhm_mm.array() < 0.0).any() || scanner.noise_sigma < 0.0) {
    throw ParameterError("scanPhantom: spacing and thickness must be positive; FWHM, noise >= 0");
  }
  if (truth.empty()) throw ParameterError("scanPhantom: empty ground truth");
  const Geometry3D g = outputGrid(truth.geometry(), scanner);
  std::vector<double> means;
  if (scanner.psf_model == PsfModel::OutputGridFourier) {
    // Voxel averages of the object, then the PSF on the output grid.
    SubProgress averageProgress(progress, 0.0, 0.6);
    means = voxelAverages(truth, g, scanner, averageProgress);
    SubProgress blurProgress(progress, 0.6, 0.9);
    gaussianBlurFourierInPlace(means, g, scanner.psf_fwhm_mm, blurProgress);
  } else {
    // The PSF on the fine grid, then voxel averages of the blurred object.
    GaussianParams psf;
    for (int a = 0; a < 3; ++a) psf.sigma_mm[a] = fwhmToSigma(scanner.psf_fwhm_mm[a]);
    SubProgress blurProgress(progress, 0.0, 0.7);
    const Volume blurred = gaussianBlur(truth, psf, blurProgress);
    SubProgress averageProgress(progress, 0.7, 0.9);
    means = voxelAverages(blurred, g, scanner, averageProgress);
  }
  // Gain, offset and noise (one generator per slice, seeded by the slice index).
  Volume out(g);
  tbb::parallel_for(0, g.size[2], [&](int k) {
    std::mt19937 rng(scanner.noise_seed * 7919u + static_cast<std::uint32_t>(k));
    std::normal_distribution<float> noise(0.0f, static_cast<float>(scanner.noise_sigma));
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const double mean = means[out.index(i, j, k)];
        float value = static_cast<float>(scanner.gain_alpha * mean + scanner.offset_beta);
        if (scanner.noise_sigma > 0.0) value += noise(rng);
        out.at(i, j, k) = value;
      }
    }
  });
  progress.report(1.0);

  out.setUnits(truth.units());
  auto& md = out.metadata();
  md[metakey::kModality] = "phantom";
  md[metakey::kScanner] = scanner.name;
  setNumber(md, metakey::kGainAlpha, scanner.gain_alpha);
  setNumber(md, metakey::kOffsetBeta, scanner.offset_beta);
  setVector3_mm(md, metakey::kPsfFwhm_mm, scanner.psf_fwhm_mm);
  setNumber(md, metakey::kSliceThickness_mm, scanner.slice_thickness_mm);
  setNumber(md, metakey::kNoiseSigma, scanner.noise_sigma);
  if (scanner.psf_model != PsfModel::FineGridSpatial) {
    md[metakey::kPsfModel] = toString(scanner.psf_model);
  }
  return out;
}

}  // namespace harmonia
