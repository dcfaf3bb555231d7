// New sites at apply time (core/combat/NewSite.h).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "ComBatTestSupport.h"
#include "core/combat/ComBat.h"
#include "core/combat/NewSite.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Four sites A..D of `perSite` samples; site s shifted by 1.5 s and scaled by 1 + 0.25 s;
// numeric covariate age. Site D's samples are the last `perSite` columns.
test::Cohort fourSites(int features, int perSite) {
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  test::Cohort c;
  const int n = 4 * perSite;
  c.data.resize(features, n);
  NumericCovariate age{"age", {}};
  for (int j = 0; j < n; ++j) {
    c.sites.push_back(std::string(1, static_cast<char>('A' + j / perSite)));
    age.values.push_back(30.0 + (j * 13 % 41));
  }
  for (int f = 0; f < features; ++f)
    for (int j = 0; j < n; ++j) {
      const int s = j / perSite;
      c.data(f, j) = 5.0 + 0.3 * f + 0.04 * age.values[static_cast<std::size_t>(j)] + 1.5 * s +
                     (1.0 + 0.25 * s) * (0.5 + 0.02 * f) * noise(rng);
    }
  c.covariates.numeric.push_back(age);
  return c;
}

// Columns [first, first + count) of a cohort.
test::Cohort columns(const test::Cohort& c, int first, int count) {
  test::Cohort out;
  out.data = c.data.middleCols(first, count);
  out.sites.assign(c.sites.begin() + first, c.sites.begin() + first + count);
  for (const auto& cov : c.covariates.numeric)
    out.covariates.numeric.push_back(
        {cov.name, {cov.values.begin() + first, cov.values.begin() + first + count}});
  return out;
}

// Site D split into halves D1 (training, label "D") and D2 (held out, n2 samples): D2 applied
// as the new site "Dnew" is compared with D2 applied as the known site "D", whose γ*, δ* the
// fit estimated from D1. Both map onto the same standardisation, so they differ only by the
// sampling difference of two halves of one site: per feature the harmonized D2 means differ
// by about σ̂_f sqrt(1/n1 + 1/n2) (standardised data have unit variance after removing δ), and we
// assert 4 of those; the per-site SDs agree to the sampling error of a variance ratio averaged
// over features. The uncorrected D2 is far off (site shift 4.5): its offset is more than twice
// the bound and ten times the mean difference, which shows the test has teeth.
TEST(ComBatNewSite, HeldOutHalfOfASiteMatchesItsKnownSite) {
  const int features = 30;
  const int perSite = 80;
  const int half = perSite / 2;
  for (const auto eb : {EmpiricalBayes::Parametric, EmpiricalBayes::NonParametric}) {
    const test::Cohort all = fourSites(features, perSite);
    const test::Cohort train = columns(all, 0, 3 * perSite + half);
    test::Cohort held = columns(all, 3 * perSite + half, half);
    ComBatOptions options;
    options.empirical_bayes = eb;
    const auto fit = fitComBat(train.data, {}, train.sites, train.covariates, options);
    ASSERT_TRUE(fit.warnings.empty());
    const auto known = applyComBat(fit.model, held.data, held.sites, held.covariates);
    std::vector<std::string> newLabels(held.sites.size(), "Dnew");
    EXPECT_THROW((void)applyComBat(fit.model, held.data, newLabels, held.covariates), InputError);
    ComBatApplyOptions apply;
    apply.estimate_new_sites = true;
    const auto fresh = applyComBat(fit.model, held.data, newLabels, held.covariates, apply);
    EXPECT_TRUE(fresh.warnings.empty());

    const double bound = 4.0 * std::sqrt(2.0 / half);
    double logSdRatio = 0.0;
    double rawOffset = 0.0;
    double meanDiff = 0.0;
    for (Eigen::Index f = 0; f < features; ++f) {
      const double sd = std::sqrt(fit.model.pooled_variance[f]);
      const double meanNew = fresh.harmonized.row(f).mean();
      const double meanKnown = known.harmonized.row(f).mean();
      EXPECT_LE(std::abs(meanNew - meanKnown) / sd, bound) << "feature " << f;
      meanDiff += std::abs(meanNew - meanKnown) / sd / features;
      rawOffset += std::abs(held.data.row(f).mean() - meanKnown) / sd / features;
      const auto sdOf = [](const Eigen::RowVectorXd& r) {
        return std::sqrt((r.array() - r.mean()).square().sum() / static_cast<double>(r.size() - 1));
      };
      logSdRatio +=
          std::log(sdOf(fresh.harmonized.row(f)) / sdOf(known.harmonized.row(f))) / features;
    }
    EXPECT_LE(std::abs(logSdRatio), 0.15);
    std::printf(
        "[new site, %s] mean |new - known| %.3g SD (bound per feature %.3g), raw offset "
        "%.3g SD, mean log SD ratio %.3g\n",
        eb == EmpiricalBayes::Parametric ? "parametric" : "non-parametric", meanDiff, bound,
        rawOffset, logSdRatio);
    EXPECT_GT(rawOffset, 2.0 * bound);
    EXPECT_LT(meanDiff, 0.1 * rawOffset);
  }
}

