#include "core/blend/MultigridCoarseSolve.h"

#include <stdexcept>

namespace harmonia::multigrid {

CoarseSolve::CoarseSolve(const Level& L) : index_(L.inside.size(), -1) {
  for (const RowSpan& sp : L.spans) {
    for (int i = sp.x0; i < sp.x1; ++i) index_[L.at(i, sp.y)] = n_++;
  }
  std::vector<Eigen::Triplet<double>> entries;
  for (const RowSpan& sp : L.spans) {
    for (int i = sp.x0; i < sp.x1; ++i) {
      const std::size_t k = L.at(i, sp.y);
      entries.emplace_back(index_[k], index_[k], L.diagonal(i, sp.y));
      for (const std::size_t q : {k - 1, k + 1, k - L.w, k + L.w}) {
        if (index_[q] >= 0) entries.emplace_back(index_[k], index_[q], -1.0);
      }
    }
  }
  Eigen::SparseMatrix<double> A(n_, n_);
  A.setFromTriplets(entries.begin(), entries.end());
  ldlt_.compute(A);
  if (ldlt_.info() != Eigen::Success) {
    throw std::runtime_error("multigrid: coarse factorization failed");
  }
}

void CoarseSolve::solve(const Level& L, int c) const {
  float* x = L.x[c];
  const float* b = L.b[c];
  Eigen::VectorXd rhs(n_);
  for (const RowSpan& sp : L.spans) {
    for (int i = sp.x0; i < sp.x1; ++i) {
      const std::size_t k = L.at(i, sp.y);
      double v = b[k];
      for (const std::size_t q : {k - 1, k + 1, k - L.w, k + L.w}) {
        if (index_[q] < 0) v += x[q];
      }
      rhs[index_[k]] = v;
    }
  }
  const Eigen::VectorXd f = ldlt_.solve(rhs);
  for (const RowSpan& sp : L.spans) {
    for (int i = sp.x0; i < sp.x1; ++i) {
      const std::size_t k = L.at(i, sp.y);
      x[k] = static_cast<float>(f[index_[k]]);
    }
  }
}

}  // namespace harmonia::multigrid
