// ComBat on hand-made tables: fit -> apply reproduces the fit, covariate coding, and the
// bad-input rules (missing values, constant features, single-sample sites, one site,
// collinear covariates, unknown sites and levels, cancellation).
#include <gtest/gtest.h>

#include <cmath>

#include "combat/ComBatTestSupport.h"
#include "core/combat/ComBat.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

bool mentions(const std::vector<std::string>& warnings, const std::string& text) {
  for (const auto& w : warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

template <typename E, typename F>
std::string messageOf(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no exception)";
}

std::vector<ComBatOptions> allOptionSets() {
  std::vector<ComBatOptions> sets;
  for (auto eb : {EmpiricalBayes::Parametric, EmpiricalBayes::NonParametric, EmpiricalBayes::None})
    for (bool meanOnly : {false, true})
      for (bool ref : {false, true}) {
        ComBatOptions o;
        o.empirical_bayes = eb;
        o.mean_only = meanOnly;
        if (ref) o.reference_site = "siteB";
        sets.push_back(o);
      }
  return sets;
}

TEST(ComBatFitApply, ApplyReproducesFitBitForBit) {
  const auto c = test::makeCohort(30, 3, 6);
  for (const auto& o : allOptionSets()) {
    const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, o);
    ASSERT_TRUE(fit.harmonized.allFinite());
    const auto applied = applyComBat(fit.model, c.data, c.sites, c.covariates);
    EXPECT_TRUE(test::bitIdentical(applied.harmonized, fit.harmonized));
    if (o.reference_site) {
      // The reference site's samples are unchanged.
      for (Eigen::Index j = 0; j < c.data.cols(); ++j) {
        if (c.sites[static_cast<std::size_t>(j)] == "siteB") {
          EXPECT_TRUE(test::bitIdentical(fit.harmonized.col(j), c.data.col(j)));
        }
      }
    }
    if (o.mean_only) {
      EXPECT_TRUE((fit.model.delta_star.array() == 1.0).all());
    }
  }
}

TEST(ComBatFitApply, RemovesSiteShift) {
  const auto c = test::makeCohort(20, 2, 10);
  const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, {});
  // Averaged over features, the gap between the two site means shrinks several-fold (the
  // cohort has a shift of 0.8 between the sites).
  double before = 0.0;
  double after = 0.0;
  for (Eigen::Index f = 0; f < c.data.rows(); ++f) {
    before += c.data.row(f).tail(10).mean() - c.data.row(f).head(10).mean();
    after += fit.harmonized.row(f).tail(10).mean() - fit.harmonized.row(f).head(10).mean();
  }
  before /= static_cast<double>(c.data.rows());
  after /= static_cast<double>(c.data.rows());
  EXPECT_GT(before, 0.5);
  EXPECT_LT(std::abs(after), 0.2 * before);
}

