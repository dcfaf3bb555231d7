#include "core/features/Ellipsoid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Dense>

namespace harmonia::features {

double ellipsoidSurfaceArea(double a, double b, double c, int maxDegree) {
  if (!(a > 0.0) || !(b > 0.0) || !(c > 0.0)) return 0.0;
  const double alpha2 = std::max(0.0, 1.0 - (b * b) / (a * a));
  const double beta2 = std::max(0.0, 1.0 - (c * c) / (a * a));
  // Q_nu = (alpha beta)^nu P_nu(x), x = (alpha^2 + beta^2) / (2 alpha beta),
  // by Bonnet's recurrence multiplied through by (alpha beta)^(nu+1): no
  // division, so spheroids and spheres (alpha beta = 0) need no special case.
  const double half = 0.5 * (alpha2 + beta2);
  const double ab2 = alpha2 * beta2;
  double qPrev = 1.0;  // Q_0
  double q = half;     // Q_1
  double sum = 1.0;    // nu = 0 term: Q_0 / (1 - 0)
  for (int nu = 1; nu <= maxDegree; ++nu) {
    sum += q / (1.0 - 4.0 * nu * nu);
    const double qNext = ((2.0 * nu + 1.0) * half * q - nu * ab2 * qPrev) / (nu + 1.0);
    qPrev = q;
    q = qNext;
  }
  return 4.0 * std::numbers::pi * a * b * sum;
}

Eigen::Vector3d mveeSemiAxes(const std::vector<Eigen::Vector3d>& points, double tolerance) {
  const int n = static_cast<int>(points.size());
  if (n < 4) return Eigen::Vector3d::Zero();
  constexpr int d = 3;
  Eigen::Matrix<double, 4, Eigen::Dynamic> q(4, n);
  // Centre the points first (the ellipsoid is translation equivariant): better
  // conditioned lifted matrices.
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (const auto& p : points) mean += p;
  mean /= n;
  for (int k = 0; k < n; ++k) q.col(k) << points[k] - mean, 1.0;
  Eigen::VectorXd u = Eigen::VectorXd::Constant(n, 1.0 / n);
  for (int iter = 0; iter < 100000; ++iter) {
    const Eigen::Matrix4d x = q * u.asDiagonal() * q.transpose();
    Eigen::LDLT<Eigen::Matrix4d> ldlt(x);
    if (ldlt.info() != Eigen::Success || !ldlt.isPositive()) return Eigen::Vector3d::Zero();
    const Eigen::MatrixXd solved = ldlt.solve(q);
    const Eigen::VectorXd m = (q.array() * solved.array()).colwise().sum().transpose();
    Eigen::Index j = 0;
    const double maxM = m.maxCoeff(&j);
    const double step = (maxM - d - 1.0) / ((d + 1.0) * (maxM - 1.0));
    Eigen::VectorXd next = (1.0 - step) * u;
    next[j] += step;
    const double change = (next - u).norm();
    u = std::move(next);
    if (change < tolerance) break;
  }
  Eigen::Matrix<double, 3, Eigen::Dynamic> p = q.topRows(3);
  const Eigen::Vector3d centre = p * u;
  const Eigen::Matrix3d cov = p * u.asDiagonal() * p.transpose() - centre * centre.transpose();
  // Ellipsoid (x - c)^T A (x - c) <= 1 with A = cov^-1 / d: semi-axes
  // 1 / sqrt(eig(A)) = sqrt(d * eig(cov)).
  Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(cov);
  Eigen::Vector3d axes;
  for (int k = 0; k < 3; ++k) axes[k] = std::sqrt(std::max(0.0, d * eig.eigenvalues()[2 - k]));
  return axes;
}

namespace {

/// Minimum-area enclosing rectangle of 2-D points: its two edge lengths.
std::pair<double, double> minAreaRectangle(std::vector<Eigen::Vector2d> pts) {
  std::sort(pts.begin(), pts.end(), [](const Eigen::Vector2d& l, const Eigen::Vector2d& r) {
    return l.x() != r.x() ? l.x() < r.x() : l.y() < r.y();
  });
  // Andrew's monotone chain.
  const auto cross = [](const Eigen::Vector2d& o, const Eigen::Vector2d& a,
                        const Eigen::Vector2d& b) {
    return (a - o).x() * (b - o).y() - (a - o).y() * (b - o).x();
  };
  std::vector<Eigen::Vector2d> h(2 * pts.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i - 1]) <= 0) --k;
    h[k++] = pts[i - 1];
  }
  h.resize(k > 1 ? k - 1 : k);
  double bestArea = std::numeric_limits<double>::infinity();
  std::pair<double, double> best{0.0, 0.0};
  for (std::size_t e = 0; e < h.size(); ++e) {
    const Eigen::Vector2d dir = h[(e + 1) % h.size()] - h[e];
    const double len = dir.norm();
    if (len == 0.0) continue;
    const Eigen::Vector2d ux = dir / len;
    const Eigen::Vector2d uy(-ux.y(), ux.x());
    double minX = std::numeric_limits<double>::infinity(), maxX = -minX, minY = minX, maxY = -minX;
    for (const auto& p : h) {
      const double x = p.dot(ux), y = p.dot(uy);
      minX = std::min(minX, x);
      maxX = std::max(maxX, x);
      minY = std::min(minY, y);
      maxY = std::max(maxY, y);
    }
    const double area = (maxX - minX) * (maxY - minY);
    if (area < bestArea) {
      bestArea = area;
      best = {maxX - minX, maxY - minY};
    }
  }
  return best;
}

}  // namespace

Eigen::Vector3d orientedBoundingBox(const std::vector<Eigen::Vector3d>& hullVertices,
                                    const std::vector<Eigen::Vector3d>& faceNormals) {
  double bestVolume = std::numeric_limits<double>::infinity();
  Eigen::Vector3d best = Eigen::Vector3d::Zero();
  std::vector<Eigen::Vector2d> projected(hullVertices.size());
  for (const Eigen::Vector3d& n : faceNormals) {
    const Eigen::Vector3d helper =
        std::abs(n.x()) < 0.9 ? Eigen::Vector3d::UnitX() : Eigen::Vector3d::UnitY();
    const Eigen::Vector3d e1 = n.cross(helper).normalized();
    const Eigen::Vector3d e2 = n.cross(e1);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t k = 0; k < hullVertices.size(); ++k) {
      const Eigen::Vector3d& p = hullVertices[k];
      projected[k] = {p.dot(e1), p.dot(e2)};
      lo = std::min(lo, p.dot(n));
      hi = std::max(hi, p.dot(n));
    }
    const auto [w, l] = minAreaRectangle(projected);
    const double volume = w * l * (hi - lo);
    if (volume < bestVolume) {
      bestVolume = volume;
      best = {w, l, hi - lo};
    }
  }
  return best;
}

}  // namespace harmonia::features
