#pragma once
// ComBat harmonization of feature tables (Johnson, Li & Rabinovic 2007), as defined by
// R sva::ComBat and its neuroImaging derivative neuroCombat (Fortin et al. 2017/2018).
//
// Orientation: data are FEATURES x SAMPLES (one row per feature, one column per scan), the
// orientation of sva/neuroCombat and of their reference outputs.
//
// Model (per feature f, sample j of site s):
//   y_fj = α_f + x_j' β_f + γ_sf + δ_sf ε_fj.
// Fit: B̂ = [site intercepts; β] by least squares on [site indicators | covariates]; data are
// standardised by α̂_f + x_j' β̂_f and the pooled residual variance σ̂²_f; γ̂, δ̂² are the per-site
// means / variances of the standardised data; empirical Bayes shrinks them to γ*, δ*; the
// harmonized value is σ̂_f (z_fj − γ*_sf) / δ*_sf + α̂_f + x_j' β̂_f.
//
// Beyond the reference implementations (which stop or give NaN), bad input gets a specific
// answer: NaNs are ignored per feature and stay NaN; features that are constant (overall or in
// a site), or that a site has no value of, are left unadjusted and reported; a single-sample
// site is corrected for location only, with a warning; one site only, covariates collinear
// with site, non-finite covariates, unknown sites and levels are refused.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "core/combat/ComBatModel.h"
#include "core/job/Progress.h"

namespace harmonia {

/// A numeric covariate, one value per sample (a protected effect ComBat keeps).
struct NumericCovariate {
  std::string name;
  std::vector<double> values;
};

/// A categorical covariate, one label per sample; expanded to indicator columns for every
/// level but the reference (default: the first level in sorted order, as R's factor does).
struct CategoricalCovariate {
  std::string name;
  std::vector<std::string> values;
  std::optional<std::string> reference_level;
};

/// The protected covariates of a ComBat fit or apply.
struct ComBatCovariates {
  std::vector<NumericCovariate> numeric;
  std::vector<CategoricalCovariate> categorical;
  [[nodiscard]] bool empty() const { return numeric.empty() && categorical.empty(); }
};

/// What a fit returns.
struct ComBatFitResult {
  ComBatModel model;
  Eigen::MatrixXd harmonized;         ///< features x samples
  std::vector<std::string> warnings;  ///< unadjusted features, single-sample sites, ...
};

/// What an apply returns.
struct ComBatApplyResult {
  Eigen::MatrixXd harmonized;  ///< features x samples
  std::vector<std::string> warnings;
};

/// Options of applying a saved model.
struct ComBatApplyOptions {
  /// When the model was fitted with covariates and none are given, use the training mean of
  /// the covariate effect instead (neuroCombatFromTraining); otherwise this is refused.
  bool impute_missing_covariates = false;
  /// Samples of sites the model does not know are harmonized as new sites: each new site's
  /// γ*, δ* are estimated from its own samples against the model's standardisation, with
  /// empirical Bayes as the model was fitted (NewSite.h). When false such samples are refused.
  bool estimate_new_sites = false;
};

/// Fits ComBat and harmonizes the training data.
/// `data`: features x samples (NaN = missing). `featureNames`: one per row, or empty for
/// "feature_1"... `sites`: one label per column. Throws ParameterError/InputError on bad input
/// (see the file comment); honours `progress` cancellation.
ComBatFitResult fitComBat(const Eigen::MatrixXd& data, const std::vector<std::string>& featureNames,
                          const std::vector<std::string>& sites, const ComBatCovariates& covariates,
                          const ComBatOptions& options, Progress& progress = noProgress());

/// Harmonizes samples of the model's sites with the fitted model. For the training samples the
/// output is bit-identical to the fit's. Samples of the reference site are returned unchanged.
/// Refuses unknown sites or categorical levels and covariates that differ from the model's.
ComBatApplyResult applyComBat(const ComBatModel& model, const Eigen::MatrixXd& data,
                              const std::vector<std::string>& sites,
                              const ComBatCovariates& covariates,
                              const ComBatApplyOptions& options = {},
                              Progress& progress = noProgress());

}  // namespace harmonia