// Without EB and covariates the L/S model is analytic: every site ends with the grand mean
// (sample-weighted mean of the site means) and the pooled variance Σ(y − site mean)² / n.
TEST(ComBatFitApply, NoEbLocationScaleIsAnalytic) {
  // One feature, sites A (1, 2, 3) and B (10, 14, 18, 22).
  Eigen::MatrixXd d(1, 7);
  d << 1, 2, 3, 10, 14, 18, 22;
  const std::vector<std::string> sites{"A", "A", "A", "B", "B", "B", "B"};
  ComBatOptions o;
  o.empirical_bayes = EmpiricalBayes::None;
  const auto fit = fitComBat(d, {"x"}, sites, {}, o);
  const double grand = (3.0 * 2.0 + 4.0 * 16.0) / 7.0;
  const double pooled = (1.0 + 0.0 + 1.0 + 36.0 + 4.0 + 4.0 + 36.0) / 7.0;
  EXPECT_NEAR(fit.model.grand_mean[0], grand, 1e-12);
  EXPECT_NEAR(fit.model.pooled_variance[0], pooled, 1e-12);
  const Eigen::VectorXd y = fit.harmonized.row(0).transpose();
  EXPECT_NEAR(y.head(3).mean(), grand, 1e-12);
  EXPECT_NEAR(y.tail(4).mean(), grand, 1e-12);
  // Each site's sample variance (n − 1) becomes the pooled variance.
  EXPECT_NEAR((y.head(3).array() - grand).square().sum() / 2.0, pooled, 1e-11);
  EXPECT_NEAR((y.tail(4).array() - grand).square().sum() / 3.0, pooled, 1e-11);

  // Mean-only keeps each site's spread and moves its mean to the grand mean.
  o.mean_only = true;
  const auto loc = fitComBat(d, {"x"}, sites, {}, o);
  for (Eigen::Index j = 0; j < 3; ++j)
    EXPECT_NEAR(loc.harmonized(0, j), d(0, j) - 2.0 + grand, 1e-12);
  for (Eigen::Index j = 3; j < 7; ++j)
    EXPECT_NEAR(loc.harmonized(0, j), d(0, j) - 16.0 + grand, 1e-12);

  // With site A as reference: A unchanged, B mapped onto A's mean (2) and onto the pooled
  // variance of A's residuals, Σ(y − 2)² / 3 = 2/3.
  o.mean_only = false;
  o.reference_site = "A";
  const auto ref = fitComBat(d, {"x"}, sites, {}, o);
  EXPECT_TRUE(test::bitIdentical(ref.harmonized.leftCols(3), d.leftCols(3)));
  const Eigen::VectorXd b = ref.harmonized.row(0).tail(4).transpose();
  EXPECT_NEAR(b.mean(), 2.0, 1e-12);
  EXPECT_NEAR((b.array() - 2.0).square().sum() / 3.0, 2.0 / 3.0, 1e-12);
}

TEST(ComBatCovariates, CategoricalMatchesIndicatorColumn) {
  auto c = test::makeCohort(15, 3, 5);
  const auto fitCat = fitComBat(c.data, {}, c.sites, c.covariates, {});
  EXPECT_EQ(fitCat.model.covariates.column_names, (std::vector<std::string>{"age", "sex=M"}));
  ComBatCovariates numeric;
  numeric.numeric.push_back(c.covariates.numeric[0]);
  NumericCovariate male{"male", {}};
  for (const auto& v : c.covariates.categorical[0].values) male.values.push_back(v == "M" ? 1 : 0);
  numeric.numeric.push_back(male);
  const auto fitNum = fitComBat(c.data, {}, c.sites, numeric, {});
  EXPECT_LE(test::maxAbsDiff(fitCat.harmonized, fitNum.harmonized), 1e-10);

  // A chosen reference level changes the coding, not the harmonized data.
  c.covariates.categorical[0].reference_level = "M";
  const auto fitRef = fitComBat(c.data, {}, c.sites, c.covariates, {});
  EXPECT_EQ(fitRef.model.covariates.column_names, (std::vector<std::string>{"age", "sex=F"}));
  EXPECT_LE(test::maxAbsDiff(fitCat.harmonized, fitRef.harmonized), 1e-10);
}

TEST(ComBatBadInput, OneSiteIsRefused) {
  const auto c = test::makeCohort(5, 1, 8);
  const auto msg = messageOf<ParameterError>([&] { fitComBat(c.data, {}, c.sites, {}, {}); });
  EXPECT_NE(msg.find("at least two sites"), std::string::npos) << msg;
}

