// The over-harmonization guard: on a made-up cohort whose label is confounded with site,
// ComBat without the label as a protected covariate erases part of it and the guard flags
// it; with the label protected it does not. Plus the guard's bookkeeping: reasons instead of
// NaN, missing values, options, ordering, cancellation.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include "core/combat/ComBat.h"
#include "core/combat/HarmonizationReport.h"
#include "core/util/Error.h"

namespace harmonia {
namespace {

// Standard normal deviates by Box–Muller from mt19937 (whose output the standard fixes), so
// the cohort is the same with every standard library.
class Normal {
 public:
  explicit Normal(unsigned seed) : rng_(seed) {}
  double operator()() {
    const double u1 = (static_cast<double>(rng_()) + 1.0) / 4294967297.0;
    const double u2 = static_cast<double>(rng_()) / 4294967296.0;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
  }

 private:
  std::mt19937 rng_;
};

// 4 sites × 40 scans; the share of patients per site is 0.95, 0.85, 0.15, 0.05 (the label is
// strongly confounded with site). Features 0..7 carry a disease effect of 1.5 + 0.1 f
// (residual SD 1 before the site scale); features 8..19 none. Site shifts (+1, −1, −1, +1)
// are balanced against the patient shares, so the site effect alone neither inflates nor
// hides the label; site scales 1.0, 1.3, 0.8, 1.5; age has a small effect.
struct ConfoundedCohort {
  Eigen::MatrixXd data;
  std::vector<std::string> sites;
  CategoricalCovariate disease{"disease", {}, std::string("control")};
  NumericCovariate age{"age", {}};
  static constexpr int biologyFeatures = 8;
};

ConfoundedCohort makeConfoundedCohort() {
  ConfoundedCohort c;
  const int perSite = 40;
  const int patients[4] = {38, 34, 6, 2};
  const double shift[4] = {1.0, -1.0, -1.0, 1.0};
  const double scale[4] = {1.0, 1.3, 0.8, 1.5};
  const int features = 20;
  const int n = 4 * perSite;
  Normal noise(20261203);
  c.data.resize(features, n);
  for (int j = 0; j < n; ++j) {
    const int s = j / perSite;
    c.sites.push_back(std::string("site") + static_cast<char>('A' + s));
    c.disease.values.push_back(j % perSite < patients[s] ? "patient" : "control");
    c.age.values.push_back(45.0 + (j * 7 % 31));
  }
  for (int f = 0; f < features; ++f) {
    for (int j = 0; j < n; ++j) {
      const int s = j / perSite;
      const bool patient = c.disease.values[static_cast<std::size_t>(j)] == "patient";
      const double effect = f < ConfoundedCohort::biologyFeatures ? 1.5 + 0.1 * f : 0.0;
      c.data(f, j) = 20.0 + 2.0 * f + (patient ? effect : 0.0) +
                     0.02 * c.age.values[static_cast<std::size_t>(j)] + shift[s] * (1.0 + 0.1 * f) +
                     scale[s] * noise();
    }
  }
  return c;
}

void printFeature(const char* what, const FeatureGuard& g) {
  std::cout << "[" << what << "] " << g.feature << ": Fisher " << g.before.fisher_ratio << " -> "
            << g.after.fisher_ratio << ", coefficient " << g.before.coefficients[0].estimate
            << " (p " << g.before.coefficients[0].p << ") -> " << g.after.coefficients[0].estimate
            << " (p " << g.after.coefficients[0].p << "), site F " << g.before.site_f << " -> "
            << g.after.site_f << ", KS max " << g.before.ks_max << " -> " << g.after.ks_max
            << (g.flagged ? ", FLAGGED: " + g.flag_reasons.front() : ", not flagged") << "\n";
}

TEST(HarmonizationReport, FlagsTheLabelComBatErasesAndNotTheProtectedOne) {
  const auto c = makeConfoundedCohort();
  ComBatCovariates guardCovariates;
  guardCovariates.numeric.push_back(c.age);

  // ComBat protecting age only: the disease signal between sites is taken for site effect.
  const auto erased = fitComBat(c.data, {}, c.sites, guardCovariates, ComBatOptions{});
  const auto erasedReport =
      makeHarmonizationReport(c.data, erased.harmonized, {}, c.sites, c.disease, guardCovariates);
  // ComBat protecting age and disease.
  ComBatCovariates protectedCovariates = guardCovariates;
  protectedCovariates.categorical.push_back(c.disease);
  const auto kept = fitComBat(c.data, {}, c.sites, protectedCovariates, ComBatOptions{});
  const auto keptReport =
      makeHarmonizationReport(c.data, kept.harmonized, {}, c.sites, c.disease, guardCovariates);

  ASSERT_EQ(erasedReport.label_terms, std::vector<std::string>{"disease=patient"});
  ASSERT_EQ(erasedReport.features.size(), 20u);
  for (int f = 0; f < ConfoundedCohort::biologyFeatures; ++f) {
    const auto& e = erasedReport.features[static_cast<std::size_t>(f)];
    const auto& k = keptReport.features[static_cast<std::size_t>(f)];
    printFeature("label not protected", e);
    printFeature("label protected    ", k);
    ASSERT_TRUE(e.before.model_fitted && e.after.model_fitted && k.after.model_fitted);
    // The disease effect is there before harmonization.
    EXPECT_LT(e.before.coefficients[0].p, 0.01);
    EXPECT_TRUE(e.flagged) << e.feature;
    // What catches it is the Fisher ratio: ComBat removes the between-site part of the label
    // (site means made equal although the patient shares differ), but the within-site contrast
    // survives, and the random-intercept model estimates the label from it before and after
    // alike (its coefficient moves a few percent only).
    EXPECT_NE(e.flag_reasons.front().find("Fisher ratio"), std::string::npos);
    EXPECT_GT(e.biology_lost, 0.2) << e.feature;
    EXPECT_FALSE(k.flagged) << k.feature << ": "
                            << (k.flag_reasons.empty() ? "" : k.flag_reasons[0]);
    EXPECT_LT(k.biology_lost, 0.2) << k.feature;
    // Both remove the site effect.
    EXPECT_LT(e.after.site_f, 0.1 * e.before.site_f);
    EXPECT_LT(k.after.site_f, e.before.site_f);
  }
  EXPECT_GE(erasedReport.flagged_count,
            static_cast<std::size_t>(ConfoundedCohort::biologyFeatures));
  HarmonizationReportOptions o;
  o.only_where_significant_before = true;
  const auto keptStrict =
      makeHarmonizationReport(c.data, kept.harmonized, {}, c.sites, c.disease, guardCovariates, o);
  const auto erasedStrict = makeHarmonizationReport(c.data, erased.harmonized, {}, c.sites,
                                                    c.disease, guardCovariates, o);
  std::cout << "[confounded cohort] only where significant before: flagged without protection "
            << erasedStrict.flagged_count << ", with protection " << keptStrict.flagged_count
            << "\n";
  std::cout << "[confounded cohort] flagged without protection " << erasedReport.flagged_count
            << " of 20, with protection " << keptReport.flagged_count << " of 20\n";
}

TEST(HarmonizationReport, IdenticalTablesFlagNothing) {
  const auto c = makeConfoundedCohort();
  const auto r = makeHarmonizationReport(c.data, c.data, {}, c.sites, c.disease, {});
  EXPECT_EQ(r.flagged_count, 0u);
  EXPECT_EQ(r.site_levels, (std::vector<std::string>{"siteA", "siteB", "siteC", "siteD"}));
  for (const auto& g : r.features) {
    EXPECT_EQ(g.samples_used, 160u);
    EXPECT_EQ(g.fisher_change, 0.0);
    EXPECT_EQ(g.coefficient_change.at(0), 0.0);
    EXPECT_EQ(g.biology_lost, 0.0);
    EXPECT_TRUE(g.before.notes.empty());
  }
}

TEST(HarmonizationReport, MissingValuesAndDegenerateFeaturesGetReasons) {
  const auto c = makeConfoundedCohort();
  Eigen::MatrixXd before = c.data.topRows(3);
  Eigen::MatrixXd after = before;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  before(0, 3) = nan;              // missing before only
  after(0, 50) = nan;              // missing after only
  before.row(1).setConstant(5.0);  // constant feature
  after.row(1).setConstant(5.0);
  for (int j = 0; j < 160; ++j) {  // feature 2 constant within each site after
    after(2, j) = static_cast<double>(j / 40);
  }
  auto label = c.disease;
  label.values[7] = "";  // missing label
  const auto r = makeHarmonizationReport(before, after, {"a", "b", "c"}, c.sites, label, {});
  EXPECT_EQ(r.excluded_samples, 1u);
  EXPECT_EQ(r.features[0].feature, "a");
  EXPECT_EQ(r.features[0].samples_used, 157u);
  EXPECT_TRUE(r.features[0].before.model_fitted);
  // Every NaN of the constant feature is explained.
  const auto& b = r.features[1].before;
  EXPECT_TRUE(std::isnan(b.fisher_ratio) && std::isnan(b.site_f) && !b.model_fitted);
  auto explains = [](const GuardMeasures& m, const std::string& what) {
    for (const auto& n : m.notes) {
      if (n.rfind(what, 0) == 0) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(explains(b, "Fisher ratio: no variation"));
  EXPECT_TRUE(explains(b, "site ANOVA: no variation"));
  EXPECT_TRUE(explains(b, "mixed model: constant values"));
  EXPECT_FALSE(r.features[1].flagged);
  EXPECT_TRUE(std::isnan(r.features[1].biology_lost));
  // Feature 2 lost everything but site: the model cannot be fitted after, and that is a flag.
  EXPECT_TRUE(r.features[2].flagged);
  EXPECT_TRUE(explains(r.features[2].after, "mixed model: values are fitted exactly"));
}

TEST(HarmonizationReport, LabelKindsAndTerms) {
  const auto c = makeConfoundedCohort();
  // A three-level label: two indicator terms against the reference level.
  CategoricalCovariate stage{"stage", {}, std::nullopt};
  for (int j = 0; j < 160; ++j) {
    stage.values.push_back(j % 3 == 0 ? "I" : (j % 3 == 1 ? "II" : "III"));
  }
  auto r = makeHarmonizationReport(c.data.topRows(2), c.data.topRows(2), {}, c.sites, stage, {});
  EXPECT_EQ(r.label_terms, (std::vector<std::string>{"stage=II", "stage=III"}));
  EXPECT_EQ(r.features[0].before.coefficients.size(), 2u);
  EXPECT_TRUE(std::isfinite(r.features[0].before.fisher_ratio));
  // A numeric 0/1 label: one slope and two Fisher classes.
  NumericCovariate sick{"sick", {}};
  for (const auto& v : c.disease.values) {
    sick.values.push_back(v == "patient" ? 1.0 : 0.0);
  }
  r = makeHarmonizationReport(c.data.topRows(1), c.data.topRows(1), {}, c.sites, sick, {});
  EXPECT_EQ(r.label_terms, std::vector<std::string>{"sick"});
  EXPECT_TRUE(std::isfinite(r.features[0].before.fisher_ratio));
  // A continuous label: no Fisher ratio, with a note.
  r = makeHarmonizationReport(c.data.topRows(1), c.data.topRows(1), {}, c.sites, c.age, {});
  EXPECT_TRUE(std::isnan(r.features[0].before.fisher_ratio));
  EXPECT_NE(r.features[0].before.notes.at(0).find("not defined"), std::string::npos);
  EXPECT_TRUE(r.features[0].before.model_fitted);
  // Misuse.
  ComBatCovariates withAge;
  withAge.numeric.push_back(c.age);
  EXPECT_THROW(makeHarmonizationReport(c.data, c.data, {}, c.sites, c.age, withAge),
               ParameterError);
  EXPECT_THROW(makeHarmonizationReport(c.data, c.data.leftCols(10), {}, c.sites, c.disease, {}),
               ParameterError);
  CategoricalCovariate single{"one", std::vector<std::string>(160, "x"), std::nullopt};
  EXPECT_THROW(makeHarmonizationReport(c.data, c.data, {}, c.sites, single, {}), InputError);
}

TEST(HarmonizationReport, ThresholdAndSignificanceOptions) {
  const auto c = makeConfoundedCohort();
  // Halving a feature halves |coefficient| but keeps the Fisher ratio (scale free).
  const Eigen::MatrixXd before = c.data.middleRows(8, 2);  // no disease effect
  const Eigen::MatrixXd after = 0.5 * before;
  auto r = makeHarmonizationReport(before, after, {}, c.sites, c.disease, {});
  for (const auto& g : r.features) {
    // (to the optimizer's tolerance on θ)
    EXPECT_NEAR(g.coefficient_change[0], -0.5, 1e-7);
    EXPECT_NEAR(g.fisher_change, 0.0, 1e-12);
    EXPECT_TRUE(g.flagged);
    EXPECT_NEAR(g.biology_lost, 0.5, 1e-7);
  }
  HarmonizationReportOptions o;
  o.drop_threshold = 0.6;
  EXPECT_EQ(makeHarmonizationReport(before, after, {}, c.sites, c.disease, {}, o).flagged_count,
            0u);
  o.drop_threshold = 0.2;
  o.only_where_significant_before = true;  // no disease effect: nothing to lose
  r = makeHarmonizationReport(before, after, {}, c.sites, c.disease, {}, o);
  for (const auto& g : r.features) {
    if (g.before.coefficients[0].p >= 0.05) {
      EXPECT_FALSE(g.flagged);
    }
  }
  o.drop_threshold = 1.5;
  EXPECT_THROW(makeHarmonizationReport(before, after, {}, c.sites, c.disease, {}, o),
               ParameterError);
}

TEST(HarmonizationReport, LostSignificanceAndChangedSign) {
  const auto c = makeConfoundedCohort();
  // Feature 7 carries a disease effect of 2.2: remove it (row 0), or reverse it (row 1).
  Eigen::MatrixXd before(2, 160);
  before.row(0) = c.data.row(7);
  before.row(1) = c.data.row(7);
  Eigen::MatrixXd after = before;
  for (int j = 0; j < 160; ++j) {
    const double patient = c.disease.values[static_cast<std::size_t>(j)] == "patient" ? 1.0 : 0.0;
    after(0, j) -= 2.2 * patient;
    after(1, j) -= 4.4 * patient;
  }
  const auto r = makeHarmonizationReport(before, after, {}, c.sites, c.disease, {});
  auto has = [](const FeatureGuard& g, const std::string& text) {
    for (const auto& reason : g.flag_reasons) {
      if (reason.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  ASSERT_LT(r.features[0].before.coefficients[0].p, 1e-6);
  EXPECT_GT(r.features[0].after.coefficients[0].p, 0.05);
  EXPECT_TRUE(has(r.features[0], "'disease=patient' lost significance"));
  EXPECT_TRUE(has(r.features[0], "|coefficient| of 'disease=patient' fell by"));
  EXPECT_TRUE(has(r.features[0], "Fisher ratio of 'disease' fell by"));
  EXPECT_LT(r.features[1].after.coefficients[0].estimate, 0.0);
  EXPECT_TRUE(has(r.features[1], "'disease=patient' changed sign"));
  EXPECT_EQ(r.orderByBiologyLost().front(), 0u);
}

TEST(HarmonizationReport, OrderByBiologyLost) {
  HarmonizationReport r;
  for (const double lost : {0.1, std::nan(""), 0.5, -0.2, 0.5}) {
    FeatureGuard g;
    g.biology_lost = lost;
    r.features.push_back(g);
  }
  EXPECT_EQ(r.orderByBiologyLost(), (std::vector<std::size_t>{2, 4, 0, 3, 1}));
}

TEST(HarmonizationReport, ReportsProgressAndCancels) {
  const auto c = makeConfoundedCohort();
  AtomicProgress progress;
  makeHarmonizationReport(c.data, c.data, {}, c.sites, c.disease, {}, {}, progress);
  EXPECT_EQ(progress.fraction(), 1.0);
  AtomicProgress cancelled;
  cancelled.requestCancel();
  EXPECT_THROW(makeHarmonizationReport(c.data, c.data, {}, c.sites, c.disease, {}, {}, cancelled),
               Cancelled);
}

}  // namespace
}  // namespace harmonia
