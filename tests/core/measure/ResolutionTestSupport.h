#pragma once
// Synthetic phantom scans with known truth for the PSF tests, written here
// from analytic formulas, independently of core/phantom and core/measure:
// objects of value `fg` on `bg`, blurred by a Gaussian with per-axis sigma and
// averaged over each voxel's box (extent = spacing); and the check of a
// measured FWHM against that truth.

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "core/image/Volume.h"
#include "core/measure/Resolution.h"

namespace harmonia::test {

inline constexpr double kSigmaPerFwhm = 1.0 / 2.3548200450309493;  // 1 / (2 sqrt(2 ln 2))

/// Standard normal CDF.
inline double Phi(double t) { return 0.5 * (1.0 + std::erf(t / std::sqrt(2.0))); }
/// An antiderivative of Phi: t Phi(t) + exp(-t^2/2) / sqrt(2 pi).
inline double PhiIntegral(double t) {
  return t * Phi(t) + std::exp(-0.5 * t * t) / std::sqrt(2.0 * M_PI);
}

/// Mean over [x - h/2, x + h/2] of the blurred interval indicator 1[lo, hi]:
/// (1/h) int (Phi((u - lo)/s) - Phi((u - hi)/s)) du, exactly.
inline double boxedInterval(double x, double h, double lo, double hi, double s) {
  auto I = [&](double edge) {  // (1/h) int_{x-h/2}^{x+h/2} Phi((u - edge)/s) du
    return s / h * (PhiIntegral((x + h / 2 - edge) / s) - PhiIntegral((x - h / 2 - edge) / s));
  };
  return I(lo) - I(hi);
}

/// Mean over [x - h/2, x + h/2] of the Gaussian density N(c, s^2), exactly.
inline double boxedGaussian(double x, double h, double c, double s) {
  return (Phi((x + h / 2 - c) / s) - Phi((x - h / 2 - c) / s)) / h;
}

/// An empty grid of `size` voxels and `spacing` (origin 0, identity direction).
inline Volume makeGrid(const Eigen::Vector3i& size, const Eigen::Vector3d& spacing) {
  Geometry3D g;
  g.size = {size[0], size[1], size[2]};
  g.spacing_mm = spacing;
  return Volume(g, 0.0f);
}

/// Fills every voxel (centre (i h_x, j h_y, k h_z) mm) with f(x).
inline void fill(Volume& v, const std::function<double(const Eigen::Vector3d&)>& f) {
  const Eigen::Vector3d h = v.geometry().spacing_mm;
  for (int k = 0; k < v.nz(); ++k) {
    for (int j = 0; j < v.ny(); ++j) {
      for (int i = 0; i < v.nx(); ++i) {
        v.at(i, j, k) = static_cast<float>(f(Eigen::Vector3d(i * h[0], j * h[1], k * h[2])));
      }
    }
  }
}

/// A box [lo, hi] (mm) of value fg on bg, blurred and voxel-averaged (exact:
/// a product of erf differences along each axis).
inline Volume boxScan(const Eigen::Vector3i& size, const Eigen::Vector3d& spacing,
                      const Eigen::Vector3d& lo, const Eigen::Vector3d& hi,
                      const Eigen::Vector3d& fwhm, double bg = 0.0, double fg = 1.0) {
  Volume v = makeGrid(size, spacing);
  const Eigen::Vector3d s = fwhm * kSigmaPerFwhm;
  fill(v, [&](const Eigen::Vector3d& x) {
    double f = 1;
    for (int a = 0; a < 3; ++a) f *= boxedInterval(x[a], spacing[a], lo[a], hi[a], s[a]);
    return bg + (fg - bg) * f;
  });
  return v;
}

/// A point source of integral `integral` (units x mm^3) at `c`, blurred and
/// voxel-averaged (exact: a product of erf differences).
inline Volume pointScan(const Eigen::Vector3i& size, const Eigen::Vector3d& spacing,
                        const Eigen::Vector3d& c, const Eigen::Vector3d& fwhm, double integral,
                        double bg = 0.0) {
  Volume v = makeGrid(size, spacing);
  const Eigen::Vector3d s = fwhm * kSigmaPerFwhm;
  fill(v, [&](const Eigen::Vector3d& x) {
    double f = integral;
    for (int a = 0; a < 3; ++a) f *= boxedGaussian(x[a], spacing[a], c[a], s[a]);
    return bg + f;
  });
  return v;
}

/// Value at distance r from the centre of a ball of radius R (value 1) blurred
/// by an isotropic Gaussian of sigma s: the 1-D radial integral
/// (1/r) int_0^R t [g(r - t) - g(r + t)] dt done in closed form, written with erf:
/// (erf((R-r)/(s sqrt2)) + erf((R+r)/(s sqrt2)))/2 - s/(r sqrt(2 pi)) (e^{-(R-r)^2/2s^2} -
/// e^{-(R+r)^2/2s^2}).
inline double blurredBallValue(double r, double R, double s) {
  const double q = s * std::sqrt(2.0);
  if (r < 1e-9) {
    return std::erf(R / q) - 2.0 * R / (s * std::sqrt(2.0 * M_PI)) * std::exp(-R * R / (2 * s * s));
  }
  return 0.5 * (std::erf((R - r) / q) + std::erf((R + r) / q)) -
         s / (r * std::sqrt(2.0 * M_PI)) *
             (std::exp(-(R - r) * (R - r) / (2 * s * s)) -
              std::exp(-(R + r) * (R + r) / (2 * s * s)));
}

/// A ball of radius R at c (value fg on bg), blurred by an isotropic Gaussian
/// of `fwhm` and averaged over each voxel's box by the midpoint rule with
/// n[a] points along axis a (voxels far from the surface: their exact 0 / 1).
inline Volume ballScan(const Eigen::Vector3i& size, const Eigen::Vector3d& spacing,
                       const Eigen::Vector3d& c, double R, double fwhm, const Eigen::Vector3i& n,
                       double bg = 0.0, double fg = 1.0) {
  Volume v = makeGrid(size, spacing);
  const double s = fwhm * kSigmaPerFwhm;
  const double reach = 7 * s + 0.5 * spacing.norm();
  fill(v, [&](const Eigen::Vector3d& x) {
    const double r0 = (x - c).norm();
    if (r0 > R + reach) return bg;
    if (r0 < R - reach) return fg;
    double sum = 0;
    for (int i = 0; i < n[0]; ++i) {
      for (int j = 0; j < n[1]; ++j) {
        for (int k = 0; k < n[2]; ++k) {
          const Eigen::Vector3d q(x[0] + spacing[0] * ((i + 0.5) / n[0] - 0.5),
                                  x[1] + spacing[1] * ((j + 0.5) / n[1] - 0.5),
                                  x[2] + spacing[2] * ((k + 0.5) / n[2] - 0.5));
          sum += blurredBallValue((q - c).norm(), R, s);
        }
      }
    }
    return bg + (fg - bg) * sum / (n[0] * n[1] * n[2]);
  });
  return v;
}

/// A ball of radius R at c (value fg on bg) blurred by an ANISOTROPIC Gaussian
/// (`fwhm` per axis) and averaged over each voxel's box. Blurring along z and
/// averaging over the z-extent of a voxel is exact for each chord of the ball
/// (a blurred interval [c_z - L, c_z + L], L = sqrt(R^2 - rho^2)); the chords
/// are summed over the ball's cross-section (x', y') by the midpoint rule with
/// `step` mm, weighted by the voxel-averaged Gaussian densities along x and y:
/// v(x, y, z) = sum_{x', y'} Gx(x - x') Gy(y - y') Z(z; x', y') step^2.
inline Volume anisotropicBallScan(const Eigen::Vector3i& size, const Eigen::Vector3d& spacing,
                                  const Eigen::Vector3d& c, double R, const Eigen::Vector3d& fwhm,
                                  double step = 0.05, double bg = 0.0, double fg = 1.0) {
  Volume v = makeGrid(size, spacing);
  const Eigen::Vector3d s = fwhm * kSigmaPerFwhm;
  const int n = static_cast<int>(std::ceil(2 * R / step));
  auto node = [&](int m, int axis) { return c[axis] - R + (m + 0.5) * step; };
  std::vector<double> Sx(static_cast<std::size_t>(size[0]) * n),
      Sy(static_cast<std::size_t>(size[1]) * n);
  for (int i = 0; i < size[0]; ++i)
    for (int m = 0; m < n; ++m)
      Sx[i * n + m] = boxedGaussian(i * spacing[0], spacing[0], node(m, 0), s[0]) * step;
  for (int j = 0; j < size[1]; ++j)
    for (int m = 0; m < n; ++m)
      Sy[j * n + m] = boxedGaussian(j * spacing[1], spacing[1], node(m, 1), s[1]) * step;
  std::vector<double> T(static_cast<std::size_t>(n) * size[1]);
  std::vector<double> Z(static_cast<std::size_t>(n) * n);
  for (int k = 0; k < size[2]; ++k) {
    const double z = k * spacing[2];
    for (int m = 0; m < n; ++m) {
      for (int q = 0; q < n; ++q) {
        const double dx = node(m, 0) - c[0], dy = node(q, 1) - c[1];
        const double L2 = R * R - dx * dx - dy * dy;
        const double L = L2 > 0 ? std::sqrt(L2) : 0.0;
        Z[m * n + q] = L > 0 ? boxedInterval(z, spacing[2], c[2] - L, c[2] + L, s[2]) : 0.0;
      }
    }
    for (int m = 0; m < n; ++m) {
      for (int j = 0; j < size[1]; ++j) {
        double sum = 0;
        for (int q = 0; q < n; ++q) sum += Sy[j * n + q] * Z[m * n + q];
        T[m * size[1] + j] = sum;
      }
    }
    for (int j = 0; j < size[1]; ++j) {
      for (int i = 0; i < size[0]; ++i) {
        double sum = 0;
        for (int m = 0; m < n; ++m) sum += Sx[i * n + m] * T[m * size[1] + j];
        v.at(i, j, k) = static_cast<float>(bg + (fg - bg) * sum);
      }
    }
  }
  return v;
}

/// Adds seeded Gaussian noise of standard deviation `sd`.
inline void addNoise(Volume& v, double sd, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, sd);
  for (float& x : v.voxels()) x = static_cast<float>(x + noise(rng));
}

/// Expects every axis measured, with |measured / truth - 1| <= tolerance.
inline void expectFwhm(const PsfMeasurement& m, const Eigen::Vector3d& truth, double tolerance) {
  for (int a = 0; a < 3; ++a) {
    ASSERT_TRUE(m.axes[a].measured) << "axis " << a;
    EXPECT_NEAR(m.axes[a].fwhm_mm / truth[a], 1.0, tolerance)
        << "axis " << a << ": measured " << m.axes[a].fwhm_mm << " mm, truth " << truth[a];
  }
}

}  // namespace harmonia::test