TEST(ComBatBadInput, CovariateCollinearWithSiteIsRefusedByName) {
  const auto c = test::makeCohort(5, 2, 6);
  ComBatCovariates cov;
  NumericCovariate scanner{"scannerField", {}};
  for (const auto& s : c.sites) scanner.values.push_back(s == "siteA" ? 1.5 : 3.0);
  cov.numeric.push_back(scanner);
  const auto msg = messageOf<ParameterError>([&] { fitComBat(c.data, {}, c.sites, cov, {}); });
  EXPECT_NE(msg.find("'scannerField'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("collinear with site"), std::string::npos) << msg;

  // A categorical covariate nested in site, too.
  ComBatCovariates cat;
  cat.categorical.push_back({"vendor", {}, std::nullopt});
  for (const auto& s : c.sites)
    cat.categorical[0].values.push_back(s == "siteA" ? "GE" : "Siemens");
  const auto msg2 = messageOf<ParameterError>([&] { fitComBat(c.data, {}, c.sites, cat, {}); });
  EXPECT_NE(msg2.find("'vendor=Siemens'"), std::string::npos) << msg2;
}

TEST(ComBatBadInput, NonFiniteCovariateIsRefused) {
  auto c = test::makeCohort(5, 2, 6);
  c.covariates.numeric[0].values[3] = std::nan("");
  const auto msg = messageOf<InputError>([&] { fitComBat(c.data, {}, c.sites, c.covariates, {}); });
  EXPECT_NE(msg.find("'age'"), std::string::npos) << msg;
}

TEST(ComBatBadInput, MissingValuesStayMissingAndAreIgnored) {
  auto c = test::makeCohort(12, 3, 6);
  c.data(2, 4) = std::nan("");
  c.data(7, 0) = std::nan("");
  c.data(7, 13) = std::nan("");
  for (const auto& o : allOptionSets()) {
    const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, o);
    EXPECT_TRUE(std::isnan(fit.harmonized(2, 4)));
    EXPECT_TRUE(std::isnan(fit.harmonized(7, 0)));
    EXPECT_TRUE(std::isnan(fit.harmonized(7, 13)));
    EXPECT_EQ(fit.harmonized.array().isNaN().count(), 3);
    EXPECT_TRUE(fit.warnings.empty());
    EXPECT_TRUE(fit.model.feature_adjusted[2] && fit.model.feature_adjusted[7]);
    EXPECT_TRUE(test::bitIdentical(applyComBat(fit.model, c.data, c.sites, c.covariates).harmonized,
                                   fit.harmonized));
  }
  // Without EB, a feature's estimates use only its own values: its missing sample does not
  // change the other features.
  ComBatOptions noEb;
  noEb.empirical_bayes = EmpiricalBayes::None;
  const auto clean = fitComBat(test::makeCohort(12, 3, 6).data, {}, c.sites, c.covariates, noEb);
  const auto holes = fitComBat(c.data, {}, c.sites, c.covariates, noEb);
  EXPECT_LE(test::maxAbsDiff(clean.harmonized.row(5), holes.harmonized.row(5)), 1e-12);
}

TEST(ComBatBadInput, ConstantFeaturesAreLeftUnadjustedAndReported) {
  auto c = test::makeCohort(10, 3, 5);
  c.data.row(1).setConstant(4.25);                         // constant overall
  c.data.row(3).segment(5, 5).setConstant(2);              // constant within siteB
  c.data.row(6).segment(10, 5).setConstant(std::nan(""));  // no value at siteC
  std::vector<std::string> names;
  for (int f = 0; f < 10; ++f) names.push_back("f" + std::to_string(f));
  for (const auto& o : allOptionSets()) {
    const auto fit = fitComBat(c.data, names, c.sites, c.covariates, o);
    EXPECT_TRUE(test::bitIdentical(fit.harmonized.row(1), c.data.row(1)));
    EXPECT_TRUE(test::bitIdentical(fit.harmonized.row(6), c.data.row(6)));
    EXPECT_FALSE(fit.model.feature_adjusted[1]);
    EXPECT_FALSE(fit.model.feature_adjusted[6]);
    EXPECT_TRUE(mentions(fit.warnings, "'f1' left unadjusted: constant"));
    EXPECT_TRUE(mentions(fit.warnings, "'f6' left unadjusted: no value at site 'siteC'"));
    if (o.mean_only) {
      EXPECT_TRUE(fit.model.feature_adjusted[3]);  // no scale to estimate
    } else {
      EXPECT_FALSE(fit.model.feature_adjusted[3]);
      EXPECT_TRUE(test::bitIdentical(fit.harmonized.row(3), c.data.row(3)));
      EXPECT_TRUE(mentions(fit.warnings, "'f3' left unadjusted: constant within site 'siteB'"));
    }
    // No NaN appears anywhere else.
    EXPECT_EQ(fit.harmonized.array().isNaN().count(), 5);
  }
}

TEST(ComBatBadInput, SingleSampleSiteIsCorrectedForLocationOnly) {
  auto c = test::makeCohort(20, 2, 8);
  // Add a third site with one sample.
  c.data.conservativeResize(Eigen::NoChange, 17);
  for (Eigen::Index f = 0; f < 20; ++f) c.data(f, 16) = 12.0 + static_cast<double>(f);
  c.sites.push_back("lonely");
  c.covariates.numeric[0].values.push_back(50);
  c.covariates.categorical[0].values.push_back("F");
  for (auto eb :
       {EmpiricalBayes::Parametric, EmpiricalBayes::NonParametric, EmpiricalBayes::None}) {
    ComBatOptions o;
    o.empirical_bayes = eb;
    const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, o);
    EXPECT_TRUE(fit.harmonized.allFinite());
    EXPECT_TRUE(mentions(fit.warnings, "site 'lonely' has one sample"));
    const auto s = static_cast<Eigen::Index>(*fit.model.siteIndex("lonely"));
    EXPECT_TRUE(fit.model.site_mean_only[static_cast<std::size_t>(s)]);
    EXPECT_TRUE((fit.model.delta_star.row(s).array() == 1.0).all());
    const auto a = static_cast<Eigen::Index>(*fit.model.siteIndex("siteA"));
    EXPECT_FALSE((fit.model.delta_star.row(a).array() == 1.0).all());
  }
}

