// Insert values and the linearity fit against a least-squares solution the
// test computes independently (Eigen's QR of the design matrix).

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "core/measure/InsertValues.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

struct Phantom {
  Volume image;
  std::vector<InsertRoi> inserts;
  std::vector<double> truth;  // the value filled into each insert
};

// Five 8 mm spheres on a line in a background of `background`, filled with
// truth[i]; the ROIs are 5 mm spheres at their centres (well inside).
Phantom makePhantom(const std::vector<double>& nominal, const std::vector<double>& truth,
                    double background) {
  Geometry3D g;
  g.size = {120, 40, 20};
  g.spacing_mm = {1.0, 1.0, 1.0};
  Phantom ph{Volume(g, static_cast<float>(background)), {}, truth};
  for (std::size_t n = 0; n < nominal.size(); ++n) {
    const Eigen::Vector3d c(12.0 + 22.0 * n, 20.0, 10.0);
    for (int k = 0; k < 20; ++k)
      for (int j = 0; j < 40; ++j)
        for (int i = 0; i < 120; ++i)
          if ((Eigen::Vector3d(i, j, k) - c).norm() <= 8.0)
            ph.image.at(i, j, k) = static_cast<float>(truth[n]);
    ph.inserts.push_back({"insert" + std::to_string(n), c, 5.0, nominal[n]});
  }
  return ph;
}

TEST(InsertValues, CtLinearityMatchesAnIndependentLeastSquaresFit) {
  const std::vector<double> nominal{-1000, -100, 0, 120, 1000};
  const std::vector<double> offsets{3, -2, 4, -5, 1};
  std::vector<double> truth;
  for (std::size_t i = 0; i < nominal.size(); ++i)
    truth.push_back(0.98 * nominal[i] + 5 + offsets[i]);
  const Phantom ph = makePhantom(nominal, truth, -50);
  const ValueAccuracy acc = measureValues(ph.image, ph.inserts);
  ASSERT_EQ(acc.inserts.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(acc.inserts[i].measured.mean, truth[i], 1e-3);
    EXPECT_NEAR(acc.inserts[i].measured.sd, 0.0, 1e-3);
    EXPECT_NEAR(acc.inserts[i].error, truth[i] - nominal[i], 1e-3);
    EXPECT_EQ(acc.inserts[i].name, "insert" + std::to_string(i));
  }
  // Reference: least squares by QR of [nominal 1].
  Eigen::MatrixXd a(5, 2);
  Eigen::VectorXd y(5);
  for (int i = 0; i < 5; ++i) {
    a(i, 0) = nominal[i];
    a(i, 1) = 1.0;
    y(i) = truth[i];
  }
  const Eigen::Vector2d beta = a.colPivHouseholderQr().solve(y);
  const double ssRes = (y - a * beta).squaredNorm();
  const double ssTot = (y.array() - y.mean()).matrix().squaredNorm();
  ASSERT_TRUE(acc.has_fit);
  EXPECT_NEAR(acc.fit.slope, beta(0), 1e-6);
  EXPECT_NEAR(acc.fit.intercept, beta(1), 1e-3);
  EXPECT_NEAR(acc.fit.r2, 1.0 - ssRes / ssTot, 1e-9);
  EXPECT_LT(acc.fit.r2, 1.0);
}

TEST(InsertValues, PetActivityRatios) {
  const std::vector<double> nominal{40, 20, 10};
  const std::vector<double> truth{36, 19, 10.5};
  const Phantom ph = makePhantom(nominal, truth, 5);
  const ValueAccuracy acc = measureValues(ph.image, ph.inserts);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(acc.inserts[i].ratio, truth[i] / nominal[i], 1e-5);
}

TEST(InsertValues, OneNominalValueHasNoFit) {
  const Phantom ph = makePhantom({100, 100}, {90, 95}, 0);
  EXPECT_FALSE(measureValues(ph.image, ph.inserts).has_fit);
}

TEST(InsertValues, BadInputGivesClearErrors) {
  Phantom ph = makePhantom({0, 100}, {0, 100}, 0);
  EXPECT_THROW(measureValues(ph.image, {}), ParameterError);
  std::vector<InsertRoi> bad = ph.inserts;
  bad[1].radius_mm = 0;
  EXPECT_THROW(measureValues(ph.image, bad), ParameterError);
  bad = ph.inserts;
  bad[1].centre_mm = {1000, 0, 0};
  try {
    measureValues(ph.image, bad);
    FAIL() << "insert outside accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("insert1"), std::string::npos) << e.what();
  }
  ph.image.at(12, 20, 10) = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(measureValues(ph.image, ph.inserts), InputError);
}

}  // namespace
}  // namespace harmonia
