#pragma once
// A linear mixed-effects model with one random intercept per group, fitted by REML:
//
//   y = X β + Z b + ε,   b ~ N(0, σ² θ² I_G),   ε ~ N(0, σ² I_n),
//
// Z the n × G group indicators, X = [1 | covariates]; R lme4 `lmer(y ~ x1 + ... + (1 | g),
// REML = TRUE)`. The REML criterion is profiled over σ and β as in lme4 (Bates, Mächler, Bolker &
// Walker 2015, "Fitting linear mixed-effects models using lme4", J. Stat. Softw. 67(1), §3.4,
// eq. 41):
//
//   d_R(θ) = log|L_θ|² + log|R_X|² + (n − p) [1 + log(2π r²(θ) / (n − p))],
//
// where for a single random intercept V_θ = I + θ² Z Z' is block diagonal, so
//   log|L_θ|² = log|I + θ² Z'Z| = Σ_g log(1 + n_g θ²),
//   |R_X|² = |X' V_θ⁻¹ X|,   r²(θ) = min_β (y − Xβ)' V_θ⁻¹ (y − Xβ)   (Woodbury),
// and V_g⁻¹ = (I − P_g) + P_g / (1 + n_g θ²) with P_g the projection on the group's constant.
// Hence [X y]' V_θ⁻¹ [X y] = W + Σ_g n_g/(1 + n_g θ²) m_g m_g' from the within-group cross
// products W and group means m_g (computed once, centred, so no cancellation), and one
// Cholesky factor of that (p+1)² matrix gives β̂(θ), r²(θ) and |R_X|². θ ≥ 0 is found by a
// log-spaced grid followed by Brent's minimisation (Brent 1973, "Algorithms for Minimization
// without Derivatives", ch. 5) on the bracket around the best grid point; θ = 0 is taken when
// the criterion there is within 1e-9 of the minimum (a singular fit, which lmer reports as 0).
// Then σ̂² = r²/(n − p), the site variance is σ̂² θ̂², Cov(β̂) = σ̂² (X' V⁻¹ X)⁻¹ (lme4
// `vcov`), and the 95% Wald intervals and p-values use the normal distribution (lme4
// `confint(method = "Wald")`; lme4 itself gives no p-values). Verified against lme4 1.1-31 on
// the data of tests/data/combat (make_lme4_reference.R).

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

namespace harmonia {

/// One fixed effect of a fit.
struct FixedEffect {
  std::string term;  ///< "(Intercept)" or the covariate column's name
  double estimate = 0.0;
  double standard_error = 0.0;
  double ci_lower = 0.0;  ///< 95% Wald interval, normal quantiles
  double ci_upper = 0.0;
  double z = 0.0;  ///< estimate / standard_error
  double p = 0.0;  ///< two-sided normal (Wald) p-value
};

/// The REML fit of y ~ covariates + (1 | group).
struct RandomInterceptFit {
  /// False when the model cannot be fitted; `reason` says why and the numbers are NaN.
  bool fitted = false;
  std::string reason;
  std::vector<FixedEffect> fixed_effects;  ///< intercept first, then the covariates' columns
  Eigen::MatrixXd covariance;              ///< Cov(β̂), p × p
  double theta = 0.0;                      ///< σ_group / σ (lme4 `getME(m, "theta")`)
  double group_variance = 0.0;             ///< σ̂² θ̂²
  double residual_variance = 0.0;          ///< σ̂²
  double reml_criterion = 0.0;             ///< d_R(θ̂) (lme4 `REMLcrit`)
  std::size_t observations = 0;
  std::size_t groups = 0;  ///< groups with observations
};

/// Fits y ~ covariates + (1 | group) by REML. `covariates`: n × q (no intercept column; the fit
/// adds it), `names`: q column names, `groupOf`: group index of each observation (< groupCount).
/// Inputs must be finite. Not fitted (with a reason) when: fewer than 2 groups have
/// observations, no more observations than groups or than fixed effects, the fixed-effects
/// design is rank deficient (naming the column), or y is fitted exactly. Throws ParameterError
/// on inconsistent sizes or non-finite input.
RandomInterceptFit fitRandomIntercept(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
                                      const std::vector<std::string>& names,
                                      const std::vector<std::size_t>& groupOf,
                                      std::size_t groupCount);

/// The profiled REML criterion d_R(θ) of that model at a given θ ≥ 0 (lme4
/// `mkLmerDevfun(...)(theta)`), for tests and diagnostics. NaN where the fit is impossible.
double remlCriterion(const Eigen::VectorXd& y, const Eigen::MatrixXd& covariates,
                     const std::vector<std::size_t>& groupOf, std::size_t groupCount, double theta);

}  // namespace harmonia
