#pragma once
// Principal component analysis of a samples × variables table, for looking at a cohort's
// structure (e.g. scans coloured by site before and after harmonization).
//
// Method: each variable is centred (and, with `standardize`, divided by its sample standard
// deviation, n − 1); the covariance matrix X'X / (n − 1) is diagonalised with Eigen's
// SelfAdjointEigenSolver; components are its eigenvectors by decreasing eigenvalue, and the
// scores are X times them. Missing values (NaN) are replaced by the variable's mean (a score
// of 0 on that variable); a constant variable is centred but not scaled (it contributes
// nothing). Eigenvector signs are made deterministic: the largest-magnitude loading of each
// component is positive.

#include <Eigen/Core>

namespace harmonia {

/// The principal components of a table.
struct PcaResult {
  Eigen::MatrixXd scores;              ///< samples × components
  Eigen::MatrixXd loadings;            ///< variables × components (unit columns)
  Eigen::VectorXd explained_variance;  ///< eigenvalue of each component
  Eigen::VectorXd explained_fraction;  ///< eigenvalue / total variance (0 when total is 0)
  Eigen::VectorXd mean;                ///< per variable, over the finite values
  Eigen::VectorXd scale;               ///< per variable: the SD used (1 when not standardized)
};

/// PCA of `data` (samples × variables, NaN = missing) keeping `components` components (at
/// most the number of variables). Throws ParameterError with fewer than two samples or no
/// variables, or components < 1.
PcaResult computePca(const Eigen::MatrixXd& data, int components, bool standardize = true);

}  // namespace harmonia
