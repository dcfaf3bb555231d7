#include "core/combat/EmpiricalBayes.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/util/Numeric.h"

namespace harmonia::combat {

namespace {

// Convergence threshold of the parametric iteration: sva `it.sol(..., conv = .0001)`
// (zhangyuqing/sva-devel R/helper.R; neuroCombat_helpers.R `it.sol`).
constexpr double kConvergence = 1e-4;
// sva iterates without a cap; we stop after this many rounds and report it.
constexpr int kMaxIterations = 100000;

// Mean and (n−1) variance of the used entries (R `mean`, `var`).
void meanAndVariance(const Eigen::VectorXd& v, const std::vector<bool>& use, double& mean,
                     double& variance) {
  double sum = 0.0;
  int n = 0;
  for (Eigen::Index f = 0; f < v.size(); ++f) {
    if (!use[static_cast<std::size_t>(f)]) continue;
    sum += v[f];
    ++n;
  }
  mean = n > 0 ? sum / n : kNaN;
  double ss = 0.0;
  for (Eigen::Index f = 0; f < v.size(); ++f) {
    if (!use[static_cast<std::size_t>(f)]) continue;
    ss += (v[f] - mean) * (v[f] - mean);
  }
  variance = n > 1 ? ss / (n - 1) : kNaN;
}

// Posterior mean of γ: sva/neuroCombat `postmean` = (τ² n γ̂ + δ* γ̄) / (τ² n + δ*).
double postMean(double gHat, double gBar, double n, double dStar, double t2) {
  return (t2 * n * gHat + dStar * gBar) / (t2 * n + dStar);
}

// Posterior of δ²: sva/neuroCombat `postvar` = (½ Σ(x−γ*)² + b) / (n/2 + a − 1).
double postVar(double sum2, double n, double a, double b) {
  return (0.5 * sum2 + b) / (n / 2.0 + a - 1.0);
}

}  // namespace

SitePriors estimatePriors(const Eigen::VectorXd& gammaHat, const Eigen::VectorXd& deltaHat,
                          const std::vector<bool>& use, bool withScale) {
  SitePriors p;
  // neuroCombat getEbEstimators: gamma.bar = rowMeans(gamma.hat), t2 = rowVars(gamma.hat).
  meanAndVariance(gammaHat, use, p.gamma_bar, p.tau2);
  if (!withScale) {
    p.a = kNaN;
    p.b = kNaN;
    return p;
  }
  // neuroCombat_helpers.R aprior/bprior (method of moments of an inverse gamma):
  // a = (2 s² + m²) / s², b = (m s² + m³) / s², m, s² the mean and variance of δ̂².
  double m = 0.0;
  double s2 = 0.0;
  meanAndVariance(deltaHat, use, m, s2);
  p.a = (2.0 * s2 + m * m) / s2;
  p.b = (m * s2 + m * m * m) / s2;
  return p;
}

SiteEstimate parametricMeanOnly(const Eigen::VectorXd& gammaHat, const SitePriors& priors,
                                const std::vector<bool>& use) {
  SiteEstimate e;
  e.gamma_star = Eigen::VectorXd::Zero(gammaHat.size());
  e.delta_star = Eigen::VectorXd::Ones(gammaHat.size());
  for (Eigen::Index f = 0; f < gammaHat.size(); ++f) {
    if (!use[static_cast<std::size_t>(f)]) continue;
    // neuroCombat getEbEstimators (mean.only): postmean(gamma.hat, gamma.bar, 1, 1, t2).
    e.gamma_star[f] = postMean(gammaHat[f], priors.gamma_bar, 1.0, 1.0, priors.tau2);
  }
  return e;
}

SiteEstimate parametricIterative(const Eigen::MatrixXd& standardised,
                                 const Eigen::VectorXd& gammaHat, const Eigen::VectorXd& deltaHat,
                                 const SitePriors& priors, const std::vector<bool>& use,
                                 Progress& progress) {
  const Eigen::Index nf = standardised.rows();
  const Eigen::Index ns = standardised.cols();
  // n = rowSums(!is.na(sdat)) (sva it.sol).
  Eigen::VectorXd n = Eigen::VectorXd::Zero(nf);
  for (Eigen::Index f = 0; f < nf; ++f) {
    for (Eigen::Index j = 0; j < ns; ++j) {
      if (!std::isnan(standardised(f, j))) n[f] += 1.0;
    }
  }

  Eigen::VectorXd gOld = gammaHat;
  Eigen::VectorXd dOld = deltaHat;
  Eigen::VectorXd gNew = Eigen::VectorXd::Zero(nf);
  Eigen::VectorXd dNew = Eigen::VectorXd::Ones(nf);
  SiteEstimate e;
  double change = 1.0;
  while (change > kConvergence) {
    if (e.iterations >= kMaxIterations) {
      e.converged = false;
      break;
    }
    change = 0.0;
    for (Eigen::Index f = 0; f < nf; ++f) {
      if (!use[static_cast<std::size_t>(f)]) continue;
      if ((f & 255) == 0) progress.throwIfCancelled();
      // sva it.sol: g.new <- postmean(g.hat, g.bar, n, d.old, t2)
      gNew[f] = postMean(gammaHat[f], priors.gamma_bar, n[f], dOld[f], priors.tau2);
      // sum2 <- rowSums((sdat - g.new)^2, na.rm = TRUE); d.new <- postvar(sum2, n, a, b)
      double sum2 = 0.0;
      for (Eigen::Index j = 0; j < ns; ++j) {
        const double x = standardised(f, j);
        if (!std::isnan(x)) sum2 += (x - gNew[f]) * (x - gNew[f]);
      }
      dNew[f] = postVar(sum2, n[f], priors.a, priors.b);
      // change <- max(abs(g.new - g.old) / g.old, abs(d.new - d.old) / d.old): the
      // denominators are signed in sva, so a negative γ never blocks convergence; kept as is
      // for identical iteration counts. NaN ratios (0/0) are ignored.
      const double cg = std::abs(gNew[f] - gOld[f]) / gOld[f];
      const double cd = std::abs(dNew[f] - dOld[f]) / dOld[f];
      if (cg > change) change = cg;
      if (cd > change) change = cd;
    }
    gOld = gNew;
    dOld = dNew;
    ++e.iterations;
  }
  e.gamma_star = Eigen::VectorXd::Zero(nf);
  e.delta_star = Eigen::VectorXd::Ones(nf);
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (!use[static_cast<std::size_t>(f)]) continue;
    e.gamma_star[f] = gNew[f];
    e.delta_star[f] = dNew[f];
  }
  return e;
}