// A new site whose data equal a training site's: same γ̂, δ̂, same priors, same EB, hence the
// same correction as that site (to rounding), for every EB method, mean-only and a reference site.
TEST(ComBatNewSite, CopyOfATrainingSiteGetsItsCorrection) {
  const test::Cohort all = fourSites(25, 20);
  const test::Cohort siteC = columns(all, 40, 20);
  std::vector<std::string> copyLabels(siteC.sites.size(), "C-copy");
  for (int variant = 0; variant < 5; ++variant) {
    ComBatOptions options;
    if (variant == 1) options.empirical_bayes = EmpiricalBayes::NonParametric;
    if (variant == 2) options.empirical_bayes = EmpiricalBayes::None;
    if (variant == 3) options.mean_only = true;
    if (variant == 4) options.reference_site = "B";
    const auto fit = fitComBat(all.data, {}, all.sites, all.covariates, options);
    const auto asKnown = applyComBat(fit.model, siteC.data, siteC.sites, siteC.covariates);
    ComBatApplyOptions apply;
    apply.estimate_new_sites = true;
    const auto asNew = applyComBat(fit.model, siteC.data, copyLabels, siteC.covariates, apply);
    EXPECT_LE(test::maxAbsDiff(asNew.harmonized, asKnown.harmonized), 1e-10) << variant;
    const auto ext =
        combat::addNewSites(fit.model, siteC.data, copyLabels, siteC.covariates, apply);
    ASSERT_EQ(ext.new_sites, std::vector<std::string>{"C-copy"});
    const Eigen::Index c = 2;
    const Eigen::Index added = ext.model.gamma_star.rows() - 1;
    EXPECT_LE((ext.model.gamma_star.row(added) - fit.model.gamma_star.row(c)).cwiseAbs().maxCoeff(),
              1e-10);
    EXPECT_LE((ext.model.delta_star.row(added) - fit.model.delta_star.row(c)).cwiseAbs().maxCoeff(),
              1e-10);
  }
}

TEST(ComBatNewSite, SingleSampleNewSiteIsLocationOnlyWithAWarning) {
  const test::Cohort all = fourSites(10, 15);
  const auto fit = fitComBat(all.data, {}, all.sites, all.covariates, {});
  const test::Cohort one = columns(all, 0, 1);
  ComBatApplyOptions apply;
  apply.estimate_new_sites = true;
  const auto r = applyComBat(fit.model, one.data, {"Z"}, one.covariates, apply);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.front().find("one sample"), std::string::npos);
  EXPECT_FALSE(r.harmonized.hasNaN());
}

}  // namespace
}  // namespace harmonia
