#pragma once
// A fitted ComBat model: everything needed to harmonize new samples of the
// training sites exactly as the fit harmonized its own samples, and its
// versioned JSON form ("format": "harmonia-combat-model", "version": 1).

#include <Eigen/Core>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace harmonia {

/// How the site effects are estimated (sva::ComBat `par.prior`, neuroCombat `eb`/`parametric`).
enum class EmpiricalBayes {
  Parametric,     ///< normal / inverse-gamma priors, solved iteratively (sva `it.sol`)
  NonParametric,  ///< likelihood-weighted leave-one-out over features (sva `int.eprior`)
  None,           ///< plain per-site location/scale estimates (neuroCombat `eb=FALSE`)
};

/// "parametric", "nonparametric" or "none" (the model file's and the CLI's spelling).
const char* empiricalBayesName(EmpiricalBayes eb);

/// ComBat options.
struct ComBatOptions {
  EmpiricalBayes empirical_bayes = EmpiricalBayes::Parametric;
  /// Location only: the site scale δ* is fixed to 1 (sva `mean.only`).
  bool mean_only = false;
  /// A site whose data stay unchanged and onto which the others are mapped (sva `ref.batch`).
  std::optional<std::string> reference_site;
};

/// A categorical covariate's coding: indicator columns for every level but the reference.
struct CategoricalCoding {
  std::string name;
  std::vector<std::string> levels;  ///< every level seen at fit time, sorted
  std::string reference_level;      ///< the level without an indicator column
};

/// How covariates become design columns: numeric columns first (as given),
/// then each categorical covariate's indicators (levels other than the reference, in order).
struct CovariateCoding {
  std::vector<std::string> numeric_names;
  std::vector<CategoricalCoding> categorical;
  /// Names of the design columns, "name" for numeric, "name=level" for indicators.
  std::vector<std::string> column_names;
  [[nodiscard]] std::size_t columnCount() const { return column_names.size(); }
};

/// The fitted model. Features are indexed f, sites s (in `site_levels` order).
struct ComBatModel {
  std::vector<std::string> feature_names;
  std::vector<std::string> site_levels;         ///< sorted site labels
  std::vector<std::size_t> site_sample_counts;  ///< training samples per site
  CovariateCoding covariates;
  ComBatOptions options;

  /// Standardisation mean α̂_f: the sample-weighted mean of the site intercepts,
  /// or the reference site's intercept (neuroCombat getStandardizedData `grand.mean`).
  Eigen::VectorXd grand_mean;
  /// B̂ of the site columns, sites × features: site intercepts, or with a reference site its
  /// intercept (reference row) and the other sites' offsets from it. For inspection only.
  Eigen::MatrixXd site_coefficients;
  /// B̂ of the covariate columns, covariate columns × features.
  Eigen::MatrixXd covariate_coefficients;
  /// Mean over the training samples of the covariate effect X_cov B̂, per feature; used when
  /// new samples come without covariates (neuroCombatFromTraining's mean imputation).
  Eigen::VectorXd mean_covariate_effect;
  /// Pooled residual variance σ̂²_f (of the reference site's samples with a reference site).
  Eigen::VectorXd pooled_variance;

  /// Naive and final site effects, sites × features (standardised units).
  Eigen::MatrixXd gamma_hat, delta_hat, gamma_star, delta_star;
  /// Per-site priors: γ̄, τ², inverse-gamma a, b. NaN where not used (no EB, mean-only, a
  /// single-sample site).
  Eigen::VectorXd gamma_bar, tau2, prior_a, prior_b;
  /// Per-site flag: location only for that site (mean-only, or a site with one sample).
  std::vector<bool> site_mean_only;

  /// Per feature: false when the feature is left unadjusted (output = input).
  std::vector<bool> feature_adjusted;
  /// Per feature: why it is unadjusted (empty when adjusted).
  std::vector<std::string> feature_note;

  /// The table column the site labels came from (harmonia-cli combat fit), so that
  /// `combat apply` finds them; empty when unknown. Optional in the JSON ("siteColumn").
  std::string site_column;

  [[nodiscard]] std::size_t featureCount() const { return feature_names.size(); }
  [[nodiscard]] std::size_t siteCount() const { return site_levels.size(); }
  /// Index of a site label, or nullopt when unknown.
  [[nodiscard]] std::optional<std::size_t> siteIndex(const std::string& site) const;
  /// Index of the reference site, or nullopt.
  [[nodiscard]] std::optional<std::size_t> referenceIndex() const;
};

/// Writes the model as JSON, atomically (core/io/AtomicFile.h). Doubles are written with
/// round-trip precision; non-finite values as null.
void saveComBatModel(const ComBatModel& model, const std::filesystem::path& file);

/// Reads a model written by saveComBatModel. Throws InputError naming the file when it is
/// not a harmonia ComBat model, has another version, or is inconsistent.
ComBatModel loadComBatModel(const std::filesystem::path& file);

}  // namespace harmonia
