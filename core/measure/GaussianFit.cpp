#include "core/measure/GaussianFit.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

namespace harmonia::psf {

namespace {
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// Antiderivative of Phi: Psi(t) = t Phi(t) + phi(t).
double psi(double t) { return t * normalCdf(t) + normalPdf(t); }
}  // namespace

double normalCdf(double t) { return 0.5 * std::erfc(-t * kInvSqrt2); }

double normalPdf(double t) { return kInvSqrt2Pi * std::exp(-0.5 * t * t); }

double normalCdfDifference(double a, double b) {
  // In the upper tail use the complement Q(t) = 1 - Phi(t) = Phi(-t).
  if (a > 0 && b > 0) return normalCdf(-b) - normalCdf(-a);
  return normalCdf(a) - normalCdf(b);
}

double sampledEdge(double x, double sigma, double h) {
  sigma = std::max(std::abs(sigma), 1e-9);
  if (h <= 1e-4 * sigma) return normalCdf(x / sigma);
  const double a = (x + 0.5 * h) / sigma;
  const double b = (x - 0.5 * h) / sigma;
  // Far in the upper tail Psi(t) ~ t: use the symmetric identity
  // mean(Phi) = 1 - mean(Phi(-u)) to keep the difference accurate.
  if (b > 0) return 1.0 - (sigma / h) * (psi(-b) - psi(-a));
  return (sigma / h) * (psi(a) - psi(b));
}

double sampledGaussian(double x, double sigma, double h) {
  sigma = std::max(std::abs(sigma), 1e-9);
  if (h <= 1e-4 * sigma) return normalPdf(x / sigma) / sigma;
  return normalCdfDifference((x + 0.5 * h) / sigma, (x - 0.5 * h) / sigma) / h;
}

LeastSquaresResult levenbergMarquardt(const ResidualFunction& residuals, Eigen::Index count,
                                      const Eigen::VectorXd& start, const Eigen::VectorXd& scale,
                                      int max_iterations) {
  const Eigen::Index n = start.size();
  LeastSquaresResult result;
  Eigen::VectorXd p = start;
  Eigen::VectorXd r(count), rTrial(count), rStep(count);
  residuals(p, r);
  double rss = r.squaredNorm();
  Eigen::MatrixXd J(count, n);
  auto jacobian = [&](const Eigen::VectorXd& at, const Eigen::VectorXd& rAt) {
    Eigen::VectorXd q = at;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double step = 1e-7 * std::max(std::abs(at[j]), std::abs(scale[j]));
      q[j] = at[j] + step;
      residuals(q, rStep);
      J.col(j) = (rStep - rAt) / step;
      q[j] = at[j];
    }
  };
  double lambda = 1e-3;
  int it = 0;
  for (; it < max_iterations; ++it) {
    if (!std::isfinite(rss)) break;
    jacobian(p, r);
    const Eigen::MatrixXd A = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * r;
    bool accepted = false;
    bool small = false;
    while (lambda < 1e14) {
      Eigen::MatrixXd M = A;
      for (Eigen::Index j = 0; j < n; ++j) M(j, j) += lambda * std::max(A(j, j), 1e-30);
      const Eigen::VectorXd delta = M.ldlt().solve(-g);
      const Eigen::VectorXd trial = p + delta;
      residuals(trial, rTrial);
      const double rssTrial = rTrial.squaredNorm();
      if (std::isfinite(rssTrial) && rssTrial <= rss) {
        small = (rss - rssTrial) <= 1e-14 * rss;
        bool tinyStep = true;
        for (Eigen::Index j = 0; j < n; ++j) {
          if (std::abs(delta[j]) > 1e-10 * std::max(std::abs(p[j]), std::abs(scale[j]))) {
            tinyStep = false;
          }
        }
        small = small || tinyStep;
        p = trial;
        r = rTrial;
        rss = rssTrial;
        lambda = std::max(lambda * 0.1, 1e-12);
        accepted = true;
        break;
      }
      lambda *= 10;
    }
    if (!accepted || small || rss <= 1e-30 * static_cast<double>(count)) {
      result.converged = true;
      break;
    }
  }
  result.iterations = it;
  result.params = p;
  result.rss = rss;
  jacobian(p, r);
  const Eigen::MatrixXd A = J.transpose() * J;
  const double dof = static_cast<double>(std::max<Eigen::Index>(count - n, 1));
  Eigen::MatrixXd cov = A.completeOrthogonalDecomposition().pseudoInverse() * (rss / dof);
  result.stderr_params = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
  return result;
}

}  // namespace harmonia::psf
