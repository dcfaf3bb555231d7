#include "core/stats/Pca.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "core/util/Error.h"

namespace harmonia {

PcaResult computePca(const Eigen::MatrixXd& data, int components, bool standardize) {
  const Eigen::Index n = data.rows();
  const Eigen::Index p = data.cols();
  if (n < 2) {
    throw ParameterError("PCA needs at least two samples");
  }
  if (p < 1) {
    throw ParameterError("PCA needs at least one variable");
  }
  if (components < 1) {
    throw ParameterError("PCA needs at least one component");
  }
  const Eigen::Index k = std::min<Eigen::Index>(components, p);

  PcaResult r;
  r.mean = Eigen::VectorXd::Zero(p);
  r.scale = Eigen::VectorXd::Ones(p);
  Eigen::MatrixXd x(n, p);
  for (Eigen::Index v = 0; v < p; ++v) {
    double sum = 0.0;
    Eigen::Index count = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (std::isfinite(data(i, v))) {
        sum += data(i, v);
        ++count;
      }
    }
    const double mean = count > 0 ? sum / static_cast<double>(count) : 0.0;
    double ss = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      x(i, v) = std::isfinite(data(i, v)) ? data(i, v) - mean : 0.0;
      ss += x(i, v) * x(i, v);
    }
    r.mean(v) = mean;
    if (standardize && count > 1) {
      const double sd = std::sqrt(ss / static_cast<double>(count - 1));
      if (sd > 0.0) {
        r.scale(v) = sd;
        x.col(v) /= sd;
      }
    }
  }
  const Eigen::MatrixXd covariance = (x.transpose() * x) / static_cast<double>(n - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  if (solver.info() != Eigen::Success) {
    throw ParameterError("PCA: the eigen solver failed");
  }
  // Eigen sorts eigenvalues in increasing order; take them from the end.
  r.loadings.resize(p, k);
  r.explained_variance.resize(k);
  for (Eigen::Index c = 0; c < k; ++c) {
    Eigen::VectorXd v = solver.eigenvectors().col(p - 1 - c);
    Eigen::Index largest = 0;
    v.cwiseAbs().maxCoeff(&largest);
    if (v(largest) < 0.0) {
      v = -v;
    }
    r.loadings.col(c) = v;
    r.explained_variance(c) = std::max(0.0, solver.eigenvalues()(p - 1 - c));
  }
  const double total = covariance.trace();
  r.explained_fraction = total > 0.0 ? Eigen::VectorXd(r.explained_variance / total)
                                     : Eigen::VectorXd(Eigen::VectorXd::Zero(k));
  r.scores = x * r.loadings;
  return r;
}

}  // namespace harmonia