SiteEstimate nonParametric(const Eigen::MatrixXd& standardised, const Eigen::VectorXd& gammaHat,
                           const Eigen::VectorXd& deltaHat, const std::vector<bool>& use,
                           Progress& progress) {
  const Eigen::Index nf = standardised.rows();
  const Eigen::Index ns = standardised.cols();
  SiteEstimate e;
  e.gamma_star = Eigen::VectorXd::Zero(nf);
  e.delta_star = Eigen::VectorXd::Ones(nf);
  std::vector<Eigen::Index> used;
  for (Eigen::Index f = 0; f < nf; ++f) {
    if (use[static_cast<std::size_t>(f)]) used.push_back(f);
  }
  std::vector<double> x;
  x.reserve(static_cast<std::size_t>(ns));
  Eigen::VectorXd logLh(static_cast<Eigen::Index>(used.size()));
  for (std::size_t k = 0; k < used.size(); ++k) {
    const Eigen::Index i = used[k];
    progress.throwIfCancelled();
    if ((k & 63) == 0) progress.report(static_cast<double>(k) / static_cast<double>(used.size()));
    // x <- sdat[i, !is.na(sdat[i, ])]; n <- length(x)  (sva int.eprior)
    x.clear();
    for (Eigen::Index j = 0; j < ns; ++j) {
      if (!std::isnan(standardised(i, j))) x.push_back(standardised(i, j));
    }
    const double n = static_cast<double>(x.size());
    // For every other feature g, d (leave-one-out, g <- g.hat[-i]):
    // LH = (2π d)^(−n/2) exp(−Σ(x − g)² / (2d)); g* = Σ g LH / Σ LH, d* = Σ d LH / Σ LH.
    double maxLog = -std::numeric_limits<double>::infinity();
    for (std::size_t m = 0; m < used.size(); ++m) {
      if (m == k) continue;
      const double g = gammaHat[used[m]];
      const double d = deltaHat[used[m]];
      double sum2 = 0.0;
      for (const double v : x) sum2 += (v - g) * (v - g);
      double l = -0.5 * n * std::log(2.0 * std::numbers::pi * d) - sum2 / (2.0 * d);
      if (std::isnan(l)) l = -std::numeric_limits<double>::infinity();  // LH[LH == "NaN"] = 0
      logLh[static_cast<Eigen::Index>(m)] = l;
      if (l > maxLog) maxLog = l;
    }
    double sw = 0.0;
    double sg = 0.0;
    double sd = 0.0;
    for (std::size_t m = 0; m < used.size(); ++m) {
      if (m == k) continue;
      const double w = std::exp(logLh[static_cast<Eigen::Index>(m)] - maxLog);
      sw += w;
      sg += gammaHat[used[m]] * w;
      sd += deltaHat[used[m]] * w;
    }
    e.gamma_star[i] = sg / sw;
    e.delta_star[i] = sd / sw;
  }
  return e;
}

}  // namespace harmonia::combat
