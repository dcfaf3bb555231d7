#pragma once
// Empirical-Bayes estimation of ComBat's per-site location (γ) and scale (δ²) effects, one site
// at a time, as sva::ComBat / neuroCombat define it (neuroCombat_helpers.R: aprior, bprior,
// postmean, postvar, it.sol, int.eprior).

#include <Eigen/Core>
#include <vector>

#include "core/job/Progress.h"

namespace harmonia::combat {

/// The priors of one site, estimated across the features that take part.
struct SitePriors {
  double gamma_bar = 0.0;  ///< mean of γ̂ over features
  double tau2 = 0.0;       ///< variance (n−1) of γ̂ over features
  double a = 0.0;          ///< inverse-gamma shape, method of moments on δ̂² (sva `aprior`)
  double b = 0.0;          ///< inverse-gamma scale, method of moments on δ̂² (sva `bprior`)
};

/// Estimates the priors from one site's γ̂, δ̂² over the features with `use[f]` true.
/// `withScale` false (mean-only site) leaves a and b NaN.
SitePriors estimatePriors(const Eigen::VectorXd& gammaHat, const Eigen::VectorXd& deltaHat,
                          const std::vector<bool>& use, bool withScale);

/// Result of one site's estimation.
struct SiteEstimate {
  Eigen::VectorXd gamma_star;
  Eigen::VectorXd delta_star;
  int iterations = 0;     ///< parametric iterations (0 otherwise)
  bool converged = true;  ///< false when the parametric iteration hit its cap
};

/// Parametric EB, location only: γ* = postmean(γ̂, γ̄, n = 1, δ = 1, τ²), δ* = 1, as sva/neuroCombat
/// do for mean.only (n = 1 whatever the site size; neuroCombat getEbEstimators).
SiteEstimate parametricMeanOnly(const Eigen::VectorXd& gammaHat, const SitePriors& priors,
                                const std::vector<bool>& use);

/// Parametric EB with scale: sva `it.sol`, iterated over all used features together until
/// max(|Δγ|/γ_old, |Δδ²|/δ²_old) ≤ 1e-4 (the signed denominators of sva are kept on purpose).
/// `standardised`: features x samples of this site (NaN = missing).
SiteEstimate parametricIterative(const Eigen::MatrixXd& standardised,
                                 const Eigen::VectorXd& gammaHat, const Eigen::VectorXd& deltaHat,
                                 const SitePriors& priors, const std::vector<bool>& use,
                                 Progress& progress);

/// Non-parametric EB: sva `int.eprior`. For each feature, γ*, δ* are the averages of the other
/// used features' γ̂, δ̂² weighted by the normal likelihood of this feature's data under them.
/// The weights are computed in log space (same values, no underflow to 0/0).
SiteEstimate nonParametric(const Eigen::MatrixXd& standardised, const Eigen::VectorXd& gammaHat,
                           const Eigen::VectorXd& deltaHat, const std::vector<bool>& use,
                           Progress& progress);

}  // namespace harmonia::combat
