#pragma once
// The over-harmonization guard: did harmonization erase the biology it should keep?
//
// For every feature, on the table before and the table after harmonization (features ×
// samples, as in ComBat.h), it measures
//   - the Fisher discriminant ratio of a biological label (guard::fisherRatio: the variance of
//     the class means over the mean class variance; (μ1 − μ2)² / (σ1² + σ2²) for two classes),
//   - the site effect: one-way ANOVA F of site with its p-value, and the two-sample
//     Kolmogorov–Smirnov distance of every pair of sites (max and mean),
//   - the label's coefficient(s) in the linear mixed model
//       feature ~ label + protected covariates + (1 | site)
//     fitted by REML (MixedModel.h; agrees with R lme4), with standard error, 95% Wald interval
//     and Wald p-value,
// and flags the feature when the label's Fisher ratio or the absolute value of a label
// coefficient drops by more than `drop_threshold` (relative), or a coefficient that was
// significant (p < alpha) before is not after, or a significant coefficient changes sign, or
// the mixed model could be fitted before but not after (e.g. the feature became constant).
//
// What each measure sees: the Fisher ratio is marginal (it ignores site), so it catches the
// typical erasure by ComBat without the label protected in a cohort where the label is
// confounded with site (the site means are made equal although the label's shares differ).
// The mixed model's random intercept absorbs that between-site loss: its coefficient rests
// mostly on within-site contrasts, which location/scale harmonization keeps, and moves
// little in that case; it catches losses within sites. The Wald p-values are normal-based
// (as lme4's Wald intervals) and optimistic with few sites.
//
// The label: a categorical label has one class per level and, in the mixed model, one
// indicator per level other than the reference ("name=level", treatment contrasts as in R);
// a numeric label is a slope in the mixed model and, when it takes exactly two values, two
// classes for the Fisher ratio (otherwise the Fisher ratio is not defined and left NaN with a
// note). Missing values: a sample without a finite value before or after (per feature), or
// with a missing label or covariate (a NaN, or an empty categorical value), is left out; every
// value that cannot be computed is NaN with a note saying why.

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "core/combat/ComBat.h"
#include "core/combat/MixedModel.h"
#include "core/job/Progress.h"

namespace harmonia {

/// The biological label the guard protects.
using BiologicalLabel = std::variant<NumericCovariate, CategoricalCovariate>;

/// Options of the guard.
struct HarmonizationReportOptions {
  /// Relative drop of the Fisher ratio or |coefficient| above which a feature is flagged.
  double drop_threshold = 0.2;
  /// Significance level of the label's coefficients.
  double alpha = 0.05;
  /// When true, drops count only for features whose label coefficient (any term) was
  /// significant before harmonization: features with no biology to lose are not flagged.
  bool only_where_significant_before = false;
};

/// One label coefficient of the mixed model.
struct LabelCoefficient {
  std::string term;  ///< the label's name (numeric) or "name=level"
  double estimate = 0.0;
  double standard_error = 0.0;
  double ci_lower = 0.0;
  double ci_upper = 0.0;
  double p = 0.0;  ///< two-sided Wald p-value
};

/// The guard's measures of one feature in one table (before or after).
struct GuardMeasures {
  double fisher_ratio = 0.0;
  double site_f = 0.0;   ///< one-way ANOVA F of site
  double site_p = 0.0;   ///< its p-value
  double ks_max = 0.0;   ///< largest KS distance between two sites
  double ks_mean = 0.0;  ///< mean KS distance over site pairs
  bool model_fitted = false;
  std::vector<LabelCoefficient> coefficients;  ///< label terms; empty when not fitted
  double site_variance = 0.0;                  ///< σ²_site of the mixed model
  double residual_variance = 0.0;              ///< σ² of the mixed model
  std::vector<std::string> notes;              ///< why a value is NaN
};

/// The guard's verdict on one feature.
struct FeatureGuard {
  std::string feature;
  std::size_t samples_used = 0;
  GuardMeasures before;
  GuardMeasures after;
  /// (after − before) / before of the Fisher ratio; NaN when either is undefined or before = 0.
  double fisher_change = 0.0;
  /// Per label term: (|after| − |before|) / |before|; NaN when undefined.
  std::vector<double> coefficient_change;
  /// The largest relative loss of biology: max(−fisher_change, −coefficient_change...); NaN when
  /// none is defined. Positive = biology lost.
  double biology_lost = 0.0;
  bool flagged = false;
  std::vector<std::string> flag_reasons;  ///< one line per reason
};

/// The guard's report over all features.
struct HarmonizationReport {
  std::string label_name;
  std::vector<std::string> label_terms;  ///< the label's coefficient names
  std::vector<std::string> site_levels;  ///< sorted
  HarmonizationReportOptions options;
  std::vector<FeatureGuard> features;  ///< in table order
  std::size_t flagged_count = 0;
  std::size_t excluded_samples = 0;  ///< samples without a label or covariate value
  /// Feature indices sorted by biology_lost, largest first (NaN last, ties in table order).
  [[nodiscard]] std::vector<std::size_t> orderByBiologyLost() const;
};

/// Builds the guard's report. `before`, `after`: features × samples of the same shape (NaN =
/// missing). `featureNames`: one per row or empty ("feature_1"...). `sites`: one per sample.
/// `covariates`: the protected covariates entering the mixed model (not the label). Throws
/// ParameterError on inconsistent sizes, a label that is also a covariate, bad options;
/// honours `progress` cancellation (once per feature).
HarmonizationReport makeHarmonizationReport(
    const Eigen::MatrixXd& before, const Eigen::MatrixXd& after,
    const std::vector<std::string>& featureNames, const std::vector<std::string>& sites,
    const BiologicalLabel& label, const ComBatCovariates& covariates,
    const HarmonizationReportOptions& options = {}, Progress& progress = noProgress());

/// A feature's flag reasons joined by "; " ("" when it is not flagged).
std::string flagReasonsText(const FeatureGuard& guard);

/// The report as a CSV table (what `harmonia-cli harmonization-report --csv` writes and the
/// Features workspace exports): a header row, then one row per feature by decreasing biology
/// lost (orderByBiologyLost). Columns: feature, samples, fisher_before, fisher_after,
/// fisher_change, site_f_before, site_f_after, site_p_before, site_p_after, ks_max_before,
/// ks_max_after; per label term T, before then after: coef_T_W, ci_lower_T_W, ci_upper_T_W,
/// p_T_W (W = before/after; empty when the model was not fitted); then biology_lost, flagged
/// (1/0) and reasons ("; "-separated). Numbers are the shortest text that reads back to the
/// same double (formatRoundTrip); a value that is not finite is an empty cell.
std::string harmonizationReportCsv(const HarmonizationReport& report);

}  // namespace harmonia
