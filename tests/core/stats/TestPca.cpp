// PCA against hand-computed 2-D examples.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/stats/Pca.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Round-off of a 2 × 2 eigenproblem on numbers of order 1.
constexpr double kTol = 1e-12;

TEST(Pca, PointsOnTheDiagonalHaveOneComponentAlongIt) {
  // (1,1), (−1,−1), (2,2), (−2,−2): mean 0, covariance [[10/3, 10/3], [10/3, 10/3]],
  // eigenvalues 20/3 and 0, first component (1,1)/√2, scores √2 x.
  Eigen::MatrixXd d(4, 2);
  d << 1, 1, -1, -1, 2, 2, -2, -2;
  const PcaResult r = computePca(d, 2, false);
  EXPECT_NEAR(r.explained_variance(0), 20.0 / 3.0, kTol);
  EXPECT_NEAR(r.explained_variance(1), 0.0, kTol);
  EXPECT_NEAR(r.explained_fraction(0), 1.0, kTol);
  EXPECT_NEAR(r.loadings(0, 0), 1.0 / std::sqrt(2.0), kTol);
  EXPECT_NEAR(r.loadings(1, 0), 1.0 / std::sqrt(2.0), kTol);
  const double x[4] = {1, -1, 2, -2};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(r.scores(i, 0), std::sqrt(2.0) * x[i], kTol);
}

TEST(Pca, AxisAlignedCrossSortsComponentsByVariance) {
  // (2,0), (0,1), (−2,0), (0,−1) shifted by (5, 7): covariance diag(8/3, 2/3).
  Eigen::MatrixXd d(4, 2);
  d << 7, 7, 5, 8, 3, 7, 5, 6;
  const PcaResult r = computePca(d, 2, false);
  EXPECT_NEAR(r.mean(0), 5.0, kTol);
  EXPECT_NEAR(r.mean(1), 7.0, kTol);
  EXPECT_NEAR(r.explained_variance(0), 8.0 / 3.0, kTol);
  EXPECT_NEAR(r.explained_variance(1), 2.0 / 3.0, kTol);
  EXPECT_NEAR(r.explained_fraction(0), 0.8, kTol);
  EXPECT_NEAR(std::abs(r.loadings(0, 0)), 1.0, kTol);
  EXPECT_NEAR(r.scores(0, 0), 2.0, kTol);  // the sign rule: largest loading positive
  EXPECT_NEAR(r.scores(1, 1), 1.0, kTol);
}

TEST(Pca, StandardizingEqualisesTheVariables) {
  // The cross again, standardized: both variables have variance 1 and are uncorrelated, so
  // each component explains half.
  Eigen::MatrixXd d(4, 2);
  d << 2, 0, 0, 1, -2, 0, 0, -1;
  const PcaResult r = computePca(d, 1, true);
  EXPECT_NEAR(r.scale(0), std::sqrt(8.0 / 3.0), kTol);
  EXPECT_NEAR(r.explained_variance(0), 1.0, kTol);
  EXPECT_NEAR(r.explained_fraction(0), 0.5, kTol);
  EXPECT_EQ(r.scores.cols(), 1);
}

TEST(Pca, MissingValuesAreMeanImputedAndBadInputRefused) {
  Eigen::MatrixXd d(5, 2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  d << 1, 1, -1, -1, 2, 2, -2, -2, nan, 0;
  const PcaResult r = computePca(d, 1, false);
  EXPECT_NEAR(r.mean(0), 0.0, kTol);
  EXPECT_TRUE(r.scores.allFinite());
  EXPECT_THROW(computePca(Eigen::MatrixXd(1, 2), 1), ParameterError);
  EXPECT_THROW(computePca(d, 0), ParameterError);
}

}  // namespace
}  // namespace harmonia
