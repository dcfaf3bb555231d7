#pragma once
// The Gaussian building blocks of the PSF measurements (core/measure/Resolution.h):
// the normal CDF/PDF, the Gaussian edge and line profiles averaged over a
// voxel's extent (closed forms with erf), and a Levenberg-Marquardt
// least-squares fitter with a numerical Jacobian and standard errors.

#include <Eigen/Core>
#include <functional>

namespace harmonia::psf {

inline constexpr double kFwhmPerSigma = 2.3548200450309493;  // 2 sqrt(2 ln 2)

/// Standard normal CDF and PDF.
double normalCdf(double t);
double normalPdf(double t);
/// Phi(a) - Phi(b) without cancellation in the tails.
double normalCdfDifference(double a, double b);

/// Mean over [x - h/2, x + h/2] of Phi(u / sigma): a Gaussian edge (0 -> 1 at
/// x = 0) sampled by a voxel of width h. h <= 0 gives the point value.
double sampledEdge(double x, double sigma, double h);
/// Mean over [x - h/2, x + h/2] of the Gaussian density N(0, sigma^2) (the
/// derivative of sampledEdge in x). h <= 0 gives the point value.
double sampledGaussian(double x, double sigma, double h);

/// Residuals r(p) of a least-squares problem; `r` is already sized.
using ResidualFunction = std::function<void(const Eigen::VectorXd& p, Eigen::VectorXd& r)>;

struct LeastSquaresResult {
  Eigen::VectorXd params;
  Eigen::VectorXd stderr_params;  ///< sqrt(diag((J^T J)^-1) * rss / (m - n))
  double rss = 0;
  int iterations = 0;
  bool converged = false;
};

/// Minimises |r(p)|^2 from `start` by Levenberg-Marquardt (Marquardt's diagonal
/// scaling, forward-difference Jacobian with steps relative to `scale`, a
/// typical magnitude of each parameter).
LeastSquaresResult levenbergMarquardt(const ResidualFunction& residuals, Eigen::Index count,
                                      const Eigen::VectorXd& start, const Eigen::VectorXd& scale,
                                      int max_iterations = 200);

}  // namespace harmonia::psf
