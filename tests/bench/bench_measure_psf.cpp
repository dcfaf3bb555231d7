// Time of each PSF measurement (core/measure/Resolution.h) on realistic 256^3
// phantom scans: a 100 mm cube (edge), a 40 mm sphere (known diameter) and a
// point source, each blurred by an anisotropic Gaussian, voxel-averaged and
// with noise. There is no reference library to compare with; the recovered
// FWHM is printed beside the truth. Usage: bench_measure_psf [repeats]

#include <oneapi/tbb/parallel_for.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "BenchSupport.h"
#include "core/measure/Resolution.h"

using namespace harmonia;

namespace {

constexpr double kSigmaPerFwhm = 1.0 / 2.3548200450309493;

double Phi(double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); }
double PhiIntegral(double t) { return t * Phi(t) + std::exp(-0.5 * t * t) / std::sqrt(2 * M_PI); }

// 1-D factor of a separable scan along one axis: f(x_i) for every index.
std::vector<double> axisFactor(int n, double h, const std::function<double(double)>& f) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = f(i * h);
  return v;
}

Volume separableScan(const Geometry3D& g, const std::array<std::vector<double>, 3>& f, double bg,
                     double scale, double noise) {
  Volume v(g, kUninitialized);
  tbb::parallel_for(0, g.size[2], [&](int k) {
    for (int j = 0; j < g.size[1]; ++j) {
      for (int i = 0; i < g.size[0]; ++i) {
        const double n = noise * (bench::hashUnit(v.index(i, j, k)) - 0.5) * std::sqrt(12.0);
        v.at(i, j, k) = static_cast<float>(bg + scale * f[0][i] * f[1][j] * f[2][k] + n);
      }
    }
  });
  return v;
}

// Mean over the voxel of the blurred interval [lo, hi] (exact).
double boxedInterval(double x, double h, double lo, double hi, double s) {
  auto I = [&](double e) {
    return s / h * (PhiIntegral((x + h / 2 - e) / s) - PhiIntegral((x - h / 2 - e) / s));
  };
  return I(lo) - I(hi);
}

double ballValue(double r, double R, double s) {
  const double q = s * std::sqrt(2.0);
  if (r < 1e-9)
    return std::erf(R / q) - 2 * R / (s * std::sqrt(2 * M_PI)) * std::exp(-R * R / (2 * s * s));
  return 0.5 * (std::erf((R - r) / q) + std::erf((R + r) / q)) -
         s / (r * std::sqrt(2 * M_PI)) *
             (std::exp(-(R - r) * (R - r) / (2 * s * s)) -
              std::exp(-(R + r) * (R + r) / (2 * s * s)));
}

void report(const char* what, const PsfMeasurement& m, const Eigen::Vector3d& truth, double t) {
  std::printf("  %-28s %8.3f s   FWHM (%.3f %.3f %.3f) mm, truth (%.2f %.2f %.2f)\n", what, t,
              m.axes[0].fwhm_mm, m.axes[1].fwhm_mm, m.axes[2].fwhm_mm, truth[0], truth[1],
              truth[2]);
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = bench::benchThreads();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  bench::printHeader(
      "PSF measurement on 256^3 float32 phantom scans (best of " + std::to_string(repeats) + ")",
      threads);
  Geometry3D g;
  g.size = {256, 256, 256};

  {  // Edge: a 100 mm cube on 0.9 x 0.9 x 1.5 mm voxels, FWHM (2.5, 2.5, 4) mm.
    g.spacing_mm = {0.9, 0.9, 1.5};
    const Eigen::Vector3d fwhm(2.5, 2.5, 4.0);
    std::array<std::vector<double>, 3> f;
    for (int a = 0; a < 3; ++a) {
      const double h = g.spacing_mm[a], c = 0.5 * 255 * h + 0.37;
      f[a] = axisFactor(256, h, [&](double x) {
        return boxedInterval(x, h, c - 50, c + 50, fwhm[a] * kSigmaPerFwhm);
      });
    }
    const Volume scan = separableScan(g, f, 0.0, 1000.0, 20.0);
    PsfMeasurement m;
    const double t = bench::bestOf(repeats, [&] { m = measurePsf(scan, PsfParams{}); });
    report("edge (cube)", m, fwhm, t);
  }
  {  // Point: 1 x 1 x 2 mm voxels, FWHM (3, 3, 5) mm.
    g.spacing_mm = {1.0, 1.0, 2.0};
    const Eigen::Vector3d fwhm(3, 3, 5);
    std::array<std::vector<double>, 3> f;
    for (int a = 0; a < 3; ++a) {
      const double h = g.spacing_mm[a], c = 0.5 * 255 * h + 0.21;
      const double s = fwhm[a] * kSigmaPerFwhm;
      f[a] = axisFactor(256, h, [&](double x) {
        return (Phi((x + h / 2 - c) / s) - Phi((x - h / 2 - c) / s)) / h;
      });
    }
    const Volume scan = separableScan(g, f, 10.0, 5e4, 1.0);
    PsfParams params;
    params.method = PsfMethod::Point;
    PsfMeasurement m;
    const double t = bench::bestOf(repeats, [&] { m = measurePsf(scan, params); });
    report("point", m, fwhm, t);
  }
  {  // Sphere: 40 mm diameter on 1 mm voxels, isotropic FWHM 3 mm (voxel
     // average by a 4^3 midpoint rule near the surface).
    g.spacing_mm = {1.0, 1.0, 1.0};
    const double fwhm = 3.0, s = fwhm * kSigmaPerFwhm, R = 20.0;
    const Eigen::Vector3d c(128.3, 127.6, 128.1);
    Volume scan(g, kUninitialized);
    tbb::parallel_for(0, 256, [&](int k) {
      for (int j = 0; j < 256; ++j) {
        for (int i = 0; i < 256; ++i) {
          const Eigen::Vector3d x(i, j, k);
          const double r = (x - c).norm();
          double v = r > R + 8 * s ? 0.0 : r < R - 8 * s ? 1.0 : -1.0;
          if (v < 0) {
            v = 0;
            for (int q = 0; q < 64; ++q) {
              const Eigen::Vector3d d((q % 4 + 0.5) / 4 - 0.5, ((q / 4) % 4 + 0.5) / 4 - 0.5,
                                      (q / 16 + 0.5) / 4 - 0.5);
              v += ballValue((x + d - c).norm(), R, s) / 64;
            }
          }
          const double n = 10.0 * (bench::hashUnit(scan.index(i, j, k)) - 0.5) * std::sqrt(12.0);
          scan.at(i, j, k) = static_cast<float>(50 + 500 * v + n);
        }
      }
    });
    PsfParams params;
    params.method = PsfMethod::Sphere;
    params.sphere_diameter_mm = 2 * R;
    PsfMeasurement m;
    const double t = bench::bestOf(repeats, [&] { m = measurePsf(scan, params); });
    report("sphere (known diameter)", m, Eigen::Vector3d::Constant(fwhm), t);
  }
  std::printf("  load average %.2f at end\n", bench::loadAverage());
  return 0;
}