TEST(ComBatBadInput, ReferenceSiteMustExistAndHaveTwoSamples) {
  const auto c = test::makeCohort(5, 2, 4);
  ComBatOptions o;
  o.reference_site = "nowhere";
  EXPECT_THROW(fitComBat(c.data, {}, c.sites, {}, o), ParameterError);
  Eigen::MatrixXd d(5, 5);
  d << c.data.leftCols(4), c.data.col(7);
  o.reference_site = "siteB";
  EXPECT_THROW(fitComBat(d, {}, {"siteA", "siteA", "siteA", "siteA", "siteB"}, {}, o),
               ParameterError);
}

TEST(ComBatBadInput, ApplyRefusesUnknownSitesLevelsAndShapes) {
  const auto c = test::makeCohort(6, 2, 6);
  const auto fit = fitComBat(c.data, {}, c.sites, c.covariates, {});
  auto sites = c.sites;
  sites[2] = "siteZ";
  const auto msg =
      messageOf<InputError>([&] { applyComBat(fit.model, c.data, sites, c.covariates); });
  EXPECT_NE(msg.find("'siteZ'"), std::string::npos) << msg;
  auto cov = c.covariates;
  cov.categorical[0].values[1] = "X";
  const auto msg2 = messageOf<InputError>([&] { applyComBat(fit.model, c.data, c.sites, cov); });
  EXPECT_NE(msg2.find("level 'X'"), std::string::npos) << msg2;
  EXPECT_THROW(applyComBat(fit.model, c.data.topRows(3), c.sites, c.covariates), ParameterError);
  ComBatCovariates renamed = c.covariates;
  renamed.numeric[0].name = "years";
  EXPECT_THROW(applyComBat(fit.model, c.data, c.sites, renamed), ParameterError);
}

class CancelledProgress final : public Progress {
 public:
  void report(double) override {}
  [[nodiscard]] bool cancelRequested() const override { return true; }
};

TEST(ComBatFitApply, HonoursCancel) {
  const auto c = test::makeCohort(10, 2, 5);
  CancelledProgress cancelled;
  EXPECT_THROW(fitComBat(c.data, {}, c.sites, {}, {}, cancelled), Cancelled);
}

}  // namespace
}  // namespace harmonia
