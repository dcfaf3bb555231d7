#pragma once
// Harmonizing samples of a site the model was not fitted on (ComBatApplyOptions::
// estimate_new_sites).
//
// Method. The model's standardisation is kept fixed: the new site's samples are standardised
// with the saved grand mean α̂_f, covariate coefficients β̂_f and pooled variance σ̂²_f,
//   z_fj = (y_fj − α̂_f − x_j' β̂_f) / σ̂_f,
// so the new site is mapped onto the same target as the training sites. Its naive estimates
// γ̂_f (mean of z) and δ̂²_f (variance, n − 1) are then shrunk by empirical Bayes exactly as the
// fit shrinks a training site's (the model's method: parametric, non-parametric or none;
// mean-only as fitted), and the harmonized value is σ̂_f (z_fj − γ*_f) / δ*_f + α̂_f + x_j' β̂_f.
// This is the "transfer learning" ComBat of Da-ano et al. (2021, PLoS ONE 16(7): e0253653):
// α̂, β̂, σ̂ from the previous fit, only the new batch's γ, δ estimated on the new data; it is
// also what neuroCombatFromTraining (Jfortin1/ComBatHarmonization) does for known sites, with
// the site effects estimated instead of looked up.
//
// Which priors: ComBat's priors are per site — γ_sf ~ N(γ̄_s, τ²_s), δ²_sf ~ InvGamma(a_s, b_s)
// over the features f of site s (Johnson et al. 2007) — so the hyperparameters of a new site are
// estimated, as at fit time, from the new site's own γ̂, δ̂² across the features (γ̄ = mean γ̂,
// τ² = variance of γ̂, a, b by the method of moments on δ̂²). We do not reuse another site's
// or the training sites' pooled hyperparameters: the pooled γ̄ is ≈ 0 by construction (the grand
// mean is their sample-weighted centre), so it would shrink a new site's common shift away and
// leave part of the site effect in the data. With these priors a new site whose data equal a
// training site's gets that site's γ*, δ* (the fit's computation, repeated).
//
// Bad input as at fit time: a new site with one sample is corrected for location only (with a
// warning); a feature that the new site has no value of, or that is constant within it, is left
// unchanged for that site (with a warning); a reference site stays the target (γ̂ is taken
// relative to the reference site's mean, as neuroCombat does for the training sites).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/combat/ComBat.h"

namespace harmonia::combat {

/// The model extended with the new sites of one apply.
struct NewSiteModel {
  ComBatModel model;                   ///< the input model plus one site per new label
  std::vector<std::string> new_sites;  ///< the added labels, sorted
  std::vector<std::string> warnings;
};

/// Estimates γ*, δ* of every site label in `sites` that `model` does not know, from the samples
/// of `data` (features × samples) with that label, and returns the model with those sites
/// appended (site_levels, site_sample_counts, gamma_hat, delta_hat, gamma_star, delta_star, the
/// priors, site_mean_only; site_coefficients NaN). Covariates as in applyComBat. Throws as
/// applyComBat does on mismatched sizes or covariates.
NewSiteModel addNewSites(const ComBatModel& model, const Eigen::MatrixXd& data,
                         const std::vector<std::string>& sites, const ComBatCovariates& covariates,
                         const ComBatApplyOptions& options);

}  // namespace harmonia::combat
